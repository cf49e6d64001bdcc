/**
 * Ideal wall times (core/ideal.ts) on a hand-made duration list, exact; their order as
 * properties (fast-check); and the schedulers on the fake clock, whose wall time with free
 * scheduling is exactly the ideal: batched the sum of chunk maxima, bounded list scheduling.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStrategy, type StrategySpec } from '../../src/core/benchmark.js';
import { batchedMs, idealWallMs, listScheduleMs, maxMs, sumMs } from '../../src/core/ideal.js';
import { predictFromSequential, summarizeGroups } from '../../src/core/summarize.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { fakeRequests } from '../helpers/fake-requests.js';
import { makeResult } from '../helpers/report-fixtures.js';

// r0 30, r1 10, r2 50, r3 20, r4 40 ms.
const DURATIONS = [30, 10, 50, 20, 40];

describe('ideal wall times of a hand-made duration list', () => {
  it('sequential: the sum; all: the longest', () => {
    expect(idealWallMs({ strategy: 'sequential', concurrency: 1 }, DURATIONS)).toBe(150);
    expect(idealWallMs({ strategy: 'all', concurrency: null }, DURATIONS)).toBe(50);
  });

  it('bounded: list scheduling on C lanes in input order', () => {
    // C=2: r0 0-30, r1 0-10, r2 10-60, r3 30-50, r4 50-90.
    expect(idealWallMs({ strategy: 'bounded', concurrency: 2 }, DURATIONS)).toBe(90);
    // C=3: r0 0-30, r1 0-10, r2 0-50, r3 10-30, r4 30-70.
    expect(idealWallMs({ strategy: 'bounded', concurrency: 3 }, DURATIONS)).toBe(70);
    expect(idealWallMs({ strategy: 'bounded', concurrency: 1 }, DURATIONS)).toBe(150);
    expect(idealWallMs({ strategy: 'bounded', concurrency: 5 }, DURATIONS)).toBe(50);
  });

  it('batched: the sum of each chunk\'s longest', () => {
    // C=2: max(30,10) + max(50,20) + 40; C=3: max(30,10,50) + max(20,40).
    expect(idealWallMs({ strategy: 'batched', concurrency: 2 }, DURATIONS)).toBe(30 + 50 + 40);
    expect(idealWallMs({ strategy: 'batched', concurrency: 3 }, DURATIONS)).toBe(50 + 40);
    expect(idealWallMs({ strategy: 'batched', concurrency: 1 }, DURATIONS)).toBe(150);
  });

  it('adaptive: list scheduling at the limit each request was sent under', () => {
    // Limits 1,1,2,2,2: r0 0-30, r1 30-40, r2 30-80, r3 40-60, r4 60-100.
    expect(idealWallMs({ strategy: 'adaptive', concurrency: null, limits: [1, 1, 2, 2, 2] }, DURATIONS)).toBe(100);
    expect(idealWallMs({ strategy: 'adaptive', concurrency: null, limits: [2, 2, 2, 2, 2] }, DURATIONS)).toBe(90);
    expect(idealWallMs({ strategy: 'adaptive', concurrency: null }, DURATIONS)).toBeNull();
  });

  it('nothing to schedule takes no time', () => {
    for (const strategy of ['sequential', 'all', 'bounded', 'batched'] as const) expect(idealWallMs({ strategy, concurrency: 2 }, [])).toBe(0);
  });
});

describe('ideal wall times, as properties', () => {
  const durations = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 });
  const limit = fc.integer({ min: 1, max: 20 });

  it('all ≤ bounded ≤ batched ≤ sequential at any C; C=1 is sequential, C ≥ N is all', () => {
    fc.assert(
      fc.property(durations, limit, (d, c) => {
        const bounded = listScheduleMs(d, c);
        expect(maxMs(d)).toBeLessThanOrEqual(bounded);
        expect(bounded).toBeLessThanOrEqual(batchedMs(d, c));
        expect(batchedMs(d, c)).toBeLessThanOrEqual(sumMs(d));
        expect(listScheduleMs(d, 1)).toBe(sumMs(d));
        expect(batchedMs(d, 1)).toBe(sumMs(d));
        expect(listScheduleMs(d, d.length)).toBe(maxMs(d));
        expect(batchedMs(d, d.length)).toBe(maxMs(d));
      }),
    );
  });

  it('a constant limit per request is the bounded formula', () => {
    fc.assert(
      fc.property(durations, limit, (d, c) => {
        expect(listScheduleMs(d, () => c)).toBe(listScheduleMs(d, c));
      }),
    );
  });
});

describe('the schedulers on the fake clock match their ideal exactly', () => {
  const run = async (spec: StrategySpec, d: readonly number[]): Promise<number> => {
    const clock = new FakeClock();
    const { client } = fakeRequests(clock, d);
    return (await clock.runAll(runStrategy(spec, d.length, client, clock.now))).wallMs;
  };

  it('batched\'s makespan is the sum of chunk maxima, and each chunk starts when the previous one is done', async () => {
    const clock = new FakeClock();
    const { client, observed } = fakeRequests(clock, DURATIONS);
    const r = await clock.runAll(runStrategy({ strategy: 'batched', concurrency: 2 }, 5, client, clock.now));
    expect(Array.from(r.samples.startMs)).toEqual([0, 0, 30, 30, 80]);
    expect(r.wallMs).toBe(30 + 50 + 40);
    expect(r.maxInFlight).toBe(2);
    expect(observed.calls).toEqual([0, 1, 2, 3, 4]);
  });

  it('for any durations and C: batched equals batchedMs, bounded equals listScheduleMs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 24 }), fc.integer({ min: 1, max: 8 }), async (d, c) => {
        expect(await run({ strategy: 'batched', concurrency: c }, d)).toBe(batchedMs(d, c));
        expect(await run({ strategy: 'bounded', concurrency: c }, d)).toBe(listScheduleMs(d, c));
      }),
      { numRuns: 40 },
    );
  });
});

describe('idealWallMs, efficiency and predictedWallMs in the results', () => {
  it('every result gets its ideal from its own durations; the concurrent ones a prediction from sequential\'s', async () => {
    const specs: StrategySpec[] = [
      { strategy: 'sequential', concurrency: 1 },
      { strategy: 'all', concurrency: null },
      { strategy: 'bounded', concurrency: 2 },
      { strategy: 'batched', concurrency: 2 },
    ];
    const groups = [];
    for (const spec of specs) {
      const clock = new FakeClock();
      const { client } = fakeRequests(clock, DURATIONS);
      groups.push({ spec, runs: [await clock.runAll(runStrategy(spec, 5, client, clock.now))] });
    }
    const results = summarizeGroups(groups, 1);
    // Free scheduling on the fake clock: each measured wall time is its ideal, efficiency 1.
    expect(results.map((r) => [r.idealWallMs, r.wallMs, r.efficiency])).toEqual([
      [150, 150, 1],
      [50, 50, 1],
      [90, 90, 1],
      [120, 120, 1],
    ]);
    expect(results.map((r) => r.predictedWallMs)).toEqual([null, 50, 90, 120]);
  });

  it('predicts from sequential\'s durations in input order, not from the result\'s own', () => {
    const results = [makeResult({ strategy: 'bounded', concurrency: 2 }), makeResult({ strategy: 'adaptive', concurrency: null })];
    predictFromSequential(results, Float64Array.from([100, 100, 100]));
    expect(results.map((r) => r.predictedWallMs)).toEqual([200, null]);
  });
});
