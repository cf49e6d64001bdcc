/**
 * The precision of --timeout, at the HTTP client (src/http/client.ts), on a fake clock: each
 * request's own setTimeout is its limit (undici's coarse timers are only a backstop a second
 * past it), so with vitest's fake setTimeout a request must still be pending 1 ms before its
 * limit and settle as 'timeout' exactly at it, whatever phase it is stuck in and however many
 * other requests are in flight. The sockets are real (a test server on 127.0.0.1); only the
 * clock is fake, so no assertion depends on how busy the machine is. The integration test
 * (test/integration/timeouts-redirects.test.ts) keeps loose real-time bounds.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestOutcome } from '../../src/core/types.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import { silentTcpServer, startTestServer, type SilentTcpServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let silent: SilentTcpServer;
const clients: HttpClient[] = [];

beforeAll(async () => {
  [server, silent] = await Promise.all([startTestServer(), silentTcpServer()]);
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await Promise.all([server.close(), silent.close()]);
});

/** A client whose per-request timer runs on the fake clock (only setTimeout is faked: I/O, setImmediate and intervals stay real). */
function fakeClockClient(timeoutMs: number): HttpClient {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const c = createHttpClient({ timeoutMs });
  clients.push(c);
  return c;
}

/** Real event-loop turns, each with a poll for I/O: lets bytes already on loopback be read. */
async function loopTurns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface Tracked {
  promise: Promise<RequestOutcome>;
  settled(): boolean;
}

function track(promise: Promise<RequestOutcome>): Tracked {
  let done = false;
  void promise.then(() => (done = true));
  return { promise, settled: () => done };
}

/** Pending at limit - 1 ms of fake time, settled as 'timeout' at the limit. */
async function expectCutOffExactlyAt(request: Tracked, limitMs: number): Promise<RequestOutcome> {
  vi.advanceTimersByTime(limitMs - 1);
  await loopTurns();
  expect(request.settled(), `settled before its ${limitMs} ms limit`).toBe(false);
  vi.advanceTimersByTime(1);
  await settledSoon(request);
  const outcome = await request.promise;
  expect(outcome.error).toBe('timeout');
  return outcome;
}

/** Real turns until the request settles: its timer has fired, only the abort's I/O is left. */
async function settledSoon(request: Tracked): Promise<void> {
  for (let i = 0; i < 10_000 && !request.settled(); i++) await loopTurns(1);
  expect(request.settled(), 'still pending once the fake clock passed its limit').toBe(true);
}

// Limits on both sides of a second: undici's own coarse timers behave differently below and above it.
const LIMITS = [300, 800, 1500] as const;

describe('--timeout precision on a fake clock: pending at limit - 1 ms, timeout at the limit', () => {
  it.each(LIMITS)('headers: a request read and never answered (limit %i ms)', async (limit) => {
    const c = fakeClockClient(limit);
    const tag = `/hang?unit-headers=${limit}`;
    const request = track(c.fetch(`${server.url}${tag}`));
    await server.waitFor(tag);
    const outcome = await expectCutOffExactlyAt(request, limit);
    expect(outcome).toMatchObject({ status: 0, bytes: 0 });
  });

  it.each(LIMITS)('body: headers at once, then silence (limit %i ms)', async (limit) => {
    const c = fakeClockClient(limit);
    const tag = `/trickle?every=60000&bytes=10&unit-body=${limit}`;
    const request = track(c.fetch(`${server.url}${tag}`));
    await server.waitFor(tag);
    await loopTurns(); // the headers, written at once, are read
    const outcome = await expectCutOffExactlyAt(request, limit);
    expect(outcome).toMatchObject({ status: 200, bytes: 0 });
  });

  it.each(LIMITS)('connect: a server that accepts and never sends a byte (limit %i ms)', async (limit) => {
    const c = fakeClockClient(limit);
    const before = silent.accepted;
    const request = track(c.fetch(`http://127.0.0.1:${silent.port}/`));
    for (let i = 0; i < 10_000 && silent.accepted === before; i++) await loopTurns(1);
    expect(silent.accepted).toBe(before + 1);
    const outcome = await expectCutOffExactlyAt(request, limit);
    expect(outcome).toMatchObject({ status: 0, bytes: 0 });
  });

  it('the timeout spans a redirect chain: 2 quick redirects to a request that hangs', async () => {
    const c = fakeClockClient(600);
    const request = track(c.fetch(`${server.url}/redirect/2?then=hang&tag=unit-chain`));
    await server.waitFor('tag=unit-chain', 3);
    await expectCutOffExactlyAt(request, 600);
  });

  it.each([
    ['headers', 800, '/hang'],
    ['headers', 1300, '/hang'],
    ['body', 800, '/trickle?every=60000&bytes=10'],
  ] as const)('%s, staggered: 10 requests started 50 ms apart each end exactly at their own %i ms, none early', async (_phase, limit, path) => {
    const c = fakeClockClient(limit);
    const requests: Tracked[] = [];
    for (let i = 0; i < 10; i++) {
      const tag = `${path}${path.includes('?') ? '&' : '?'}unit-staggered=${limit}-${i}`;
      requests.push(track(c.fetch(`${server.url}${tag}`)));
      await server.waitFor(tag);
      vi.advanceTimersByTime(50);
    }
    await loopTurns();
    // Fake time is now 500 ms; request i started at 50·i ms and must end at 50·i + limit.
    let now = 500;
    for (let i = 0; i < requests.length; i++) {
      const deadline = 50 * i + limit;
      vi.advanceTimersByTime(deadline - 1 - now);
      now = deadline - 1;
      await loopTurns();
      expect(requests.map((r) => r.settled()), `at ${now} ms`).toEqual(requests.map((_, k) => k < i));
      vi.advanceTimersByTime(1);
      now = deadline;
      await settledSoon(requests[i]!);
      expect((await requests[i]!.promise).error).toBe('timeout');
    }
  });
});
