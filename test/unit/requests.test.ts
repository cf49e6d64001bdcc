/**
 * The request model (issue 13), pure parts: placeholders with exact values for a seed, request
 * sources (cycling, shape), which methods are retried, request-file lines, HAR entries, secrets
 * in bodies, and the fixture server's write routes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secretsInBody } from '../../src/core/redact.js';
import { checkPlaceholders, expandRequest, isIdempotent, parseMethod, specListSource, urlListSource, type RequestSpec } from '../../src/core/request.js';
import { RETRY_DEFAULTS, withRetries } from '../../src/core/retry.js';
import { loadFixtureData } from '../../src/fixture-server/data.js';
import { jsonplaceholderWriteRoute } from '../../src/fixture-server/routes/jsonplaceholder.js';
import type { FixtureRequest } from '../../src/fixture-server/routes/types.js';
import { harRequests } from '../../src/targets/har.js';
import { readBodyArgument } from '../../src/targets/request-body.js';
import { parseRequestLine } from '../../src/targets/request-file.js';
import { jsonplaceholderPreset } from '../../src/targets/presets/jsonplaceholder.js';
import { ROOT } from '../helpers/cli.js';
import { usageMessage } from '../helpers/expectations.js';

const dir = mkdtempSync(join(tmpdir(), 'async-bench-requests-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('placeholders', () => {
  const spec: RequestSpec = { method: 'POST', url: 'http://h/x/{{seq}}?r={{rand:1-1025}}', headers: { 'x-id': '{{uuid}}' }, body: '{"r":{{rand:1-9}}}' };

  it('fill in per index, the same for the same seed and index (URL, then headers, then body)', () => {
    expect([0, 1, 2].map((i) => expandRequest(spec, 42, i))).toEqual([
      { method: 'POST', url: 'http://h/x/0?r=586', headers: { 'x-id': 'd3ce61b1-46f0-4c6e-ba73-4140c34ffeeb' }, body: '{"r":9}' },
      { method: 'POST', url: 'http://h/x/1?r=894', headers: { 'x-id': '15c53c1e-6896-453d-b950-abc26aec063e' }, body: '{"r":5}' },
      { method: 'POST', url: 'http://h/x/2?r=92', headers: { 'x-id': '626ff006-cce1-42dc-835e-a26a8b422f88' }, body: '{"r":1}' },
    ]);
    expect(expandRequest(spec, 42, 1)).toEqual(expandRequest(spec, 42, 1));
    expect(expandRequest(spec, 43, 1).url).not.toBe(expandRequest(spec, 42, 1).url);
  });

  it('stay within their range', () => {
    const values = Array.from({ length: 500 }, (_, i) => Number(expandRequest({ method: 'GET', url: 'http://h/{{rand:3-5}}', headers: null, body: null }, 1, i).url.slice(9)));
    expect(new Set(values)).toEqual(new Set([3, 4, 5]));
  });

  it('refuse unknown names and bad ranges, naming them', () => {
    expect(usageMessage(() => checkPlaceholders('a {{sequence}}', '--data'))).toBe("--data: unknown placeholder '{{sequence}}'; use {{seq}}, {{rand:MIN-MAX}} or {{uuid}}");
    expect(usageMessage(() => checkPlaceholders('{{rand:9-1}}', 'URL'))).toMatch(/needs a range of whole numbers from low to high/);
    expect(checkPlaceholders('{"n":{{seq}},"id":"{{uuid}}","r":{{rand:5-9}}}', 'x')).toBe('{"n":0,"id":"00000000-0000-4000-8000-000000000000","r":5}');
  });
});

describe('request sources', () => {
  it('cycle a URL list to the count, storing only the URLs', () => {
    const source = urlListSource(['http://h/a', 'http://h/b', 'http://h/c'], { method: 'GET', headers: null, body: null }, 7, 1);
    expect(Array.from({ length: source.count }, (_, i) => source.at(i).url.slice(9))).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
    expect(source.shape()).toEqual({ methods: { GET: 7 }, bodies: false, bodyBytes: 0 });
  });

  it('count body bytes exactly, templated bodies request by request', () => {
    const fixed = urlListSource(['http://h/p'], { method: 'PUT', headers: null, body: Buffer.from('héllo') }, 4, 1);
    expect(fixed.shape()).toEqual({ methods: { PUT: 4 }, bodies: true, bodyBytes: 24 });
    const templated = urlListSource(['http://h/p'], { method: 'POST', headers: null, body: 'n={{seq}}' }, 12, 1);
    expect(templated.shape()).toEqual({ methods: { POST: 12 }, bodies: true, bodyBytes: 10 * 3 + 2 * 4 });
  });

  it('keep the methods of a request list; a HAR list is literal', () => {
    const specs: RequestSpec[] = [
      { method: 'POST', url: 'http://h/{{seq}}', headers: null, body: 'x' },
      { method: 'DELETE', url: 'http://h/d', headers: null, body: null },
    ];
    const source = specListSource(specs, 3, 1);
    expect([0, 1, 2].map((i) => `${source.methodAt(i)} ${source.at(i).url}`)).toEqual(['POST http://h/0', 'DELETE http://h/d', 'POST http://h/2']);
    expect(source.shape()).toEqual({ methods: { POST: 2, DELETE: 1 }, bodies: true, bodyBytes: 2 });
    expect(specListSource(specs, 1, 1, true).at(0).url).toBe('http://h/{{seq}}');
  });

  it('retry only idempotent methods unless told otherwise', async () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false);
    let calls = 0;
    const failing = async () => {
      calls++;
      return { status: 503, bytes: 0, ttfbMs: 1, error: 'http5xx' as const };
    };
    const policy = { ...RETRY_DEFAULTS, retries: 3, random: () => 0, sleep: async () => {}, clock: () => 0 };
    await withRetries(failing, { ...policy, mayRetry: () => false })(0);
    expect(calls).toBe(1);
    await withRetries(failing, { ...policy, mayRetry: () => true })(0);
    expect(calls).toBe(1 + 4);
  });

  it('parse methods as HTTP tokens', () => {
    expect(parseMethod('patch')).toBe('PATCH');
    expect(usageMessage(() => parseMethod('PO ST'))).toMatch(/--method must be an HTTP method/);
    expect(usageMessage(() => parseMethod('connect'))).toMatch(/CONNECT opens a tunnel/);
  });
});

describe('bodies from the command line and request files', () => {
  it('-d @file keeps the bytes; --data-json checks the JSON without quoting it', () => {
    const path = join(dir, 'b.bin');
    writeFileSync(path, Buffer.from([0x61, 0x0d, 0x0a, 0xff]));
    expect(readBodyArgument({ text: `@${path}`, json: false })).toEqual({ body: Buffer.from([0x61, 0x0d, 0x0a, 0xff]), contentType: 'application/x-www-form-urlencoded' });
    expect(readBodyArgument({ text: '{"n":{{seq}}}', json: true })).toEqual({ body: '{"n":{{seq}}}', contentType: 'application/json' });
    expect(usageMessage(() => readBodyArgument({ text: '{"password":"hunter2"', json: true }))).toBe('--data-json is not valid JSON (check quotes, commas and brackets)');
  });

  const context = { where: 'r.jsonl:4', baseDir: dir, defaultMethod: 'GET', bodyFiles: new Map(), redaction: undefined };

  it('read a line: json is serialised with its content type, method upper-cased, headers lower-cased', () => {
    expect(parseRequestLine('{"method":"post","url":"http://h/p","headers":{"X-A":"1"},"json":{"a":[1,2]}}', context)).toEqual({
      method: 'POST',
      url: 'http://h/p',
      headers: { 'x-a': '1', 'content-type': 'application/json' },
      body: '{"a":[1,2]}',
    });
    writeFileSync(join(dir, 'payload.txt'), 'from a file');
    expect(parseRequestLine('{"method":"PUT","url":"http://h/p","bodyFile":"payload.txt"}', context).body).toEqual(Buffer.from('from a file'));
  });

  it.each([
    ['not JSON', '{"url": x}', /^r\.jsonl:4 is not a JSON object/],
    ['an array', '[1]', /^r\.jsonl:4 is not a JSON object/],
    ['no url', '{"method":"GET"}', /^r\.jsonl:4: "url" is missing/],
    ['an unknown field', '{"url":"http://h/","data":"x"}', /^r\.jsonl:4: unknown field 'data'/],
    ['two bodies', '{"method":"POST","url":"http://h/","body":"a","json":1}', /give one of "body", "json" or "bodyFile", not body and json/],
    ['a GET with a body', '{"url":"http://h/","body":"a"}', /a GET request cannot carry a body/],
    ['a bad URL', '{"url":"ftp://h/"}', /URL at r\.jsonl:4.*only http and https/],
    ['a framing header', '{"url":"http://h/","headers":{"Content-Length":"3"}}', /header 'Content-Length' cannot be set/],
    ['a missing body file', '{"method":"POST","url":"http://h/","bodyFile":"nope.bin"}', /cannot read body file .*nope\.bin.*no such file/],
  ])('refuse %s, naming the line', (_label, line, message) => {
    expect(usageMessage(() => parseRequestLine(line, context))).toMatch(message);
  });
});

describe('HAR', () => {
  const har = JSON.parse(readFileSync(join(ROOT, 'fixtures/har/checkout.har'), 'utf8')) as unknown;

  it('replays http(s) entries with method, URL, headers and body; drops pseudo, hop-by-hop, framing headers and cookies', () => {
    const specs = harRequests(har, 'checkout.har', { filter: null, cookies: false });
    expect(specs.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET http://shop.example.test/api/cart?currency=EUR',
      'POST http://shop.example.test/api/orders',
      'GET http://cdn.example.test/img/logo.svg',
    ]);
    expect(specs[1]).toEqual({
      method: 'POST',
      url: 'http://shop.example.test/api/orders',
      headers: { accept: 'application/json', 'content-type': 'application/json', origin: 'http://shop.example.test', 'x-csrf-token': 'tok-9d1e5c' },
      body: '{"cart":"c-881","payment":"card","note":"ring twice"}',
    });
    expect(specs[2]!.headers).toEqual({ accept: 'image/avif,image/webp,image/svg+xml,*/*;q=0.8' });
  });

  it('keeps cookies with --har-cookies, and filters by host or by regular expression', () => {
    expect(harRequests(har, 'h', { filter: 'shop.example.test', cookies: true }).map((s) => s.headers?.cookie)).toEqual(['sid=c0ffee42; theme=dark', 'sid=c0ffee42; theme=dark']);
    expect(harRequests(har, 'h', { filter: '/img/.*\\.svg$', cookies: false }).map((s) => s.url)).toEqual(['http://cdn.example.test/img/logo.svg']);
    expect(usageMessage(() => harRequests(har, 'h', { filter: 'nothing.example', cookies: false }))).toBe("no requests to replay in 'h' match --har-filter 'nothing.example'");
    expect(usageMessage(() => harRequests({ log: {} }, 'x.har', { filter: null, cookies: false }))).toMatch(/'x\.har' is not a HAR file/);
  });
});

describe('secrets in bodies', () => {
  it('finds secret-named fields of JSON and form bodies', () => {
    expect(secretsInBody('{"user":"ada","password":"hunter22","nested":{"api_key":"k-1234"}}')).toEqual(['hunter22', 'k-1234']);
    expect(secretsInBody('user=ada&token=t0k3n')).toEqual(['t0k3n']);
    expect(secretsInBody(null)).toEqual([]);
  });
});

describe('fixture server writes (jsonplaceholder)', () => {
  const route = jsonplaceholderWriteRoute(loadFixtureData().jsonplaceholder);
  const request = (method: string, path: string, body = '', type = 'application/json'): FixtureRequest => ({
    path,
    query: new URLSearchParams(),
    origin: 'http://127.0.0.1:1',
    headers: { 'content-type': type },
    method,
    body,
  });

  it('POST /posts → 201 with the body and id 101; PUT, PATCH, DELETE /posts/{id} → 200', () => {
    // json-server indents with two spaces, as the real service does.
    const indented = (value: unknown): string => JSON.stringify(value, null, 2);
    expect(route(request('POST', '/posts', '{"title":"t","userId":3}'))).toMatchObject({ status: 201, body: indented({ title: 't', userId: 3, id: 101 }) });
    expect(route(request('POST', '/posts', 'title=t&userId=3', 'application/x-www-form-urlencoded'))?.body).toBe(indented({ title: 't', userId: '3', id: 101 }));
    expect(route(request('PUT', '/posts/7', '{"title":"new"}'))).toMatchObject({ status: 200, body: indented({ title: 'new', id: 7 }) });
    const patched = JSON.parse(route(request('PATCH', '/posts/7', '{"title":"new"}'))!.body) as Record<string, unknown>;
    expect(patched).toMatchObject({ id: 7, title: 'new', userId: 1 });
    expect(JSON.parse(route(request('DELETE', '/posts/7'))!.body)).toEqual({});
    expect(route(request('PUT', '/posts/999', '{}'))?.status).toBe(404);
    expect(route(request('POST', '/api/v2/pokemon'))).toBeNull();
  });

  it('the preset writes a generated body per request for -X POST', () => {
    const writes = jsonplaceholderPreset.writes!('POST', { count: 3, seed: 1, baseUrl: 'http://b' });
    expect(writes.urls).toEqual(['http://b/posts']);
    expect(JSON.parse(checkPlaceholders(writes.body!, 'x'))).toMatchObject({ title: 'async-bench post 0', userId: 1 });
    expect(jsonplaceholderPreset.writes!('DELETE', { count: 2, seed: 1, baseUrl: 'http://b' }).body).toBeNull();
  });
});
