/**
 * The programmatic API in this process, against the loopback test server: benchmark() runs the
 * command line's pipeline and returns its Report without printing; bad input throws the CLI's
 * UsageError before any request; an AbortSignal stops it; progress is told; the exporters
 * return the CLI's strings. (test/e2e/package.test.ts imports the packed package instead.)
 */
import { maxOf } from '../../src/core/stats.js';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { benchmark, toCsv, toHtml, toJson, toJunit, toMarkdown, toTable, UsageError, type BenchmarkOptions, type BenchmarkProgress, type Report } from '../../src/index.js';
import { SETTING_NAMES } from '../../src/api/options.js';
import { buildProgram } from '../../src/cli/program.js';
import { runInProcess } from '../helpers/in-process.js';
import { expectValidReport } from '../helpers/schema.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const urls = (tag: string, n: number, path = '/delay/20'): string[] => Array.from({ length: n }, (_, i) => `${server.url}${path}?case=${tag}&i=${i}`);

/** What benchmark() printed on stdout and stderr while it ran: nothing, always. */
async function silently<T>(run: () => Promise<T>): Promise<{ value: T; printed: string }> {
  let printed = '';
  const capture = ((chunk: string | Uint8Array): boolean => {
    printed += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    return { value: await run(), printed };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('benchmark() is the command line without the printing', () => {
  test('the same Report the CLI writes with --json: config and fingerprint alike, every request sent, nothing printed, no secret kept', async () => {
    const targets = urls('same', 6);
    const options: BenchmarkOptions = {
      strategies: ['sequential', 'bounded'],
      concurrency: 3,
      seed: 7,
      headers: { 'x-case': 'api', authorization: 'Bearer tok-secret-123' },
      thresholds: ['bounded.p95<60000'],
    };
    const { value: report, printed } = await silently(() => benchmark(targets, options));
    expect(printed).toBe('');
    expectValidReport(report);
    expect(report.results.map((r) => [r.strategy, r.concurrency, r.requests, r.ok])).toEqual([
      ['sequential', 1, 6, 6],
      ['bounded', 3, 6, 6],
    ]);
    expect(report.thresholds).toEqual([{ expr: 'bounded.p95<60000', strategy: 'bounded@3', actual: expect.any(Number), pass: true }]);
    const sent = server.log.filter((r) => r.path.includes('case=same'));
    expect(sent).toHaveLength(12);
    for (const r of sent) expect(r.headers).toMatchObject({ 'x-case': 'api', authorization: 'Bearer tok-secret-123' });
    expect(report.config.headers).toEqual(['x-case: api', 'authorization: ***']);
    expect(JSON.stringify(report)).not.toContain('tok-secret-123');

    const cli = await runInProcess(['-s', 'sequential,bounded', '-c', '3', '--seed', '7', '-H', 'x-case: api', '-H', 'authorization: Bearer tok-secret-123', '--threshold', 'bounded.p95<60000', '--json', ...targets]);
    expect(cli.code, cli.stderr).toBe(0);
    const document = JSON.parse(cli.stdout) as Report;
    const { command, ...config } = report.config;
    expect(config).toEqual({ ...document.config, command: undefined });
    // The command that reproduces it is the command line the options stand for.
    expect(command).toBe(`async-bench --strategy=sequential,bounded --concurrency=3 --seed=7 '--header=x-case: api' '--header=authorization: ***' '--threshold=bounded.p95<60000' -- ${targets.map((t) => `'${t}'`).join(' ')}`);
    expect(report.fingerprint).toEqual(document.fingerprint);
    expect(report.tool).toEqual(document.tool);
  });

  test('bad input throws a UsageError in the CLI\'s words, before any request', async () => {
    const before = server.stats.requests;
    const target = urls('bad', 1);
    const cases: Array<[BenchmarkOptions | Record<string, unknown>, string[], RegExp]> = [
      [{ count: 0 }, ['--count', '0'], /^--count must be at least 1, got 0$/],
      [{ count: 2.5 }, ['--count', '2.5'], /^--count must be a whole number, got '2\.5'$/],
      [{ strategies: ['fast'] as never }, ['-s', 'fast'], /^unknown strategy 'fast'; choose from sequential, all, bounded, batched, adaptive, workers$/],
      [{ thresholds: ['p96<3'] }, ['--threshold', 'p96<3'], /^--threshold 'p96<3': unknown metric 'p96'/],
      [{ offline: true }, ['--offline'], /^--offline serves a preset, or paths such as \/posts, from the built-in server; it does not apply to URLs$/],
      [{ concurrency: [2, 0] }, ['-c', '2,0'], /^--concurrency must be at least 1, got 0$/],
      [{ headers: { 'content-length': '3' } }, ['-H', 'content-length: 3'], /^--header 'content-length' cannot be set/],
    ];
    for (const [options, args, message] of cases) {
      const error = await benchmark(target, options as BenchmarkOptions).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error, JSON.stringify(options)).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      // The command line says the same words.
      const cli = await runInProcess([...args, ...target]);
      expect(cli.stderr).toBe(`async-bench: ${(error as Error).message}\n`);
    }
    const api = async (targets: string | string[], options: Record<string, unknown>): Promise<string> => {
      const error: unknown = await benchmark(targets, options as BenchmarkOptions).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    };
    expect(await api(target, { bogus: 1 })).toMatch(/^unknown option 'bogus'; options are count, concurrency, strategies/);
    expect(await api(target, { offline: 'yes' })).toBe("offline must be true or false, got 'yes'");
    expect(await api(target, { headers: { 'a:b': 'c' } })).toBe("headers: 'a:b' is not a header name");
    expect(await api('pokemon-x', {})).toMatch(/pokemon-x/);
    // A target is never read as a command or an option.
    expect(await api(['serve'], {})).toMatch(/serve/);
    expect(await api(['--json'], {})).toMatch(/--json/);
    expect(server.stats.requests).toBe(before);
  });

  test('an AbortSignal stops it as Ctrl-C stops the command: the request in flight is aborted, the Report is partial', async () => {
    const targets = [...urls('abort', 1, '/ok'), `${server.url}/hang?case=abort`, ...urls('abort', 2, '/ok')];
    const controller = new AbortController();
    void server.waitFor('/hang?case=abort').then(() => controller.abort());
    const report = await benchmark(targets, { strategies: ['sequential'], signal: controller.signal });
    expect(report.partial).toBe(true);
    expectValidReport(report);
    // The request cut off counts as failed (aborted); those never started are not counted.
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ strategy: 'sequential', partial: true, requests: 2, ok: 1, failed: 1 });
    expect(report.results[0]!.errors.aborted).toBe(1);
    expect(server.count('case=abort')).toBe(2);

    const before = server.stats.requests;
    const stopped = new AbortController();
    stopped.abort();
    const nothing = await benchmark(urls('aborted', 2), { signal: stopped.signal });
    expect(nothing).toMatchObject({ partial: true, results: [] });
    expect(server.stats.requests).toBe(before);
  });

  test('onProgress hears the stage, each strategy, and each finished request', async () => {
    const events: BenchmarkProgress[] = [];
    await benchmark(urls('progress', 3, '/ok'), { strategies: ['sequential', 'bounded'], concurrency: 2, onProgress: (e) => events.push(e) });
    expect(events[0]).toEqual({ type: 'stage', text: 'preparing' });
    // The round's order is shuffled; each strategy is told once, then each of its requests.
    const strategies = events.filter((e) => e.type === 'strategy').sort((a, b) => a.strategy.localeCompare(b.strategy));
    expect(strategies).toEqual([
      { type: 'strategy', strategy: 'bounded', concurrency: 2, requests: 3, round: 1, rounds: 1, warmup: false },
      { type: 'strategy', strategy: 'sequential', concurrency: 1, requests: 3, round: 1, rounds: 1, warmup: false },
    ]);
    const told = events.slice(1).map((e) => (e.type === 'strategy' ? `${e.strategy} starts` : e.type === 'request' ? `${e.strategy} ${e.done}/${e.requests}` : e.type));
    const order = told[0] === 'sequential starts' ? ['sequential', 'bounded'] : ['bounded', 'sequential'];
    expect(told).toEqual(order.flatMap((s) => [`${s} starts`, `${s} 1/3`, `${s} 2/3`, `${s} 3/3`]));
  });
});

test('a progress callback that throws stops the run, and benchmark() throws its error', async () => {
  const failure = new Error('the callback failed');
  const before = server.stats.requests;
  const thrown = await benchmark(urls('callback', 5, '/ok'), {
    strategies: ['sequential'],
    onProgress: (e) => {
      if (e.type === 'request' && e.done === 2) throw failure;
    },
  }).catch((err: unknown) => err);
  expect(thrown).toBe(failure);
  // Stopped where it threw: the third request was never sent.
  expect(server.stats.requests - before).toBe(2);
});

describe('the exporters', () => {
  test("each returns the CLI's string for the Report; the heading is told from the Report unless given", async () => {
    const report = await benchmark(urls('export', 3, '/ok'), { strategies: ['sequential', 'all'], details: true, seed: 3 });
    expect(JSON.parse(toJson(report))).toEqual(report);
    expect(toCsv(report).split('\n')[0]).toMatch(/^strategy,concurrency,/);
    expect(toMarkdown(report).split('\n')[0]).toBe('### async-bench: urls · live · 3 requests per strategy · seed 3 · 1 run');
    expect(toMarkdown(report, { heading: 'nightly' }).split('\n')[0]).toBe('### async-bench: nightly · seed 3 · 1 run');
    expect(toTable(report)).toMatch(/^urls · live · 3 requests per strategy\n/);
    expect(toTable(report)).toContain('Time taken');
    expect(toTable(report)).not.toMatch(/\u001b\[/);
    expect(toTable(report, { color: true })).toMatch(/\u001b\[/);
    // columns fits the table and its lines: it drops the columns that do not fit, and wraps.
    const widest = (text: string): number => maxOf(text.split('\n').map((l) => l.length));
    expect(widest(toTable(report))).toBeGreaterThan(70);
    expect(widest(toTable(report, { columns: 70 }))).toBeLessThanOrEqual(70);
    expect(toJunit(report)).toMatch(/^<\?xml/);
    expect(toHtml(report)).toMatch(/^<!DOCTYPE html>/i);
  });
});

test('every setting is a long option of the run command, and every run option but the printing ones is a setting', () => {
  const program = buildProgram('0.0.0', { run: async () => {}, serve: async () => {}, presets: async () => {}, export: async () => {}, tour: async () => {} });
  const attribute = (long: string): string => long.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const options = new Map(program.options.map((o) => [attribute(o.long!), o.long!]));
  const renamed: Record<string, string> = { strategies: 'strategy', files: 'file', headers: 'header', thresholds: 'threshold' };
  for (const name of SETTING_NAMES) expect(options.has(renamed[name] ?? name), name).toBe(true);
  const printing = ['version', 'json', 'format', 'output', 'waterfall', 'report', 'failOnError', 'color', 'quiet', 'wide'];
  const covered = new Set(SETTING_NAMES.map((name) => renamed[name] ?? name));
  expect([...options.keys()].filter((name) => !covered.has(name) && !printing.includes(name))).toEqual([]);
});
