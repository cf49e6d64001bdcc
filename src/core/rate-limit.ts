/** Sleeps `ms`, or less when the signal aborts; never rejects. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Hands out permission to send, no faster than a given rate. */
export interface RateLimiter {
  /** Resolves when the next request may be sent (at once when the rate allows). */
  take(signal?: AbortSignal): Promise<void>;
}

/**
 * Evenly spaced sends: request k goes out no earlier than k / perSecond after the first, so any
 * one-second window holds at most perSecond + 1 of them (no burst allowance: the point is to
 * respect an API's published limit). Shared by every request of a run, whatever the strategy.
 */
export function createRateLimiter(perSecond: number, clock: () => number, sleep: Sleep): RateLimiter {
  const intervalMs = 1000 / perSecond;
  let nextAt = -Infinity;
  return {
    async take(signal) {
      const now = clock();
      const at = Math.max(now, nextAt);
      nextAt = at + intervalMs;
      if (at > now) await sleep(at - now, signal);
    },
  };
}
