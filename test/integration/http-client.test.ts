/**
 * The HTTP client against a real server on loopback: statuses, byte counts, and every failure
 * class it promises (timeout on headers and on body, connect, reset, aborted, dns), resolved,
 * never thrown.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/http/client.js';
import { bodyOfSize, closedPort, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const clients: HttpClient[] = [];

/** A client closed after the test. */
function client(options: Partial<HttpClientOptions> = {}): HttpClient {
  const c = createHttpClient({ timeoutMs: 5_000, ...options });
  clients.push(c);
  return c;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

beforeAll(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await server.close();
});

describe('createHttpClient: responses', () => {
  it('returns the status and the exact byte count of the body', async () => {
    const outcome = await client().fetch(`${server.url}/ok?bytes=123457`);
    expect(outcome.status).toBe(200);
    expect(outcome.bytes).toBe(123457);
    expect(outcome.error).toBeNull();
    expect(Number.isFinite(outcome.ttfbMs)).toBe(true);
    expect(outcome.ttfbMs).toBeGreaterThanOrEqual(0);
    expect(outcome.body).toBeUndefined(); // bodies are counted, not kept, unless asked
  });

  it('counts an empty body as 0 bytes', async () => {
    const outcome = await client().fetch(`${server.url}/ok?bytes=0`);
    expect(outcome).toMatchObject({ status: 200, bytes: 0, error: null });
  });

  it('keeps the body text when asked', async () => {
    const outcome = await client().fetch(`${server.url}/ok?bytes=100`, true);
    expect(outcome.error).toBeNull();
    expect(outcome.body).toBe(bodyOfSize(100).toString('utf8'));
    expect(outcome.bytes).toBe(100);
  });

  it.each([
    [400, 'http4xx'],
    [404, 'http4xx'],
    [429, 'http4xx'],
    [499, 'http4xx'],
    [500, 'http5xx'],
    [503, 'http5xx'],
  ] as const)('classifies status %i as %s and still reads its body', async (status, error) => {
    const outcome = await client().fetch(`${server.url}/status/${status}`);
    expect(outcome.status).toBe(status);
    expect(outcome.error).toBe(error);
    expect(outcome.bytes).toBe(`status ${status}`.length);
  });

  it.each([200, 201, 204, 302, 399])('counts status %i as success', async (status) => {
    const outcome = await client().fetch(`${server.url}/status/${status}`);
    expect(outcome.status).toBe(status);
    expect(outcome.error).toBeNull();
  });

  it('sends the configured headers and a user-agent', async () => {
    const outcome = await client({ headers: { 'x-bench': 'yes' } }).fetch(`${server.url}/echo`, true);
    expect(outcome.error).toBeNull();
    const echoed = JSON.parse(outcome.body ?? '{}') as { method: string; headers: Record<string, string> };
    expect(echoed.method).toBe('GET');
    expect(echoed.headers['x-bench']).toBe('yes');
    expect(echoed.headers['user-agent']).toMatch(/async-bench/);
  });

  it('does not limit connections per origin: 12 concurrent fetches are 12 requests in flight', async () => {
    const c = client();
    server.reset();
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => c.fetch(`${server.url}/delay/200`)));
    expect(outcomes.every((o) => o.error === null && o.status === 200)).toBe(true);
    expect(server.stats.peakConcurrent).toBe(12);
  });
});

describe('createHttpClient: failures are classified', () => {
  it("times out waiting for headers (/hang) as 'timeout', soon after the limit", async () => {
    const { value: outcome, ms } = await timed(() => client({ timeoutMs: 300 }).fetch(`${server.url}/hang`));
    expect(outcome.error).toBe('timeout');
    expect(outcome.status).toBe(0);
    // At least the limit, under the limit plus 1 s: precision is test/unit/client-timeout.test.ts.
    expect(ms).toBeGreaterThanOrEqual(299);
    expect(ms).toBeLessThan(1_300);
  });

  it("times out a body that trickles past the limit as 'timeout' (the limit covers the body)", async () => {
    // One byte every 50 ms: no single gap reaches the limit, only the total does.
    const { value: outcome, ms } = await timed(() => client({ timeoutMs: 300 }).fetch(`${server.url}/trickle?every=50`));
    expect(outcome.error).toBe('timeout');
    expect(outcome.status).toBe(200);
    expect(outcome.bytes).toBeGreaterThan(0);
    // At least the limit, under the limit plus 1 s: precision is test/unit/client-timeout.test.ts.
    expect(ms).toBeGreaterThanOrEqual(299);
    expect(ms).toBeLessThan(1_300);
  });

  it("reports a refused port as 'connect'", async () => {
    const port = await closedPort();
    const outcome = await client().fetch(`http://127.0.0.1:${port}/`);
    expect(outcome.error).toBe('connect');
    expect(outcome.status).toBe(0);
    expect(outcome.bytes).toBe(0);
  });

  it("reports a socket destroyed before any response as 'reset'", async () => {
    const outcome = await client().fetch(`${server.url}/reset-before`);
    expect(outcome.error).toBe('reset');
    expect(outcome.status).toBe(0);
  });

  it("reports a socket destroyed after the headers, mid-body, as 'reset'", async () => {
    const outcome = await client().fetch(`${server.url}/reset-after`);
    expect(outcome.error).toBe('reset');
    expect(outcome.status).toBe(200);
    expect(outcome.bytes).toBeLessThan(1000);
  });

  it("reports requests cut off by the outer signal as 'aborted', at once", async () => {
    const controller = new AbortController();
    const c = client({ signal: controller.signal, timeoutMs: 10_000 });
    const pending = Promise.all([c.fetch(`${server.url}/hang?abort=1`), c.fetch(`${server.url}/trickle?abort=1`)]);
    // Both in flight at the server, then the abort (an event, not a guess at how long that takes).
    await server.waitFor('abort=1', 2);
    controller.abort();
    const { value: outcomes, ms } = await timed(() => pending);
    expect(outcomes.map((o) => o.error)).toEqual(['aborted', 'aborted']);
    expect(ms).toBeLessThan(5_000); // far below the 10 s timeout
  });

  it("does not send a request once the outer signal is aborted, and reports it as 'aborted'", async () => {
    const controller = new AbortController();
    controller.abort();
    server.reset();
    const outcome = await client({ signal: controller.signal }).fetch(`${server.url}/ok`);
    expect(outcome.error).toBe('aborted');
    expect(server.stats.requests).toBe(0);
  });

  it("reports a name that cannot resolve as 'dns'", async () => {
    const outcome = await client({ timeoutMs: 5_000 }).fetch('http://does-not-exist.invalid/');
    expect(outcome.error).toBe('dns');
    expect(outcome.status).toBe(0);
  });

  it('never rejects, whatever goes wrong', async () => {
    const port = await closedPort();
    const controller = new AbortController();
    const c = client({ timeoutMs: 300, signal: controller.signal });
    const urls = [
      `${server.url}/ok`,
      `${server.url}/status/500`,
      `${server.url}/hang`,
      `${server.url}/trickle`,
      `${server.url}/reset-before`,
      `${server.url}/reset-after`,
      `http://127.0.0.1:${port}/`,
      'http://does-not-exist.invalid/',
      'not a url at all',
      'ftp://127.0.0.1/',
    ];
    const settled = await Promise.allSettled(urls.map((u) => c.fetch(u)));
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    const errors = settled.map((s) => (s.status === 'fulfilled' ? s.value.error : 'rejected'));
    expect(errors.slice(0, 8)).toEqual([null, 'http5xx', 'timeout', 'timeout', 'reset', 'reset', 'connect', 'dns']);
    // Whatever class the malformed ones get, they are outcomes with a class, not exceptions.
    for (const error of errors.slice(8)) expect(error).not.toBeNull();
  });

  it('can be closed after requests failed, and twice', async () => {
    const c = createHttpClient({ timeoutMs: 200 });
    await c.fetch(`${server.url}/hang`);
    await expect(c.close()).resolves.toBeUndefined();
    await expect(c.close()).resolves.toBeUndefined();
  });
});

describe('createHttpClient: credentials in the URL', () => {
  it('sends user:password@ as Basic authentication and keeps it out of the request line', async () => {
    server.reset();
    const url = server.url.replace('http://', 'http://ann%40example:s%3Acret@');
    const outcome = await client().fetch(`${url}/ok?bytes=2`);
    expect(outcome.error).toBeNull();
    const received = server.stats.log.at(-1);
    expect(received?.headers.authorization).toBe(`Basic ${Buffer.from('ann@example:s:cret').toString('base64')}`);
    expect(received?.path).toBe('/ok?bytes=2');
  });
});
