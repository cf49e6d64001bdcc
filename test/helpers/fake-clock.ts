/**
 * A virtual clock for scheduling tests: time moves only when the test drives it, so every
 * start and end time of a fake request is an exact number.
 *
 * `sleep(ms)` registers a timer; `runAll(promise)` repeatedly lets all pending promise
 * callbacks (and setImmediate callbacks, however chained) run, then moves time to the
 * earliest timer and fires it (one timer per step, ties in the order they were registered),
 * until the promise settles.
 */

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Lets every queued microtask (promise callback, at any depth of chaining) run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Loop turns that `untilIdle` gives a chain of setImmediate callbacks before it gives up. */
const IDLE_TURNS = 1_000;

/**
 * Like flushMicrotasks, then more loop turns for as long as a setImmediate callback is still
 * pending (a chain of hand-overs between tasks that take no virtual time), so that virtual
 * time moves only when nothing else can run.
 */
export async function untilIdle(): Promise<void> {
  await flushMicrotasks();
  for (let turn = 0; turn < IDLE_TURNS && process.getActiveResourcesInfo().includes('Immediate'); turn++) await flushMicrotasks();
}

export class FakeClock {
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];

  /** Virtual milliseconds; a `Clock` (an arrow function, safe to pass around unbound). */
  readonly now = (): number => this.time;

  /** Resolves when virtual time reaches now + ms. */
  readonly sleep = (ms: number): Promise<void> => {
    if (!(ms >= 0)) throw new RangeError(`sleep(ms) needs ms >= 0, got ${ms}`);
    return new Promise<void>((resolve) => {
      this.timers.push({ at: this.time + ms, seq: this.seq++, resolve });
    });
  };

  /** Number of timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** Fires the earliest timer (moving time to it), then flushes microtasks. False when none is pending. */
  async step(): Promise<boolean> {
    await untilIdle();
    const next = this.earliest();
    if (next === undefined) return false;
    this.timers.splice(this.timers.indexOf(next), 1);
    this.time = next.at;
    next.resolve();
    await flushMicrotasks();
    return true;
  }

  /** Moves time forward by `ms`, firing every timer due on the way in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.earliest();
      if (next === undefined || next.at > target) break;
      await this.step();
    }
    this.time = target;
    await flushMicrotasks();
  }

  /**
   * Drives time until `promise` settles and returns its value. Throws when the promise can
   * never settle (no timer left), instead of hanging the test.
   */
  async runAll<T>(promise: Promise<T>, maxSteps = 100_000): Promise<T> {
    let settled = false;
    const watched = promise.then(
      (value) => {
        settled = true;
        return value;
      },
      (error: unknown) => {
        settled = true;
        throw error;
      },
    );
    watched.catch(() => undefined); // reported below, not as an unhandled rejection
    for (let steps = 0; ; steps++) {
      await flushMicrotasks();
      if (settled) return watched;
      if (steps >= maxSteps) throw new Error(`FakeClock.runAll: still pending after ${maxSteps} timers`);
      if (!(await this.step())) {
        await flushMicrotasks();
        if (settled) return watched;
        throw new Error(`FakeClock.runAll: deadlock at t=${this.time}: the promise is pending and no timer is left`);
      }
    }
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }
}
