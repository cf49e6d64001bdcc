/**
 * End to end: the request model (issue 13). -X, -d, --data-json, --requests, --har, -n over a
 * URL list, placeholders, --base-url, redirects after a POST, and the fixture server's writes.
 * The test server records each request (method, path, headers, body bytes) in arrival order.
 *
 * The built CLI's main() runs in this process, one run at a time; the first case (-d @file)
 * spawns bin/async-bench.js, so that the bytes are also read and sent by the real process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { expandRequest, type RequestSpec } from '../../src/core/request.js';
import { assertBuilt, cleanupCli, ROOT, run } from '../helpers/cli.js';
import { expectOk, expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { startTestServer, type ReceivedRequest, type TestServer } from '../helpers/test-server.js';

const SPAWN = { timeout: 30_000 };

let server: TestServer;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'async-bench-requests-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  cleanupCli();
});

/** The requests whose path carries `case=tag`, in arrival order. */
const received = (tag: string): ReceivedRequest[] => server.log.filter((r) => r.path.includes(`case=${tag}`));
const url = (path: string, tag: string): string => `${server.url}${path}${path.includes('?') ? '&' : '?'}case=${tag}`;
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('bodies and methods', () => {
  test('-X POST -d @file sends the exact bytes, the method and curl\'s content type', SPAWN, async () => {
    // Bytes that a text round trip would change: a CR LF, a NUL-free binary tail, no final newline.
    const bytes = Buffer.concat([Buffer.from('name=ada&note=line1\r\nline2&x='), Buffer.from([0xc3, 0xa9, 0xff, 0x01])]);
    const body = file('body.bin', bytes);
    const result = await run([url('/echo', 'data-file'), '-X', 'POST', '-d', `@${body}`, '-s', 'sequential', '--json']);
    expectOk(result);
    const [request] = received('data-file');
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body.equals(bytes)).toBe(true);
    const report = parseJsonReport<Report>(result);
    expect(report.config.requests).toEqual({ methods: { POST: 1 }, bodies: true, bodyBytes: bytes.length });
    expect(report.fingerprint?.method).toBe('POST');
  });

  test('--data-json sets application/json; -H content-type wins over -d\'s default', SPAWN, async () => {
    const a = await runBuiltInProcess([url('/echo', 'json-a'), '--data-json', '{"a":1}', '-s', 'sequential', '-q']);
    const b = await runBuiltInProcess([url('/echo', 'json-b'), '-d', '<x/>', '-H', 'Content-Type: application/xml', '-X', 'PUT', '-s', 'sequential', '-q']);
    expectOk(a);
    expectOk(b);
    expect(received('json-a').map((r) => [r.method, r.headers['content-type'], r.body.toString()])).toEqual([['POST', 'application/json', '{"a":1}']]);
    expect(received('json-b').map((r) => [r.method, r.headers['content-type'], r.body.toString()])).toEqual([['PUT', 'application/xml', '<x/>']]);
  });

  test('a 303 after a POST is followed as a GET without the body; a 307 keeps POST and its body', SPAWN, async () => {
    const result = await runBuiltInProcess([url('/redirect-code/303?to=/echo%3Fcase%3Dafter-303', 'before-303'), url('/redirect-code/307?to=/echo%3Fcase%3Dafter-307', 'before-307'), '-d', 'k=v', '-s', 'sequential', '-q']);
    expectOk(result);
    expect(received('before-303').map((r) => r.method)).toEqual(['POST']);
    const after303 = received('after-303');
    expect(after303.map((r) => [r.method, r.body.length, r.headers['content-type']])).toEqual([['GET', 0, undefined]]);
    expect(received('after-307').map((r) => [r.method, r.body.toString(), r.headers['content-type']])).toEqual([['POST', 'k=v', 'application/x-www-form-urlencoded']]);
  });

  test('--retries resend a failed GET but never a POST, unless --retry-all', SPAWN, async () => {
    const post = await runBuiltInProcess([url('/flaky/503?fail=1', 'retry-post'), '-d', 'a=1', '--retries', '2', '-s', 'sequential', '-q']);
    const all = await runBuiltInProcess([url('/flaky/503?fail=1', 'retry-all'), '-d', 'a=1', '--retries', '2', '--retry-all', '-s', 'sequential', '-q']);
    expectOk(post);
    expectOk(all);
    expect(received('retry-post')).toHaveLength(1);
    expect(received('retry-all')).toHaveLength(2);
  });
});

describe('request lists', () => {
  test('-n 7 over 3 URLs makes 7 requests, cycling through them', SPAWN, async () => {
    const urls = ['/ok?u=a', '/ok?u=b', '/ok?u=c'].map((p) => url(p, 'cycle'));
    const result = await runBuiltInProcess([...urls, '-n', '7', '-s', 'sequential', '--json']);
    expectOk(result);
    expect(received('cycle').map((r) => /u=(\w)/.exec(r.path)?.[1])).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
    expect(parseJsonReport<Report>(result).config.count).toBe(7);
  });

  test('a three-line --requests file arrives in order under sequential, and as the same set under all and bounded', SPAWN, async () => {
    const requests = file('three.jsonl', [
      JSON.stringify({ method: 'POST', url: url('/echo?n=1', 'jsonl'), json: { name: 'one' } }),
      '# a comment, then a blank line',
      '',
      JSON.stringify({ method: 'put', url: url('/echo?n=2', 'jsonl'), headers: { 'X-Trace': 't-2' }, body: 'two' }),
      JSON.stringify({ url: url('/echo?n=3', 'jsonl') }),
    ].join('\n'));
    const shape = (r: ReceivedRequest): string => `${r.method} ${/n=(\d)/.exec(r.path)?.[1]} ${r.body.toString()} ${String(r.headers['content-type'] ?? '')} ${String(r.headers['x-trace'] ?? '')}`;
    const sequential = await runBuiltInProcess(['--requests', requests, '-s', 'sequential', '--json']);
    expectOk(sequential);
    const expected = ['POST 1 {"name":"one"} application/json ', 'PUT 2 two  t-2', 'GET 3   '];
    expect(received('jsonl').map(shape)).toEqual(expected);
    const report = parseJsonReport<Report>(sequential);
    expect(report.config.requests).toEqual({ methods: { POST: 1, PUT: 1, GET: 1 }, bodies: true, bodyBytes: 17 });
    expect(report.fingerprint?.method).toBe('GET,POST,PUT');
    server.log.splice(0, server.log.length);
    const concurrent = await runBuiltInProcess(['--requests', requests, '-s', 'all,bounded', '-c', '2', '-q']);
    expectOk(concurrent);
    const seen = received('jsonl').map(shape);
    expect(seen).toHaveLength(6);
    expect(seen.slice(0, 3).sort()).toEqual([...expected].sort());
    expect(seen.slice(3).sort()).toEqual([...expected].sort());
  });

  test('a malformed line of a request file is exit 2 naming its line, before any request', SPAWN, async () => {
    const requests = file('bad.jsonl', [JSON.stringify({ url: url('/ok', 'bad-line') }), '', '{"url": "http://127.0.0.1:1/", "method": POST}'].join('\n'));
    const result = await runBuiltInProcess(['--requests', requests]);
    expectUsageError(result, /bad\.jsonl:3 is not a JSON object/);
    expect(received('bad-line')).toHaveLength(0);
  });

  test('--har replays the recorded POST with its body, without cookies, pseudo-headers or framing headers', SPAWN, async () => {
    const host = `127.0.0.1:${server.port}`;
    const har = readFileSync(join(ROOT, 'fixtures/har/checkout.har'), 'utf8').replaceAll('shop.example.test', host).replaceAll('/api/', '/echo/api/');
    const path = file('checkout.har', har);
    const result = await runBuiltInProcess(['--har', path, '--har-filter', host, '-s', 'sequential', '--json']);
    expectOk(result);
    const replayed = server.log.filter((r) => r.path.startsWith('/echo/api/'));
    expect(replayed.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /echo/api/cart?currency=EUR', 'POST /echo/api/orders']);
    const post = replayed[1]!;
    expect(post.body.toString()).toBe('{"cart":"c-881","payment":"card","note":"ring twice"}');
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.headers.cookie).toBeUndefined();
    expect(post.headers.origin).toBe(`http://${host}`);
    // The CSRF token is a secret by name: it is sent, and never printed.
    expect(post.headers['x-csrf-token']).toBe('tok-9d1e5c');
    expect(result.stdout).not.toContain('tok-9d1e5c');
    expect(parseJsonReport<Report>(result).config.requests?.methods).toEqual({ GET: 1, POST: 1 });
  });
});

describe('placeholders and base URLs', () => {
  test('placeholders expand the same way in every strategy for the same seed', SPAWN, async () => {
    const template: RequestSpec = { method: 'POST', url: url('/echo?seq={{seq}}&r={{rand:1-1025}}', 'ph'), headers: { 'x-id': '{{uuid}}' }, body: '{"n":{{seq}},"r":{{rand:1-9}}}' };
    const result = await runBuiltInProcess([template.url, '-n', '4', '-H', 'X-Id: {{uuid}}', '-d', template.body as string, '--seed', '42', '-s', 'sequential,all,bounded', '-c', '2', '-q']);
    expectOk(result);
    // What the seed and the index alone give: the same requests in every strategy and every run.
    const expected = [0, 1, 2, 3].map((i) => expandRequest(template, 42, i)).map((r) => `${r.url.slice(server.url.length)} ${r.headers!['x-id']} ${String(r.body)}`);
    expect(expected[0]).toMatch(/^\/echo\?seq=0&r=\d+&case=ph [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} \{"n":0,"r":[1-9]\}$/);
    const seen = received('ph').map((r) => `${r.path} ${String(r.headers['x-id'])} ${r.body.toString()}`);
    expect(seen).toHaveLength(12);
    // The strategies run one after another (in a shuffled order): three groups of four, each the same set.
    for (const group of [seen.slice(0, 4), seen.slice(4, 8), seen.slice(8)]) expect(group.sort()).toEqual([...expected].sort());
  });

  test('--base-url sends the pokemon preset\'s paths to another server, and says so', SPAWN, async () => {
    const result = await runBuiltInProcess(['pokemon', '--base-url', `${server.url}/pk`, '-n', '3', '-s', 'sequential', '--seed', '7', '--no-color']);
    expectOk(result);
    const paths = server.log.filter((r) => r.path.startsWith('/pk/')).map((r) => r.path);
    expect(paths).toHaveLength(3);
    expect(paths.every((p) => /^\/pk\/api\/v2\/pokemon\/\d+$/.test(p))).toBe(true);
    expect(result.stdout).toContain(`live 127.0.0.1:${server.port}`);
  });

  test('--base-url (from ASYNC_BENCH_BASE_URL) runs both tmdb stages against it', SPAWN, async () => {
    const result = await runBuiltInProcess(['tmdb', '-n', '2', '-s', 'sequential', '-q'], { env: { ASYNC_BENCH_BASE_URL: server.url, TMDB_API_KEY: 'eyJ.a.b' } });
    expectOk(result);
    const tmdb = server.log.filter((r) => r.path.startsWith('/3/movie/')).map((r) => r.path.replace(/\?.*/, ''));
    expect(tmdb).toEqual(['/3/movie/now_playing', '/3/movie/11', '/3/movie/12']);
  });
});

describe('the fixture server takes writes', () => {
  test('jsonplaceholder --offline -X POST -n 20: 20 posts created (201) by every strategy', SPAWN, async () => {
    const result = await runBuiltInProcess(['jsonplaceholder', '--offline', '-X', 'POST', '-n', '20', '--latency', '0', '--json', '--details']);
    expectOk(result);
    const report = parseJsonReport<Report>(result);
    expect(report.results.map((r) => [r.strategy, r.ok, r.failed, r.statusCodes])).toEqual([
      ['sequential', 20, 0, { 201: 20 }],
      ['all', 20, 0, { 201: 20 }],
      ['bounded', 20, 0, { 201: 20 }],
    ]);
    expect(report.config.requests?.methods).toEqual({ POST: 20 });
    expect(report.results[0]!.samples?.every((s) => s.method === 'POST' && s.url.endsWith('/posts'))).toBe(true);
  });
});
