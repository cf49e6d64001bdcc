/**
 * One link shared by every response of the server (--bandwidth): a token bucket of bytes. Each
 * chunk reserves its bytes when it is ready to go and learns how long to wait; reservations may
 * run the bucket into debt, so chunks leave in the order they asked, and concurrent responses
 * share the rate as on a real link.
 */
export interface BandwidthLimiter {
  /** Milliseconds to wait before sending this many bytes (0: send now). */
  reserve(bytes: number): number;
  readonly bytesPerSecond: number;
}

/** Bytes written at once; small enough that concurrent responses interleave. */
export const CHUNK_BYTES = 16 * 1024;

export function createBandwidthLimiter(megabitsPerSecond: number, now: () => number): BandwidthLimiter {
  if (!(megabitsPerSecond > 0 && Number.isFinite(megabitsPerSecond))) throw new RangeError(`bandwidth must be a positive number of Mbit/s, got ${megabitsPerSecond}`);
  const bytesPerSecond = (megabitsPerSecond * 1_000_000) / 8;
  // A burst of one chunk or 10 ms of the link, whichever is more: a real link has a little buffer too.
  const burst = Math.max(CHUNK_BYTES, bytesPerSecond / 100);
  let tokens = burst;
  let refilledAt = now();
  return {
    bytesPerSecond,
    reserve(bytes) {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - refilledAt) / 1000) * bytesPerSecond);
      refilledAt = t;
      tokens -= bytes;
      return tokens >= 0 ? 0 : (-tokens / bytesPerSecond) * 1000;
    },
  };
}
