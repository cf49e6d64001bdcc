/**
 * --timeout and --max-redirects at the HTTP client (createHttpClient), against hostile servers
 * on loopback, in real time.
 *
 * Timeouts: the limit covers connect, headers and body. Here, in real time, each phase gets a
 * server that stalls exactly there, and the request must end as 'timeout' at least at the limit
 * and under the limit plus 1 s (a loose bound: a busy machine delays timers, never fires them
 * early). The precision (pending 1 ms before the limit, cut off at it, staggered requests each at
 * their own) is a unit test on a fake clock: test/unit/client-timeout.test.ts.
 *   - connect: a listener whose accept queue is full, so the handshake itself hangs. Some network
 *     stacks complete handshakes regardless of the backlog (gVisor's does); there the test is
 *     skipped, and the phase is covered by a TCP server that accepts and never says a word (the
 *     request waits on the bare connection: nothing of HTTP ever arrives);
 *   - headers: an HTTP server that reads the request and never answers;
 *   - body: headers at once, then a body that trickles for seconds.
 * The latency measured is the request's own (around fetch), never a process's.
 *
 * Redirects: a chain of 3 is followed, 6 fails with the default limit of 5 as 'other', a loop
 * fails as 'other', and with maxRedirects 0 the 3xx itself is the answer.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, DEFAULT_MAX_REDIRECTS, type HttpClient, type HttpClientOptions } from '../../src/http/client.js';
import type { RequestOutcome } from '../../src/core/types.js';
import { silentTcpServer, stalledListener, startTestServer, type TestServer, type SilentTcpServer, type StalledListener } from '../helpers/test-server.js';

let server: TestServer;
let silent: SilentTcpServer;
let stalled: StalledListener;
const clients: HttpClient[] = [];

function client(options: Partial<HttpClientOptions> = {}): HttpClient {
  const c = createHttpClient({ timeoutMs: 5_000, ...options });
  clients.push(c);
  return c;
}

async function timedFetch(c: HttpClient, url: string): Promise<{ outcome: RequestOutcome; ms: number }> {
  const t0 = performance.now();
  const outcome = await c.fetch(url);
  return { outcome, ms: performance.now() - t0 };
}

/** Never before the limit (a timer may round down by a millisecond), and under the limit plus 1 s. */
function expectCutOffAtLimit(ms: number, limitMs: number): void {
  expect(ms, `took ${ms.toFixed(1)} ms for a limit of ${limitMs} ms`).toBeGreaterThanOrEqual(limitMs - 1);
  expect(ms, `took ${ms.toFixed(1)} ms for a limit of ${limitMs} ms`).toBeLessThan(limitMs + 1_000);
}

beforeAll(async () => {
  [server, silent, stalled] = await Promise.all([startTestServer(), silentTcpServer(), stalledListener()]);
});

afterAll(async () => {
  // Clients are closed once every test (concurrent ones included) has ended.
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all([server.close(), silent.close(), stalled.close()]);
});

// The waits overlap: each test waits on its own timers and sockets only.
describe.concurrent('--timeout covers connect, headers and body: at least the limit, under the limit plus 1 s', () => {
  it("connect: a handshake that never completes (full accept queue) times out as 'timeout'", async ({ skip, expect }) => {
    skip(!stalled.stalls, 'this network stack completes handshakes whatever the backlog (gVisor does): covered by the silent server below');
    const { outcome, ms } = await timedFetch(client({ timeoutMs: 300 }), `http://127.0.0.1:${stalled.port}/`);
    expect(outcome).toMatchObject({ error: 'timeout', status: 0, bytes: 0 });
    expectCutOffAtLimit(ms, 300);
  });

  it("connect: a server that accepts and never sends a byte times out as 'timeout'", async ({ expect }) => {
    const { outcome, ms } = await timedFetch(client({ timeoutMs: 300 }), `http://127.0.0.1:${silent.port}/`);
    expect(outcome).toMatchObject({ error: 'timeout', status: 0, bytes: 0 });
    expect(Number.isNaN(outcome.ttfbMs)).toBe(true);
    expectCutOffAtLimit(ms, 300);
    expect(silent.accepted).toBeGreaterThanOrEqual(1);
  });

  // Limits on both sides of a second: undici's own coarse timers behave differently below and above it.
  it.for([300, 1500])("headers: a request read and never answered times out as 'timeout' (limit %i ms)", async (limit, { expect }) => {
    const { outcome, ms } = await timedFetch(client({ timeoutMs: limit }), `${server.url}/hang?limit=${limit}`);
    expect(outcome).toMatchObject({ error: 'timeout', status: 0, bytes: 0 });
    expectCutOffAtLimit(ms, limit);
    expect(server.count(`/hang?limit=${limit}`)).toBe(1);
  });

  it("body: headers at once, then a body trickling for seconds, times out as 'timeout'", async ({ expect }) => {
    // 200 bytes, one every 20 ms: 4 s to arrive; no gap between bytes comes near the limit.
    const { outcome, ms } = await timedFetch(client({ timeoutMs: 300 }), `${server.url}/trickle?every=20&bytes=200&case=trickle`);
    expect(outcome.error).toBe('timeout');
    expect(outcome.status).toBe(200);
    expect(outcome.bytes).toBeGreaterThan(0);
    expect(outcome.bytes).toBeLessThan(200);
    expectCutOffAtLimit(ms, 300);
  });

  it("body: headers at once, then silence, times out as 'timeout'", async ({ expect }) => {
    // The first body byte would come after a minute.
    const { outcome, ms } = await timedFetch(client({ timeoutMs: 300 }), `${server.url}/trickle?every=60000&bytes=10&case=silence`);
    expect(outcome).toMatchObject({ error: 'timeout', status: 200, bytes: 0 });
    expectCutOffAtLimit(ms, 300);
  });

  it('many at once: each of 20 requests that hang is cut off at its own limit', async ({ expect }) => {
    const c = client({ timeoutMs: 500 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => timedFetch(c, `${server.url}/hang?many=${i}`)));
    for (const { outcome, ms } of results) {
      expect(outcome.error).toBe('timeout');
      expectCutOffAtLimit(ms, 500);
    }
  });

  it('a body that arrives in time is not cut off: the limit is on the whole request, not a race', async ({ expect }) => {
    // 10 bytes × 20 ms = 200 ms, limit 3000 ms: far inside it.
    const { outcome, ms } = await timedFetch(client({ timeoutMs: 3_000 }), `${server.url}/trickle?every=20&bytes=10&case=in-time`);
    expect(outcome).toMatchObject({ error: null, status: 200, bytes: 10 });
    expect(ms).toBeLessThan(3_000);
  });

  it('the timeout spans the whole chain: 2 quick redirects to a server that hangs time out at the limit', async ({ expect }) => {
    const { outcome, ms } = await timedFetch(client({ timeoutMs: 600 }), `${server.url}/redirect/2?then=hang&tag=chain-hang`);
    expect(outcome.error).toBe('timeout');
    expectCutOffAtLimit(ms, 600);
    // Never past the chain's 3 requests; on a starved loop the client may give up before all
    // arrive, so the exact hops are the fake-clock unit test's (test/unit/client-timeout.test.ts).
    expect(server.count('tag=chain-hang')).toBeLessThanOrEqual(3);
  });
});

// Apart from the timing tests above: 20 MB through this process's own loop would starve them.
describe('large bodies', () => {
  it('a 20 MB body inside the limit is read to the end and counted, not kept', async () => {
    const { outcome } = await timedFetch(client({ timeoutMs: 30_000 }), `${server.url}/big?mb=20`);
    expect(outcome).toMatchObject({ error: null, status: 200, bytes: 20 * 1024 * 1024 });
    expect(outcome.body).toBeUndefined();
  });

});

describe('redirects (--max-redirects, default 5)', () => {
  it('the default limit is 5', () => {
    expect(DEFAULT_MAX_REDIRECTS).toBe(5);
  });

  it('a chain of 3 is followed to its 200 (relative and absolute Location)', async () => {
    for (const kind of ['redirect', 'redirect-abs']) {
      const tag = `chain3-${kind}`;
      const outcome = await client().fetch(`${server.url}/${kind}/3?tag=${tag}`);
      expect(outcome).toMatchObject({ error: null, status: 200, bytes: 2 });
      expect(server.count(`tag=${tag}`)).toBe(4); // the first request and 3 redirects
    }
  });

  it("a chain of 6 fails with the default limit, as 'other', after following 5", async () => {
    const outcome = await client().fetch(`${server.url}/redirect/6?tag=chain6`);
    expect(outcome.error).toBe('other');
    expect(server.count('tag=chain6')).toBe(6); // the first request and 5 redirects, then it stops
  });

  it('a chain of exactly the limit is followed; one more fails (limit 2)', async () => {
    expect(await client({ maxRedirects: 2 }).fetch(`${server.url}/redirect/2?tag=lim2-ok`)).toMatchObject({ error: null, status: 200 });
    expect((await client({ maxRedirects: 2 }).fetch(`${server.url}/redirect/3?tag=lim2-fail`)).error).toBe('other');
    expect(server.count('tag=lim2-fail')).toBe(3);
  });

  it("a redirect loop fails as 'other', after a bounded number of requests", async () => {
    const t0 = performance.now();
    const outcome = await client().fetch(`${server.url}/loop?tag=loop-default`);
    expect(outcome.error).toBe('other');
    // Never more than the first request and the limit's worth of redirects (undici may see the loop sooner).
    expect(server.count('tag=loop-default')).toBeGreaterThanOrEqual(1);
    expect(server.count('tag=loop-default')).toBeLessThanOrEqual(DEFAULT_MAX_REDIRECTS + 1);
    expect(performance.now() - t0).toBeLessThan(5_000);
    const limited = await client({ maxRedirects: 1 }).fetch(`${server.url}/loop?tag=loop-1`);
    expect(limited.error).toBe('other');
    expect(server.count('tag=loop-1')).toBeLessThanOrEqual(2);
  });

  it('maxRedirects 0 follows none: the 3xx itself is the answer, not a failure', async () => {
    const outcome = await client({ maxRedirects: 0 }).fetch(`${server.url}/redirect/3?tag=zero`);
    expect(outcome).toMatchObject({ error: null, status: 302 });
    expect(server.count('tag=zero')).toBe(1);
    const loop = await client({ maxRedirects: 0 }).fetch(`${server.url}/loop?tag=zero-loop`);
    expect(loop).toMatchObject({ error: null, status: 302 });
    expect(server.count('tag=zero-loop')).toBe(1);
  });
});
