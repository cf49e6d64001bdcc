import type { StrategyName } from './types.js';

/** Does request number `index` to the end; must not reject. */
export type Task = (index: number) => Promise<void>;

export interface ScheduleOptions {
  /** Limit of bounded, chunk size of batched (ignored by the others). */
  concurrency: number;
  /** adaptive: the limit in force, read whenever a slot may open (default: `concurrency`). */
  limit?: () => number;
  /**
   * all: Promise.all's own semantics. A task that rejects rejects the whole at once; the others
   * keep running, as in JavaScript, and are awaited after (the run still ends with its last response).
   */
  failFast?: boolean;
  /** With failFast: called when Promise.all rejects, with its reason and the tasks still running. */
  onReject?: (reason: unknown) => void;
  /** Once aborted, no further request is started. */
  signal?: AbortSignal;
  /**
   * Awaited after a request ends and before the same lane (sequential, or a bounded worker)
   * starts its next one. The CLI passes one event-loop turn: undici frees a keep-alive socket
   * a turn after its response ends, so without it every next request opens a new connection.
   */
  handOver?: () => Promise<void>;
  /**
   * bounded: the index of the next request to start (count or more: none left). By default
   * 0, 1, 2 …; the workers strategy passes one counter that every thread takes from.
   */
  next?: () => number;
}

export interface ScheduleResult {
  /** Measured peak number of tasks in flight. */
  maxInFlight: number;
  /** How many tasks were started (less than count only when stopped). */
  started: number;
}

/**
 * Runs `count` tasks with one of the strategies. Pure scheduling: no clock, no I/O;
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
  // One promise per request and no more: at 40,000 requests a second, every extra layer of
  // promises and closures is garbage the collector must chase mid-measurement.
  const tracked = async (index: number): Promise<void> => {
    started++;
    if (++inFlight > maxInFlight) maxInFlight = inFlight;
    try {
      await task(index);
    } catch {
      // A task must not reject; if one does anyway, the others go on.
    } finally {
      inFlight--;
    }
  };

  switch (strategy) {
    case 'sequential':
      for (let i = 0; i < count && !stopped(); i++) {
        if (i > 0 && options.handOver) {
          await options.handOver();
          // An abort during the hand-over starts nothing more, as in bounded.
          if (stopped()) break;
        }
        await tracked(i);
      }
      break;
    case 'all': {
      // Every request is started before any is awaited. A .then per task, not `tracked`'s async
      // frame: 100,000 tasks start in one loop turn, and each frame kept alive is some 300 bytes
      // more for the collector to copy while the loop waits (761 ms down to 377 ms for 100,000).
      const settled = (): void => {
        inFlight--;
      };
      const { failFast } = options;
      const rejected = (reason: unknown): never => {
        inFlight--;
        throw reason;
      };
      const pending: Array<Promise<void>> = [];
      for (let i = 0; i < count && !stopped(); i++) {
        started++;
        if (++inFlight > maxInFlight) maxInFlight = inFlight;
        let promise: Promise<void>;
        try {
          promise = task(i);
        } catch {
          promise = Promise.resolve(); // a task must not throw; if one does, the others go on
        }
        pending.push(promise.then(settled, failFast ? rejected : settled));
      }
      if (!failFast) {
        await Promise.all(pending);
        break;
      }
      try {
        await Promise.all(pending);
      } catch (reason) {
        options.onReject?.(reason);
      }
      // The rest never stopped: a JavaScript program would go on while they run; we wait for them.
      await Promise.allSettled(pending);
      break;
    }
    case 'batched': {
      // Promise.all over consecutive chunks of C: the next chunk starts when the whole chunk is
      // done, so each chunk waits for its slowest request.
      const size = Math.max(1, options.concurrency);
      const { handOver } = options;
      for (let from = 0; from < count && !stopped(); from += size) {
        if (from > 0 && handOver) {
          await handOver();
          if (stopped()) break;
        }
        const chunk: Array<Promise<void>> = [];
        for (let i = from; i < Math.min(count, from + size) && !stopped(); i++) chunk.push(tracked(i));
        await Promise.all(chunk);
      }
      break;
    }
    case 'adaptive': {
      // A semaphore whose size may change between completions: the limit is read each time a
      // request ends, and requests start while fewer than it are in flight.
      const limit = options.limit ?? ((): number => options.concurrency);
      const { handOver } = options;
      let next = 0;
      // Hand-overs under way: the run ends after the last of them, as bounded's lanes do.
      let handing = 0;
      await new Promise<void>((resolve) => {
        const fill = (): void => {
          while (next < count && !stopped() && inFlight < Math.max(1, Math.floor(limit()))) void tracked(next++).then(ended);
          if (inFlight === 0 && handing === 0 && (next >= count || stopped())) resolve();
        };
        const handedOver = (): void => {
          handing--;
          fill();
        };
        const ended = (): void => {
          // Nothing left to start: no hand-over to wait for.
          if (!handOver || next >= count || stopped()) return fill();
          handing++;
          void handOver().then(handedOver);
        };
        fill();
      });
      break;
    }
    case 'bounded':
    case 'workers': {
      // A semaphore of C as C workers pulling from one queue: the moment a request finishes,
      // its worker starts the next one (never batches of C), with no promise per acquire.
      // (workers: each thread runs this over its share, taking from a queue shared by all.)
      let next = 0;
      // A shared queue cannot be looked at without taking from it: it is known empty once a take comes back empty.
      const shared = options.next;
      let drained = false;
      const left = (): boolean => (shared ? !drained : next < count);
      const { handOver } = options;
      const worker = async (): Promise<void> => {
        let first = true;
        while (left() && !stopped()) {
          if (!first && handOver) {
            await handOver();
            if (!left() || stopped()) break;
          }
          first = false;
          const index = shared ? shared() : next++;
          if (index >= count) {
            drained = true;
            break;
          }
          await tracked(index);
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, worker));
      break;
    }
  }
  return { maxInFlight, started };
}
