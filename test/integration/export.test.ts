/**
 * `async-bench export k6|locust` in this process (main() with captured output), against the
 * loopback test server: the script replays exactly the requests the run sends, a preset's key
 * is read from the environment, and bad usage is one line and exit 2 before any request.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectUsageError } from '../helpers/expectations.js';
import { runInProcess } from '../helpers/in-process.js';
import { loadK6 } from '../helpers/k6-stub.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

test('the k6 script sends what the run sends: methods, URLs, headers and bodies, placeholders filled in the same', async () => {
  const args = [
    `${server.url}/echo?case=same&n={{seq}}&r={{rand:1-1000}}`,
    '-X', 'PUT', '--data-json', '{"id":"{{uuid}}","n":{{seq}}}', '-H', 'x-case: same', '-n', '4', '--seed', '9', '-s', 'sequential',
  ];
  const exported = await runInProcess(['export', 'k6', ...args]);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stderr).toBe('');
  // Writing the script sends nothing.
  expect(server.count('case=same')).toBe(0);

  const run = await runInProcess([...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const sent = server.log.filter((r) => r.path.includes('case=same'));
  expect(sent).toHaveLength(4);

  const { module, calls, iteration } = loadK6(exported.stdout);
  expect(Object.keys(module.options.scenarios)).toEqual(['sequential']);
  for (let i = 0; i < 4; i++) {
    iteration.value = i;
    module.replay();
  }
  expect(calls.map((c) => [c.method, c.url.slice(server.url.length), c.body])).toEqual(sent.map((r) => [r.method, r.path, r.body.toString('utf8')]));
  for (const [i, call] of calls.entries()) {
    expect(call.headers).toEqual({ 'x-case': 'same', 'content-type': 'application/json' });
    expect(sent[i]!.headers).toMatchObject(call.headers);
  }
});

test("a preset's key is read from the environment (TMDB_API_KEY), never written; the setup stage is fetched once", async () => {
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJleHBvcnQifQ.c2lnbmF0dXJl';
  const env = { env: { TMDB_API_KEY: token } };
  const before = server.count('/3/movie/now_playing');
  for (const engine of ['k6', 'locust']) {
    const result = await runInProcess(['export', engine, 'tmdb', '--base-url', server.url, '-n', '3', '-c', '2'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(token);
    expect(result.stdout).not.toContain('***');
    expect(result.stdout).toContain(engine === 'k6' ? 'TMDB_API_KEY: __ENV.TMDB_API_KEY,' : '"TMDB_API_KEY": os.environ.get("TMDB_API_KEY"),');
    expect(result.stdout).toMatch(engine === 'k6' ? /"authorization": "Bearer " \+ VARS\.TMDB_API_KEY/ : /"authorization": "Bearer " \+ VARS\["TMDB_API_KEY"\]/);
  }
  expect(server.count('/3/movie/now_playing') - before).toBe(2);
  const { module, calls } = loadK6((await runInProcess(['export', 'k6', 'tmdb', '--base-url', server.url, '-n', '3'], env)).stdout, { TMDB_API_KEY: token });
  module.batch();
  expect(calls.map((c) => [c.url, c.headers.authorization])).toEqual([11, 12, 11].map((id) => [`${server.url}/3/movie/${id}?language=en-US`, `Bearer ${token}`]));
});

test('what the scripts leave out is named in them', async () => {
  const result = await runInProcess(['export', 'k6', `${server.url}/ok?case=left-out`, '--runs', '3', '--retries', '1', '--rate', '5', '--no-compression', '--fail-fast', '--cpu-work', '3']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain(['// Not carried over:', '//   --runs 3: run the script once per round', '//   --retries 1: neither k6 nor Locust retries a request', '//   --rate 5/s: the strategies send as fast as they can', "//   --no-compression: the load tool sends its own Accept-Encoding"].join('\n'));
});

describe('bad usage: one line, exit 2, no request', () => {
  test.each<[string[], RegExp]>([
    [['export'], /^async-bench: missing required argument 'engine'\n$/],
    [['export', 'k6'], /^async-bench: export needs what to send: a preset \(with --base-url for your server\) or URLs/],
    [['export', 'k7', 'URL'], /^async-bench: export needs an engine first, k6 or locust, got 'k7' \(did you mean 'k6'\?\)/],
    [['export', '-n', '3', 'k6'], /^async-bench: export needs an engine first, k6 or locust, got '-n'/],
    [['export', 'k6', 'pokemon', '--offline'], /^async-bench: export: --offline starts a server on this machine only; point the preset at a server the load tool can reach with --base-url/],
    [['export', 'k6', 'pokemon', '-c', 'auto'], /^async-bench: export: -c auto searches by measuring/],
    [['export', 'locust', 'URL', '-s', 'bounded,batched,adaptive', '-c', '2'], /^async-bench: export: -s batched,adaptive has no counterpart in the scripts, which replay sequential, all, bounded; leave it out of -s\n$/],
    [['export', 'k6', 'URL', '-s', 'all,workers'], /^async-bench: export: -s workers has no counterpart in the scripts/],
    [['export', 'locust', 'URL', '--json'], /^async-bench: export: --json, --format and -o do not apply: the script is written to stdout/],
    [['export', 'locust', 'URL', '--report', 'r.html'], /^async-bench: export: --report, --waterfall and --details draw a run of this tool/],
    [['export', 'k6', 'URL', '--count', '0'], /^async-bench: --count must be at least 1, got 0\n$/],
    [['export', 'k6', 'URL', '--bogus'], /^async-bench: unknown option '--bogus'\n$/],
    [['export', 'k6', 'tmdb', '--base-url', 'BASE'], /^async-bench: tmdb needs an API key: set TMDB_API_KEY/],
  ])('%j', async (args, message) => {
    const before = server.stats.requests;
    expectUsageError(await runInProcess(args.map((a) => (a === 'URL' ? `${server.url}/ok?case=bad` : a === 'BASE' ? server.url : a))), message);
    expect(server.stats.requests).toBe(before);
  });
});

test('export has its own help', async () => {
  const help = await runInProcess(['export', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: async-bench export \[options\] <engine> \[run\.\.\.\]/);
  expect(help.stdout).toContain('async-bench export k6 pokemon');
  // Its width is checked with every command's (terminal-fit.test.ts).
});
