/**
 * Property-based tests of runSchedule (and runStrategy's per-index records) on the fake clock:
 * random N, C, durations (zeros and ties included), failures and hand-overs; every number
 * checked is exact, because virtual time moves only when the clock fires a timer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStrategy, type StrategyClient, type StrategySpec } from '../../src/core/benchmark.js';
import { runSchedule, type Task } from '../../src/core/strategies.js';
import type { RequestOutcome, StrategyName } from '../../src/core/types.js';
import { FakeClock } from '../helpers/fake-clock.js';

const NUM_RUNS = 150;

/**
 * How a task ends: `ok` resolves, `fail` resolves with a failure (a value, as a request does),
 * `reject` rejects after its duration, `throw` throws synchronously before returning a promise
 * (both break the task's contract; the scheduler must survive them).
 */
type Kind = 'ok' | 'fail' | 'reject' | 'throw';
interface Job {
  duration: number;
  kind: Kind;
}

/**
 * What a lane awaits between two requests: nothing, a microtask, the product's next loop turn
 * (setImmediate, as run-command passes), one tick of the fake clock (a zero-ms timer), or a
 * hand-over that takes virtual time (5 ms: a window in which an abort can land).
 */
type HandOverKind = 'none' | 'microtask' | 'immediate' | 'fakeTick' | 'fakeDelay';
const HAND_OVER_MS = 5;

function makeHandOver(kind: HandOverKind, clock: FakeClock): (() => Promise<void>) | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'microtask':
      return () => Promise.resolve();
    case 'immediate':
      return () => new Promise<void>((resolve) => setImmediate(resolve));
    case 'fakeTick':
      return () => clock.sleep(0);
    case 'fakeDelay':
      return () => clock.sleep(HAND_OVER_MS);
  }
}

/** batched fills a chunk of C, adaptive (at a fixed limit of C here) its C slots, as bounded does. */
const expectedPeak = (strategy: StrategyName, n: number, c: number): number =>
  strategy === 'sequential' ? Math.min(1, n) : strategy === 'all' ? n : Math.min(c, n);

// Durations: many zeros and equal values (ties), plus arbitrary ones.
const durationArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 10, 20), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 50 }), weight: 1 },
);
const kindsWith = (kinds: readonly Kind[]) => fc.oneof({ arbitrary: fc.constant<Kind>('ok'), weight: 3 }, fc.constantFrom(...kinds));
const jobsArb = (kinds: readonly Kind[]) => fc.array(fc.record({ duration: durationArb, kind: kindsWith(kinds) }), { maxLength: 60 });
const cArb = fc.integer({ min: 1, max: 20 });
const strategyArb = fc.constantFrom<StrategyName>('sequential', 'all', 'bounded', 'batched', 'adaptive');
const allHandOvers: readonly HandOverKind[] = ['none', 'microtask', 'immediate', 'fakeTick', 'fakeDelay'];
/** Hand-overs that take no virtual time (a lane is never idle while time passes). */
const zeroTimeHandOvers: readonly HandOverKind[] = ['none', 'microtask', 'immediate', 'fakeTick'];
/** Hand-overs that take no virtual time and fire no timer: a freed lane starts its next task before any other timer fires. */
const instantHandOvers: readonly HandOverKind[] = ['none', 'microtask', 'immediate'];

interface StartEvent {
  index: number;
  at: number;
  /** Tasks in flight (by the wrapper's own count) just before this one started. */
  inFlightBefore: number;
  /** Whether the signal was already aborted when the task was started. */
  afterAbort: boolean;
}

interface Trace {
  starts: StartEvent[];
  ends: Array<{ index: number; at: number }>;
  /** Peak in flight, measured by the wrapper independently of the scheduler. */
  peak: number;
  /** Indices the scheduler asked for outside 0..N-1. */
  outOfRange: number[];
}

/** A task over `jobs` on the fake clock that records every start and end. */
function instrument(clock: FakeClock, jobs: readonly Job[], signal?: AbortSignal): { task: Task; trace: Trace } {
  const trace: Trace = { starts: [], ends: [], peak: 0, outOfRange: [] };
  let inFlight = 0;
  const task: Task = (index) => {
    const job = jobs[index];
    if (job === undefined) {
      trace.outOfRange.push(index);
      return Promise.resolve();
    }
    trace.starts.push({ index, at: clock.now(), inFlightBefore: inFlight, afterAbort: signal?.aborted === true });
    inFlight++;
    trace.peak = Math.max(trace.peak, inFlight);
    if (job.kind === 'throw') {
      inFlight--;
      trace.ends.push({ index, at: clock.now() });
      throw new Error(`task ${index} threw synchronously`);
    }
    return clock.sleep(job.duration).then(() => {
      inFlight--;
      trace.ends.push({ index, at: clock.now() });
      if (job.kind === 'reject') throw new Error(`task ${index} rejected`);
    });
  };
  return { task, trace };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

/** Times of the start and end of each index (NaN when it never happened). */
function timesByIndex(trace: Trace, n: number): { start: number[]; end: number[] } {
  const start = new Array<number>(n).fill(Number.NaN);
  const end = new Array<number>(n).fill(Number.NaN);
  for (const s of trace.starts) start[s.index] = s.at;
  for (const e of trace.ends) end[e.index] = e.at;
  return { start, end };
}

describe('runSchedule properties (fake clock)', () => {
  it('every index starts exactly once, in index order, and completes; started = N; no failure stops another', async () => {
    await fc.assert(
      fc.asyncProperty(
        strategyArb,
        jobsArb(['fail', 'reject', 'throw']),
        cArb,
        fc.constantFrom(...allHandOvers),
        async (strategy, jobs, c, handOverKind) => {
          const clock = new FakeClock();
          const n = jobs.length;
          const { task, trace } = instrument(clock, jobs);
          const handOver = makeHandOver(handOverKind, clock);
          const result = await clock.runAll(runSchedule(strategy, n, task, { concurrency: c, ...(handOver ? { handOver } : {}) }));
          expect(trace.outOfRange).toEqual([]);
          expect(result.started).toBe(n);
          // Each index once, and started in index order by every strategy.
          expect(trace.starts.map((s) => s.index)).toEqual(range(n));
          // Every task ran to its end, whatever the others did (rejected, threw, failed).
          expect(sorted(trace.ends.map((e) => e.index))).toEqual(range(n));
          // The run ends with its last task: the clock stopped at the latest end (with a
          // hand-over that takes virtual time, a bounded lane or adaptive may hand over once more
          // and find the queue empty: at most one hand-over later).
          const lastEnd = n === 0 ? 0 : Math.max(...trace.ends.map((e) => e.at));
          if (handOverKind === 'fakeDelay' && (strategy === 'bounded' || strategy === 'adaptive')) {
            expect(clock.now()).toBeGreaterThanOrEqual(lastEnd);
            expect(clock.now()).toBeLessThanOrEqual(lastEnd + HAND_OVER_MS);
          } else {
            expect(clock.now()).toBe(lastEnd);
          }
          expect(clock.pending).toBe(0);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('the peak in flight is min(C, N) for bounded, batched and adaptive, N for all, 1 for sequential (0 when N = 0), measured both ways', async () => {
    // A task that throws synchronously is never in flight across a turn, so it is left out here.
    await fc.assert(
      fc.asyncProperty(
        strategyArb,
        jobsArb(['fail', 'reject']),
        cArb,
        fc.constantFrom(...allHandOvers),
        async (strategy, jobs, c, handOverKind) => {
          const clock = new FakeClock();
          const n = jobs.length;
          const { task, trace } = instrument(clock, jobs);
          const handOver = makeHandOver(handOverKind, clock);
          const result = await clock.runAll(runSchedule(strategy, n, task, { concurrency: c, ...(handOver ? { handOver } : {}) }));
          const peak = expectedPeak(strategy, n, c);
          expect(result.maxInFlight).toBe(peak);
          expect(trace.peak).toBe(peak);
          expect(Math.max(0, ...trace.starts.map((s) => s.inFlightBefore + 1))).toBe(peak);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('bounded: a start after the first C happens only when a lane is freed, and the freed lane is refilled at once', async () => {
    // With a hand-over that takes no virtual time, the in-flight count just before the k-th
    // start is k for the first C starts and exactly C - 1 afterwards (one lane just freed,
    // the C - 1 others still busy): never fewer in flight while tasks remain unstarted.
    await fc.assert(
      fc.asyncProperty(
        jobsArb(['fail', 'reject']),
        cArb,
        fc.constantFrom(...instantHandOvers),
        async (jobs, c, handOverKind) => {
          const clock = new FakeClock();
          const n = jobs.length;
          const { task, trace } = instrument(clock, jobs);
          const handOver = makeHandOver(handOverKind, clock);
          await clock.runAll(runSchedule('bounded', n, task, { concurrency: c, ...(handOver ? { handOver } : {}) }));
          expect(trace.starts.map((s) => s.inFlightBefore)).toEqual(range(n).map((k) => Math.min(k, c - 1)));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('bounded: exactly C in flight at every instant until the last task has started (list-scheduling identity)', async () => {
    // In virtual time: the first min(C, N) tasks start at 0, and the remaining N - C starts
    // happen exactly at the N - C earliest ends (each such end refills its lane at that same
    // instant). Equivalently, over [0, last start) the count of [start, end) intervals that
    // cover t is C at every t. Holds for zero durations, ties, synchronous throws and a
    // hand-over of one fake tick, since none of them lets virtual time pass with a lane idle.
    await fc.assert(
      fc.asyncProperty(
        jobsArb(['fail', 'reject', 'throw']),
        cArb,
        fc.constantFrom(...zeroTimeHandOvers),
        async (jobs, c, handOverKind) => {
          const clock = new FakeClock();
          const n = jobs.length;
          const { task, trace } = instrument(clock, jobs);
          const handOver = makeHandOver(handOverKind, clock);
          await clock.runAll(runSchedule('bounded', n, task, { concurrency: c, ...(handOver ? { handOver } : {}) }));
          const { start, end } = timesByIndex(trace, n);
          const startTimes = sorted(start);
          const endTimes = sorted(end);
          const first = Math.min(c, n);
          expect(startTimes.slice(0, first)).toEqual(new Array<number>(first).fill(0));
          expect(startTimes.slice(first)).toEqual(endTimes.slice(0, n - first));
          // The same, as a coverage check at every event time before the last start.
          if (n > c) {
            const lastStart = startTimes[n - 1]!;
            const instants = [...new Set([...startTimes, ...endTimes])].filter((t) => t < lastStart);
            for (const t of instants) {
              let covering = 0;
              for (let i = 0; i < n; i++) if (start[i]! <= t && t < end[i]!) covering++;
              expect(covering, `in flight at t=${t}`).toBe(c);
            }
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('sequential: each task starts exactly when the previous one ended; all: every task starts at 0', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<StrategyName>('sequential', 'all'),
        jobsArb(['fail', 'reject', 'throw']),
        fc.constantFrom(...zeroTimeHandOvers),
        async (strategy, jobs, handOverKind) => {
          const clock = new FakeClock();
          const n = jobs.length;
          const { task, trace } = instrument(clock, jobs);
          const handOver = makeHandOver(handOverKind, clock);
          await clock.runAll(runSchedule(strategy, n, task, { concurrency: 1, ...(handOver ? { handOver } : {}) }));
          const { start, end } = timesByIndex(trace, n);
          if (strategy === 'all') {
            expect(start).toEqual(new Array<number>(n).fill(0));
            expect(end).toEqual(jobs.map((j) => (j.kind === 'throw' ? 0 : j.duration)));
          } else {
            let t = 0;
            const expectedStart: number[] = [];
            for (const j of jobs) {
              expectedStart.push(t);
              if (j.kind !== 'throw') t += j.duration;
            }
            expect(start).toEqual(expectedStart);
            expect(end.slice(0, -1)).toEqual(start.slice(1));
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  /**
   * Aborts at a random virtual time (the abort's timer is registered first, so at its own
   * instant it fires before any task's timer), or before the run. The exact number started is
   * checked against the same run without an abort, where a no-op timer marks the abort's place
   * in the order of events: exactly the starts that came before the mark may happen.
   */
  const abortProperty = (strategies: readonly StrategyName[], handOvers: readonly HandOverKind[]) =>
    fc.asyncProperty(
      fc.constantFrom(...strategies),
      jobsArb(['fail', 'reject', 'throw']),
      cArb,
      fc.constantFrom(...handOvers),
      // Before the run, on an instant where tasks end (0, 10, 20...), or anywhere, often early
      // (inside the first hand-overs' windows).
      fc.oneof(
        { arbitrary: fc.constant<'before'>('before'), weight: 1 },
        { arbitrary: fc.constantFrom(0, 10, 20, 30, 40, 60), weight: 2 },
        { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 3 },
        { arbitrary: fc.integer({ min: 0, max: 300 }), weight: 1 },
      ),
      async (strategy, jobs, c, handOverKind, abortAt) => {
        const n = jobs.length;
        // The run without an abort; `marked` counts the starts made before the abort's instant.
        const refClock = new FakeClock();
        let marked = abortAt === 'before' ? 0 : Number.NaN;
        const ref = instrument(refClock, jobs);
        if (abortAt !== 'before') void refClock.sleep(abortAt).then(() => void (marked = ref.trace.starts.length));
        const refHandOver = makeHandOver(handOverKind, refClock);
        await refClock.runAll(runSchedule(strategy, n, ref.task, { concurrency: c, ...(refHandOver ? { handOver: refHandOver } : {}) }));
        // The mark may lie past the run's end.
        while (refClock.pending > 0) await refClock.step();
        expect(marked).not.toBeNaN();
        // Independently of the mark: what starts before the abort starts no later than it.
        if (abortAt !== 'before') for (const s of ref.trace.starts.slice(0, marked)) expect(s.at).toBeLessThanOrEqual(abortAt);

        const clock = new FakeClock();
        const controller = new AbortController();
        if (abortAt === 'before') controller.abort();
        else void clock.sleep(abortAt).then(() => controller.abort());
        const { task, trace } = instrument(clock, jobs, controller.signal);
        const handOver = makeHandOver(handOverKind, clock);
        const result = await clock.runAll(
          runSchedule(strategy, n, task, { concurrency: c, signal: controller.signal, ...(handOver ? { handOver } : {}) }),
        );
        expect(trace.starts.filter((s) => s.afterAbort).map((s) => s.index), 'started after the abort').toEqual([]);
        expect(result.started).toBe(trace.starts.length);
        expect(result.started).toBeLessThanOrEqual(n);
        // What started is a prefix of the indices, each once.
        expect(trace.starts.map((s) => s.index)).toEqual(range(result.started));
        // Whatever started also ended: an abort does not strand a task (these ignore it).
        expect(trace.ends).toHaveLength(result.started);
        // The abort stops exactly the starts after it, none before it.
        expect(result.started).toBe(marked);
      },
    );

  it('nothing starts after the abort: all, bounded, batched and adaptive, with every kind of hand-over', async () => {
    await fc.assert(abortProperty(['all', 'bounded', 'batched', 'adaptive'], allHandOvers), { numRuns: NUM_RUNS });
  });

  it('nothing starts after the abort: sequential, with hand-overs that let no timer fire', async () => {
    await fc.assert(abortProperty(['sequential'], instantHandOvers), { numRuns: NUM_RUNS });
  });

  // The examples are counterexamples fast-check once found and shrank: sequential did not
  // re-check the signal after its hand-over, so an abort during one let one more task start.
  it('nothing starts after the abort: sequential, with hand-overs that let a timer fire', async () => {
    await fc.assert(abortProperty(['sequential'], ['fakeTick', 'fakeDelay']), {
      numRuns: NUM_RUNS,
      examples: [
        ['sequential', [{ duration: 0, kind: 'throw' }, { duration: 0, kind: 'fail' }], 1, 'fakeTick', 0],
        ['sequential', [{ duration: 0, kind: 'ok' }, { duration: 0, kind: 'ok' }], 1, 'fakeDelay', 1],
      ],
    });
  });
});

describe('runSchedule: an abort during a hand-over', () => {
  // With the product's hand-over (one setImmediate turn), a Ctrl-C handled in that turn starts
  // nothing more, for sequential as for bounded.
  it.each(['sequential', 'bounded'] as const)('%s (one lane): an abort in the setImmediate hand-over starts no further request', async (strategy) => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const jobs: Job[] = [{ duration: 10, kind: 'ok' }, { duration: 10, kind: 'ok' }, { duration: 10, kind: 'ok' }];
    const { task: inner, trace } = instrument(clock, jobs, controller.signal);
    // Task 0 ends at t=10; in the same loop turn as the lane's hand-over, the abort arrives.
    const task: Task = (i) =>
      inner(i).then(() => {
        if (i === 0) setImmediate(() => controller.abort());
      });
    const handOver = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
    const result = await clock.runAll(runSchedule(strategy, 3, task, { concurrency: 1, signal: controller.signal, handOver }));
    expect(trace.starts.filter((s) => s.afterAbort)).toEqual([]);
    expect(result.started).toBe(1);
    expect(clock.now()).toBe(10);
  });
});

describe('runStrategy keeps results in input order (property)', () => {
  // adaptive starts at C with C as its ceiling: its first C requests start at once, as bounded's do.
  const SPEC = (strategy: StrategyName, c: number): StrategySpec =>
    strategy === 'bounded' || strategy === 'batched'
      ? { strategy, concurrency: c }
      : strategy === 'adaptive'
        ? { strategy, concurrency: null, adaptive: { start: c, max: c } }
        : { strategy, concurrency: strategy === 'sequential' ? 1 : null };

  it('each index’s sample lands at its own index, whatever the completion order', async () => {
    await fc.assert(
      fc.asyncProperty(
        strategyArb,
        jobsArb(['fail', 'reject']),
        cArb,
        fc.constantFrom(...allHandOvers),
        async (strategy, jobs, c, handOverKind) => {
          const clock = new FakeClock();
          const n = jobs.length;
          const began = new Array<number>(n).fill(Number.NaN);
          const finished: number[] = [];
          const request = (index: number): Promise<RequestOutcome> => {
            const job = jobs[index];
            if (job === undefined) return Promise.reject(new Error(`no job ${index}`));
            began[index] = clock.now();
            return clock.sleep(job.duration).then(() => {
              finished.push(index);
              if (job.kind === 'reject') throw new Error(`request ${index} rejected`);
              return job.kind === 'fail'
                ? { status: 500 + (index % 4), bytes: index, ttfbMs: index + 0.5, error: 'http5xx' }
                : { status: 200, bytes: 1000 + index, ttfbMs: index + 0.25, error: null };
            });
          };
          const client: StrategyClient = { request, close: async () => undefined };
          let done = 0;
          const handOver = makeHandOver(handOverKind, clock);
          const run = await clock.runAll(
            runStrategy(SPEC(strategy, c), n, client, clock.now, {
              onRequestDone: () => void done++,
              ...(handOver ? { handOver } : {}),
            }),
          );
          expect(done).toBe(n);
          expect(sorted(finished)).toEqual(range(n));
          expect(run.partial).toBe(false);
          expect(run.maxInFlight).toBe(expectedPeak(strategy, n, c));
          expect(run.wallMs).toBe(clock.now());
          for (let i = 0; i < n; i++) {
            const job = jobs[i]!;
            const s = run.samples;
            expect(s.completed(i)).toBe(true);
            expect(s.startMs[i]).toBe(began[i]);
            expect(s.latencyMs(i)).toBe(job.duration);
            if (job.kind === 'ok') {
              expect([s.status[i], s.bytes[i], s.ttfbMs[i], s.error(i)]).toEqual([200, 1000 + i, i + 0.25, null]);
            } else if (job.kind === 'fail') {
              expect([s.status[i], s.bytes[i], s.ttfbMs[i], s.error(i)]).toEqual([500 + (i % 4), i, i + 0.5, 'http5xx']);
            } else {
              // A rejecting request function is a failure of class other, at its own index.
              expect([s.status[i], s.bytes[i], s.error(i)]).toEqual([0, 0, 'other']);
              expect(Number.isNaN(s.ttfbMs[i])).toBe(true);
            }
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
