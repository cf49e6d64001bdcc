import type { RateLimiter, Sleep } from './rate-limit.js';
import type { ErrorClass, RequestFn, RequestOutcome } from './types.js';

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** Backoff before retry k (from 0) is drawn from 0..min(cap, base * 2^k): "full jitter". */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's Retry-After is honoured up to this long. */
  maxRetryAfterMs: number;
  random: () => number;
  sleep: Sleep;
  clock: () => number;
  /** Retries take their turn with the rate limit too. */
  rate?: RateLimiter;
  signal?: AbortSignal;
  /** Whether request `index` may be sent again at all (a POST is not, without --retry-all). */
  mayRetry?: (index: number) => boolean;
}

export const RETRY_DEFAULTS = { baseDelayMs: 100, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 } as const;

/** What a retried request adds to its outcome. */
export interface RetriedOutcome extends RequestOutcome {
  attempts: number;
  /** Time from send to the first attempt's end (its latency alone). */
  firstTryMs: number;
}

const RETRYABLE_CLASSES: ReadonlySet<ErrorClass> = new Set(['timeout', 'connect', 'reset']);
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Worth another try: the server was busy or the connection broke, not a request that is wrong. */
export function isRetryable(outcome: RequestOutcome): boolean {
  if (outcome.error === null) return false;
  if (outcome.error === 'http4xx' || outcome.error === 'http5xx') return RETRYABLE_STATUS.has(outcome.status);
  return RETRYABLE_CLASSES.has(outcome.error);
}

/** The wait before retry number `retry` (0 = the first retry). */
export function backoffMs(retry: number, outcome: RequestOutcome, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs' | 'random'>): number {
  if (outcome.retryAfterMs !== undefined) return Math.min(outcome.retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return policy.random() * ceiling;
}

/** Wraps a request function so that retryable failures are tried again, with backoff and jitter. */
export function withRetries(request: RequestFn, policy: RetryPolicy): (index: number) => Promise<RetriedOutcome> {
  return async (index) => {
    const started = policy.clock();
    let outcome = await request(index, 1);
    const firstTryMs = policy.clock() - started;
    let attempts = 1;
    const limit = policy.mayRetry === undefined || policy.mayRetry(index) ? policy.retries : 0;
    while (attempts <= limit && isRetryable(outcome)) {
      await policy.sleep(backoffMs(attempts - 1, outcome, policy), policy.signal);
      if (!policy.signal?.aborted) await policy.rate?.take(policy.signal);
      // Cut off while waiting to try again: still in flight, so aborted like the others.
      if (policy.signal?.aborted) return { ...outcome, error: 'aborted', attempts, firstTryMs };
      attempts++;
      outcome = await request(index, attempts);
    }
    return { ...outcome, attempts, firstTryMs };
  };
}
