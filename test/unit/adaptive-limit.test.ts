/**
 * The adaptive limit (core/adaptive-limit.ts): its rules on hand-made samples, its bounds as a
 * property, and the adaptive strategy on the fake clock against a fake server that refuses
 * above 10 at once (as the fixture server's --max-inflight does: an immediate 503).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF, createAdaptiveLimiter, limitAt, limitSignal, settledLimit, type LimitSample } from '../../src/core/adaptive-limit.js';
import { runStrategy, type StrategyClient } from '../../src/core/benchmark.js';
import { summarizeGroups } from '../../src/core/summarize.js';
import type { RequestOutcome } from '../../src/core/types.js';
import { FakeClock } from '../helpers/fake-clock.js';

const okAt = (startMs: number, endMs: number, inFlight: number): LimitSample => ({ startMs, endMs, signal: 'ok', inFlight });
const dropAt = (startMs: number, endMs: number, inFlight: number): LimitSample => ({ startMs, endMs, signal: 'drop', inFlight });

describe('limitSignal', () => {
  it('429, 503 and timeouts are drops; other failures say nothing about load', () => {
    expect(limitSignal({ status: 200, error: null })).toBe('ok');
    expect(limitSignal({ status: 429, error: 'http4xx' })).toBe('drop');
    expect(limitSignal({ status: 503, error: 'http5xx' })).toBe('drop');
    expect(limitSignal({ status: 0, error: 'timeout' })).toBe('drop');
    expect(limitSignal({ status: 500, error: 'http5xx' })).toBe('ignore');
    expect(limitSignal({ status: 404, error: 'http4xx' })).toBe('ignore');
    expect(limitSignal({ status: 0, error: 'connect' })).toBe('ignore');
  });
});

describe('the limiter on hand-made samples', () => {
  it('slow start: one more per ok response, so the limit doubles each round trip', () => {
    const limiter = createAdaptiveLimiter({ start: 1, max: 256 });
    let t = 0;
    for (const expected of [2, 4, 8, 16]) {
      const limit = limiter.limit;
      t += 100;
      for (let k = 0; k < limit; k++) limiter.onSample(okAt(t - 100, t, limit));
      expect(limiter.limit).toBe(expected);
    }
    expect(limiter.trace.map(([, l]) => l)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('a drop multiplies the limit by 0.9 once: drops of requests sent before that decrease are already paid for', () => {
    const limiter = createAdaptiveLimiter({ start: 20, max: 256 });
    limiter.onSample(dropAt(0, 5, 20));
    expect(limiter.estimate).toBeCloseTo(20 * BACKOFF, 10);
    // Sent at 3, before the decrease at 5: no second cut.
    limiter.onSample(dropAt(3, 6, 19));
    expect(limiter.estimate).toBeCloseTo(18, 10);
    // Sent at 7, under the new limit: cut again.
    limiter.onSample(dropAt(7, 8, 18));
    expect(limiter.estimate).toBeCloseTo(18 * BACKOFF, 10);
  });

  it('after a drop, ok responses add one per round trip (1 / limit each)', () => {
    const limiter = createAdaptiveLimiter({ start: 10, max: 256 });
    limiter.onSample(dropAt(0, 1, 10)); // 9, slow start over
    for (let k = 0; k < 9; k++) limiter.onSample(okAt(1, 101, 9));
    expect(limiter.estimate).toBeGreaterThan(9.9);
    expect(limiter.estimate).toBeLessThan(10.1);
  });

  it('does not grow a limit the run does not use (fewer than half of it in flight)', () => {
    const limiter = createAdaptiveLimiter({ start: 10, max: 256 });
    for (let k = 0; k < 50; k++) limiter.onSample(okAt(k, k + 100, 4));
    expect(limiter.estimate).toBe(10);
  });

  it('the latency gradient pulls the limit down when round trips grow beyond 1.5 times the long average', () => {
    const limiter = createAdaptiveLimiter({ start: 8, max: 256 });
    let t = 0;
    for (let k = 0; k < 40; k++, t += 10) limiter.onSample(okAt(t, t + 100, 8));
    const before = limiter.estimate;
    for (let k = 0; k < 20; k++, t += 10) limiter.onSample(okAt(t, t + 400, Math.ceil(limiter.estimate)));
    expect(limiter.estimate).toBeLessThan(before * 0.8);
    expect(limiter.estimate).toBeGreaterThanOrEqual(1);
  });

  it('a rise within the queue allowance (√limit) holds the limit: neither growth nor a cut', () => {
    const limiter = createAdaptiveLimiter({ start: 10, max: 256 });
    limiter.onSample(dropAt(0, 1, 10)); // 9, out of slow start
    let t = 10;
    for (let k = 0; k < 40; k++, t += 10) limiter.onSample(okAt(t, t + 100, 9));
    const before = limiter.estimate;
    // 1.8 times the usual round trip: once the short average is there, the gradient is about
    // 1.5 / 1.8 ≈ 0.83, and 0.83 × limit + √limit is still above the limit.
    const rise = (n: number): void => {
      for (let k = 0; k < n; k++, t += 10) limiter.onSample(okAt(t, t + 180, 12));
    };
    rise(20);
    const risen = limiter.estimate;
    rise(20);
    expect(risen).toBeGreaterThanOrEqual(before);
    expect(limiter.estimate).toBe(risen);
  });

  it('stays a whole number from 1 to max, whatever the samples', () => {
    const sample = fc.record({
      startMs: fc.integer({ min: 0, max: 10_000 }),
      duration: fc.integer({ min: 0, max: 5_000 }),
      signal: fc.constantFrom<LimitSample['signal']>('ok', 'drop', 'ignore'),
      inFlight: fc.integer({ min: 0, max: 300 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.array(sample, { maxLength: 300 }), (start, max, samples) => {
        const limiter = createAdaptiveLimiter({ start: Math.min(start, max), max });
        for (const s of samples) {
          limiter.onSample({ startMs: s.startMs, endMs: s.startMs + s.duration, signal: s.signal, inFlight: s.inFlight });
          expect(Number.isInteger(limiter.limit)).toBe(true);
          expect(limiter.limit).toBeGreaterThanOrEqual(1);
          expect(limiter.limit).toBeLessThanOrEqual(max);
        }
        for (const [, l] of limiter.trace) expect(l).toBeLessThanOrEqual(max);
      }),
    );
  });
});

describe('settledLimit and limitAt', () => {
  it('settles at the time-weighted mean over the second half of the run, rounded', () => {
    // Over 100..200: 9 for 20 ms, 10 for 50 ms, 11 for 30 ms → 10.1.
    const trace: Array<[number, number]> = [[0, 1], [50, 12], [100, 9], [120, 10], [170, 11]];
    expect(settledLimit(trace, 200)).toBe(10);
    expect(settledLimit([[0, 3]], 200)).toBe(3);
    expect(settledLimit([[0, 4], [150, 8]], 200)).toBe(6);
  });

  it('limitAt is the last point at or before t', () => {
    const trace: Array<[number, number]> = [[0, 1], [50, 2], [50, 3], [80, 5]];
    expect([0, 49, 50, 79, 80, 1000].map((t) => limitAt(trace, t))).toEqual([1, 1, 3, 3, 5, 5]);
  });
});

/**
 * A server on the fake clock that serves `capacity` requests at once, each in `latencyMs`, and
 * refuses the rest at once with a 503 (1 ms), as --max-inflight does.
 */
function refusingServer(clock: FakeClock, capacity: number, latencyMs: number) {
  let inService = 0;
  const observed = { peakInFlight: 0, inFlight: 0, refused: 0 };
  const request = async (): Promise<RequestOutcome> => {
    observed.inFlight++;
    observed.peakInFlight = Math.max(observed.peakInFlight, observed.inFlight);
    try {
      if (inService >= capacity) {
        observed.refused++;
        await clock.sleep(1);
        return { status: 503, bytes: 0, ttfbMs: 1, error: 'http5xx' };
      }
      inService++;
      await clock.sleep(latencyMs);
      inService--;
      return { status: 200, bytes: 100, ttfbMs: latencyMs, error: null };
    } finally {
      observed.inFlight--;
    }
  };
  const client: StrategyClient = { request, close: async () => undefined };
  return { client, observed };
}

describe('adaptive on the fake clock, against a server that refuses above 10', () => {
  it('settles between 8 and 12, and its ideal uses the limits it ran at', async () => {
    const clock = new FakeClock();
    const { client, observed } = refusingServer(clock, 10, 100);
    const spec = { strategy: 'adaptive' as const, concurrency: null, adaptive: { start: 1, max: 256 } };
    const run = await clock.runAll(runStrategy(spec, 400, client, clock.now));
    const [result] = summarizeGroups([{ spec, runs: [run] }], 1);
    expect(result!.adaptive!.settledLimit).toBeGreaterThanOrEqual(8);
    expect(result!.adaptive!.settledLimit).toBeLessThanOrEqual(12);
    // After the search (the first half), the limit stays near 10: a saw-tooth, not a collapse.
    const late = run.limitTrace!.filter(([t]) => t >= run.wallMs / 2).map(([, l]) => l);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(8);
    expect(Math.max(...late)).toBeLessThanOrEqual(12);
    // Refusals are results, counted and classified; most requests get through.
    expect(result!.failed).toBe(observed.refused);
    expect(result!.errors.http5xx).toBe(observed.refused);
    expect(observed.refused).toBeLessThan(400 * 0.15);
    expect(result!.idealWallMs).not.toBeNull();
    expect(result!.efficiency).toBeGreaterThan(0.5);
  });

  it('never goes above --adaptive-max, and never has more than that in flight', async () => {
    const clock = new FakeClock();
    const { client, observed } = refusingServer(clock, 10, 100);
    const spec = { strategy: 'adaptive' as const, concurrency: null, adaptive: { start: 1, max: 6 } };
    const run = await clock.runAll(runStrategy(spec, 200, client, clock.now));
    expect(Math.max(...run.limitTrace!.map(([, l]) => l))).toBe(6);
    expect(observed.peakInFlight).toBe(6);
    expect(run.maxInFlight).toBe(6);
    expect(observed.refused).toBe(0);
  });

  it('starts at --adaptive-start', async () => {
    const clock = new FakeClock();
    const { client } = refusingServer(clock, 10, 100);
    const spec = { strategy: 'adaptive' as const, concurrency: null, adaptive: { start: 4, max: 256 } };
    const run = await clock.runAll(runStrategy(spec, 4, client, clock.now));
    expect(run.limitTrace![0]).toEqual([0, 4]);
    expect(Array.from(run.samples.startMs)).toEqual([0, 0, 0, 0]);
  });
});
