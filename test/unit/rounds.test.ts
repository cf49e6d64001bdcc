/** Repeated, interleaved rounds: the order of each round, and runRounds on a virtual clock. */
import { describe, expect, it } from 'vitest';
import {
  roundOrders,
  runRounds,
  type RunPosition,
  type StrategyClient,
  type StrategyRun,
  type StrategyRuns,
  type StrategySpec,
} from '../../src/core/benchmark.js';
import { createRandom } from '../../src/core/random.js';
import { summarizeGroup, summarizeGroups } from '../../src/core/summarize.js';
import { resultKey } from '../../src/core/result-label.js';
import { ratioStddev, summarizeSpread } from '../../src/core/stats.js';
import type { RequestOutcome } from '../../src/core/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { makeRun, walls } from '../helpers/runs.js';

const NATURAL = [0, 1, 2, 3];
const sorted = (order: readonly number[]): number[] => [...order].sort((a, b) => a - b);

describe('roundOrders', () => {
  it('shuffles every round, the first included, so no strategy always pays the cold start', () => {
    const orders = roundOrders(4, 6, createRandom(1));
    expect(orders).toHaveLength(6);
    for (const order of orders) expect(sorted(order)).toEqual(NATURAL);
    expect(orders.some((o) => o.join() !== NATURAL.join())).toBe(true);
    // Over many seeds, sequential (index 0) is not always first in round 1.
    const firsts = Array.from({ length: 40 }, (_, seed) => roundOrders(4, 1, createRandom(seed))[0]![0]);
    expect(new Set(firsts).size).toBe(4);
  });

  it('is a Fisher–Yates shuffle driven by the generator', () => {
    // j = 0 at every step: swap(3,0), swap(2,0), swap(1,0) → [1, 2, 3, 0].
    expect(roundOrders(4, 3, () => 0)).toEqual([[1, 2, 3, 0], [1, 2, 3, 0], [1, 2, 3, 0]]);
    // j = i at every step: nothing moves.
    expect(roundOrders(4, 3, () => 0.999999)).toEqual([NATURAL, NATURAL, NATURAL]);
  });

  it('draws three numbers per round of four, the first round included', () => {
    let draws = 0;
    roundOrders(4, 3, () => {
      draws++;
      return 0.5;
    });
    expect(draws).toBe(9);
  });

  it('is the same for the same seed and differs across seeds', () => {
    const a = roundOrders(4, 6, createRandom(42));
    expect(roundOrders(4, 6, createRandom(42))).toEqual(a);
    const others = [1, 2, 3, 4, 5].map((seed) => roundOrders(4, 6, createRandom(seed)));
    for (const other of others) expect(other).not.toEqual(a);
  });

  it('handles one strategy and no rounds', () => {
    expect(roundOrders(1, 3, createRandom(9))).toEqual([[0], [0], [0]]);
    expect(roundOrders(3, 0, createRandom(9))).toEqual([]);
  });
});

const ok: RequestOutcome = { status: 200, bytes: 10, ttfbMs: 1, error: null };

interface Recorded {
  started: Array<{ key: string; position: RunPosition | undefined }>;
  clients: number;
  closed: number;
  requests: number;
}

/** Client k's requests each take k + 1 virtual ms, so every run's wall time tells which client ran it. */
function fakeClients(clock: FakeClock, recorded: Recorded): () => StrategyClient {
  return () => {
    const delay = ++recorded.clients;
    return {
      request: async () => {
        recorded.requests++;
        await clock.sleep(delay);
        return ok;
      },
      close: async () => {
        recorded.closed++;
      },
    };
  };
}

const SPECS: StrategySpec[] = [
  { strategy: 'sequential', concurrency: 1 },
  { strategy: 'all', concurrency: null },
  { strategy: 'bounded', concurrency: 2 },
];

/** Wall time of `count` = 4 requests of d ms each: sequential 4d, all d, bounded@2 2d. */
const wallFor = (spec: StrategySpec, d: number): number => (spec.strategy === 'sequential' ? 4 * d : spec.strategy === 'all' ? d : 2 * d);

describe('runRounds', () => {
  it('interleaves strategies round by round, drops the warm-up and keeps runs per strategy', async () => {
    const clock = new FakeClock();
    const recorded: Recorded = { started: [], clients: 0, closed: 0, requests: 0 };
    const plan = { runs: 3, warmup: 1, random: createRandom(11) };
    const groups = await clock.runAll(
      runRounds(SPECS, 4, fakeClients(clock, recorded), clock.now, plan, {
        onStrategyStart: (spec, count, position) => {
          expect(count).toBe(4);
          recorded.started.push({ key: resultKey(spec), position });
        },
      }),
    );

    // The order every run started in is the seeded round order (warm-up round first).
    const expectedOrder = roundOrders(3, 4, createRandom(11)).flat();
    expect(recorded.started.map((s) => s.key)).toEqual(expectedOrder.map((i) => resultKey(SPECS[i]!)));
    // Interleaved: each round runs every strategy once before the next round starts.
    for (let r = 0; r < 4; r++) expect(recorded.started.slice(3 * r, 3 * r + 3).map((s) => s.key).sort()).toEqual(['all', 'bounded@2', 'sequential']);
    expect(recorded.started.map((s) => s.position)).toEqual([
      ...Array(3).fill({ round: 1, rounds: 1, warmup: true }),
      ...Array(3).fill({ round: 1, rounds: 3, warmup: false }),
      ...Array(3).fill({ round: 2, rounds: 3, warmup: false }),
      ...Array(3).fill({ round: 3, rounds: 3, warmup: false }),
    ]);

    // A fresh client per run, each closed; warm-up requests were made but not reported.
    expect(recorded.clients).toBe(12);
    expect(recorded.closed).toBe(12);
    expect(recorded.requests).toBe(12 * 4);

    expect(groups.map((g) => resultKey(g.spec))).toEqual(['sequential', 'all', 'bounded@2']);
    for (const g of groups) expect(g.runs).toHaveLength(3);
    // Client k (1-based) ran the k-th start; the measured runs are starts 4..12, in order.
    for (const [index, group] of groups.entries()) {
      const clientsOfThis = expectedOrder.map((s, k) => (s === index ? k + 1 : -1)).filter((k) => k > 3);
      expect(group.runs.map((r) => r.wallMs)).toEqual(clientsOfThis.map((k) => wallFor(SPECS[index]!, k)));
      for (const run of group.runs) {
        expect(run.partial).toBe(false);
        expect(run.samples.count).toBe(4);
      }
    }
  });

  it('runs = 1 and warmup = 0 runs each strategy once, in the seeded order (identity here)', async () => {
    const clock = new FakeClock();
    const recorded: Recorded = { started: [], clients: 0, closed: 0, requests: 0 };
    // j = i at every Fisher–Yates step: the shuffle leaves the order as given.
    const identity = (): number => 0.999999;
    const groups = await clock.runAll(
      runRounds(SPECS, 4, fakeClients(clock, recorded), clock.now, { runs: 1, warmup: 0, random: identity }, {
        onStrategyStart: (spec, _count, position) => recorded.started.push({ key: resultKey(spec), position }),
      }),
    );
    expect(recorded.started.map((s) => s.key)).toEqual(['sequential', 'all', 'bounded@2']);
    expect(groups.map((g) => g.runs.map((r) => r.wallMs))).toEqual([[4], [2], [6]]);
  });

  it('starts no further run once the signal is aborted', async () => {
    const clock = new FakeClock();
    const recorded: Recorded = { started: [], clients: 0, closed: 0, requests: 0 };
    const controller = new AbortController();
    let ended = 0;
    const groups = await clock.runAll(
      runRounds(SPECS, 4, fakeClients(clock, recorded), clock.now, { runs: 3, warmup: 0, random: createRandom(5) }, {
        signal: controller.signal,
        onStrategyStart: (spec) => recorded.started.push({ key: resultKey(spec), position: undefined }),
        onStrategyEnd: () => {
          if (++ended === 2) controller.abort();
        },
      }),
    );
    expect(recorded.started.map((s) => s.key)).toEqual(['sequential', 'all']);
    expect(recorded.clients).toBe(2);
    expect(recorded.requests).toBe(8);
    // Only strategies that ran are in the result.
    expect(groups.map((g) => [resultKey(g.spec), g.runs.length])).toEqual([
      ['sequential', 1],
      ['all', 1],
    ]);
  });

  it('runs nothing with a signal aborted before the start', async () => {
    const clock = new FakeClock();
    const recorded: Recorded = { started: [], clients: 0, closed: 0, requests: 0 };
    const controller = new AbortController();
    controller.abort();
    const groups = await clock.runAll(
      runRounds(SPECS, 4, fakeClients(clock, recorded), clock.now, { runs: 2, warmup: 1, random: createRandom(5) }, { signal: controller.signal }),
    );
    expect(groups).toEqual([]);
    expect(recorded.clients).toBe(0);
  });

  it('keeps a warm-up run that was interrupted (it is all there is to show)', async () => {
    const clock = new FakeClock();
    const recorded: Recorded = { started: [], clients: 0, closed: 0, requests: 0 };
    const controller = new AbortController();
    const groups = await clock.runAll(
      runRounds(SPECS, 4, fakeClients(clock, recorded), clock.now, { runs: 2, warmup: 1, random: createRandom(5) }, {
        signal: controller.signal,
        onRequestDone: (_spec, done) => {
          if (done === 2) controller.abort();
        },
      }),
    );
    expect(recorded.clients).toBe(1);
    expect(recorded.requests).toBe(2); // sequential stops after its second request
    expect(groups).toHaveLength(1);
    const run = groups[0]!.runs[0]!;
    expect(groups[0]!.runs).toHaveLength(1);
    expect(run.strategy).toBe('sequential');
    expect(run.partial).toBe(true);
    expect(run.wallMs).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// summarizeGroup / summarizeGroups: one result per strategy over its measured runs.

describe('summarizeGroup', () => {
  const SEQ = [1000, 1200, 1100];
  const ALL = [100, 110, 105];

  it('reports the median wall time, every run and the spread of the runs exactly', () => {
    const r = summarizeGroup(walls('all', null, ALL), SEQ, createRandom(1));
    expect(r.wallMs).toBe(105);
    expect(r.runs).toEqual([
      { wallMs: 100, ok: 4, failed: 0 },
      { wallMs: 110, ok: 4, failed: 0 },
      { wallMs: 105, ok: 4, failed: 0 },
    ]);
    expect(r.wallMsStats).toEqual({ median: 105, mean: 105, stddev: 5, min: 100, max: 110 });
  });

  it('speedup is median(sequential) / median(this), its stddev propagated by ratioStddev', () => {
    const r = summarizeGroup(walls('all', null, ALL), SEQ, createRandom(1));
    expect(r.speedup).toBe(10.476); // 1100 / 105
    const expected = ratioStddev(1100 / 105, summarizeSpread(SEQ), summarizeSpread(ALL));
    expect(expected).toBeCloseTo(1.0751264935265032, 12);
    expect(r.speedupStddev).toBe(1.075);
  });

  it('gives no interval below 5 runs; the verdict then follows the medians, with a 10% band for "same"', () => {
    const r = summarizeGroup(walls('all', null, ALL), SEQ, createRandom(1));
    expect(r.speedupCI95).toBeNull();
    expect(r.verdict).toBe('faster');
    expect(summarizeGroup(walls('all', null, [1050, 1150, 1100]), SEQ, createRandom(1)).verdict).toBe('same'); // 1.00x
    expect(summarizeGroup(walls('all', null, [1000]), [1099], createRandom(1)).verdict).toBe('same'); // 1.099x
    expect(summarizeGroup(walls('all', null, [1000]), [1100], createRandom(1)).verdict).toBe('faster'); // 1.10x
    expect(summarizeGroup(walls('all', null, [1100]), [1000], createRandom(1)).verdict).toBe('slower'); // 1/1.1
    expect(summarizeGroup(walls('all', null, [1090]), [1000], createRandom(1)).verdict).toBe('same');
  });

  it('from 5 runs, resamples rounds as pairs: a constant ratio per round gives an exact interval', () => {
    const seq = [1000, 1300, 1100, 1400, 1200];
    const all = seq.map((w) => w / 10);
    const r = summarizeGroup(walls('all', null, all), seq, createRandom(7));
    // Paired: every resample keeps round k's two walls together, so every ratio is 10 exactly.
    expect(r.speedupCI95).toEqual([10, 10]);
    expect(r.verdict).toBe('faster');
    // The same seed gives the same interval; a different generator cannot move a constant.
    expect(summarizeGroup(walls('all', null, all), seq, createRandom(99)).speedupCI95).toEqual([10, 10]);
  });

  it('decides by the interval from 5 runs: slower below 1, same inside ±10%, inconclusive across 1', () => {
    const slower = summarizeGroup(walls('all', null, [200, 201, 202, 203, 204]), [100, 101, 102, 103, 104], createRandom(1));
    expect(slower.speedupCI95![1]).toBeLessThan(1);
    expect(slower.verdict).toBe('slower');
    const same = summarizeGroup(walls('all', null, [1000, 1010, 1020, 1030, 1040]), [1010, 1020, 1030, 1040, 1050], createRandom(1));
    expect(same.verdict).toBe('same');
    // Rounds that disagree: 0.5x, 2x … the interval straddles 1 and is far wider than the band.
    const mixed = summarizeGroup(walls('all', null, [200, 50, 200, 50, 100]), [100, 100, 100, 100, 100], createRandom(1));
    expect(mixed.speedupCI95![0]).toBeLessThan(1);
    expect(mixed.speedupCI95![1]).toBeGreaterThan(1);
    expect(mixed.verdict).toBe('inconclusive');
  });

  it('sequential has speedup 1 and no verdict, stddev or interval of its own', () => {
    const r = summarizeGroup(walls('sequential', 1, SEQ), SEQ, createRandom(1));
    expect(r.speedup).toBe(1);
    expect(r.verdict).toBeNull();
    expect(r.speedupStddev).toBeNull();
    expect(r.speedupCI95).toBeNull();
    expect(r.concurrency).toBe(1);
    expect(r.wallMs).toBe(1100);
  });

  it('has no speedup or verdict without sequential', () => {
    const r = summarizeGroup(walls('all', null, ALL), null, createRandom(1));
    expect(r.speedup).toBeNull();
    expect(r.speedupStddev).toBeNull();
    expect(r.speedupCI95).toBeNull();
    expect(r.verdict).toBeNull();
  });

  it('totals requests, ok and failed over the runs, with each run counted apart', () => {
    const runs = [
      makeRun('bounded', 2, 100, { failedAt: [1] }),
      makeRun('bounded', 2, 300, { failedAt: [0, 3] }),
      makeRun('bounded', 2, 200),
    ];
    const r = summarizeGroup(runs, null, createRandom(1));
    expect(r.requests).toBe(12);
    expect(r.ok).toBe(9);
    expect(r.failed).toBe(3);
    expect(r.errors.http5xx).toBe(3);
    expect(r.statusCodes).toEqual({ '200': 9, '503': 3 });
    expect(r.bytes).toBe(90);
    expect(r.runs).toEqual([
      { wallMs: 100, ok: 3, failed: 1 },
      { wallMs: 300, ok: 2, failed: 2 },
      { wallMs: 200, ok: 4, failed: 0 },
    ]);
  });

  it('reqPerSec is the requests of one run over the median wall time', () => {
    // 4 requests a run; walls 100, 400, 200 → median 200 ms → 20 req/s (not 12 requests / 0.2 s).
    const r = summarizeGroup(walls('all', null, [100, 400, 200]), null, createRandom(1));
    expect(r.reqPerSec).toBe(20);
    expect(summarizeGroup(walls('all', null, [300, 300], { count: 7 }), null, createRandom(1)).reqPerSec).toBe(23.33);
  });

  it('reports queue waits (time before the slot) for bounded only, from the start times, over all runs', () => {
    const bounded = summarizeGroup([makeRun('bounded', 2, 40, { starts: [0, 0, 10, 30] })], null, createRandom(1));
    expect(bounded.queueWaitMs).toEqual({ mean: 10, p50: 5, p95: 27, max: 30 });
    const twoRuns = summarizeGroup(
      [makeRun('bounded', 2, 40, { starts: [0, 0, 10, 30] }), makeRun('bounded', 2, 40, { starts: [0, 0, 20, 20] })],
      null,
      createRandom(1),
    );
    // Waits 0 0 0 0 10 20 20 30: mean 10, p50 5, p95 at rank 6.65 → 20 + 0.65 × 10, max 30.
    expect(twoRuns.queueWaitMs).toEqual({ mean: 10, p50: 5, p95: 26.5, max: 30 });
    // Requests never started are not counted as waiting.
    expect(summarizeGroup([makeRun('bounded', 2, 40, { starts: [0, 0, 10, 30], notStarted: [3], partial: true })], null).queueWaitMs).toEqual({
      mean: 3.333,
      p50: 0,
      p95: 9,
      max: 10,
    });
    expect(summarizeGroup([makeRun('all', null, 40, { starts: [0, 0, 10, 30] })], null).queueWaitMs).toBeNull();
    expect(summarizeGroup([makeRun('sequential', 1, 40, { starts: [0, 10, 20, 30] })], null).queueWaitMs).toBeNull();
  });

  it('takes the worst run for the pool, the peak in flight and the event loop delay', () => {
    const r = summarizeGroup(
      [
        makeRun('bounded', 4, 100, { pool: { opened: 4, peak: 3, staleRetries: 1 }, loopDelay: 1.5, maxInFlight: 3 }),
        makeRun('bounded', 4, 100, { pool: { opened: 2, peak: 4, staleRetries: 2 }, loopDelay: 7.12345, maxInFlight: 4 }),
        makeRun('bounded', 4, 100, { pool: null, loopDelay: null, maxInFlight: 2 }),
      ],
      null,
    );
    expect(r.pool).toEqual({ opened: 4, peak: 4, staleRetries: 3 });
    expect(r.eventLoopDelayP99Ms).toBe(7.123);
    expect(r.maxInFlight).toBe(4);
    const none = summarizeGroup([makeRun('bounded', 4, 100)], null);
    expect(none.pool).toBeNull();
    expect(none.eventLoopDelayP99Ms).toBeNull();
  });

  it('marks the result partial when any run was', () => {
    expect(summarizeGroup([makeRun('all', null, 100), makeRun('all', null, 50, { partial: true })], null).partial).toBe(true);
    expect('partial' in summarizeGroup(walls('all', null, ALL), null)).toBe(false);
  });

  it('refuses an empty list of runs', () => {
    expect(() => summarizeGroup([], null)).toThrow();
  });
});

describe('summarizeGroups', () => {
  const group = (spec: StrategySpec, runs: StrategyRun[]): StrategyRuns => ({ spec, runs });

  it('compares every strategy with the sequential runs, in the order of the groups', () => {
    const results = summarizeGroups(
      [
        group({ strategy: 'sequential', concurrency: 1 }, walls('sequential', 1, [1000, 1200, 1100])),
        group({ strategy: 'all', concurrency: null }, walls('all', null, [100, 110, 105])),
        group({ strategy: 'bounded', concurrency: 2 }, walls('bounded', 2, [500, 550, 520])),
      ],
      1,
    );
    expect(results.map((r) => resultKey(r))).toEqual(['sequential', 'all', 'bounded@2']);
    expect(results.map((r) => r.speedup)).toEqual([1, 10.476, 2.115]); // 1100/105, 1100/520
    expect(results.map((r) => r.verdict)).toEqual([null, 'faster', 'faster']);
  });

  it('does not use a partial sequential run as the baseline', () => {
    const results = summarizeGroups(
      [
        group({ strategy: 'sequential', concurrency: 1 }, [makeRun('sequential', 1, 1000), makeRun('sequential', 1, 50, { partial: true, notStarted: [2, 3] })]),
        group({ strategy: 'all', concurrency: null }, [makeRun('all', null, 100)]),
      ],
      1,
    );
    // Against [1000] only: 10, not median(1000, 50) / 100 = 5.25.
    expect(results[1]!.speedup).toBe(10);
  });

  it('has no speedups when every sequential run was partial, or sequential did not run', () => {
    const partialOnly = summarizeGroups([
      group({ strategy: 'sequential', concurrency: 1 }, [makeRun('sequential', 1, 50, { partial: true, notStarted: [3] })]),
      group({ strategy: 'all', concurrency: null }, [makeRun('all', null, 100)]),
    ], 1);
    expect(partialOnly.map((r) => r.speedup)).toEqual([null, null]);
    const withoutSequential = summarizeGroups([group({ strategy: 'all', concurrency: null }, [makeRun('all', null, 100)])], 1);
    expect(withoutSequential[0]!.speedup).toBeNull();
  });
});
