import { Semaphore } from './semaphore.js';
import type { StrategyName } from './types.js';

/** Does request number `index` to the end; must not reject. */
export type Task = (index: number) => Promise<void>;

export interface ScheduleOptions {
  /** Limit of the bounded strategy (ignored by the others). */
  concurrency: number;
  /** Once aborted, no further request is started. */
  signal?: AbortSignal;
}

export interface ScheduleResult {
  /** Measured peak number of tasks in flight. */
  maxInFlight: number;
  /** How many tasks were started (less than count only when stopped). */
  started: number;
}

/**
 * Runs `count` tasks with one of the three strategies. Pure scheduling: no clock, no I/O;
 * the task does the request and records its own timings.
 */
export async function runSchedule(
  strategy: StrategyName,
  count: number,
  task: Task,
  options: ScheduleOptions,
): Promise<ScheduleResult> {
  let inFlight = 0;
  let maxInFlight = 0;
  let started = 0;
  const stopped = (): boolean => options.signal?.aborted === true;
  const tracked = (index: number): Promise<void> => {
    started++;
    inFlight++;
    if (inFlight > maxInFlight) maxInFlight = inFlight;
    return task(index).then(
      () => {
        inFlight--;
      },
      () => {
        inFlight--;
      },
    );
  };

  switch (strategy) {
    case 'sequential':
      for (let i = 0; i < count && !stopped(); i++) await tracked(i);
      break;
    case 'all': {
      // Every request is started before any is awaited.
      const pending: Array<Promise<void>> = [];
      for (let i = 0; i < count && !stopped(); i++) pending.push(tracked(i));
      await Promise.all(pending);
      break;
    }
    case 'bounded':
      await boundedLoop(count, options.concurrency, tracked, stopped);
      break;
  }
  return { maxInFlight, started };
}

/** A semaphore, not batches: request i+C starts the moment any earlier one finishes. */
async function boundedLoop(
  count: number,
  concurrency: number,
  tracked: (index: number) => Promise<void>,
  stopped: () => boolean,
): Promise<void> {
  const semaphore = new Semaphore(concurrency);
  const release = (): void => semaphore.release();
  for (let i = 0; i < count; i++) {
    await semaphore.acquire();
    if (stopped()) {
      semaphore.release();
      break;
    }
    void tracked(i).then(release);
  }
  // Wait for the stragglers: holding every permit means none is in flight.
  for (let k = 0; k < concurrency; k++) await semaphore.acquire();
}
