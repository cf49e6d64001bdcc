/**
 * The chaos list: every hostile server behaviour once, under the bounded strategy (the one that
 * both queues and overlaps requests), through the built CLI with --json, against servers on
 * 127.0.0.1 that this file starts and stops. That a failure stops nothing holds for every
 * strategy is the strategies' unit tests' business; here it is the whole CLI against each behaviour.
 * The four cases that wait longest with little CPU (the two Retry-After waits, the hang, the
 * trickle) spawn the CLI, side by side; the others run the built CLI's main() in this process,
 * one at a time.
 *
 * For each behaviour the CLI fetches 3 URLs showing it (bounded with -c 2, so it needs two
 * rounds), and the test checks:
 *   - the run ends within a loose bound the timeout sets (5 × rounds × the per-request budget);
 *   - requests == ok + failed == 3, the error counts add up to failed, and every failure lands in
 *     the contract class for that behaviour (nothing in any other class);
 *   - stdout is one JSON document that validates against the schema;
 *   - stderr holds no "Unhandled", no "Warning", no stack trace (a spawned CLI runs with
 *     --unhandled-rejections=strict and --throw-deprecation, so either would also kill it; in
 *     process, a warning node emits during the run fails the case, and an unhandled rejection
 *     fails the file);
 *   - the exit code follows the contract (every run has --fail-on-error: 1 when a request
 *     failed, 0 when none did);
 *   - the server saw exactly the requests the behaviour implies (no hidden retries).
 * A timed-out request's own latency (from the JSON) is at least the limit and under the limit
 * plus 1 s; the limit's precision is a unit test (test/unit/client-timeout.test.ts, fake timers).
 *
 * "Invalid JSON where a preset parses the body": a URL list never parses bodies (the 200 is a
 * success); the presets that do (the sample line, tmdb's now-playing stage) are given the same
 * broken body in-process, since a preset cannot be pointed at a loopback server from the CLI.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report, StrategyResult } from '../../src/core/report.js';
import { ERROR_CLASSES, type ErrorClass, type StrategyName } from '../../src/core/types.js';
import { createHttpClient } from '../../src/http/client.js';
import { jsonplaceholderPreset } from '../../src/targets/presets/jsonplaceholder.js';
import { pokemonPreset } from '../../src/targets/presets/pokemon.js';
import { tmdbPreset } from '../../src/targets/presets/tmdb.js';
import { assertBuilt, cleanupCli, describeRun, run, type RunResult } from '../helpers/cli.js';
import { expectCleanStderr, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { BAD_JSON, closedPort, startTestServer, type TestServer } from '../helpers/test-server.js';

/** The JSON document as the product types it (its shape is checked by the schema on parse). */
type Result = StrategyResult;
type Doc = Report;

const STRATEGY: StrategyName = 'bounded';
const URLS_PER_RUN = 3;
const BOUNDED_LIMIT = 2;
/** Rounds of requests bounded -c 2 needs for 3 URLs. */
const ROUNDS = 2;
/** The timeout of the cases that wait for it: short, since only its class and bounds are checked. */
const SHORT_TIMEOUT_MS = 500;
const MB20 = 20 * 1024 * 1024;

interface Case {
  name: string;
  /** The URL of request i, tagged so that this cell's requests can be counted at the server. */
  url(i: number, tag: string): string;
  /** Extra CLI options. */
  args?: string[];
  timeoutMs: number;
  /** Worst time one request may take (the timeout, or a retry's wait plus its attempts), ms. */
  budgetMs: number;
  /** null: every request succeeds; otherwise the class all three must fail with. */
  expectClass: ErrorClass | null;
  /** The final status the server answered with, or 0 when there was no response. */
  status: number;
  /** Requests the hostile server must see for one URL; null when the requests never reach it. */
  serverRequestsPerUrl: number | [min: number, max: number] | null;
  /** Further checks on the strategy's result. */
  check?(result: Result, run: RunResult): void;
  /** Spawn the CLI: seconds of waiting and little CPU, so these run side by side, out of process. */
  spawn?: true;
}

let server: TestServer;
let refused: number;
/** An empty working directory for the in-process runs, as a spawned CLI has (no stray .env). */

/** Each request's own latency (from the JSON): never before the limit, and under the limit plus 1 s. */
function expectTimedOutAtLimit(result: Result): void {
  expect(result.latencyMs.min).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 1);
  expect(result.latencyMs.max).toBeLessThan(SHORT_TIMEOUT_MS + 1_000);
}

const q = (i: number, tag: string): string => `tag=${tag}&i=${i}`;

const CASES: Case[] = [
  {
    name: '500 Internal Server Error',
    url: (i, tag) => `${server.url}/status/500?${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'http5xx',
    status: 500,
    serverRequestsPerUrl: 1,
  },
  {
    name: '503 Service Unavailable (Retry-After, no --retries)',
    url: (i, tag) => `${server.url}/status/503?retry-after=1&${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'http5xx',
    status: 503,
    serverRequestsPerUrl: 1,
  },
  {
    name: '429 Too Many Requests with Retry-After (no --retries)',
    url: (i, tag) => `${server.url}/status/429?retry-after=1&${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'http4xx',
    status: 429,
    serverRequestsPerUrl: 1,
  },
  {
    name: '429 with Retry-After: 1, then 200 (--retries 2 honours the wait)',
    spawn: true,
    url: (i, tag) => `${server.url}/flaky/429?fail=1&retry-after=1&${q(i, tag)}`,
    args: ['--retries', '2'],
    timeoutMs: 5_000,
    budgetMs: 1_000 + 2 * 1_000,
    expectClass: null,
    status: 200,
    serverRequestsPerUrl: 2,
    check(result) {
      expect(result.retries.attempts).toBe(2 * URLS_PER_RUN);
      expect(result.retries.retried).toBe(URLS_PER_RUN);
      // Each request waited the server's 1 s before its second attempt.
      expect(result.retries.addedMs).toBeGreaterThanOrEqual(URLS_PER_RUN * 990);
      expect(result.latencyMs.min).toBeGreaterThanOrEqual(990);
      // First-try latency is reported apart, without the wait.
      expect(result.retries.firstTryMs.p95).toBeLessThan(900);
    },
  },
  {
    name: '503 with Retry-After: 1, then 200 (--retries 1 honours the wait)',
    spawn: true,
    url: (i, tag) => `${server.url}/flaky/503?fail=1&retry-after=1&${q(i, tag)}`,
    args: ['--retries', '1'],
    timeoutMs: 5_000,
    budgetMs: 1_000 + 2 * 1_000,
    expectClass: null,
    status: 200,
    serverRequestsPerUrl: 2,
    check(result) {
      expect(result.retries).toMatchObject({ attempts: 2 * URLS_PER_RUN, retried: URLS_PER_RUN });
      expect(result.retries.addedMs).toBeGreaterThanOrEqual(URLS_PER_RUN * 990);
      expect(result.latencyMs.min).toBeGreaterThanOrEqual(990);
    },
  },
  {
    name: 'a server that never answers',
    spawn: true,
    url: (i, tag) => `${server.url}/hang?${q(i, tag)}`,
    timeoutMs: SHORT_TIMEOUT_MS,
    budgetMs: SHORT_TIMEOUT_MS,
    expectClass: 'timeout',
    status: 0,
    serverRequestsPerUrl: 1,
    check(result) {
      expectTimedOutAtLimit(result);
      expect(result.bytes).toBe(0);
    },
  },
  {
    name: 'headers, then a body trickling for 5 s',
    spawn: true,
    url: (i, tag) => `${server.url}/trickle?every=100&bytes=50&${q(i, tag)}`,
    timeoutMs: SHORT_TIMEOUT_MS,
    budgetMs: SHORT_TIMEOUT_MS,
    expectClass: 'timeout',
    status: 200,
    serverRequestsPerUrl: 1,
    check(result) {
      expectTimedOutAtLimit(result);
      // Some of the body came (a byte every 100 ms), never all 50.
      expect(result.bytes).toBeGreaterThan(0);
      expect(result.bytes).toBeLessThan(URLS_PER_RUN * 50);
    },
  },
  {
    name: 'a reset after the headers',
    url: (i, tag) => `${server.url}/reset-after?${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'reset',
    status: 200,
    serverRequestsPerUrl: 1,
    check(result) {
      expect(result.bytes).toBeLessThan(URLS_PER_RUN * 1000);
    },
  },
  {
    name: 'a reset before any response',
    url: (i, tag) => `${server.url}/reset-before?${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'reset',
    status: 0,
    serverRequestsPerUrl: 1,
  },
  {
    name: 'invalid JSON in a 200 (a URL list does not parse bodies: a success)',
    url: (i, tag) => `${server.url}/bad-json?${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: null,
    status: 200,
    serverRequestsPerUrl: 1,
    check(result) {
      expect(result.bytes).toBe(URLS_PER_RUN * Buffer.byteLength(BAD_JSON));
    },
  },
  {
    name: 'a 20 MB body',
    url: (i, tag) => `${server.url}/big?mb=20&${q(i, tag)}`,
    timeoutMs: 30_000,
    budgetMs: 30_000,
    expectClass: null,
    status: 200,
    serverRequestsPerUrl: 1,
    check(result) {
      expect(result.bytes).toBe(URLS_PER_RUN * MB20);
    },
  },
  {
    name: 'a redirect loop',
    url: (i, tag) => `${server.url}/loop?${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'other',
    status: 302,
    // At most the first request and the default limit of 5 redirects; a loop may be seen sooner.
    serverRequestsPerUrl: [1, 6],
  },
  {
    name: 'a redirect chain longer than --max-redirects 2',
    url: (i, tag) => `${server.url}/redirect/3?${q(i, tag)}`,
    args: ['--max-redirects', '2'],
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'other',
    status: 302,
    serverRequestsPerUrl: 3,
  },
  {
    name: 'a refused port',
    url: (i, tag) => `http://127.0.0.1:${refused}/?${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'connect',
    status: 0,
    serverRequestsPerUrl: null,
  },
  {
    name: 'a DNS name that cannot resolve',
    url: (i, tag) => `http://async-bench-chaos-${i}.invalid/?${q(i, tag)}`,
    timeoutMs: 5_000,
    budgetMs: 5_000,
    expectClass: 'dns',
    status: 0,
    serverRequestsPerUrl: null,
  },
];

/** The CLI sees any unhandled rejection or deprecation as fatal: it would show, not hide. */
const STRICT_NODE = { NODE_OPTIONS: '--unhandled-rejections=strict --throw-deprecation' };

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
  refused = await closedPort();
});

afterAll(async () => {
  await server?.close();
  cleanupCli();
});

/**
 * The built CLI's main() in this process, and every warning node emitted meanwhile (a spawned
 * CLI would print it on stderr, or die of it under --throw-deprecation).
 */
async function runHere(args: readonly string[]): Promise<{ result: RunResult; warnings: string[] }> {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(`${warning.name}: ${warning.message}`);
  };
  process.on('warning', onWarning);
  try {
    return { result: await runBuiltInProcess(args), warnings };
  } finally {
    process.off('warning', onWarning);
  }
}

const cells = CASES.map((c) => [c.name, c] as const);

describe.concurrent('chaos: every hostile behaviour once, under bounded -c 2, through the CLI', () => {
  test.each(cells)('%s', async (_name, c) => {
    const strategy = STRATEGY;
    const tag = `${c.name.replace(/\W+/g, '-')}-${strategy}`;
    const urls = Array.from({ length: URLS_PER_RUN }, (_, i) => c.url(i, tag));
    const boundMs = ROUNDS * c.budgetMs;
    const args = [...urls, '-s', strategy, '-c', String(BOUNDED_LIMIT), '--timeout', String(c.timeoutMs), '--json', '-q', '--fail-on-error', ...(c.args ?? [])];
    // Spawned, node's strict options turn a warning into a crash (checked below); in process, any
    // warning node emits during the run fails the case.
    const inProcess = c.spawn ? null : await runHere(args);
    const result = inProcess?.result ?? (await run(args, {
      env: STRICT_NODE,
      // The bound plus a generous allowance for start-up on a shared machine; past it, the run hung.
      killAfterMs: Math.min(5 * boundMs + 20_000, 80_000),
    }));
    const context = describeRun(result);
    if (inProcess) expect(inProcess.warnings, context).toEqual([]);

    // Exit codes: --fail-on-error turns any failure into 1; a clean run is 0. Never a crash, never a signal.
    expect(result.signal, context).toBeNull();
    expect(result.code, context).toBe(c.expectClass === null ? 0 : 1);
    expectCleanStderr(result);

    const doc = parseJsonReport<Doc>(result);
    expect(doc.partial, context).toBeUndefined();
    expect(doc.results, context).toHaveLength(1);
    const r = doc.results[0]!;
    expect(r.strategy).toBe(strategy);
    expect(r.concurrency).toBe(BOUNDED_LIMIT);

    // The accounting of the contract.
    expect(r.requests, context).toBe(URLS_PER_RUN);
    expect(r.ok + r.failed).toBe(r.requests);
    expect(ERROR_CLASSES.reduce((sum, k) => sum + r.errors[k], 0)).toBe(r.failed);
    const expectedErrors = Object.fromEntries(ERROR_CLASSES.map((k) => [k, k === c.expectClass ? URLS_PER_RUN : 0]));
    expect(r.errors, context).toEqual(expectedErrors);
    expect(r.ok).toBe(c.expectClass === null ? URLS_PER_RUN : 0);
    // Statuses the client saw (a redirect that failed leaves no final status it counts as an answer).
    if (c.status === 0) expect(r.statusCodes).toEqual({});
    else if (c.status !== 302) expect(r.statusCodes).toEqual({ [c.status]: URLS_PER_RUN });

    // The run ends within a loose bound the timeout sets (the wall time is the strategy's own):
    // five times what the rounds may take, so that only a run that hangs past its timeouts fails.
    expect(r.wallMs, context).toBeLessThan(5 * boundMs);
    expect(result.ms, context).toBeLessThan(5 * boundMs + 15_000);
    expect(r.maxInFlight).toBeLessThanOrEqual(BOUNDED_LIMIT);

    // What reached the server: each URL as often as the behaviour implies, no silent retries.
    const expected = c.serverRequestsPerUrl;
    if (expected !== null) {
      for (let i = 0; i < URLS_PER_RUN; i++) {
        const seen = server.count(`tag=${tag}&i=${i}`);
        if (typeof expected === 'number') expect(seen, `requests for URL ${i}`).toBe(expected);
        else {
          expect(seen).toBeGreaterThanOrEqual(expected[0]);
          expect(seen).toBeLessThanOrEqual(expected[1]);
        }
      }
    }
    c.check?.(r, result);
  }, 90_000);
});

describe('chaos: invalid JSON where a preset parses the body', () => {
  test('the sample line of every preset shrugs off bodies that are not JSON', () => {
    for (const preset of [pokemonPreset, jsonplaceholderPreset, tmdbPreset]) {
      expect(() => preset.sample([BAD_JSON, '', '<html>502 Bad Gateway</html>', 'null', '[]', '{"results": 3}'])).not.toThrow();
      expect(preset.sample([BAD_JSON])).toBeNull();
    }
  });

  test("tmdb's now-playing stage, served invalid JSON, fails its stage (class 'other') and plans nothing, without throwing", async () => {
    const client = createHttpClient({ timeoutMs: 5_000 });
    try {
      const plan = await tmdbPreset.plan({
        count: 40,
        seed: 1,
        // Every path under /bad-json/ answers 200 with the broken document.
        baseUrl: `${server.url}/bad-json`,
        apiKey: 'chaos-placeholder-token',
        language: 'en-US',
        fetchText: (url, headers) => client.fetch(url, true, headers),
      });
      expect(plan.urls).toEqual([]);
      expect(plan.setup).toMatchObject({ name: 'now_playing', requests: 1, ok: 0, failed: 1, items: 0 });
      expect(plan.setup!.errors.other).toBe(1);
      // A 200 that is not the API's JSON says so, with how the body starts.
      expect(plan.setup!.errorExamples?.other).toEqual([{ message: `200 but the body is not JSON (starts '${BAD_JSON.slice(0, 39)}…')`, count: 1 }]);
      expect(plan.setup!.statusCodes).toEqual({ 200: 1 });
    } finally {
      await client.close();
    }
  });

  test("tmdb's stage against a server that hangs or resets fails in the right class, without throwing", async () => {
    const client = createHttpClient({ timeoutMs: 500 });
    try {
      for (const [path, cls] of [
        ['/hang', 'timeout'],
        ['/reset-before', 'reset'],
        ['/status/503', 'http5xx'],
      ] as const) {
        const plan = await tmdbPreset.plan({
          count: 20,
          seed: 1,
          baseUrl: `${server.url}${path}`,
          apiKey: 'chaos-placeholder-token',
          language: 'en-US',
          fetchText: (url, headers) => client.fetch(url, true, headers),
        });
        expect(plan.urls, path).toEqual([]);
        expect(plan.setup!.errors[cls], path).toBe(1);
      }
    } finally {
      await client.close();
    }
  });
});
