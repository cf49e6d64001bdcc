/**
 * The HTTP client's --timeout, to the millisecond, on vitest's fake timers: the request
 * handler's own timer (a global setTimeout) is the limit, so with setTimeout faked the request
 * fails as `timeout` exactly when fake time reaches the limit, never a millisecond before,
 * whatever the real time. The server is real (loopback) and never answers; the wait for it to
 * receive the request is an event, not a sleep. undici's own coarse timers (the backstop, set
 * a second past the limit, firing up to half a second early) run on the same fake clock and
 * must not cut the request first.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestOutcome } from '../../src/core/types.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';

let server: Server;
let url = '';
/** Requests the server has received and left hanging, in arrival order. */
const received: IncomingMessage[] = [];
const waiters: Array<() => void> = [];

/** Resolves once the server has received `count` requests in all (real I/O, no timer). */
function requestsReceived(count: number): Promise<void> {
  if (received.length >= count) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const check = (): void => {
      if (received.length >= count) resolve();
      else waiters.push(check);
    };
    waiters.push(check);
  });
}

/** Resolves when the server sees the request's connection closed (the client cut it off). */
function closedByClient(req: IncomingMessage): Promise<void> {
  return new Promise<void>((resolve) => {
    if (req.socket.destroyed) resolve();
    else req.socket.once('close', () => resolve());
  });
}

/** Several real loop turns: lets socket I/O callbacks (nothing here is on a timer) run. */
async function realTurns(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

beforeAll(async () => {
  server = createServer((req) => {
    received.push(req); // never answers
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let client: HttpClient | null = null;

afterEach(async () => {
  vi.useRealTimers();
  server.closeAllConnections(); // a request left hanging by a failed test must not hold close() up
  await client?.close();
  client = null;
});

describe('createHttpClient: the timeout fires exactly at the limit (fake timers)', () => {
  it.each([250, 1_000, 2_500])('limit %i ms: pending at limit - 1, timeout at the limit', async (limit) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    client = createHttpClient({ timeoutMs: limit });
    const before = received.length;
    let outcome: RequestOutcome | undefined;
    const pending = client.fetch(`${url}/hang`).then((o) => (outcome = o));
    await requestsReceived(before + 1);
    const req = received[before]!;
    expect(req.url).toBe('/hang');
    expect(vi.getTimerCount()).toBeGreaterThan(0); // the handler's timer is on the fake clock

    await vi.advanceTimersByTimeAsync(limit - 1);
    await realTurns();
    expect(outcome).toBeUndefined();
    expect(req.socket.destroyed).toBe(false); // nothing cut the request early, undici's timers included

    await vi.advanceTimersByTimeAsync(1);
    await realTurns(); // settled by fake time reaching the limit, within a few loop turns
    expect(outcome).toBeDefined();
    const result = await pending;
    expect(result).toMatchObject({ error: 'timeout', status: 0, bytes: 0 });
    expect(Number.isNaN(result.ttfbMs)).toBe(true);
    await closedByClient(req); // the request was cut off at the server too, not left open
    expect(req.socket.destroyed).toBe(true);
  });

  it('two requests with one limit, sent 400 fake ms apart, each time out at its own limit', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const limit = 1_000;
    client = createHttpClient({ timeoutMs: limit });
    const before = received.length;
    const outcomes: Array<RequestOutcome | undefined> = [undefined, undefined];
    const first = client.fetch(`${url}/hang?n=1`).then((o) => (outcomes[0] = o));
    await requestsReceived(before + 1);
    await vi.advanceTimersByTimeAsync(400);
    const second = client.fetch(`${url}/hang?n=2`).then((o) => (outcomes[1] = o));
    await requestsReceived(before + 2);

    await vi.advanceTimersByTimeAsync(limit - 400 - 1); // fake t = 999
    await realTurns();
    expect(outcomes).toEqual([undefined, undefined]);
    await vi.advanceTimersByTimeAsync(1); // t = 1000: the first one's limit
    await realTurns();
    expect(outcomes[0]?.error).toBe('timeout');
    expect(outcomes[1]).toBeUndefined();
    await vi.advanceTimersByTimeAsync(399); // t = 1399
    await realTurns();
    expect(outcomes[1]).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1); // t = 1400: the second one's limit
    await realTurns();
    expect(outcomes[1]?.error).toBe('timeout');
    await Promise.all([first, second]);
  });
});
