/**
 * A task that fails, rejects or throws stops no other task: for each strategy, exact counts and
 * exact virtual times (a failure neither cancels nor delays the others). The same through
 * runStrategy, with the failures counted, is in strategies.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { StrategySpec } from '../../src/core/benchmark.js';
import { runSchedule, type Task } from '../../src/core/strategies.js';
import { FakeClock } from '../helpers/fake-clock.js';

const DURATIONS = [10, 20, 10, 30, 10, 20] as const;
const N = DURATIONS.length;
/** Index 1 rejects; index 3 ends with a failure (a value, as the HTTP client returns one). */
const REJECTS = 1;
const FAILS = 3;

interface Case {
  spec: StrategySpec;
  starts: number[];
  ends: number[];
  wallMs: number;
  peak: number;
}

const CASES: Case[] = [
  {
    spec: { strategy: 'sequential', concurrency: 1 },
    starts: [0, 10, 30, 40, 70, 80],
    ends: [10, 30, 40, 70, 80, 100],
    wallMs: 100,
    peak: 1,
  },
  {
    spec: { strategy: 'all', concurrency: null },
    starts: [0, 0, 0, 0, 0, 0],
    ends: [10, 20, 10, 30, 10, 20],
    wallMs: 30,
    peak: 6,
  },
  {
    // C=2: r0 0-10, r1 0-20, r2 10-20, r3 20-50, r4 20-30, r5 30-50.
    spec: { strategy: 'bounded', concurrency: 2 },
    starts: [0, 0, 10, 20, 20, 30],
    ends: [10, 20, 20, 50, 30, 50],
    wallMs: 50,
    peak: 2,
  },
];

const duration = (index: number): number => {
  const d = DURATIONS[index];
  if (d === undefined) throw new Error(`no request ${index}`);
  return d;
};

describe.each(CASES)('$spec.strategy: a failure stops no other request', ({ spec, starts, ends, wallMs, peak }) => {
  it('runSchedule: a task that rejects and a task that reports a failure stop nothing', async () => {
    const clock = new FakeClock();
    const started: number[] = [];
    const ended: number[] = [];
    const failures: number[] = [];
    const startAt = new Array<number>(N).fill(Number.NaN);
    const endAt = new Array<number>(N).fill(Number.NaN);
    const task: Task = async (index) => {
      started.push(index);
      startAt[index] = clock.now();
      await clock.sleep(duration(index));
      ended.push(index);
      endAt[index] = clock.now();
      if (index === REJECTS) throw new Error('task rejected');
      if (index === FAILS) failures.push(index); // resolves: the failure is a recorded value
    };
    const result = await clock.runAll(runSchedule(spec.strategy, N, task, { concurrency: spec.concurrency ?? N }));
    expect(result).toEqual({ started: 6, maxInFlight: peak });
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...ended].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(failures).toEqual([3]);
    expect(startAt).toEqual(starts);
    expect(endAt).toEqual(ends);
    expect(clock.now()).toBe(wallMs);
  });

  it('runSchedule: a task that throws before returning a promise stops nothing', async () => {
    const clock = new FakeClock();
    const started: number[] = [];
    const task: Task = (index) => {
      started.push(index);
      if (index === REJECTS) throw new Error('task threw synchronously');
      return clock.sleep(duration(index));
    };
    const result = await clock.runAll(runSchedule(spec.strategy, N, task, { concurrency: spec.concurrency ?? N }));
    expect(result.started).toBe(6);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
