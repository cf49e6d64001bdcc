/** Shared vocabulary of the pure core: strategies, error classes, one request's outcome. */

export const STRATEGIES = ['sequential', 'all', 'bounded', 'batched', 'adaptive', 'workers'] as const;
export type StrategyName = (typeof STRATEGIES)[number];
/** What runs when -s is not given. */
export const DEFAULT_STRATEGIES = ['sequential', 'all', 'bounded'] as const satisfies readonly StrategyName[];
/** The strategies that run at each -c limit (one result per limit in a sweep). */
export const LIMITED_STRATEGIES = ['bounded', 'batched'] as const satisfies readonly StrategyName[];
export function takesLimit(strategy: StrategyName): strategy is (typeof LIMITED_STRATEGIES)[number] {
  return (LIMITED_STRATEGIES as readonly StrategyName[]).includes(strategy);
}
/** Results keyed by their limit (bounded@8): the limited strategies, and workers when -c is given. */
export function keyedByLimit(strategy: StrategyName, concurrency: number | null): boolean {
  return takesLimit(strategy) || (strategy === 'workers' && concurrency !== null);
}

/** HTTP versions a run can offer: HTTP/1.1, and HTTP/2 by ALPN (HTTP/1.1 when the server does not take it). */
export const PROTOCOLS = ['h1', 'h2'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** The contract's error classes, in the order the JSON document lists them. */
export const ERROR_CLASSES = [
  'timeout',
  'connect',
  'dns',
  'reset',
  'tls',
  'http4xx',
  'http5xx',
  'aborted',
  'protocol',
  'fd-limit',
  'other',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** What one request produced; a failure is a value here, never a thrown error. */
export interface RequestOutcome {
  /** HTTP status, 0 when no response arrived. */
  status: number;
  /** Body bytes read (counted while draining). */
  bytes: number;
  /** Body bytes after Content-Encoding was undone, when that differs from `bytes`. */
  decodedBytes?: number;
  /** Time from send to response headers, ms; NaN when no headers arrived. */
  ttfbMs: number;
  error: ErrorClass | null;
  /** Why it failed, in a short line ("ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1", "503 Service Unavailable"). */
  cause?: string;
  /** The body text, only when the caller asked to keep it (for the sample line). */
  body?: string;
  /** A 429 or 503's Retry-After, in ms, when the server sent one. */
  retryAfterMs?: number;
  /** With retries: attempts made (1 = no retry) and the first attempt's latency. */
  attempts?: number;
  firstTryMs?: number;
}

/** Sends request number `index` (attempt 1, or a retry's number); must resolve, never reject. */
export type RequestFn = (index: number, attempt?: number) => Promise<RequestOutcome>;

/** Monotonic milliseconds. */
export type Clock = () => number;

/** A response delay drawn uniformly from minMs..maxMs (a fixed delay when they are equal). */
export interface LatencyModel {
  minMs: number;
  maxMs: number;
}
