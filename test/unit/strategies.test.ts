import { describe, expect, it } from 'vitest';
import { fanOutWarning, planStrategies, runStrategy, type StrategyClient, type StrategySpec } from '../../src/core/benchmark.js';
import { runSchedule } from '../../src/core/strategies.js';
import type { RequestOutcome, StrategyName } from '../../src/core/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { fakeRequests, ok } from '../helpers/fake-requests.js';
import { runOnce, summarizeRun, summarizeRuns } from '../helpers/single-run.js';

const starts = (run: { samples: { startMs: Float64Array } }): number[] => Array.from(run.samples.startMs);
const ends = (run: { samples: { endMs: Float64Array } }): number[] => Array.from(run.samples.endMs);

/** Number of requests whose [start, end) interval contains t. */
function inFlightAt(startMs: readonly number[], endMs: readonly number[], t: number): number {
  let n = 0;
  for (let i = 0; i < startMs.length; i++) if (startMs[i]! <= t && t < endMs[i]!) n++;
  return n;
}

const SEQ: StrategySpec = { strategy: 'sequential', concurrency: 1 };
const ALL: StrategySpec = { strategy: 'all', concurrency: null };
const bounded = (c: number): StrategySpec => ({ strategy: 'bounded', concurrency: c });

describe('planStrategies', () => {
  it('orders sequential, all, then bounded at each limit, whatever the input order', () => {
    expect(planStrategies(['bounded', 'all', 'sequential'], [1, 4])).toEqual([
      { strategy: 'sequential', concurrency: 1 },
      { strategy: 'all', concurrency: null },
      { strategy: 'bounded', concurrency: 1 },
      { strategy: 'bounded', concurrency: 4 },
    ]);
  });

  it('plans only what was asked', () => {
    expect(planStrategies(['all'], [5])).toEqual([{ strategy: 'all', concurrency: null }]);
    expect(planStrategies(['bounded'], [8, 2])).toEqual([bounded(8), bounded(2)]);
    expect(planStrategies(['sequential', 'bounded'], [])).toEqual([SEQ]);
  });
});

describe('fanOutWarning', () => {
  const plan = (names: StrategyName[]): StrategySpec[] => planStrategies(names, [50]);
  it('warns above 5,000 requests when all runs, naming the count and the polite way', () => {
    expect(fanOutWarning(5_001, plan(['sequential', 'all', 'bounded']))).toBe(
      'warning: all starts 5,001 requests at once, each on its own connection; the system may refuse some (counted as failures). bounded (-s bounded -c 100) is the polite way.',
    );
    expect(fanOutWarning(125_000, plan(['all']))).toMatch(/^warning: all starts 125,000 requests at once/);
  });

  it('is silent at 5,000, and at any count without all', () => {
    expect(fanOutWarning(5_000, plan(['all']))).toBeNull();
    expect(fanOutWarning(0, plan(['all']))).toBeNull();
    expect(fanOutWarning(100_000, plan(['sequential', 'bounded', 'batched', 'adaptive']))).toBeNull();
  });
});

describe('sequential', () => {
  const durations = [30, 10, 50, 20];

  it('never overlaps: each request starts when the previous one ends', async () => {
    const clock = new FakeClock();
    const { client, observed } = fakeRequests(clock, durations);
    const run = await clock.runAll(runStrategy(SEQ, 4, client, clock.now));
    expect(starts(run)).toEqual([0, 30, 40, 90]);
    expect(ends(run)).toEqual([30, 40, 90, 110]);
    for (let i = 1; i < 4; i++) expect(run.samples.startMs[i]).toBe(run.samples.endMs[i - 1]);
    expect(run.wallMs).toBe(110); // the sum of the durations
    expect(run.maxInFlight).toBe(1);
    expect(observed.peak).toBe(1);
    expect(observed.calls).toEqual([0, 1, 2, 3]);
    expect(run.partial).toBe(false);
  });
});

describe('all (Promise.all)', () => {
  it('starts every request at 0; wall time is the longest request', async () => {
    const clock = new FakeClock();
    const { client, observed } = fakeRequests(clock, [30, 10, 50, 20]);
    const run = await clock.runAll(runStrategy(ALL, 4, client, clock.now));
    expect(starts(run)).toEqual([0, 0, 0, 0]);
    expect(ends(run)).toEqual([30, 10, 50, 20]);
    expect(run.wallMs).toBe(50);
    expect(run.maxInFlight).toBe(4);
    expect(observed.peak).toBe(4);
    expect(run.partial).toBe(false);
  });
});

describe('bounded (semaphore)', () => {
  it.each([
    [1, 5],
    [2, 2],
    [3, 10],
    [5, 3],
    [4, 4],
    [10, 1],
  ])('C=%i over N=%i peaks at exactly min(C, N)', async (c, n) => {
    const clock = new FakeClock();
    const durations = Array.from({ length: n }, (_, i) => ((i * 7) % 5) * 10 + 10);
    const { client, observed } = fakeRequests(clock, durations);
    const run = await clock.runAll(runStrategy(bounded(c), n, client, clock.now));
    expect(run.maxInFlight).toBe(Math.min(c, n));
    expect(observed.peak).toBe(Math.min(c, n));
    expect(observed.calls).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(run.samples.endMs.every((e, i) => e > run.samples.startMs[i]!)).toBe(true);
  });

  it('with C >= N behaves like all', async () => {
    const clock = new FakeClock();
    const { client } = fakeRequests(clock, [30, 10, 50]);
    const run = await clock.runAll(runStrategy(bounded(8), 3, client, clock.now));
    expect(starts(run)).toEqual([0, 0, 0]);
    expect(run.wallMs).toBe(50);
  });

  it('with C=1 behaves like sequential', async () => {
    const clock = new FakeClock();
    const { client } = fakeRequests(clock, [30, 10, 50, 20]);
    const run = await clock.runAll(runStrategy(bounded(1), 4, client, clock.now));
    expect(starts(run)).toEqual([0, 30, 40, 90]);
    expect(run.wallMs).toBe(110);
  });

  it('is a semaphore, not batches: request C starts when the first request finishes', async () => {
    // Batches of 2 would take max(100,300) + max(100,100) = 400 ms; a semaphore takes 300.
    const clock = new FakeClock();
    const { client } = fakeRequests(clock, [100, 300, 100, 100]);
    const run = await clock.runAll(runStrategy(bounded(2), 4, client, clock.now));
    expect(starts(run)).toEqual([0, 0, 100, 200]);
    expect(ends(run)).toEqual([100, 300, 200, 300]);
    expect(run.wallMs).toBe(300);
    expect(run.maxInFlight).toBe(2);
  });

  it('keeps exactly C requests busy until the last one has started', async () => {
    // C=3: batches would take 90 + 80 + 50 = 220 ms; the semaphore timeline is
    // r0 0-70, r1 0-20, r2 0-90, r3 20-60, r4 60-65, r5 65-145, r6 70-100, r7 90-140.
    const durations = [70, 20, 90, 40, 5, 80, 30, 50];
    const clock = new FakeClock();
    const { client, observed } = fakeRequests(clock, durations);
    const run = await clock.runAll(runStrategy(bounded(3), 8, client, clock.now));
    expect(starts(run)).toEqual([0, 0, 0, 20, 60, 65, 70, 90]);
    expect(ends(run)).toEqual([70, 20, 90, 60, 65, 145, 100, 140]);
    expect(run.wallMs).toBe(145);
    // Request C (index 3) starts exactly when the first finisher (r1, 20 ms) ends.
    expect(run.samples.startMs[3]).toBe(Math.min(...durations.slice(0, 3)));
    const s = starts(run);
    const e = ends(run);
    for (let t = 0; t < 90; t++) expect(inFlightAt(s, e, t)).toBe(3);
    expect(observed.peak).toBe(3);
  });

  it('starts requests in index order', async () => {
    const clock = new FakeClock();
    const { client, observed } = fakeRequests(clock, [50, 40, 30, 20, 10, 5]);
    await clock.runAll(runStrategy(bounded(2), 6, client, clock.now));
    expect(observed.calls).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe.each<[StrategySpec]>([[SEQ], [ALL], [bounded(2)]])('$0.strategy: results and failures', (spec) => {
  it('keeps results in input order, whatever the completion order', async () => {
    const clock = new FakeClock();
    const { client } = fakeRequests(clock, [50, 40, 30, 20, 10]);
    const run = await clock.runAll(runStrategy(spec, 5, client, clock.now));
    expect(Array.from(run.samples.bytes)).toEqual([100, 101, 102, 103, 104]);
    expect(Array.from({ length: 5 }, (_, i) => run.samples.latencyMs(i))).toEqual([50, 40, 30, 20, 10]);
  });

  it('a failed request and a throwing request do not stop the others, and both count', async () => {
    const clock = new FakeClock();
    const outcome = (i: number): RequestOutcome =>
      i === 1 ? { status: 503, bytes: 7, ttfbMs: 1, error: 'http5xx' } : ok(i);
    const { client, observed } = fakeRequests(clock, [10, 10, 10, 10, 10], { outcome, throwAt: new Set([3]) });
    const run = await clock.runAll(runStrategy(spec, 5, client, clock.now));
    expect(observed.calls).toEqual([0, 1, 2, 3, 4]);
    expect(run.partial).toBe(false);
    expect(run.samples.error(1)).toBe('http5xx');
    expect(run.samples.error(3)).toBe('other');
    expect(run.samples.error(4)).toBe(null);
    const result = summarizeRun(run, null);
    expect(result.requests).toBe(5);
    expect(result.ok).toBe(3);
    expect(result.failed).toBe(2);
    expect(result.errors.http5xx).toBe(1);
    expect(result.errors.other).toBe(1);
    expect(result.bytes).toBe(100 + 7 + 102 + 104);
  });
});

describe('runSchedule', () => {
  it.each<StrategyName>(['sequential', 'all', 'bounded'])('%s survives a task that rejects', async (strategy) => {
    const seen: number[] = [];
    const task = async (i: number): Promise<void> => {
      seen.push(i);
      if (i % 2 === 0) throw new Error('task broke its promise');
    };
    const result = await runSchedule(strategy, 5, task, { concurrency: 2 });
    expect(result.started).toBe(5);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it.each<StrategyName>(['sequential', 'all', 'bounded'])('%s with no requests starts nothing', async (strategy) => {
    const result = await runSchedule(strategy, 0, async () => undefined, { concurrency: 3 });
    expect(result).toEqual({ maxInFlight: 0, started: 0 });
  });

  it('bounded reports the peak it measured', async () => {
    const clock = new FakeClock();
    const result = await clock.runAll(runSchedule('bounded', 7, (i) => clock.sleep(10 + i), { concurrency: 3 }));
    expect(result).toEqual({ maxInFlight: 3, started: 7 });
    // r0 0-10, r1 0-11, r2 0-12, r3 10-23, r4 11-25, r5 12-27, r6 23-39.
    expect(clock.now()).toBe(39);
  });
});

describe('handOver between requests of one lane', () => {
  /** Records the order of request starts, ends and hand-overs. */
  function recorder(): { events: string[]; task: (i: number) => Promise<void>; handOver: () => Promise<void> } {
    const events: string[] = [];
    return {
      events,
      task: async (i) => {
        events.push(`start ${i}`);
        await Promise.resolve();
        events.push(`end ${i}`);
      },
      handOver: async () => {
        events.push('hand over');
      },
    };
  }

  it('sequential hands over between requests, not before the first or after the last', async () => {
    const r = recorder();
    await runSchedule('sequential', 3, r.task, { concurrency: 1, handOver: r.handOver });
    expect(r.events).toEqual(['start 0', 'end 0', 'hand over', 'start 1', 'end 1', 'hand over', 'start 2', 'end 2']);
  });

  it('each bounded worker hands over before its next request; the peak stays C', async () => {
    const r = recorder();
    const result = await runSchedule('bounded', 5, r.task, { concurrency: 2, handOver: r.handOver });
    expect(result).toEqual({ maxInFlight: 2, started: 5 });
    // One per request after a lane's first (3), plus the lane that finds the queue empty only
    // after its hand-over: it starts nothing more.
    expect(r.events.filter((e) => e === 'hand over')).toHaveLength(4);
    expect(r.events.filter((e) => e.startsWith('start'))).toHaveLength(5);
    expect(r.events.slice(0, 2)).toEqual(['start 0', 'start 1']); // both lanes start at once
  });

  it('all never hands over: every request starts at once', async () => {
    const r = recorder();
    await runSchedule('all', 3, r.task, { concurrency: 3, handOver: r.handOver });
    expect(r.events).not.toContain('hand over');
    expect(r.events.slice(0, 3)).toEqual(['start 0', 'start 1', 'start 2']);
  });
});

describe('abort', () => {
  it('sequential: no request starts after the abort; the one in flight is aborted; run is partial', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { client, observed } = fakeRequests(clock, [100, 100, 100, 100, 100], { signal: controller.signal });
    void clock.sleep(250).then(() => controller.abort());
    const run = await clock.runAll(runStrategy(SEQ, 5, client, clock.now, { signal: controller.signal }));
    expect(observed.calls).toEqual([0, 1, 2]);
    expect(observed.startedAfterAbort).toBe(0);
    expect(run.partial).toBe(true);
    expect(run.wallMs).toBe(250);
    expect([3, 4].map((i) => run.samples.started(i))).toEqual([false, false]);
    const result = summarizeRun(run, null);
    expect(result.requests).toBe(3); // never-started requests are not counted
    expect(result.ok).toBe(2);
    expect(result.failed).toBe(1);
    expect(result.errors.aborted).toBe(1);
    expect(result.partial).toBe(true);
  });

  it('sequential: a request that ignores the abort finishes, and nothing starts after it', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { client, observed } = fakeRequests(clock, [100, 100, 100, 100, 100]);
    void clock.sleep(250).then(() => controller.abort());
    const run = await clock.runAll(runStrategy(SEQ, 5, client, clock.now, { signal: controller.signal }));
    expect(observed.calls).toEqual([0, 1, 2]);
    expect(run.wallMs).toBe(300);
    expect(run.partial).toBe(true);
    const result = summarizeRun(run, null);
    expect([result.requests, result.ok, result.failed]).toEqual([3, 3, 0]);
  });

  it('bounded: no request starts after the abort; those in flight are aborted; run is partial', async () => {
    // C=2: r0,r1 0-100, r2,r3 start at 100; abort at 150.
    const clock = new FakeClock();
    const controller = new AbortController();
    const { client, observed } = fakeRequests(clock, [100, 100, 100, 100, 100, 100], { signal: controller.signal });
    void clock.sleep(150).then(() => controller.abort());
    const run = await clock.runAll(runStrategy(bounded(2), 6, client, clock.now, { signal: controller.signal }));
    expect(observed.calls).toEqual([0, 1, 2, 3]);
    expect(observed.startedAfterAbort).toBe(0);
    expect(run.partial).toBe(true);
    expect(run.wallMs).toBe(150);
    expect(ends(run).slice(0, 4)).toEqual([100, 100, 150, 150]);
    const result = summarizeRun(run, null);
    expect(result.requests).toBe(4);
    expect(result.ok).toBe(2);
    expect(result.failed).toBe(2);
    expect(result.errors.aborted).toBe(2);
    expect(result.latencyMs.max).toBe(100);
  });

  it('bounded: a run aborted before it starts sends nothing', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    controller.abort();
    const { client, observed } = fakeRequests(clock, [10, 10, 10]);
    const run = await clock.runAll(runStrategy(bounded(2), 3, client, clock.now, { signal: controller.signal }));
    expect(observed.calls).toEqual([]);
    expect(run.partial).toBe(true);
    expect(summarizeRun(run, null).requests).toBe(0);
  });

  it('sequential: a run aborted before it starts sends nothing', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    controller.abort();
    const { client, observed } = fakeRequests(clock, [10, 10, 10]);
    const run = await clock.runAll(runStrategy(SEQ, 3, client, clock.now, { signal: controller.signal }));
    expect(observed.calls).toEqual([]);
    expect(run.partial).toBe(true);
    expect(run.wallMs).toBe(0);
  });
});

describe('one round (runRounds with runs: 1)', () => {
  it('runs each strategy in turn with a fresh client, closed before the next one is created', async () => {
    const clock = new FakeClock();
    const log: string[] = [];
    let clients = 0;
    const createClient = (): StrategyClient => {
      const id = ++clients;
      log.push(`create ${id}`);
      const { client } = fakeRequests(clock, [30, 10, 50, 20]);
      return {
        request: (i) => {
          log.push(`request ${id}:${i}`);
          return client.request(i);
        },
        close: async () => {
          log.push(`close ${id}`);
        },
      };
    };
    const specs = planStrategies(['sequential', 'all', 'bounded'], [2]);
    const runs = await clock.runAll(runOnce(specs, 4, createClient, clock.now));
    expect(log).toEqual([
      'create 1', 'request 1:0', 'request 1:1', 'request 1:2', 'request 1:3', 'close 1',
      'create 2', 'request 2:0', 'request 2:1', 'request 2:2', 'request 2:3', 'close 2',
      'create 3', 'request 3:0', 'request 3:1', 'request 3:2', 'request 3:3', 'close 3',
    ]);
    expect(runs.map((r) => [r.strategy, r.concurrency, r.wallMs, r.maxInFlight])).toEqual([
      ['sequential', 1, 110, 1],
      ['all', null, 50, 4],
      // C=2: r0 0-30, r1 0-10, r2 10-60, r3 30-50
      ['bounded', 2, 60, 2],
    ]);
    // Each run's times count from its own start.
    expect(starts(runs[2]!)).toEqual([0, 0, 10, 30]);
    const results = summarizeRuns(runs);
    expect(results.map((r) => r.speedup)).toEqual([1, 2.2, 1.833]);
  });

  it('calls the hooks: start, every request done, end', async () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const runs = await clock.runAll(
      runOnce([SEQ, bounded(3)], 3, () => fakeRequests(clock, [5, 5, 5]).client, clock.now, {
        onStrategyStart: (spec, count) => events.push(`start ${spec.strategy} ${count}`),
        onRequestDone: (spec, done, count) => events.push(`done ${spec.strategy} ${done}/${count}`),
        onStrategyEnd: (run) => events.push(`end ${run.strategy} ${run.wallMs}`),
      }),
    );
    expect(runs).toHaveLength(2);
    expect(events).toEqual([
      'start sequential 3', 'done sequential 1/3', 'done sequential 2/3', 'done sequential 3/3', 'end sequential 15',
      'start bounded 3', 'done bounded 1/3', 'done bounded 2/3', 'done bounded 3/3', 'end bounded 5',
    ]);
  });

  it('an abort during one strategy stops the benchmark: no later strategy starts', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let created = 0;
    let closed = 0;
    const createClient = (): StrategyClient => {
      created++;
      const { client } = fakeRequests(clock, [100, 100, 100], { signal: controller.signal });
      return { request: client.request, close: async () => void closed++ };
    };
    void clock.sleep(150).then(() => controller.abort());
    const runs = await clock.runAll(
      runOnce([SEQ, ALL], 3, createClient, clock.now, { signal: controller.signal }),
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.partial).toBe(true);
    expect(created).toBe(1);
    expect(closed).toBe(1);
    const results = summarizeRuns(runs);
    expect(results[0]!.requests).toBe(2);
    expect(results[0]!.errors.aborted).toBe(1);
    // A partial sequential run is no baseline.
    expect(results[0]!.speedup).toBe(null);
  });

  it('an abort before the start runs nothing and creates no client', async () => {
    const controller = new AbortController();
    controller.abort();
    let created = 0;
    const runs = await runOnce([SEQ], 3, () => {
      created++;
      return { request: async () => ok(0), close: async () => undefined };
    }, () => 0, { signal: controller.signal });
    expect(runs).toEqual([]);
    expect(created).toBe(0);
  });
});
