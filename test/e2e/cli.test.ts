/**
 * End to end: the built CLI as a user or a CI job runs it (CI=1, pipes, no TTY). Offline presets
 * run against the built-in fixture server; URL lists against a loopback test server. Timings are
 * only ever compared between strategies of one run, with generous ratios.
 *
 * Most runs call the built CLI's main() in this process (runBuiltInProcess: the same parse, run
 * and output, one run at a time, without a process each). These spawn bin/async-bench.js: the
 * contract and timing run (the real process, its run compared in a process of its own), every
 * Ctrl-C (a signal), standard input (--file -), a closed stdout (| head), and --version.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ANSI, PACKAGE_VERSION, assertBuilt, cleanupCli, describeRun, interruptOn, nthRequest, run, type RunResult } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { expectOk, expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';

// ---------------------------------------------------------------------------------------------
// The JSON document as the contract describes it (schemaVersion 1), written out here on purpose:
// the test checks the contract, not whatever the source's types say today.

const ERROR_CLASSES = ['timeout', 'connect', 'dns', 'reset', 'tls', 'http4xx', 'http5xx', 'aborted', 'protocol', 'fd-limit', 'other'] as const;
type ErrorClass = (typeof ERROR_CLASSES)[number];
const LATENCY_KEYS = ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'] as const;

interface ContractResult {
  strategy: 'sequential' | 'all' | 'bounded';
  concurrency: number | null;
  wallMs: number;
  requests: number;
  ok: number;
  failed: number;
  reqPerSec: number;
  latencyMs: Record<(typeof LATENCY_KEYS)[number], number>;
  bytes: number;
  maxInFlight: number;
  errors: Record<ErrorClass, number>;
  speedup: number | null;
  partial?: boolean;
}

interface ContractReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  startedAt: string;
  environment: { node: string; platform: string; arch: string; cpus: number };
  config: {
    target: string;
    count: number;
    concurrency: number[];
    strategies: string[];
    timeoutMs: number;
    offline: boolean;
    latency: string | null;
    seed: number;
  };
  results: ContractResult[];
  partial?: boolean;
}

function resultAt(report: ContractReport, index: number): ContractResult {
  const result = report.results[index];
  if (!result) throw new Error(`no result #${index} in ${JSON.stringify(report.results.map((r) => r.strategy))}`);
  return result;
}

/** The invariants every document must keep, whatever the run. */
function expectContractInvariants(report: ContractReport): void {
  expect(report.schemaVersion).toBe(1);
  expect(report.tool).toEqual({ name: 'async-bench', version: PACKAGE_VERSION });
  expect(new Date(report.startedAt).toISOString()).toBe(report.startedAt);
  expect(report.environment.node).toBe(process.version);
  expect(report.environment.platform).toBe(process.platform);
  expect(report.environment.arch).toBe(process.arch);
  expect(Number.isInteger(report.environment.cpus) && report.environment.cpus >= 1).toBe(true);
  const sequential = report.results.find((r) => r.strategy === 'sequential' && !r.partial);
  for (const r of report.results) {
    const where = `${r.strategy}(${String(r.concurrency)})`;
    expect(r.requests, where).toBe(r.ok + r.failed);
    expect(Object.keys(r.errors).sort(), where).toEqual([...ERROR_CLASSES].sort());
    expect(ERROR_CLASSES.reduce((sum, c) => sum + r.errors[c], 0), where).toBe(r.failed);
    expect(Object.keys(r.latencyMs).sort(), where).toEqual([...LATENCY_KEYS].sort());
    expect(r.wallMs, where).toBeGreaterThanOrEqual(0);
    expect(r.bytes, where).toBeGreaterThanOrEqual(0);
    expect(r.maxInFlight, where).toBeLessThanOrEqual(Math.max(r.requests, 0));
    // reqPerSec comes from the unrounded wall time, which is up to 0.0005 ms off the printed one:
    // relatively most when a run takes under a millisecond (a name refused at once).
    if (r.wallMs > 0) expect(Math.abs(r.reqPerSec - (r.requests * 1000) / r.wallMs), where).toBeLessThanOrEqual(0.01 + r.reqPerSec * (1e-3 + 0.0005 / r.wallMs));
    if (r.strategy === 'sequential') expect(r.concurrency, where).toBe(1);
    if (r.strategy === 'all') expect(r.concurrency, where).toBeNull();
    if (!sequential) {
      expect(r.speedup, where).toBeNull();
    } else if (r.strategy === 'sequential' && r === sequential) {
      expect(r.speedup, where).toBe(1);
    } else if (r.wallMs > 0) {
      // Within rounding: both wall times and the ratio are rounded to 3 decimals.
      const expected = sequential.wallMs / r.wallMs;
      // Each wall time is off by up to 0.0005 ms, which moves the ratio most when a wall is short.
      const tolerance = 0.002 + expected * (0.0005 / r.wallMs + 0.0005 / sequential.wallMs + 1e-4);
      expect(Math.abs((r.speedup ?? Number.NaN) - expected), where).toBeLessThanOrEqual(tolerance);
    }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Time per test, queueing for one of the two CLI slots included: generous, because other work
 * may share the two cores. No test asserts on it; a slow machine must not fail the suite.
 */
const SPAWN_OPTIONS = { timeout: 60_000 };

let tmp: string;

beforeAll(() => {
  assertBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'async-bench-e2e-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  cleanupCli();
});

function tmpFile(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** A loopback server per test, closed by the test's end. */
const servers: TestServer[] = [];
async function loopback(): Promise<TestServer> {
  const server = await startTestServer();
  servers.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * The paths of the last `count` requests the server received: what the strategies fetched.
 * Before the strategies the CLI may send one untimed warm-up request to the first URL
 * (run-command.ts, primeClient); it belongs to no strategy, so at most one extra is allowed.
 */
function strategyPaths(server: TestServer, count: number): string[] {
  const paths = server.stats.log.map((r) => r.path);
  expect(paths.length, JSON.stringify(paths)).toBeGreaterThanOrEqual(count);
  expect(paths.length, JSON.stringify(paths)).toBeLessThanOrEqual(count + 1);
  if (paths.length === count + 1) expect(paths[0], 'the warm-up request goes to the first URL').toBe(paths[paths.length - count]);
  return paths.slice(-count);
}

describe.concurrent('offline presets', SPAWN_OPTIONS, () => {
  /**
   * The headline run, spawned: the contract's document and the strategies' timings, read by the
   * two tests below. 100 ms per request, so that the speedups stand out from any start-up cost.
   */
  let contractRun: Promise<RunResult> | undefined;
  const contract = (): Promise<RunResult> => (contractRun ??= run(['pokemon', '--offline', '--count', '20', '--latency', '100', '--seed', '7', '--json']));

  test('pokemon --offline --json keeps the contract', async ({ expect }) => {
    const result = await contract();
    expectOk(result);
    expect(result.stderr, 'no progress on stderr under CI').toBe('');
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    // toMatchObject: options may add fields to the document, never change these.
    expect(report.config).toMatchObject({
      target: 'pokemon',
      count: 20,
      concurrency: [5],
      strategies: ['sequential', 'all', 'bounded'],
      timeoutMs: 10000,
      offline: true,
      latency: '100',
      seed: 7,
    });
    expect(report.partial).toBeUndefined();
    expect(report.results.map((r) => [r.strategy, r.concurrency])).toEqual([
      ['sequential', 1],
      ['all', null],
      ['bounded', 5],
    ]);
    for (const r of report.results) {
      expect(r.requests).toBe(20);
      expect(r.ok).toBe(20);
      expect(r.failed).toBe(0);
      expect(r.bytes).toBeGreaterThan(20 * 100);
      expect(r.partial).toBeUndefined();
      // Every request waited for the 100 ms delay.
      expect(r.latencyMs.min).toBeGreaterThanOrEqual(90);
      expect(r.latencyMs.min).toBeLessThanOrEqual(r.latencyMs.p50);
      expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.max);
    }
    // Same URLs (same seed) for each strategy: the same bytes.
    expect(new Set(report.results.map((r) => r.bytes)).size).toBe(1);
    expect(report.results.map((r) => r.maxInFlight)).toEqual([1, 20, 5]);
    // Keep-alive sockets are reused: the pool opens as many connections as the strategy's limit.
    expect(report.results.map((r) => (r as ContractResult & { pool: { opened: number } }).pool.opened)).toEqual([1, 20, 5]);
    expect(resultAt(report, 0).speedup).toBe(1);
  });

  test('all and bounded beat sequential on a fixed-delay server (C=5 by default)', async ({ expect }) => {
    const result = await contract();
    expectOk(result);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    const [sequential, all, bounded] = [resultAt(report, 0), resultAt(report, 1), resultAt(report, 2)];
    expect(sequential.failed + all.failed + bounded.failed).toBe(0);
    // Ideal: 20x and 4x. Generous floors; compared within the one run.
    expect(all.speedup, JSON.stringify(report.results)).toBeGreaterThan(4);
    expect(bounded.speedup, JSON.stringify(report.results)).toBeGreaterThan(2.5);
    expect(all.wallMs).toBeLessThan(bounded.wallMs);
    // Sequential pays the delay 20 times.
    expect(sequential.wallMs).toBeGreaterThanOrEqual(20 * 100 * 0.9);
  });

  test('the same --seed fetches the same Pokémon; another seed others', async ({ expect }) => {
    const args = (seed: string): string[] => ['pokemon', '--offline', '--count', '5', '--latency', '0', '--seed', seed, '--no-color'];
    const [a, b, c] = [await runBuiltInProcess(args('42')), await runBuiltInProcess(args('42')), await runBuiltInProcess(args('43'))];
    const sample = (r: RunResult): string => {
      expectOk(r);
      const line = r.stdout.split('\n').find((l) => l.startsWith('Pokémon: '));
      if (!line) throw new Error(`no sample line\n${describeRun(r)}`);
      return line;
    };
    expect(sample(a)).toMatch(/^Pokémon: #\d+ [a-z-]+(, #\d+ [a-z-]+){4}$/);
    expect(sample(b)).toBe(sample(a));
    expect(sample(c)).not.toBe(sample(a));
    expect(a.stdout).toMatch(/seed 42/);
  });

  test('the default output is the table with a verdict per concurrent strategy', async ({ expect }) => {
    const result = await runBuiltInProcess(['pokemon', '--offline', '--count', '10', '--latency', '100', '--seed', '5']);
    expectOk(result);
    const { stdout } = result;
    expect(stdout).toContain('Time taken');
    expect(stdout).toMatch(/pokemon · offline \(100 ms\) · 10 requests per strategy · seed 5/);
    for (const label of ['sequential', 'all (Promise.all)', 'bounded (C=5)']) expect(stdout).toContain(label);
    expect(stdout).toMatch(/^all: \d+\.\d\dx faster than sequential/m);
    expect(stdout).toMatch(/^bounded \(C=5\): \d+\.\d\dx faster than sequential/m);
    expect(stdout).toMatch(/^Pokémon: /m);
    expect(stdout, 'not a TTY: no colour').not.toMatch(ANSI);
    expect(result.stderr).toBe('');
  });

  test('FORCE_COLOR colours the table; --no-color and NO_COLOR remove every ANSI escape', async ({ expect }) => {
    // The small posts of jsonplaceholder: the colours are the table's, whatever the target.
    const args = ['jsonplaceholder', '--offline', '--count', '3', '--latency', '0', '--seed', '1'];
    const forced = await runBuiltInProcess(args, { env: { FORCE_COLOR: '1' } });
    const noColorFlag = await runBuiltInProcess([...args, '--no-color'], { env: { FORCE_COLOR: '1' } });
    const noColorEnv = await runBuiltInProcess(args, { env: { NO_COLOR: '1' } });
    const noColorJson = await runBuiltInProcess([...args, '--json', '--no-color'], { env: { NO_COLOR: '1' } });
    for (const r of [forced, noColorFlag, noColorEnv, noColorJson]) expectOk(r);
    expect(forced.stdout, 'FORCE_COLOR=1 should colour (and proves the check can see escapes)').toMatch(ANSI);
    expect(noColorFlag.stdout + noColorFlag.stderr).not.toMatch(ANSI);
    expect(noColorEnv.stdout + noColorEnv.stderr).not.toMatch(ANSI);
    expect(noColorJson.stdout).not.toMatch(ANSI);
    expect(noColorFlag.stdout).toContain('Time taken');
  });

  test('jsonplaceholder --offline works, as a table and as JSON', async ({ expect }) => {
    const table = await runBuiltInProcess(['jsonplaceholder', '--offline', '--count', '6', '--latency', '0', '--seed', '3']);
    const json = await runBuiltInProcess(['jsonplaceholder', '--offline', '--count', '6', '--latency', '0-20', '--seed', '3', '--json']);
    expectOk(table);
    expect(table.stdout).toMatch(/jsonplaceholder · offline \(0 ms\) · 6 requests per strategy · seed 3/);
    expect(table.stdout).toMatch(/^Posts: "[^"]+"/m);
    expectOk(json);
    const report = parseJsonReport<ContractReport>(json);
    expectContractInvariants(report);
    expect(report.config).toMatchObject({ target: 'jsonplaceholder', count: 6, offline: true, latency: '0-20', seed: 3 });
    expect(report.results.map((r) => r.ok)).toEqual([6, 6, 6]);
  });

  test('tmdb --offline works without an API key', async ({ expect }) => {
    const result = await runBuiltInProcess(['tmdb', '--offline', '--count', '4', '--latency', '0', '--seed', '2', '--json']);
    expectOk(result);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    expect(report.config).toMatchObject({ target: 'tmdb', count: 4, offline: true, latency: '0', seed: 2 });
    expect(report.results.map((r) => [r.requests, r.ok])).toEqual([
      [4, 4],
      [4, 4],
      [4, 4],
    ]);
  });

  test('no progress on stderr when it is not a terminal, even without CI', async ({ expect }) => {
    // In process, stderr is this test process's: a pipe to the test runner.
    expect(process.stderr.isTTY, 'the premise: stderr is no terminal').not.toBe(true);
    const result = await runBuiltInProcess(['jsonplaceholder', '--offline', '--count', '3', '--latency', '0'], { env: { CI: undefined } });
    expectOk(result);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Time taken');
  });

  test('--strategy picks strategies, -c runs a sweep, and speedup is null without sequential', async ({ expect }) => {
    const result = await runBuiltInProcess(['pokemon', '--offline', '--latency', '20', '-n', '6', '-s', 'bounded,all', '-c', '1,3', '--json']);
    expectOk(result);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    expect(report.config.strategies).toEqual(['all', 'bounded']);
    expect(report.config.concurrency).toEqual([1, 3]);
    expect(report.results.map((r) => [r.strategy, r.concurrency, r.maxInFlight, r.speedup])).toEqual([
      ['all', null, 6, null],
      ['bounded', 1, 1, null],
      ['bounded', 3, 3, null],
    ]);
  });
});

describe.concurrent('URL lists against a loopback server', SPAWN_OPTIONS, () => {
  test('URL arguments and --file are used together, in order; blank and # lines are skipped', async ({ expect }) => {
    const server = await loopback();
    const file = tmpFile(
      'urls.txt',
      [`# a comment`, '', `${server.url}/ok?n=3`, '   ', `  # indented comment`, `${server.url}/ok?n=4`, ''].join('\n'),
    );
    const result = await runBuiltInProcess([`${server.url}/ok?n=1`, `${server.url}/ok?n=2`, '--file', file, '-s', 'sequential', '--json']);
    expectOk(result);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    expect(report.config.target).toBe('urls');
    expect(report.config.count).toBe(4);
    expect(report.config.offline).toBe(false);
    expect(report.config.latency).toBeNull();
    expect(report.results).toHaveLength(1);
    expect(resultAt(report, 0)).toMatchObject({ strategy: 'sequential', requests: 4, ok: 4, failed: 0, bytes: 8 });
    expect(strategyPaths(server, 4)).toEqual(['/ok?n=1', '/ok?n=2', '/ok?n=3', '/ok?n=4']);
  });

  test('--file - reads URLs from standard input, after the argument URLs', async ({ expect }) => {
    const server = await loopback();
    const stdin = `# from stdin\n${server.url}/ok?n=2\n\n${server.url}/ok?n=3\r\n`;
    const result = await run([`${server.url}/ok?n=1`, '--file', '-', '-s', 'sequential', '--json'], { stdin });
    expectOk(result);
    const report = parseJsonReport<ContractReport>(result);
    expect(resultAt(report, 0)).toMatchObject({ requests: 3, ok: 3 });
    expect(strategyPaths(server, 3)).toEqual(['/ok?n=1', '/ok?n=2', '/ok?n=3']);
  });

  test('every strategy fetches the whole list; the server sees the measured peak of requests in flight', async ({ expect }) => {
    const server = await loopback();
    const urls = Array.from({ length: 10 }, (_, i) => `${server.url}/delay/150?i=${i}`);
    const bounded = await runBuiltInProcess([...urls, '-s', 'bounded', '-c', '3', '--json']);
    expectOk(bounded);
    expect(resultAt(parseJsonReport<ContractReport>(bounded), 0)).toMatchObject({ strategy: 'bounded', concurrency: 3, requests: 10, ok: 10, maxInFlight: 3 });
    expect(strategyPaths(server, 10).sort()).toEqual(urls.map((u) => u.slice(server.url.length)).sort());
    expect(server.stats.peakConcurrent).toBe(3);
    server.reset();
    const all = await runBuiltInProcess([...urls, '-s', 'all', '--json']);
    expectOk(all);
    expect(resultAt(parseJsonReport<ContractReport>(all), 0)).toMatchObject({ strategy: 'all', concurrency: null, requests: 10, ok: 10, maxInFlight: 10 });
    expect(server.stats.peakConcurrent).toBe(10);
  });

  test('-H headers reach the server; secret header values are never printed', async ({ expect }) => {
    const server = await loopback();
    const secret = 'Bearer sekrit-token-4711';
    const args = [`${server.url}/echo`, '-H', 'X-Trace: abc', '-H', `Authorization: ${secret}`, '-s', 'sequential'];
    const [table, json] = [await runBuiltInProcess(args), await runBuiltInProcess([...args, '--json'])];
    for (const r of [table, json]) {
      expectOk(r);
      expect(r.stdout + r.stderr).not.toContain('sekrit-token-4711');
    }
    expect(server.stats.log.length).toBeGreaterThanOrEqual(2);
    for (const request of server.stats.log) {
      expect(request.headers['x-trace']).toBe('abc');
      expect(request.headers.authorization).toBe(secret);
    }
  });

  test('--fail-on-error exits 1 when a URL returns 500, 0 without the flag; JSON counts it as http5xx', async ({ expect }) => {
    const server = await loopback();
    const urls = [`${server.url}/ok`, `${server.url}/status/500`];
    const [plain, failing] = [await runBuiltInProcess([...urls, '--no-color']), await runBuiltInProcess([...urls, '--fail-on-error', '--no-color'])];
    expect(plain.code, describeRun(plain)).toBe(0);
    expect(plain.stdout).toContain('Time taken');
    expect(failing.code, describeRun(failing)).toBe(1);
    expect(failing.stdout, 'the results are still printed').toContain('Time taken');
    expect(failing.stderr).toMatch(/fail-on-error/);

    const json = await runBuiltInProcess([...urls, '--fail-on-error', '--json']);
    expect(json.code, describeRun(json)).toBe(1);
    const report = parseJsonReport<ContractReport>(json);
    expectContractInvariants(report);
    expect(report.results).toHaveLength(3);
    for (const r of report.results) {
      expect(r).toMatchObject({ requests: 2, ok: 1, failed: 1 });
      expect(r.errors.http5xx).toBe(1);
    }
  });

  test('latency excludes the wait for a semaphore slot', async ({ expect }) => {
    const server = await loopback();
    const urls = Array.from({ length: 10 }, (_, i) => `${server.url}/delay/100?i=${i}`);
    const result = await runBuiltInProcess([...urls, '-s', 'all,bounded', '-c', '1', '--json']);
    expectOk(result);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    const all = resultAt(report, 0);
    const bounded = resultAt(report, 1);
    expect(bounded).toMatchObject({ strategy: 'bounded', concurrency: 1, ok: 10, maxInFlight: 1 });
    // Ten 100 ms requests one at a time: about 1 s of wall time, yet each request's own
    // latency is about 100 ms; the last one waited about 900 ms for its slot, which is not latency.
    expect(bounded.wallMs).toBeGreaterThanOrEqual(950);
    expect(bounded.latencyMs.max, JSON.stringify(bounded.latencyMs)).toBeLessThan(bounded.wallMs / 2);
    expect(bounded.latencyMs.min).toBeGreaterThanOrEqual(95);
    expect(all.latencyMs.min).toBeGreaterThanOrEqual(95);
  });

  test('a request past --timeout counts as a timeout, not a crash', async ({ expect }) => {
    const server = await loopback();
    const result = await runBuiltInProcess([`${server.url}/hang`, `${server.url}/ok`, '--timeout', '300', '-s', 'sequential', '--json']);
    expectOk(result);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    expect(resultAt(report, 0)).toMatchObject({ requests: 2, ok: 1, failed: 1 });
    expect(resultAt(report, 0).errors.timeout).toBe(1);
    expect(report.config.timeoutMs).toBe(300);
  });
});

describe('Ctrl-C (SIGINT)', SPAWN_OPTIONS, () => {
  // Each signal goes out at a known point of the run (a request the server or the CLI's probe
  // saw, or the moment the CLI listens for SIGINT), never after a guessed delay.
  test('while still reading --file - (before any request): the Ctrl-C is kept, and the run ends 130 with partial JSON', async () => {
    const server = await loopback();
    const result = await run(['--file', '-', '--json'], {
      holdStdin: true,
      // The CLI handles Ctrl-C from here on and still waits for its URL list: interrupt it
      // there, then let the list arrive.
      onProbe: interruptOn((event) => event === 'sigint-listener', { then: (child) => child.stdin?.end(`${server.url}/ok\n`) }).onProbe,
      killAfterMs: 30_000,
    });
    expect(result.code, describeRun(result)).toBe(130);
    const report = parseJsonReport<ContractReport>(result);
    expect(report.partial).toBe(true);
    expect(report.results).toEqual([]);
    expect(server.stats.requests).toBe(0);
  });

  test('with the first request in flight in a slow offline run: exit 130, valid partial JSON, the request counted as aborted', async () => {
    const result = await run(['pokemon', '--offline', '--latency', '5000', '--count', '5', '--seed', '1', '-s', 'sequential', '--json'], {
      onProbe: interruptOn(nthRequest('/api/v2/pokemon/')).onProbe,
      killAfterMs: 30_000,
    });
    expect(result.code, describeRun(result)).toBe(130);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    expect(report.partial).toBe(true);
    // Sequential had its first request in flight; nothing else is reported.
    expect(report.results, 'the request cut off must be reported').toHaveLength(1);
    const sequential = resultAt(report, 0);
    expect(sequential.strategy).toBe('sequential');
    expect(sequential.partial).toBe(true);
    expect(sequential).toMatchObject({ requests: 1, ok: 0, failed: 1 });
    expect(sequential.errors.aborted).toBe(1);
  });

  test('once sequential is under way in an offline run: only the request in flight is aborted', async () => {
    // Interrupted as sequential sends its second request: the first (1 s) has been answered.
    const result = await run(['pokemon', '--offline', '--latency', '1000', '--count', '5', '--seed', '1', '-s', 'sequential', '--json'], {
      onProbe: interruptOn(nthRequest('/api/v2/pokemon/', 2)).onProbe,
      killAfterMs: 30_000,
    });
    expect(result.code, describeRun(result)).toBe(130);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    expect(report.partial).toBe(true);
    expect(report.results).toHaveLength(1);
    const sequential = resultAt(report, 0);
    expect(sequential).toMatchObject({ strategy: 'sequential', partial: true, requests: 2, ok: 1, failed: 1 });
    expect(sequential.errors.aborted).toBe(1);
  });

  test('requests in flight are aborted, requests never started are not counted', async () => {
    const server = await loopback();
    const urls = [`${server.url}/ok?n=0`, ...[1, 2, 3].map((i) => `${server.url}/hang?i=${i}`)];
    /** Sends SIGINT once the server has received `n` requests for /hang. */
    const interruptAfterHangs = (n: number) => (child: ChildProcess) => {
      void server.waitFor('/hang', n).then(() => child.kill('SIGINT'));
    };

    // Sequential: /ok done, the first /hang in flight, two never started.
    const sequential = await run([...urls, '-s', 'sequential', '--json'], { onSpawn: interruptAfterHangs(1), killAfterMs: 30_000 });
    expect(sequential.code, describeRun(sequential)).toBe(130);
    const seqReport = parseJsonReport<ContractReport>(sequential);
    expectContractInvariants(seqReport);
    expect(seqReport.partial).toBe(true);
    expect(seqReport.results).toHaveLength(1);
    expect(resultAt(seqReport, 0)).toMatchObject({ strategy: 'sequential', requests: 2, ok: 1, failed: 1, partial: true });
    expect(resultAt(seqReport, 0).errors.aborted).toBe(1);

    await server.idle();
    server.reset();
    const all = await run([...urls, '-s', 'all', '--json'], { onSpawn: interruptAfterHangs(3), killAfterMs: 30_000 });
    expect(all.code, describeRun(all)).toBe(130);
    const allReport = parseJsonReport<ContractReport>(all);
    expectContractInvariants(allReport);
    expect(allReport.partial).toBe(true);
    expect(resultAt(allReport, 0)).toMatchObject({ strategy: 'all', requests: 4, ok: 1, failed: 3, partial: true });
    expect(resultAt(allReport, 0).errors.aborted).toBe(3);
  });

  test('with the table output, an interrupted run still says so', async () => {
    const result = await run(['pokemon', '--offline', '--latency', '5000', '--count', '3', '--seed', '1', '--no-color'], {
      onProbe: interruptOn(nthRequest('/api/v2/pokemon/')).onProbe,
      killAfterMs: 30_000,
    });
    expect(result.code, describeRun(result)).toBe(130);
    // The contract: the results so far are still printed, marked partial; never a silent exit.
    expect(result.stdout + result.stderr, describeRun(result)).toMatch(/partial|interrupted/i);
  });

  test('with the table output, once a strategy ran, the table is printed and marked partial', async () => {
    const server = await loopback();
    const urls = [`${server.url}/ok?n=0`, `${server.url}/hang`];
    const result = await run([...urls, '-s', 'sequential', '--no-color'], {
      onSpawn: (child) => void server.waitFor('/hang').then(() => child.kill('SIGINT')),
      killAfterMs: 30_000,
    });
    expect(result.code, describeRun(result)).toBe(130);
    expect(result.stdout).toContain('Time taken');
    expect(result.stdout).toMatch(/sequential \(partial\)/);
    expect(result.stdout).toMatch(/interrupted/);
  });
});

describe('bad usage: exit 2, one line on stderr, nothing on stdout, no request sent', SPAWN_OPTIONS, () => {
  let server: TestServer;
  let U: string;
  let missing: string;
  let empty: string;
  let badLine: string;

  beforeAll(async () => {
    server = await startTestServer();
    U = `${server.url}/ok`;
    missing = join(tmp, 'no-such-file.txt');
    empty = tmpFile('empty.txt', '\n# only a comment\n   \n');
    badLine = tmpFile('bad-line.txt', `${server.url}/ok\nftp://127.0.0.1/x\n`);
  });

  afterEach(({ expect }) => {
    expect(server.stats.requests, 'the loopback server received a request').toBe(0);
  });

  afterAll(async () => {
    await server.close();
  });

  // Arguments are built lazily: the server's URL is known only once it listens.
  const cases: Array<[string, () => string[], RegExp]> = [
    ['unknown preset, with a suggestion', () => ['pokemn', '--offline'], /unknown preset 'pokemn'.*did you mean 'pokemon'/],
    ['unknown option', () => [U, '--cont', '3'], /unknown option '--cont'/],
    ['--count 0', () => ['pokemon', '--offline', '--count', '0'], /--count/],
    ['--count -1', () => ['pokemon', '--offline', '--count', '-1'], /--count/],
    ['--count 1.5', () => ['pokemon', '--offline', '--count', '1.5'], /--count/],
    ['--count abc', () => ['pokemon', '--offline', '--count', 'abc'], /--count/],
    ['--concurrency 0', () => [U, '--concurrency', '0'], /--concurrency/],
    ['--concurrency with a bad list item', () => [U, '-c', '2,x'], /--concurrency/],
    ['unknown strategy', () => [U, '--strategy', 'fast'], /unknown strategy 'fast'/],
    ['misspelt strategy, with a suggestion', () => [U, '-s', 'bounde'], /did you mean 'bounded'/],
    ['--timeout 0', () => [U, '--timeout', '0'], /--timeout/],
    ['bad --latency', () => ['pokemon', '--offline', '--latency', 'fast'], /--latency/],
    ['--latency range high to low', () => ['pokemon', '--offline', '--latency', '400-100'], /--latency/],
    ['negative --seed', () => ['pokemon', '--offline', '--seed', '-3'], /--seed/],
    ['ftp:// URL', () => [`ftp://127.0.0.1:${server.port}/ok`], /only http and https/],
    ['URL with a space', () => [`${server.url}/o k`], /white space/],
    ['missing --file', () => ['--file', missing], /no such file/],
    ['empty --file', () => ['--file', empty], /no URLs/],
    ['a bad line in --file, named by its line number', () => ['--file', badLine], /bad-line\.txt:2/],
    ['preset mixed with a URL', () => ['pokemon', U], /cannot be mixed/],
    ['--latency without --offline (preset)', () => ['pokemon', '--latency', '100'], /--offline/],
    ['--latency without --offline (URL)', () => [U, '--latency', '100'], /--offline/],
    ['--offline with URLs', () => [U, '--offline'], /--offline/],
    ['--base-url with URLs', () => [U, '--base-url', 'http://127.0.0.1:9'], /--base-url/],
    ['-d with -X HEAD', () => [U, '-X', 'HEAD', '-d', 'x=1'], /cannot carry a body/],
    ['header without a colon', () => [U, '-H', 'bad header'], /--header/],
    ['header name with a space', () => [U, '-H', 'Bad Name: x'], /--header/],
    ['tmdb live without TMDB_API_KEY', () => ['tmdb'], /tmdb/i],
    ['no target at all', () => [], /nothing to fetch/],
  ];

  // In process: the same parse and checks as the built CLI; the built CLI's own main() below,
  // and a spawned one with --file - (standard input).
  test.each(cases)('%s', async (_name, args, message) => {
    expectUsageError(await runBuiltInProcess(args()), message);
  });

  test.each(cases.filter(([name]) => ['unknown option', 'missing --file', 'no target at all'].includes(name)))('the built CLI: %s', async (_name, args, message) => {
    expectUsageError(await runBuiltInProcess(args()), message);
  });

  test.concurrent('empty --file - (stdin)', async () => {
    expectUsageError(await run(['--file', '-'], { stdin: '\n# nothing here\n' }), /no URLs in 'stdin'/);
  });

  test('a secret in a rejected URL is not echoed', async () => {
    const result = await runBuiltInProcess([`ftp://127.0.0.1:${server.port}/x?token=topsecret99&page=2`]);
    expectUsageError(result, /token=\*\*\*/);
    expect(result.stderr).not.toContain('topsecret99');
  });
});

describe.concurrent('help and version', SPAWN_OPTIONS, () => {
  // `async-bench ... | head -1`: the reader goes away early; the CLI must end quietly, not crash.
  test.each([['--help'], ['--version'], ['jsonplaceholder', '--offline', '--count', '3', '--latency', '0', '--json']])(
    'a closed stdout (as with | head) ends without a stack trace: %s',
    async (...args) => {
      const result = await run(args, { closeStdout: true });
      expect(result.stderr, describeRun(result)).not.toMatch(/Unhandled 'error' event|EPIPE|\n\s+at /);
      expect(result.code, describeRun(result)).not.toBe(70); // not an internal error either
    },
  );

  test.each([['--help'], ['-h']])('%s prints the usage on stdout and exits 0', async (flag) => {
    const result = await runBuiltInProcess([flag]);
    expectOk(result);
    expect(result.stdout).toMatch(/Usage: async-bench/);
    for (const option of ['--count', '--concurrency', '--strategy', '--offline', '--latency', '--seed', '--timeout', '--json', '--fail-on-error', '--no-color']) {
      expect(result.stdout).toContain(option);
    }
    expect(result.stderr).toBe('');
  });

  // --version spawned: the real process prints it and exits 0 (the closed-stdout cases check no output).
  test.each([
    ['--version', run],
    ['-V', runBuiltInProcess],
  ])('%s prints the version and exits 0', async (flag, how) => {
    const result = await how([flag]);
    expectOk(result);
    expect(result.stdout).toBe(`${PACKAGE_VERSION}\n`);
    expect(result.stderr).toBe('');
  });
});

describe.concurrent('live mode without a network', SPAWN_OPTIONS, () => {
  // The network guard (test/helpers/network-guard.mjs, preloaded into every spawned CLI and set up
  // in this test process for the runs in process) fails every lookup of a non-loopback name as
  // ENOTFOUND: live mode meets "no network", every time.
  test('pokemon without --offline fails every request and hints at --offline', async ({ expect }) => {
    const result = await runBuiltInProcess(['pokemon', '--count', '2', '-s', 'sequential', '--timeout', '5000', '--json']);
    expectOk(result); // failed requests are results, not errors
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    const sequential = resultAt(report, 0);
    expect(sequential.failed).toBe(2);
    expect(sequential.errors.dns).toBe(2);
    expect(result.stderr).toMatch(/^hint: .*--offline/m);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('TMDB_API_KEY never appears in the output (the key-carrying requests go to the offline fixture server)', async ({ expect }) => {
    const key = 'k3y-s3cr3t-4711';
    const args = ['tmdb', '--offline', '--latency', '0', '--count', '2', '-s', 'sequential', '--seed', '4'];
    const table = await runBuiltInProcess(args, { env: { TMDB_API_KEY: key } });
    const json = await runBuiltInProcess([...args, '--json', '--details'], { env: { TMDB_API_KEY: key } });
    for (const r of [table, json]) {
      expectOk(r);
      expect(r.stdout + r.stderr).not.toContain(key);
    }
    // The key-carrying requests went through (the key is sent as a Bearer token, then masked).
    expect(resultAt(parseJsonReport<ContractReport>(json), 0)).toMatchObject({ requests: 2, ok: 2 });
  });

  test('a URL whose name cannot resolve is a dns failure, with a hint', async ({ expect }) => {
    const result = await runBuiltInProcess(['http://does-not-exist.invalid/', '-s', 'sequential', '--timeout', '5000', '--json']);
    expectOk(result);
    const report = parseJsonReport<ContractReport>(result);
    expectContractInvariants(report);
    expect(resultAt(report, 0)).toMatchObject({ requests: 1, failed: 1 });
    expect(resultAt(report, 0).errors.dns).toBe(1);
    expect(result.stderr).toMatch(/^hint: /m);
  });
});
