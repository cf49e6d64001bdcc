/**
 * Hardening, end to end through the built CLI:
 *   - retries and politeness on the offline fixture server (--retries, --rate-limit, --rate);
 *   - Ctrl-C: the first SIGINT stops, prints partial results and exits 130 promptly; a second one
 *     exits at once; never a stack trace;
 *   - large lists: the one fan-out warning of `all` over 5,000, and a descriptor limit (the
 *     100,000-URL run is the bench's url-list-100k row);
 *   - bad input, exhaustively, is bad-input.test.ts (split off so that the two run side by side).
 * Every server runs on 127.0.0.1 and is started and stopped here. Time bounds are generous (the
 * machine is shared) except where the issue states a limit.
 *
 * What spawns the built CLI: every Ctrl-C test (signals); the large lists (the descriptor limit
 * is a ulimit; and thousands of connections are quicker with the client in a process of its own,
 * apart from the test server's); and the --rate-limit run with retries (five seconds of
 * Retry-After waits with little CPU: out of process it waits beside the others). The other runs
 * are the built CLI's main() in this process, one at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { ERROR_CLASSES, type ErrorClass, type StrategyName } from '../../src/core/types.js';
import { assertBuilt, BIN, cleanupCli, cliEnv, NODE_ARGS, describeRun, interruptOn, nthRequest, run, type InterruptTimes, type RunResult } from '../helpers/cli.js';
import { byStrategy, expectCleanStderr, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The JSON document as the product types it (its shape is checked by the schema on parse). */
type Doc = Report;

const STRATEGIES = ['sequential', 'all', 'bounded'] as const satisfies readonly StrategyName[];

let server: TestServer;
let tmp: string;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
  tmp = mkdtempSync(join(tmpdir(), 'async-bench-hardening-'));
});

afterAll(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  cleanupCli();
});

function expectAccounting(doc: Doc): void {
  for (const r of doc.results) {
    expect(r.ok + r.failed, r.strategy).toBe(r.requests);
    expect(ERROR_CLASSES.reduce((s, k) => s + r.errors[k], 0), r.strategy).toBe(r.failed);
  }
}

/** A --json run, in this process unless `spawn` (then killed after `killAfterMs`, a hang guard). */
async function runJson(args: string[], spawn?: { killAfterMs: number }): Promise<{ result: RunResult; doc: Doc }> {
  const full = [...args, '--json', '-q'];
  const result = spawn ? await run(full, spawn) : await runBuiltInProcess(full);
  expect(result.code, describeRun(result)).toBe(0);
  expectCleanStderr(result);
  const doc = parseJsonReport<Doc>(result);
  expectAccounting(doc);
  return { result, doc };
}

/** Runs any command (for a shell that sets a limit first), collecting what the CLI helper would. */
function runRaw(command: string, args: string[], killAfterMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: tmp, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('error', (err) => {
      clearTimeout(killer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

// -----------------------------------------------------------------------------------------------

describe.concurrent('retries and politeness on the offline fixture server', () => {
  test('--error-rate 0.3 --retries 3 ends with more ok than without; attempts and added time are reported apart from first-try latency', async () => {
    // JSONPlaceholder's small bodies here and below: what is counted is requests, not bytes.
    const base = ['jsonplaceholder', '--offline', '--latency', '0', '-n', '40', '--error-rate', '0.3', '--seed', '8', '-c', '5'];
    const [plain, retried] = await Promise.all([runJson(base), runJson([...base, '--retries', '3'])]);
    expect(plain.doc.config.retries).toBe(0);
    expect(retried.doc.config.retries).toBe(3);
    for (const strategy of STRATEGIES) {
      const without = byStrategy(plain.doc, strategy);
      const with3 = byStrategy(retried.doc, strategy);
      // The seed makes the same first attempts fail in both runs.
      expect(without.failed, strategy).toBeGreaterThan(0);
      expect(without.errors.http5xx).toBe(without.failed);
      expect(without.retries).toMatchObject({ attempts: 40, retried: 0, addedMs: 0 });
      expect(with3.ok, strategy).toBeGreaterThan(without.ok);
      expect(with3.requests).toBe(40);
      // Every first-try failure was retried; each retry is one more attempt.
      expect(with3.retries.retried, strategy).toBe(without.failed);
      expect(with3.retries.attempts).toBeGreaterThan(40);
      expect(with3.retries.attempts).toBeLessThanOrEqual(40 + 3 * with3.retries.retried);
      expect(with3.retries.addedMs).toBeGreaterThan(0);
      // First-try latency stays the server's (no delay): the waits are not in it. Compared within
      // the run (an absolute bound of 200 ms failed under load), with a loose absolute cap.
      expect(with3.retries.firstTryMs.p50).toBeLessThanOrEqual(with3.latencyMs.p50);
      expect(with3.retries.firstTryMs.p50).toBeLessThan(5_000);
    }
  }, 90_000);

  test('--rate-limit 10/s --retries 4 recovers the 429s, honouring Retry-After', async () => {
    const base = ['jsonplaceholder', '--offline', '--latency', '0', '-n', '20', '--rate-limit', '10/s', '--seed', '7', '-c', '5'];
    const [plain, retried] = await Promise.all([runJson(base), runJson([...base, '--retries', '4'], { killAfterMs: 90_000 })]);
    // Without retries the server's limit shows as 429s.
    const refused = plain.doc.results.reduce((s, r) => s + (r.statusCodes['429'] ?? 0), 0);
    expect(refused).toBeGreaterThan(0);
    expect(plain.doc.results.reduce((s, r) => s + r.errors.http4xx, 0)).toBe(refused);
    for (const strategy of STRATEGIES) {
      const r = byStrategy(retried.doc, strategy);
      expect(r.ok, `${strategy}: ${JSON.stringify(r)}`).toBe(20);
      expect(r.statusCodes).toEqual({ 200: 20 });
      if (r.retries.retried > 0) {
        // The server says Retry-After: 1 (second); every retried request waited at least that once.
        expect(r.retries.addedMs, strategy).toBeGreaterThanOrEqual(r.retries.retried * 990);
        expect(r.latencyMs.max).toBeGreaterThanOrEqual(990);
      }
    }
    // The limit bites somewhere: all and bounded outrun 10/s.
    expect(retried.doc.results.reduce((s, r) => s + r.retries.retried, 0)).toBeGreaterThan(0);
  }, 120_000);

  test('--rate 20/s -n 20: every strategy takes about a second; the wait is queueing, not latency', async () => {
    const { doc } = await runJson(['jsonplaceholder', '--offline', '--latency', '0', '-n', '20', '--rate', '20/s', '--seed', '7', '-c', '5']);
    expect(doc.config.ratePerSec).toBe(20);
    for (const strategy of STRATEGIES) {
      const r = byStrategy(doc, strategy);
      expect(r.ok, strategy).toBe(20);
      // 20 sends 50 ms apart: the last goes out at 950 ms.
      expect(r.wallMs, strategy).toBeGreaterThanOrEqual(900);
      expect(r.wallMs, strategy).toBeLessThan(5_000); // loose: five times the 950 ms expected
      // The server answers at once: the wait for a turn is not in the latency. Were it in, the
      // slowest requests would show most of the wall time (the last turn comes at 950 ms).
      expect(r.latencyMs.p95, strategy).toBeLessThan(r.wallMs / 2);
    }
    const bounded = byStrategy(doc, 'bounded');
    expect(bounded.queueWaitMs).not.toBeNull();
    expect(bounded.queueWaitMs!.max).toBeGreaterThanOrEqual(850);
    expect(bounded.queueWaitMs!.max).toBeLessThan(5_000);
    expect(bounded.queueWaitMs!.p50).toBeGreaterThan(300);
  }, 60_000);
});

// -----------------------------------------------------------------------------------------------

/** Ctrl-C within this of the signal, at the latest: loose (the contract's promptness is a bench row). */
const EXIT_AFTER_SIGINT_MS = 10_000;

/**
 * Sends SIGINT once the test server has seen `n` requests whose path contains `part`: what is in
 * flight when the signal comes is known, and no delay is guessed.
 */
function interruptWhenServerSees(part: string, n: number, then?: (child: ChildProcess) => void): { onSpawn: (child: ChildProcess) => void; times: InterruptTimes } {
  const times: InterruptTimes = { sentAt: Number.NaN, exitAt: Number.NaN };
  return {
    times,
    onSpawn(child) {
      child.once('exit', () => (times.exitAt = performance.now()));
      void server.waitFor(part, n).then(() => {
        if (child.exitCode !== null || child.signalCode !== null) return; // ended on its own: the test says so
        times.sentAt = performance.now();
        child.kill('SIGINT');
        then?.(child);
      });
    },
  };
}

/** Runs the CLI and sends SIGINT at the first probe event `when` accepts (see cli-probe.mjs). */
async function runInterruptedOn(args: string[], when: (event: string) => boolean): Promise<{ result: RunResult; times: InterruptTimes }> {
  const { onProbe, times } = interruptOn(when);
  const result = await run(args, { onProbe, killAfterMs: 30_000 });
  return { result, times };
}

function expectExitSoonAfterSigint(times: InterruptTimes, context: string): void {
  expect(times.sentAt, `SIGINT was never sent\n${context}`).not.toBeNaN();
  expect(times.exitAt - times.sentAt, context).toBeLessThanOrEqual(EXIT_AFTER_SIGINT_MS);
}

describe.concurrent('Ctrl-C', () => {
  /** One /ok, then four requests that hang: what is in flight when the signal comes is known. */
  const urls = (tag: string): string[] => [`${server.url}/ok?tag=${tag}`, ...[1, 2, 3, 4].map((i) => `${server.url}/hang?tag=${tag}&i=${i}`)];
  const expectations: Record<(typeof STRATEGIES)[number] | 'workers', { hangsInFlight: number; requests: number }> = {
    sequential: { hangsInFlight: 1, requests: 2 }, // /ok done, one /hang cut off, three never started
    all: { hangsInFlight: 4, requests: 5 },
    bounded: { hangsInFlight: 2, requests: 3 }, // -c 2
    workers: { hangsInFlight: 2, requests: 3 }, // -c 2: two threads of one each, sharing one queue
  };

  test.each([...STRATEGIES, 'workers'] as const)('%s: the first SIGINT aborts what is in flight, prints valid partial JSON and exits 130', async (strategy) => {
    const tag = `sigint-json-${strategy}`;
    const { hangsInFlight, requests } = expectations[strategy];
    const { onSpawn, times } = interruptWhenServerSees(`/hang?tag=${tag}`, hangsInFlight);
    const result = await run([...urls(tag), '-s', strategy, '-c', '2', '--timeout', '30000', '--json'], { onSpawn, killAfterMs: 30_000 });
    const context = describeRun(result);
    expect(result.code, context).toBe(130);
    expectExitSoonAfterSigint(times, context);
    expectCleanStderr(result);
    const doc = parseJsonReport<Doc>(result);
    expectAccounting(doc);
    expect(doc.partial).toBe(true);
    expect(doc.results).toHaveLength(1);
    const r = doc.results[0]!;
    expect(r).toMatchObject({ strategy, partial: true, requests, ok: 1, failed: hangsInFlight });
    expect(r.errors.aborted).toBe(hangsInFlight);
    // Requests never started were never sent either.
    expect(server.count(`tag=${tag}`)).toBe(requests);
  }, 40_000);

  test('with the table output, the interrupted strategy is marked partial, exit 130', async () => {
    const tag = 'sigint-table';
    const { onSpawn, times } = interruptWhenServerSees(`/hang?tag=${tag}`, 2);
    const result = await run([...urls(tag), '-s', 'bounded', '-c', '2', '--no-color'], { onSpawn, killAfterMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(130);
    expectExitSoonAfterSigint(times, describeRun(result));
    expect(result.stdout).toMatch(/bounded[^\n]*\(partial\)/);
    expectCleanStderr(result);
  }, 40_000);

  test('mid-flight in an offline run (--latency 5000): exit 130 soon after the signal, partial JSON', async () => {
    // The signal goes out once the CLI has sent its first request to the fixture server, whose
    // answer takes 5 s: the request is in flight.
    const { result, times } = await runInterruptedOn(['pokemon', '--offline', '--latency', '5000', '-n', '10', '--seed', '1', '-s', 'sequential', '--json'], nthRequest('/api/v2/pokemon/'));
    expect(result.code, describeRun(result)).toBe(130);
    expectExitSoonAfterSigint(times, describeRun(result));
    expectCleanStderr(result);
    const doc = parseJsonReport<Doc>(result);
    expectAccounting(doc);
    expect(doc.partial).toBe(true);
    expect(doc.results.length).toBeGreaterThan(0);
    for (const r of doc.results) expect(r.partial).toBe(true);
    expect(doc.results[0]!.errors.aborted).toBe(1);
  }, 40_000);

  test.each([
    // --rate 2/s: the second request goes out 500 ms after the first; the signal comes as it does.
    ['a --rate wait', ['pokemon', '--offline', '--latency', '0', '-n', '20', '--rate', '2/s', '-s', 'sequential'], 2],
    // The server's bucket holds 2: the third request is refused (429, Retry-After: 1) and waits to retry.
    ['a retry backoff', ['pokemon', '--offline', '--latency', '0', '-n', '20', '--rate-limit', '2/s', '--retries', '5', '-s', 'sequential'], 3],
  ] as const)('during %s: exit 130 soon after the signal, requests never sent are not counted', async (_label, args, nth) => {
    const { result, times } = await runInterruptedOn([...args, '--seed', '3', '--json'], nthRequest('/api/v2/pokemon/', nth));
    expect(result.code, describeRun(result)).toBe(130);
    expectExitSoonAfterSigint(times, describeRun(result));
    expectCleanStderr(result);
    const doc = parseJsonReport<Doc>(result);
    expectAccounting(doc);
    expect(doc.partial).toBe(true);
    const r = byStrategy(doc, 'sequential');
    expect(r.partial).toBe(true);
    expect(r.requests).toBeGreaterThan(0);
    expect(r.requests).toBeLessThan(20);
    // At most the one request waiting or in flight is cut off.
    expect(r.errors.aborted).toBeLessThanOrEqual(1);
  }, 40_000);

  test("during tmdb's setup stage: exit 130, partial JSON counting the stage's request as aborted, and no claim that the stage found nothing", async () => {
    const { result, times } = await runInterruptedOn(['tmdb', '--offline', '--latency', '5000', '-n', '40', '--seed', '1', '--json'], nthRequest('/3/movie/now_playing'));
    expect(result.code, describeRun(result)).toBe(130);
    expectExitSoonAfterSigint(times, describeRun(result));
    expectCleanStderr(result);
    const doc = parseJsonReport<Doc & { setup?: { requests: number; failed: number; errors: Record<ErrorClass, number> } }>(result);
    expect(doc.partial).toBe(true);
    expect(doc.results).toEqual([]);
    expect(doc.setup).toMatchObject({ requests: 1, failed: 1 });
    expect(doc.setup!.errors.aborted).toBe(1);
    // The user interrupted the stage; it did not come back empty. Saying so would mislead.
    expect(result.stderr, describeRun(result)).not.toMatch(/found nothing to fetch/);
  }, 40_000);

  test.each([
    ['JSON', ['--json']],
    ['table', ['--no-color']],
  ])('a second SIGINT: still exit 130 (the contract), no stack trace, whole output (%s)', async (_label, output) => {
    const tag = `sigint-twice-${output[0]}`;
    // The second Ctrl-C comes once the first has cut off the four hanging requests at the server.
    const { onSpawn, times } = interruptWhenServerSees(`/hang?tag=${tag}`, 4, (child) => {
      void server.idle().then(() => child.kill('SIGINT'));
    });
    const result = await run([...urls(tag), '-s', 'all', ...output], { onSpawn, killAfterMs: 30_000 });
    const context = describeRun(result);
    expect(result.signal, context).toBeNull();
    expect(result.code, context).toBe(130);
    expectExitSoonAfterSigint(times, context);
    expectCleanStderr(result);
    // Whatever was printed is whole: no half a JSON document.
    if (output[0] === '--json' && result.stdout !== '') parseJsonReport<Doc>(result);
  }, 40_000);
});

// -----------------------------------------------------------------------------------------------

describe('large URL lists', () => {
  /** Just over the 5,000 URLs above which `all` warns: as large as the lists need to be. */
  const OVER = 5_001;
  // The 100,000-line --file run is a bench row (npm run bench -- --quick: url-list-100k): its
  // figure is printed there, and every request must still succeed. Where the warning starts
  // (above 5,000, and only with all) is a unit test of fanOutWarning.

  test('-s all over 5,000 URLs with only 300 file descriptors: the one fan-out warning, the refusals classified, not a crash, valid JSON; bounded, run next, still succeeds', async () => {
    const path = join(tmp, 'urls-over-5k-fd.txt');
    writeFileSync(path, Array.from({ length: OVER }, (_, i) => `${server.url}/ok?fd=${i}`).join('\n') + '\n');
    const before = server.log.length;
    // One run (there were four: repeating it is a soak, not more coverage).
    // The shell lowers the limit for the CLI alone, then becomes it (exec).
    const result = await runRaw('/bin/sh', ['-c', 'ulimit -n 300 && exec "$0" "$@"', process.execPath, ...NODE_ARGS, BIN, '--file', path, '-s', 'all,bounded', '-c', '50', '--json', '-q'], 60_000);
    const context = describeRun(result);
    expect(result.code, context).toBe(0);
    expect(result.stderr.split('\n').filter(Boolean), context).toEqual([expect.stringMatching(/^warning: all starts 5,001 requests at once/)]);
    const doc = parseJsonReport<Doc>(result);
    expectAccounting(doc);
    const all = byStrategy(doc, 'all');
    expect(all.requests).toBe(OVER);
    expect(all.failed, 'the descriptor limit should have refused some connections').toBeGreaterThan(0);
    // A fresh pool for bounded: the descriptors all's pool held are back by the time it starts.
    const bounded = byStrategy(doc, 'bounded');
    expect(bounded.requests, context).toBe(OVER);
    expect(bounded.ok, `${context}\nbounded: ${JSON.stringify({ errors: bounded.errors })}`).toBe(OVER);
    server.log.splice(before);
  }, 120_000);
});
