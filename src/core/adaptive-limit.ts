/**
 * The limit of the adaptive strategy, found during the run from what the requests tell it.
 * Pure: it sees samples (when a request was sent and ended, how many were in flight, and what
 * its outcome says about the server) and never reads a clock itself.
 *
 * - A refusal (429, 503) or a timeout is a drop: the limit is multiplied by BACKOFF, once per
 *   window (only a request sent after the last decrease can decrease it again; the others were
 *   sent under the old limit), as TCP and Netflix's AIMD limit do.
 * - An ok response feeds the latency gradient of Netflix's concurrency-limits Gradient2: a short
 *   and a long average of the round-trip time, gradient = clamp(TOLERANCE × long / short, 0.5, 1).
 *   A gradient under 1 means requests queue somewhere: the limit is pulled towards Gradient2's
 *   limit × gradient + queue, with a queue allowance of √limit (so a passing rise of latency, a
 *   busy client's own event loop, moves nothing). At 1, the limit probes upwards: doubling each
 *   round trip at first (slow start, until the first drop or queueing), then by one each round
 *   trip (additive increase).
 * - A limit the run does not use (fewer than half of it in flight) does not grow.
 * Other failures (a 500, a refused connection) say nothing about load and change nothing.
 */
import type { ErrorClass } from './types.js';

/** What one request tells the limiter. */
export type LimitSignal = 'ok' | 'drop' | 'ignore';

export interface LimitSample {
  /** When the request was sent and when it ended, ms on the run's clock. */
  startMs: number;
  endMs: number;
  signal: LimitSignal;
  /** Requests in flight when it ended, itself included. */
  inFlight: number;
}

export interface AdaptiveSettings {
  /** The limit at the start (--adaptive-start). */
  start: number;
  /** The limit never goes above this (--adaptive-max). */
  max: number;
}

/** (time in ms since the run started, limit) each time the whole-number limit changes. */
export type LimitPoint = [number, number];

export interface AdaptiveLimiter {
  /** Requests that may be in flight now: a whole number from 1 to max. */
  readonly limit: number;
  /** The limit's value before rounding down (for tests and the trace). */
  readonly estimate: number;
  onSample(sample: LimitSample): void;
  /** Every change of the whole-number limit, the start included. */
  readonly trace: readonly LimitPoint[];
}

/** Multiplier on a drop (Netflix's AIMD default). */
export const BACKOFF = 0.9;
/** How much longer than usual a round trip may get before it counts as queueing (Gradient2's default). */
export const TOLERANCE = 1.5;
/** The gradient's floor: one sample never cuts the limit below half. */
export const MIN_GRADIENT = 0.5;
/** Samples in the short and long round-trip averages (the long one as Gradient2's default: it stays near the unloaded round trip through a run). */
export const SHORT_WINDOW = 10;
export const LONG_WINDOW = 600;

/** Which outcomes are drops: the server refused (429, 503) or did not answer in time. */
export function limitSignal(outcome: { status: number; error: ErrorClass | null }): LimitSignal {
  if (outcome.error === null) return 'ok';
  if (outcome.status === 429 || outcome.status === 503 || outcome.error === 'timeout') return 'drop';
  return 'ignore';
}

/** An exponential moving average over about `window` samples, the first sample taken as is. */
function movingAverage(window: number): { update(x: number): number; value: number; scale(f: number): void } {
  const alpha = 2 / (window + 1);
  let value = Number.NaN;
  return {
    update(x) {
      value = Number.isNaN(value) ? x : value + alpha * (x - value);
      return value;
    },
    get value() {
      return value;
    },
    scale(f) {
      value *= f;
    },
  };
}

export function createAdaptiveLimiter(settings: AdaptiveSettings): AdaptiveLimiter {
  const max = Math.max(1, Math.floor(settings.max));
  let estimate = Math.min(max, Math.max(1, settings.start));
  let slowStart = true;
  let lastDecreaseMs = Number.NEGATIVE_INFINITY;
  const shortRtt = movingAverage(SHORT_WINDOW);
  const longRtt = movingAverage(LONG_WINDOW);
  const trace: LimitPoint[] = [[0, Math.floor(estimate)]];
  const set = (value: number, atMs: number): void => {
    estimate = Math.min(max, Math.max(1, value));
    const whole = Math.floor(estimate);
    if (whole !== trace[trace.length - 1]![1]) trace.push([atMs, whole]);
  };
  return {
    get limit() {
      return Math.floor(estimate);
    },
    get estimate() {
      return estimate;
    },
    trace,
    onSample(s) {
      if (s.signal === 'ignore') return;
      if (s.signal === 'drop') {
        slowStart = false;
        // Sent before the last decrease: it was refused under the old limit, already paid for.
        if (s.startMs < lastDecreaseMs) return;
        lastDecreaseMs = s.endMs;
        set(estimate * BACKOFF, s.endMs);
        return;
      }
      const rtt = Math.max(s.endMs - s.startMs, 1e-3);
      const short = shortRtt.update(rtt);
      let long = longRtt.update(rtt);
      // Back from a spell of queueing: let the long average catch up instead of waiting for it.
      if (long / short > 2) {
        longRtt.scale(0.95);
        long = longRtt.value;
      }
      // App-limited: the run does not use this limit, so it has not shown it is safe to raise.
      if (s.inFlight < estimate / 2) return;
      const gradient = Math.max(MIN_GRADIENT, Math.min(1, (TOLERANCE * long) / short));
      if (gradient < 1) {
        // Towards limit × gradient + √limit over about one window of samples; within the
        // allowance it holds (neither grows nor ends slow start).
        const target = estimate * gradient + Math.sqrt(estimate);
        if (target < estimate) {
          slowStart = false;
          set(estimate + (target - estimate) / estimate, s.endMs);
        }
        return;
      }
      // One more per ok response doubles the limit each round trip; 1 / limit adds one a round trip.
      set(estimate + (slowStart ? 1 : 1 / estimate), s.endMs);
    },
  };
}

/**
 * The limit a run settled at: the whole-number limit averaged over the second half of the run's
 * time (weighted by how long each value held), rounded. The first half is the search.
 */
export function settledLimit(trace: readonly LimitPoint[], endMs: number): number {
  if (trace.length === 0) return 1;
  const from = endMs / 2;
  let weighted = 0;
  let span = 0;
  for (let k = 0; k < trace.length; k++) {
    const [at, value] = trace[k]!;
    const until = k + 1 < trace.length ? trace[k + 1]![0] : endMs;
    const a = Math.max(at, from);
    const b = Math.min(until, endMs);
    if (b > a) {
      weighted += value * (b - a);
      span += b - a;
    }
  }
  return span > 0 ? Math.round(weighted / span) : trace[trace.length - 1]![1];
}

/** The limit in force at time t (the last point at or before it). */
export function limitAt(trace: readonly LimitPoint[], t: number): number {
  let lo = 0;
  let hi = trace.length - 1;
  if (hi < 0) return 1;
  if (t < trace[0]![0]) return trace[0]![1];
  // The last point whose time is <= t.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (trace[mid]![0] <= t) lo = mid;
    else hi = mid - 1;
  }
  return trace[lo]![1];
}
