/**
 * Retries (src/core/retry.ts), pure: which outcomes are worth another try, how long to wait
 * before it (full jitter, Retry-After capped), and what withRetries reports (attempts, the
 * first try's latency, 'aborted' when cut off while waiting). Time is a FakeClock; the fixture
 * server's handler is called in-process with stand-in request and response objects, to show
 * that the attempt header makes a retry meet a fresh fault draw.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/core/rate-limit.js';
import { backoffMs, isRetryable, RETRY_DEFAULTS, withRetries, type RetryPolicy } from '../../src/core/retry.js';
import type { ErrorClass, RequestFn, RequestOutcome } from '../../src/core/types.js';
import { createSleeper } from '../../src/run/sleep.js';
import { loadFixtureData } from '../../src/fixture-server/data.js';
import { ATTEMPT_HEADER } from '../../src/fixture-server/protocol.js';
import { createFixtureHandler } from '../../src/fixture-server/server.js';
import { FakeClock } from '../helpers/fake-clock.js';

const outcome = (error: ErrorClass | null, status = 0, extra: Partial<RequestOutcome> = {}): RequestOutcome => ({
  status,
  bytes: 0,
  ttfbMs: status > 0 ? 1 : Number.NaN,
  error,
  ...extra,
});
const ok = (): RequestOutcome => outcome(null, 200);

describe('isRetryable', () => {
  it.each([
    // Broken connections and slow servers: worth another try.
    ['timeout', 0, true],
    ['connect', 0, true],
    ['reset', 0, true],
    // Statuses that mean "busy, try later".
    ['http4xx', 408, true],
    ['http4xx', 425, true],
    ['http4xx', 429, true],
    ['http5xx', 500, true],
    ['http5xx', 502, true],
    ['http5xx', 503, true],
    ['http5xx', 504, true],
    // A request that is wrong stays wrong.
    ['http4xx', 400, false],
    ['http4xx', 401, false],
    ['http4xx', 403, false],
    ['http4xx', 404, false],
    ['http4xx', 410, false],
    ['http4xx', 422, false],
    ['http5xx', 501, false],
    ['http5xx', 505, false],
    // Failures a retry cannot fix, and the user's own Ctrl-C.
    ['dns', 0, false],
    ['tls', 0, false],
    ['other', 0, false],
    ['aborted', 0, false],
  ] as const)('%s with status %i -> %s', (error, status, expected) => {
    expect(isRetryable(outcome(error, status))).toBe(expected);
  });

  it('a success is never retried, whatever its status', () => {
    for (const status of [200, 204, 301, 302, 304]) expect(isRetryable(outcome(null, status))).toBe(false);
  });
});

describe('backoffMs', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 };

  it('is full jitter: random × min(cap, base × 2^retry)', () => {
    const half = { ...policy, random: () => 0.5 };
    expect([0, 1, 2, 3, 4, 5].map((k) => backoffMs(k, outcome('reset'), half))).toEqual([50, 100, 200, 400, 800, 1600]);
    // The ceiling stops growing at maxDelayMs.
    expect(backoffMs(6, outcome('reset'), half)).toBe(2_500); // 6400 capped to 5000
    expect(backoffMs(30, outcome('reset'), half)).toBe(2_500);
  });

  it('spans 0 up to the ceiling as random goes from 0 to almost 1', () => {
    expect(backoffMs(3, outcome('timeout'), { ...policy, random: () => 0 })).toBe(0);
    const top = backoffMs(3, outcome('timeout'), { ...policy, random: () => 0.999999 });
    expect(top).toBeLessThan(800);
    expect(top).toBeGreaterThan(799);
  });

  it('draws one random number per wait', () => {
    let draws = 0;
    backoffMs(2, outcome('reset'), { ...policy, random: () => (draws++, 0.25) });
    expect(draws).toBe(1);
  });

  it("honours the server's Retry-After instead of the jitter, without drawing", () => {
    let draws = 0;
    const p = { ...policy, random: () => (draws++, 0.5) };
    expect(backoffMs(0, outcome('http4xx', 429, { retryAfterMs: 2_000 }), p)).toBe(2_000);
    expect(backoffMs(5, outcome('http5xx', 503, { retryAfterMs: 0 }), p)).toBe(0);
    expect(draws).toBe(0);
  });

  it('caps Retry-After at maxRetryAfterMs (a server asking for an hour gets the cap)', () => {
    const p = { ...policy, random: () => 0.5 };
    expect(backoffMs(0, outcome('http4xx', 429, { retryAfterMs: 3_600_000 }), p)).toBe(10_000);
    expect(backoffMs(0, outcome('http4xx', 429, { retryAfterMs: 3_600_000 }), { ...p, maxRetryAfterMs: 1_500 })).toBe(1_500);
  });

  it('the defaults are 100 ms base, 5 s cap, Retry-After up to 10 s', () => {
    expect(RETRY_DEFAULTS).toEqual({ baseDelayMs: 100, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 });
  });
});

/** A policy on the fake clock, with random fixed at 0.5. */
function fakePolicy(clock: FakeClock, retries: number, extra: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...RETRY_DEFAULTS, retries, random: () => 0.5, sleep: clock.sleep, clock: clock.now, ...extra };
}

/**
 * A request function that answers from a script: each call takes `ms` of fake time, then
 * returns the next outcome; it records (index, attempt) of every call.
 */
function scripted(clock: FakeClock, script: RequestOutcome[], ms = 10): { request: RequestFn; calls: Array<[number, number | undefined]> } {
  const calls: Array<[number, number | undefined]> = [];
  let next = 0;
  const request: RequestFn = async (index, attempt) => {
    calls.push([index, attempt]);
    await clock.sleep(ms);
    const o = script[Math.min(next++, script.length - 1)]!;
    return { ...o };
  };
  return { request, calls };
}

describe('withRetries', () => {
  it('a first-try success: one attempt, firstTryMs is its latency', async () => {
    const clock = new FakeClock();
    const { request, calls } = scripted(clock, [ok()], 25);
    const result = await clock.runAll(withRetries(request, fakePolicy(clock, 3))(7));
    expect(result).toMatchObject({ status: 200, error: null, attempts: 1, firstTryMs: 25 });
    expect(calls).toEqual([[7, 1]]);
    expect(clock.now()).toBe(25);
  });

  it('retries a retryable failure until it succeeds, numbering the attempts; waits follow the backoff', async () => {
    const clock = new FakeClock();
    const { request, calls } = scripted(clock, [outcome('reset'), outcome('http5xx', 503), outcome('timeout'), ok()], 10);
    const result = await clock.runAll(withRetries(request, fakePolicy(clock, 5))(3));
    expect(result).toMatchObject({ status: 200, error: null, attempts: 4, firstTryMs: 10 });
    expect(calls).toEqual([
      [3, 1],
      [3, 2],
      [3, 3],
      [3, 4],
    ]);
    // 4 attempts of 10 ms, and waits of 0.5 × 100, 0.5 × 200, 0.5 × 400.
    expect(clock.now()).toBe(40 + 50 + 100 + 200);
  });

  it('gives up after `retries` further attempts and returns the last failure', async () => {
    const clock = new FakeClock();
    const { request, calls } = scripted(clock, [outcome('http5xx', 500)], 10);
    const result = await clock.runAll(withRetries(request, fakePolicy(clock, 2))(0));
    expect(result).toMatchObject({ status: 500, error: 'http5xx', attempts: 3, firstTryMs: 10 });
    expect(calls).toHaveLength(3);
  });

  it('retries: 0 makes one attempt only', async () => {
    const clock = new FakeClock();
    const { request, calls } = scripted(clock, [outcome('reset')], 10);
    const result = await clock.runAll(withRetries(request, fakePolicy(clock, 0))(0));
    expect(result).toMatchObject({ error: 'reset', attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('does not retry what a retry cannot fix (404, dns, other)', async () => {
    for (const o of [outcome('http4xx', 404), outcome('dns'), outcome('other'), outcome('tls')]) {
      const clock = new FakeClock();
      const { request, calls } = scripted(clock, [o, ok()], 10);
      const result = await clock.runAll(withRetries(request, fakePolicy(clock, 3))(0));
      expect(result).toMatchObject({ error: o.error, attempts: 1 });
      expect(calls).toHaveLength(1);
    }
  });

  it('waits what Retry-After says (capped) instead of the jitter', async () => {
    const clock = new FakeClock();
    const { request } = scripted(clock, [outcome('http4xx', 429, { retryAfterMs: 1_000 }), outcome('http5xx', 503, { retryAfterMs: 60_000 }), ok()], 10);
    const result = await clock.runAll(withRetries(request, fakePolicy(clock, 3, { maxRetryAfterMs: 2_000 }))(0));
    expect(result).toMatchObject({ error: null, attempts: 3, firstTryMs: 10 });
    expect(clock.now()).toBe(30 + 1_000 + 2_000);
  });

  it('firstTryMs is the first attempt alone; the time retries added is the rest', async () => {
    const clock = new FakeClock();
    let call = 0;
    const request: RequestFn = async () => {
      // First attempt 70 ms, the second 30 ms.
      await clock.sleep(call++ === 0 ? 70 : 30);
      return call === 1 ? outcome('http5xx', 502) : ok();
    };
    const started = clock.now();
    const result = await clock.runAll(withRetries(request, fakePolicy(clock, 1))(0));
    const total = clock.now() - started;
    expect(result.firstTryMs).toBe(70);
    expect(total).toBe(70 + 50 + 30);
    expect(total - result.firstTryMs).toBe(80);
  });

  it('retries take their turn with the rate limiter', async () => {
    const clock = new FakeClock();
    const rate = createRateLimiter(2, clock.now, clock.sleep); // one every 500 ms
    const { request } = scripted(clock, [outcome('reset'), ok()], 10);
    await rate.take(); // the first attempt's turn, at 0
    const result = await clock.runAll(withRetries(request, fakePolicy(clock, 1, { rate }))(0));
    expect(result.attempts).toBe(2);
    // attempt 1 ends at 10, waits 50 (to 60), then the limiter holds the retry until 500.
    expect(clock.now()).toBe(510);
  });

  it("an abort while waiting to retry ends at once as 'aborted', without another attempt", async () => {
    const controller = new AbortController();
    const sleep = createSleeper(controller.signal); // the CLI's sleeper: every wait ends on abort
    let calls = 0;
    const request: RequestFn = async () => {
      calls++;
      return outcome('http5xx', 503, { retryAfterMs: 8_000 });
    };
    const policy: RetryPolicy = { ...RETRY_DEFAULTS, retries: 5, random: () => 0.5, sleep, clock: () => performance.now(), signal: controller.signal };
    const t0 = performance.now();
    const pending = withRetries(request, policy)(0);
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    const ms = performance.now() - t0;
    expect(result).toMatchObject({ error: 'aborted', attempts: 1, status: 503 });
    expect(calls).toBe(1);
    expect(ms).toBeLessThan(2_000); // not the 8 s the server asked for
  });

  it("an abort during the rate limiter's wait before a retry is 'aborted' too", async () => {
    const controller = new AbortController();
    const sleep = createSleeper(controller.signal);
    const rate = createRateLimiter(0.1, () => performance.now(), sleep); // one every 10 s
    await rate.take(controller.signal);
    let calls = 0;
    const request: RequestFn = async () => {
      calls++;
      return outcome('reset');
    };
    const policy: RetryPolicy = { ...RETRY_DEFAULTS, retries: 3, random: () => 0, sleep, clock: () => performance.now(), signal: controller.signal, rate };
    const t0 = performance.now();
    const pending = withRetries(request, policy)(0);
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result).toMatchObject({ error: 'aborted', attempts: 1 });
    expect(calls).toBe(1);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

// -----------------------------------------------------------------------------------------------
// The fixture server's attempt header: a retry meets a fresh fault draw.

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** Calls the fixture handler in-process with stand-ins for the request and the response. */
function callFixture(handler: (req: IncomingMessage, res: ServerResponse) => void, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const req = { url: path, method: 'GET', headers: { host: '127.0.0.1:1', ...headers } };
    let status = 0;
    let sent: Record<string, unknown> = {};
    const res = {
      destroyed: false,
      once: () => res,
      on: () => res,
      writeHead(code: number, h: Record<string, unknown>) {
        status = code;
        sent = h;
        return res;
      },
      end(body?: string) {
        resolve({ status, headers: sent, body: body ?? '' });
      },
    };
    handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
}

describe('the fixture server meets retries with fresh faults (ATTEMPT_HEADER)', () => {
  const data = loadFixtureData();
  const handler = createFixtureHandler({ latency: { minMs: 0, maxMs: 0 }, seed: 11, faults: { errorRate: 0.5, rateLimitPerSec: null, maxInflight: null, capacity: null, bandwidthMbps: null } }, data);
  const paths = Array.from({ length: 40 }, (_, i) => `/api/v2/pokemon/${i + 1}`);

  it('the same path fails the same way on every first attempt (and with attempt "1")', async () => {
    for (const path of paths) {
      const a = await callFixture(handler, path);
      const b = await callFixture(handler, path);
      const c = await callFixture(handler, path, { [ATTEMPT_HEADER]: '1' });
      expect([b.status, c.status]).toEqual([a.status, a.status]);
    }
  });

  it('about half the first attempts fail, and for each a later attempt draws again and gets through', async () => {
    let failed = 0;
    for (const path of paths) {
      if ((await callFixture(handler, path)).status !== 500) continue;
      failed++;
      const later: number[] = [];
      for (let attempt = 2; attempt <= 12; attempt++) later.push((await callFixture(handler, path, { [ATTEMPT_HEADER]: String(attempt) })).status);
      expect(later, path).toContain(200);
      // Each attempt is its own draw, reproducible for the seed.
      const again = await callFixture(handler, path, { [ATTEMPT_HEADER]: '2' });
      expect(again.status).toBe(later[0]);
    }
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
  });

  it('withRetries over the handler, sending the header on retries, recovers every request', async () => {
    const clock = new FakeClock();
    let firstTryFailures = 0;
    const request: RequestFn = async (index, attempt = 1) => {
      const answer = await callFixture(handler, paths[index]!, attempt > 1 ? { [ATTEMPT_HEADER]: String(attempt) } : {});
      if (attempt === 1 && answer.status !== 200) firstTryFailures++;
      return outcome(answer.status >= 500 ? 'http5xx' : answer.status >= 400 ? 'http4xx' : null, answer.status);
    };
    const retrying = withRetries(request, fakePolicy(clock, 10));
    const results = [];
    for (let i = 0; i < paths.length; i++) results.push(await clock.runAll(retrying(i)));
    expect(firstTryFailures).toBeGreaterThan(5);
    expect(results.every((r) => r.error === null)).toBe(true);
    expect(results.filter((r) => r.attempts > 1)).toHaveLength(firstTryFailures);
  });

  it('without the header a retry would meet the same fault again (why the header exists)', async () => {
    const clock = new FakeClock();
    const failing: string[] = [];
    for (const path of paths) if ((await callFixture(handler, path)).status === 500) failing.push(path);
    const request: RequestFn = async (index) => {
      const answer = await callFixture(handler, failing[index]!);
      return outcome(answer.status >= 500 ? 'http5xx' : null, answer.status);
    };
    const result = await clock.runAll(withRetries(request, fakePolicy(clock, 4))(0));
    expect(result).toMatchObject({ error: 'http5xx', attempts: 5 });
  });
});
