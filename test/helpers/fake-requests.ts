/**
 * A request function on the fake clock for scheduling tests: request i takes durations[i]
 * virtual ms, and the function watches its own concurrency.
 */
import type { StrategyClient } from '../../src/core/benchmark.js';
import type { RequestOutcome } from '../../src/core/types.js';
import type { FakeClock } from './fake-clock.js';

export const ok = (index: number): RequestOutcome => ({ status: 200, bytes: 100 + index, ttfbMs: 1, error: null });
const ABORTED: RequestOutcome = { status: 0, bytes: 0, ttfbMs: Number.NaN, error: 'aborted' };

export interface FakeOptions {
  /** The outcome of request i (default: 200 with 100 + i bytes). */
  outcome?: (index: number) => RequestOutcome;
  /** Requests whose function rejects instead of resolving. */
  throwAt?: ReadonlySet<number>;
  /** When given, requests in flight end at once with error 'aborted' on abort, like the real client. */
  signal?: AbortSignal;
}

/** A request function that takes durations[i] virtual ms and watches its own concurrency. */
export function fakeRequests(clock: FakeClock, durations: readonly number[], options: FakeOptions = {}) {
  let inFlight = 0;
  const observed = { peak: 0, calls: [] as number[], startedAfterAbort: 0 };
  const request = (index: number): Promise<RequestOutcome> => {
    const duration = durations[index];
    if (duration === undefined) throw new Error(`no duration for request ${index}`);
    observed.calls.push(index);
    if (options.signal?.aborted) observed.startedAfterAbort++;
    inFlight++;
    observed.peak = Math.max(observed.peak, inFlight);
    return new Promise<RequestOutcome>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: RequestOutcome | Error): void => {
        if (settled) return;
        settled = true;
        inFlight--;
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      options.signal?.addEventListener('abort', () => finish(ABORTED), { once: true });
      void clock.sleep(duration).then(() =>
        finish(options.throwAt?.has(index) ? new Error(`request ${index} blew up`) : (options.outcome ?? ok)(index)),
      );
    });
  };
  const client: StrategyClient = { request, close: async () => undefined };
  return { client, observed };
}
