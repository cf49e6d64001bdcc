/**
 * End to end: the tmdb preset (offline, live without a key, a 401), secrets kept out of every
 * byte the CLI prints, fixture-server faults under --seed, and `async-bench presets`.
 * Counts are exact where they follow from the seed; timing-dependent ones get ranges.
 *
 * Most runs are the built CLI's main() in this process (runBuiltInProcess, the usage errors
 * too: one CLI loaded, not src's as well). Two still spawn the built CLI, so the real process
 * is checked too: tmdb without a key (its exit 2 and its one line) and the table of a run with
 * secret headers (no byte of the secret on the process's stdout or stderr).
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NO_FAULTS, createFaultGate } from '../../src/fixture-server/faults.js';
import { createFixtureHandler, listenFixtureServer, type RunningFixtureServer } from '../../src/fixture-server/server.js';
import { createHttpClient } from '../../src/http/client.js';
import { jsonplaceholderPreset } from '../../src/targets/presets/jsonplaceholder.js';
import { tmdbPreset } from '../../src/targets/presets/tmdb.js';
import { assertBuilt, cleanupCli, describeRun, run, type RunResult } from '../helpers/cli.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { expectOk, expectUsageError, parseJsonReport } from '../helpers/expectations.js';

// ---------------------------------------------------------------------------------------------
// The parts of the JSON document these tests read.

interface Result {
  strategy: 'sequential' | 'all' | 'bounded';
  concurrency: number | null;
  requests: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  statusCodes: Record<string, number>;
  errorExamples: Record<string, Array<{ message: string; count: number }>>;
  latencyMs: { p50: number; max: number };
}

interface Doc {
  config: {
    target: string;
    count: number;
    offline: boolean;
    seed: number;
    headers: string[];
    language?: string;
    faults?: { errorRate: number; rateLimitPerSec: number | null; maxInflight: number | null; capacity?: number | null };
  };
  setup?: { name: string; requests: number; ok: number; failed: number; items: number; errors: Record<string, number>; statusCodes: Record<string, number> };
  results: Result[];
}

/** The secret appears nowhere in what the CLI printed. */
function expectNoSecret(result: RunResult, secret: string): void {
  expect(result.stdout.includes(secret) || result.stderr.includes(secret), `the secret was printed\n${describeRun(result)}`).toBe(false);
}

const SPAWN = { timeout: 60_000 };

/** v3 API key: 32 hex digits (sent as ?api_key=). */
const V3_KEY = '5ec2e7a1b0c94d3f8a6e1f2d3c4b5a69';
/** v4 read-access token: a JWT (sent as Authorization: Bearer). */
const V4_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJzM2NyM3QtYXVkaWVuY2UifQ.Xy7Qv9sEcReTs1gNaTuRe0000';
/** A secret for headers and URLs. */
const SECRET = 'Zq9sEcReT7731xQ';

let tmp: string;
let loopback: TestServer;
let fixture: RunningFixtureServer;

beforeAll(async () => {
  assertBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'async-bench-presets-faults-'));
  loopback = await startTestServer();
  fixture = await listenFixtureServer({ latency: { minMs: 0, maxMs: 0 }, seed: 1 });
});

afterAll(async () => {
  await loopback.close();
  await fixture.close();
  rmSync(tmp, { recursive: true, force: true });
  cleanupCli();
});

/** A fresh empty directory (optionally with a .env) to run the CLI in. */
function dirWith(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmp, 'cwd-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

// ---------------------------------------------------------------------------------------------

describe.concurrent('tmdb --offline, end to end', SPAWN, () => {
  const base = ['tmdb', '--offline', '--latency', '0', '--seed', '5'];

  test('--count 40 --json: a 2-request setup stage of 40 movies, then 40 ok per strategy', async () => {
    const result = await runBuiltInProcess([...base, '--count', '40', '--json'], { env: { TMDB_API_KEY: V4_TOKEN } });
    expectOk(result);
    expect(result.stderr).toBe('');
    expectNoSecret(result, V4_TOKEN);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.config).toMatchObject({ target: 'tmdb', count: 40, offline: true, seed: 5, language: 'en-US', headers: [] });
    expect(doc.setup).toMatchObject({ name: 'now_playing', requests: 2, ok: 2, failed: 0, items: 40, statusCodes: { 200: 2 } });
    expect(Object.values(doc.setup!.errors).every((n) => n === 0)).toBe(true);
    expect(doc.results.map((r) => r.strategy)).toEqual(['sequential', 'all', 'bounded']);
    for (const r of doc.results) {
      expect(r).toMatchObject({ requests: 40, ok: 40, failed: 0, statusCodes: { 200: 40 } });
    }
  });

  test('table mode: the stage line and a sample line of movies', async () => {
    const result = await runBuiltInProcess([...base, '--count', '40'], { env: { TMDB_API_KEY: V4_TOKEN } });
    expectOk(result);
    expectNoSecret(result, V4_TOKEN);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^stage 1 · now_playing: 2 requests, 40 items in \d+\.\d{3} s/);
    expect(result.stdout).toMatch(/^tmdb · offline \(0 ms\) · 40 requests per strategy · seed 5$/m);
    const sample = lines.find((l) => l.startsWith('Movies: '));
    expect(sample, result.stdout).toBeDefined();
    expect(sample).toMatch(/^Movies: highest rated .+ \(\d+\.\d\/10\); total revenue \$.+ across 40 movies$/);
  });

  test('--count 45 needs a third page; --language ko-KR is in the config', async () => {
    const result = await runBuiltInProcess([...base, '--count', '45', '--language', 'ko-KR', '--json']);
    expectOk(result);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.config.language).toBe('ko-KR');
    expect(doc.setup).toMatchObject({ requests: 3, ok: 3, failed: 0, items: 60, statusCodes: { 200: 3 } });
    for (const r of doc.results) expect(r).toMatchObject({ requests: 45, ok: 45, failed: 0 });
  });

  test('without TMDB_API_KEY, --offline still works (placeholder token)', async () => {
    const result = await runBuiltInProcess([...base, '--count', '5', '--json'], { cwd: dirWith() });
    expectOk(result);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.setup).toMatchObject({ requests: 1, ok: 1, items: 20 });
    for (const r of doc.results) expect(r).toMatchObject({ requests: 5, ok: 5, failed: 0 });
  });

  test('with a v3 key (api_key query) it works, and the key is never printed', async () => {
    const [json, table] = await Promise.all([
      runBuiltInProcess([...base, '--count', '5', '--json'], { env: { TMDB_API_KEY: V3_KEY } }),
      runBuiltInProcess([...base, '--count', '5'], { env: { TMDB_API_KEY: V3_KEY } }),
    ]);
    for (const r of [json, table]) {
      expectOk(r);
      expectNoSecret(r, V3_KEY);
    }
    for (const r of parseJsonReport<Doc>(json).results) expect(r.ok).toBe(5);
  });
});

describe.concurrent('tmdb keys (live without one; with one, against the fixture server)', SPAWN, () => {
  test('without a key: exit 2, one line naming TMDB_API_KEY, nothing on stdout', async () => {
    const result = await run(['tmdb', '--count', '3'], { cwd: dirWith() });
    expectUsageError(result, /TMDB_API_KEY/);
    expect(result.stderr).toMatch(/--offline/);
  });

  test('a .env without TMDB_API_KEY is the same as none', async () => {
    const result = await runBuiltInProcess(['tmdb', '--json'], { cwd: dirWith({ '.env': 'OTHER_KEY=1\n' }) });
    expectUsageError(result, /TMDB_API_KEY/);
    // The run's environment is gone with it: the .env's variable stays out of this process.
    expect(process.env.OTHER_KEY).toBeUndefined();
  });

  // With a key the live API would be asked; these tests send the key to the offline fixture
  // server instead (nothing reaches beyond 127.0.0.1), where a v3 key shows in the URLs.
  test('a .env in the working directory supplies the key (no exit 2): used, and not printed', async () => {
    const cwd = dirWith({ '.env': `# local settings\nTMDB_API_KEY=${V3_KEY}\n` });
    const result = await runBuiltInProcess(['tmdb', '--offline', '--latency', '0', '-n', '1', '-s', 'sequential', '--json', '--details'], { cwd });
    expectOk(result);
    expectNoSecret(result, V3_KEY);
    const doc = parseJsonReport<Doc & { results: Array<{ samples?: Array<{ url: string }> }> }>(result);
    expect(doc.setup).toMatchObject({ requests: 1, ok: 1 });
    // A v3 key travels as api_key=…: only the key from .env can have put it there (without
    // one, --offline sends a placeholder Bearer token), and it is shown as ***.
    expect(doc.results[0]?.samples?.[0]?.url).toMatch(/[?&]api_key=\*\*\*$/);
  });

  test('a key from the environment is never printed, also in the failure causes (v3 and v4)', async () => {
    // The fixture server's rate limit turns the requests into 429s, so their cause is printed.
    const args = ['tmdb', '--offline', '--latency', '0', '--rate-limit', '1/s', '-n', '10', '-s', 'sequential', '--seed', '3'];
    const [v3Table, v4Json] = await Promise.all([
      runBuiltInProcess(args, { env: { TMDB_API_KEY: V3_KEY } }),
      runBuiltInProcess([...args, '--json'], { env: { TMDB_API_KEY: V4_TOKEN } }),
    ]);
    for (const [r, secret] of [[v3Table, V3_KEY], [v4Json, V4_TOKEN]] as const) {
      expect(r.code, describeRun(r)).toBe(0);
      // The table's cause line, or the JSON's errorExamples.
      expect(r.stdout, describeRun(r)).toMatch(/429 Too Many Requests/);
      expectNoSecret(r, secret);
    }
  });
});

describe.concurrent('a 401 from the tmdb routes, URL mode', SPAWN, () => {
  test('no key: each strategy fails its one request as http4xx 401, with a hint naming 401', async () => {
    const result = await runBuiltInProcess([`${fixture.baseUrl}/3/movie/550`, '--json']);
    expectOk(result);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.results).toHaveLength(3);
    for (const r of doc.results) {
      expect(r).toMatchObject({ requests: 1, ok: 0, failed: 1, statusCodes: { 401: 1 } });
      expect(r.errors.http4xx).toBe(1);
      expect(Object.values(r.errors).reduce((a, b) => a + b, 0)).toBe(1);
    }
    const hints = result.stderr.split('\n').filter((l) => l.startsWith('hint: '));
    expect(hints.some((l) => l.includes('401')), result.stderr).toBe(true);
  });

  test('with a Bearer token: 200, and the token is shown as ***', async () => {
    const result = await runBuiltInProcess([`${fixture.baseUrl}/3/movie/550`, '-s', 'sequential', '--json', '-H', `Authorization: Bearer ${SECRET}`]);
    expectOk(result);
    expectNoSecret(result, SECRET);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.results[0]).toMatchObject({ ok: 1, failed: 0, statusCodes: { 200: 1 } });
    expect(doc.config.headers).toEqual(['authorization: ***']);
  });
});

describe('tmdb plan against an in-process fixture server (what reaches the server)', () => {
  interface Seen {
    url: string;
    authorization: string | undefined;
  }
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    const handler = createFixtureHandler({ latency: { minMs: 0, maxMs: 0 }, seed: 1 });
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Runs the preset's plan and then every planned request; returns what the server saw. */
  async function planAndFetch(apiKey: string | null, count: number, language: string): Promise<{ stage: Seen[]; details: Seen[]; statuses: number[] }> {
    seen.length = 0;
    const client = createHttpClient({ timeoutMs: 5_000 });
    try {
      const plan = await tmdbPreset.plan({
        count,
        seed: 1,
        baseUrl,
        apiKey,
        language,
        fetchText: (url, headers) => client.fetch(url, true, headers),
      });
      const stage = [...seen];
      const detailClient = createHttpClient({ timeoutMs: 5_000, headers: plan.headers });
      const outcomes = await Promise.all(plan.urls.map((u) => detailClient.fetch(u)));
      await detailClient.close();
      return { stage, details: seen.slice(stage.length), statuses: outcomes.map((o) => o.status) };
    } finally {
      await client.close();
    }
  }

  test('--count 45 --language ko-KR: pages 1..3 and every detail request carry language=ko-KR', async () => {
    const { stage, details, statuses } = await planAndFetch(V4_TOKEN, 45, 'ko-KR');
    expect(stage.map((s) => new URL(s.url, baseUrl).searchParams.get('page')).sort()).toEqual(['1', '2', '3']);
    for (const s of [...stage, ...details]) expect(new URL(s.url, baseUrl).searchParams.get('language')).toBe('ko-KR');
    expect(details).toHaveLength(45);
    expect(statuses).toEqual(Array(45).fill(200));
  });

  test('a v3 key goes in api_key, with no Authorization header', async () => {
    const { stage, details, statuses } = await planAndFetch(V3_KEY, 5, 'en-US');
    expect(stage).toHaveLength(1);
    for (const s of [...stage, ...details]) {
      expect(new URL(s.url, baseUrl).searchParams.get('api_key')).toBe(V3_KEY);
      expect(s.authorization).toBeUndefined();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });

  test('a v4 token goes in Authorization: Bearer, with no api_key', async () => {
    const { stage, details, statuses } = await planAndFetch(V4_TOKEN, 5, 'en-US');
    for (const s of [...stage, ...details]) {
      expect(new URL(s.url, baseUrl).searchParams.has('api_key')).toBe(false);
      expect(s.authorization).toBe(`Bearer ${V4_TOKEN}`);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });

  test('offline without a key: the placeholder token, which the fixture server accepts', async () => {
    const { stage, statuses } = await planAndFetch(null, 3, 'en-US');
    expect(stage[0]?.authorization).toMatch(/^Bearer \S+/);
    expect(statuses).toEqual([200, 200, 200]);
  });
});

// ---------------------------------------------------------------------------------------------

describe.concurrent('secrets never printed (URL mode, loopback server)', SPAWN, () => {
  test('-H Authorization: Bearer, X-Api-Key and Cookie: sent, shown as *** in JSON, absent from the table', async () => {
    const headers = [`Authorization: Bearer ${SECRET}`, `X-Api-Key: ${SECRET}`, `Cookie: s=${SECRET}`];
    const args = [`${loopback.url}/echo?case=headers`, '-s', 'sequential', ...headers.flatMap((h) => ['-H', h]), '-H', 'Accept: application/json'];
    // The table from a real process: nothing it prints, on either stream, holds the secret.
    const [json, table] = await Promise.all([runBuiltInProcess([...args, '--json']), run(args)]);
    for (const r of [json, table]) {
      expectOk(r);
      expectNoSecret(r, SECRET);
    }
    const doc = parseJsonReport<Doc>(json);
    expect(doc.results[0]).toMatchObject({ ok: 1, failed: 0 });
    expect(doc.config.headers).toEqual(['authorization: ***', 'x-api-key: ***', 'cookie: ***', 'accept: application/json']);
    // The headers really went out: the test is about printing, not about dropping them.
    const sent = loopback.stats.log.filter((r) => r.path === '/echo?case=headers');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const r of sent) {
      expect(r.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(r.headers['x-api-key']).toBe(SECRET);
      expect(r.headers.cookie).toBe(`s=${SECRET}`);
    }
  });

  const urlCases: Array<[string, (base: string) => string]> = [
    ['user:<secret>@', (b) => b.replace('http://', `http://user:${SECRET}@`) + '/ok?form=userinfo'],
    ['?api_key=', (b) => `${b}/ok?api_key=${SECRET}`],
    ['?token=', (b) => `${b}/ok?page=1&token=${SECRET}`],
    ['?access_token=', (b) => `${b}/ok?access_token=${SECRET}&x=1`],
    ['?serviceKey=', (b) => `${b}/ok?serviceKey=${SECRET}`],
    ['?key=', (b) => `${b}/ok?key=${SECRET}`],
  ];

  test(`URLs with ${urlCases.map(([name]) => name).join(' ')}: requested, secret absent from table and JSON`, async () => {
    const urls = urlCases.map(([, make]) => make(loopback.url));
    const [json, table] = await Promise.all([runBuiltInProcess([...urls, '-s', 'sequential', '--json']), runBuiltInProcess([...urls, '-s', 'sequential'])]);
    for (const r of [json, table]) {
      expectOk(r);
      expectNoSecret(r, SECRET);
    }
    expect(parseJsonReport<Doc>(json).results[0]).toMatchObject({ requests: urlCases.length, ok: urlCases.length });
    // The secret-bearing query strings reached the server as given.
    expect(loopback.stats.log.filter((r) => r.path.includes(SECRET)).length).toBeGreaterThanOrEqual(2 * (urlCases.length - 1));
  });

  // A URL the CLI rejects is echoed in the error message: with its secret parts as ***.
  const badUrlCases: Array<[string, (port: number) => string]> = [
    ['user:<secret>@, bad port', () => `http://user:${SECRET}@127.0.0.1:99999/x`],
    ['?api_key=, bad port', () => `http://127.0.0.1:99999/x?api_key=${SECRET}`],
    ['?token=, white space', (p) => `http://127.0.0.1:${p}/a b?token=${SECRET}`],
    ['?access_token=, ftp', () => `ftp://127.0.0.1/x?access_token=${SECRET}`],
    ['?serviceKey=, ftp', () => `ftp://127.0.0.1/x?page=2&serviceKey=${SECRET}`],
    ['?key=, bad port', () => `http://127.0.0.1:99999/x?key=${SECRET}`],
    // WHATWG URL parsing (what the CLI uses) takes the LAST @ as the end of the user info.
    ['a password with an unencoded @', () => `ftp://user:p@${SECRET}@127.0.0.1/x`],
    // ... and accepts a single slash after a special scheme as the same URL.
    ['user:<secret>@ after a single slash', () => `ftp:/user:${SECRET}@127.0.0.1/x`],
  ];

  test.each(badUrlCases)('bad URL with %s: exit 2, secret not echoed', async (_name, make) => {
    const result = await runBuiltInProcess([make(loopback.port)]);
    expectUsageError(result, /invalid URL/);
    expectNoSecret(result, SECRET);
  });

  test('a bad URL in --file with a secret is not echoed either', async () => {
    const file = join(dirWith({ 'urls.txt': `${loopback.url}/ok\nftp://user:${SECRET}@127.0.0.1/x?token=${SECRET}\n` }), 'urls.txt');
    const result = await runBuiltInProcess(['--file', file]);
    expectUsageError(result, /urls\.txt:2/);
    expectNoSecret(result, SECRET);
  });

  test('a malformed -H carrying a secret is not echoed', async () => {
    const result = await runBuiltInProcess([`${loopback.url}/ok`, '-H', `X-Api-Key ${SECRET}`]);
    expectUsageError(result, /--header/);
    expectNoSecret(result, SECRET);
  });
});

// ---------------------------------------------------------------------------------------------

// jsonplaceholder's small bodies: what these tests count is the server's answers, not the bytes.
describe.concurrent('fixture-server faults through the CLI', SPAWN, () => {
  /** The failures --error-rate 0.3 --seed 9 must produce for jsonplaceholder -n 50: computed from the pure parts. */
  function expectedFailures(count: number, seed: number, errorRate: number): number {
    const gate = createFaultGate({ ...NO_FAULTS, errorRate }, seed, () => 0);
    return jsonplaceholderPreset
      .buildUrls({ count, seed, baseUrl: 'http://fixture.invalid' })
      .filter((u) => gate.failure(new URL(u).pathname) !== null).length;
  }

  test('--error-rate 0.3 --seed 9 -n 50: the same failures in two runs and in every strategy', async () => {
    const args = ['jsonplaceholder', '--offline', '--latency', '0', '--error-rate', '0.3', '--seed', '9', '-n', '50', '--json'];
    const [a, b] = await Promise.all([runBuiltInProcess(args), runBuiltInProcess(args)]);
    expectOk(a);
    expectOk(b);
    const expected = expectedFailures(50, 9, 0.3);
    expect(expected).toBeGreaterThan(0);
    const [docA, docB] = [parseJsonReport<Doc>(a), parseJsonReport<Doc>(b)];
    expect(docA.config.faults).toEqual({ errorRate: 0.3, rateLimitPerSec: null, maxInflight: null, capacity: null });
    for (const r of [...docA.results, ...docB.results]) {
      expect(r.failed, r.strategy).toBe(expected);
      expect(r.errors.http5xx).toBe(expected);
      expect(r.statusCodes).toEqual({ 200: 50 - expected, 500: expected });
    }
    expect(docB.results.map((r) => [r.failed, r.statusCodes])).toEqual(docA.results.map((r) => [r.failed, r.statusCodes]));
  });

  test('--error-rate 0 fails nothing; --error-rate 1 fails everything with 500', async () => {
    const args = (rate: string): string[] => ['jsonplaceholder', '--offline', '--latency', '0', '--error-rate', rate, '--seed', '2', '-n', '12', '--json'];
    const [none, all] = await Promise.all([runBuiltInProcess(args('0')), runBuiltInProcess(args('1'))]);
    expectOk(none);
    expectOk(all);
    for (const r of parseJsonReport<Doc>(none).results) expect(r).toMatchObject({ ok: 12, failed: 0, statusCodes: { 200: 12 } });
    for (const r of parseJsonReport<Doc>(all).results) {
      expect(r).toMatchObject({ ok: 0, failed: 12, statusCodes: { 500: 12 } });
      expect(r.errors.http5xx).toBe(12);
    }
  });

  test('the table heading names the faults', async () => {
    const result = await runBuiltInProcess(['jsonplaceholder', '--offline', '--latency', '0', '--error-rate', '0.3', '--seed', '9', '-n', '10']);
    expectOk(result);
    expect(result.stdout).toMatch(/^jsonplaceholder · offline \(0 ms; error rate 0\.3\) · 10 requests per strategy · seed 9$/m);
  });

  test('--max-inflight 10: all overloads the server (503), bounded at 8 does not', async () => {
    const result = await runBuiltInProcess(['jsonplaceholder', '--offline', '--max-inflight', '10', '-n', '100', '-s', 'all,bounded', '-c', '8', '--latency', '100', '--seed', '4', '--json']);
    expectOk(result);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.config.faults).toEqual({ errorRate: 0, rateLimitPerSec: null, maxInflight: 10, capacity: null });
    const [all, bounded] = doc.results;
    expect(all?.strategy).toBe('all');
    // Each 200 holds one of the 10 slots for its 100 ms: over the strategy's wall time at most
    // 10 per 100 ms get through (an exact bound, whatever the machine's speed); the rest are 503s.
    const allWallMs = (all as Result & { wallMs: number }).wallMs;
    expect(all!.ok, JSON.stringify(all)).toBeLessThanOrEqual(10 * Math.ceil(allWallMs / 100));
    expect(all!.failed, JSON.stringify(all)).toBeGreaterThan(0);
    expect(all!.failed).toBe(100 - all!.ok);
    expect(all!.errors.http5xx).toBe(all!.failed);
    expect(all!.statusCodes['503']).toBe(all!.failed);
    expect(bounded).toMatchObject({ strategy: 'bounded', concurrency: 8, ok: 100, failed: 0, statusCodes: { 200: 100 } });
    expect(result.stderr).toMatch(/^hint: .*503/m);
  });

  test('--capacity 10: bounded at 20 fails nothing, and waiting in the server\'s line shows as latency (p50 well above 50 ms)', async () => {
    const result = await runBuiltInProcess(['jsonplaceholder', '--offline', '--capacity', '10', '--latency', '50', '-n', '40', '-s', 'bounded', '-c', '20', '--seed', '4', '--json']);
    expectOk(result);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.config.faults).toEqual({ errorRate: 0, rateLimitPerSec: null, maxInflight: null, capacity: 10 });
    const bounded = doc.results[0]!;
    expect(bounded).toMatchObject({ strategy: 'bounded', concurrency: 20, requests: 40, ok: 40, failed: 0, statusCodes: { 200: 40 } });
    // Little's law: 20 in the system, 10 served per 50 ms, so about 100 ms each; 50 ms without the queue.
    expect(bounded.latencyMs.p50, JSON.stringify(bounded.latencyMs)).toBeGreaterThan(75);
    expect(bounded.latencyMs.p50, JSON.stringify(bounded.latencyMs)).toBeLessThan(5 * 150); // 5x the ~100 ms expected, with room for the transfer
  });

  test('the table heading names --capacity', async () => {
    const result = await runBuiltInProcess(['jsonplaceholder', '--offline', '--latency', '0', '--capacity', '3', '--seed', '9', '-n', '6', '-s', 'bounded']);
    expectOk(result);
    expect(result.stdout).toMatch(/^jsonplaceholder · offline \(0 ms; capacity 3 with a queue\) · 6 requests per strategy · seed 9$/m);
  });

  test('--rate-limit 20/s: a burst of 200 gets the bucket of 20 through, plus what refills during it; the rest 429', async () => {
    const result = await runBuiltInProcess(['jsonplaceholder', '--offline', '--rate-limit', '20/s', '-n', '200', '-s', 'all', '--latency', '0', '--seed', '4', '--json']);
    expectOk(result);
    const doc = parseJsonReport<Doc & { results: Array<{ wallMs: number }> }>(result);
    expect(doc.config.faults).toEqual({ errorRate: 0, rateLimitPerSec: 20, maxInflight: null, capacity: null });
    const all = doc.results[0]!;
    // Exact whatever the machine's speed: the bucket starts full (20 tokens, the priming request
    // takes none) and refills 20 a second while the server admits the burst, which happens within
    // the strategy's own wall time.
    expect(all.ok, JSON.stringify(all)).toBeGreaterThanOrEqual(20);
    expect(all.ok, JSON.stringify(all)).toBeLessThanOrEqual(20 + Math.ceil((20 * all.wallMs) / 1000));
    expect(all.failed, JSON.stringify(all)).toBeGreaterThan(0);
    expect(all.failed).toBe(200 - all.ok);
    expect(all.errors.http4xx).toBe(all.failed);
    expect(all.statusCodes).toEqual({ 200: all.ok, 429: all.failed });
    // Why they failed, with what to do: the JSON keeps the cause.
    expect(all.errorExamples.http4xx?.[0]?.message).toMatch(/^429 Too Many Requests/);
  });

  const withoutOffline: Array<[string, () => string[]]> = [
    ['--error-rate on a live preset', () => ['pokemon', '--error-rate', '0.1']],
    ['--rate-limit on a live preset', () => ['pokemon', '--rate-limit', '20/s']],
    ['--max-inflight on a URL list', () => [`${loopback.url}/ok?case=max-inflight`, '--max-inflight', '5']],
    ['--capacity on a URL list', () => [`${loopback.url}/ok?case=max-inflight`, '--capacity', '5']],
    ['--capacity on a live preset', () => ['pokemon', '--capacity', '5']],
  ];
  test.each(withoutOffline)('%s without --offline: exit 2, no request', async (_name, args) => {
    const before = loopback.stats.log.filter((r) => r.path.includes('case=max-inflight')).length;
    expectUsageError(await runBuiltInProcess(args()), /--offline/);
    expect(loopback.stats.log.filter((r) => r.path.includes('case=max-inflight')).length).toBe(before);
  });

  const badValues: Array<[string, string[], RegExp]> = [
    ['--error-rate 2', ['--error-rate', '2'], /--error-rate/],
    ['--rate-limit 0/s', ['--rate-limit', '0/s'], /--rate-limit/],
    ['--max-inflight 0', ['--max-inflight', '0'], /--max-inflight/],
    ['--capacity 0', ['--capacity', '0'], /--capacity must be at least 1/],
  ];
  const moreBadValues: Array<[string, string[], RegExp]> = [
    ['--error-rate -0.1', ['--error-rate=-0.1'], /--error-rate/],
    ['--rate-limit fast', ['--rate-limit', 'fast'], /--rate-limit/],
    ['--max-inflight 1.5', ['--max-inflight', '1.5'], /--max-inflight/],
    ['--capacity many', ['--capacity', 'many'], /--capacity must be a whole number/],
  ];
  test.each([...badValues, ...moreBadValues])('%s: exit 2', async (_name, option, message) => {
    expectUsageError(await runBuiltInProcess(['pokemon', '--offline', ...option]), message);
  });

  test.each(badValues)('serve %s: exit 2', async (_name, option, message) => {
    expectUsageError(await runBuiltInProcess(['serve', 'pokemon', ...option]), message);
  });
});

// ---------------------------------------------------------------------------------------------

describe('presets', SPAWN, () => {
  test('lists each preset with its live base URL, and what it needs under it', async () => {
    const result = await runBuiltInProcess(['presets']);
    expectOk(result);
    expect(result.stderr).toBe('');
    // A name and its live URL on one line, the details indented under it, up to a blank line.
    const row = (name: string): string => {
      const block = result.stdout.split('\n\n').find((b) => b.startsWith(`${name} `));
      if (!block) throw new Error(`no block for ${name}\n${result.stdout}`);
      return block;
    };
    expect(row('pokemon')).toContain('https://pokeapi.co');
    expect(row('jsonplaceholder')).toContain('https://jsonplaceholder.typicode.com');
    expect(row('tmdb')).toContain('https://api.themoviedb.org');
    expect(row('tmdb')).toContain('TMDB_API_KEY');
    expect(row('pokemon')).not.toContain('TMDB_API_KEY');
    expect(row('jsonplaceholder')).not.toContain('TMDB_API_KEY');
  });
});
