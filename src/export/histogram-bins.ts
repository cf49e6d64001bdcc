/**
 * The bins of the latency histograms, fitted to the data: about two per square root of the
 * values (at least 10 from 30 values on, at most 30), each a round number of milliseconds wide,
 * spanning the values' own range rather than starting at zero. The strategies share one axis
 * when their ranges are alike (the shared bins are at most twice as many as any one needs on
 * its own); when one lies far from another, each gets its own axis rather than a few thin bars.
 */
import { maxOf, minOf } from '../core/stats.js';

/** Equal bins: the first starts at `start`, each `width` ms wide. */
export interface Bins {
  start: number;
  width: number;
  count: number;
}

/** Values from which a histogram has at least this many bins. */
export const MANY_VALUES = 30;
export const MIN_BINS_FOR_MANY = 10;
const MAX_TARGET_BINS = 30;
/** A shared axis is kept while it needs at most this many times the bins of the widest list on its own. */
const MAX_SHARED_STRETCH = 2;
/** The finest bin: a microsecond. */
const FINEST = 0.001;

/** How many bins `n` values ask for: about 2√n, at least 10 from 30 values on, at most 30. */
export function targetBins(n: number): number {
  if (n <= 0) return 0;
  return Math.min(MAX_TARGET_BINS, Math.max(n >= MANY_VALUES ? MIN_BINS_FOR_MANY : 1, Math.round(2 * Math.sqrt(n))));
}

/** The largest 1, 2 or 5 × 10^k that is not above x (and not below a microsecond). */
export function niceFloor(x: number): number {
  if (!(x > FINEST)) return FINEST;
  const power = 10 ** Math.floor(Math.log10(x));
  const mantissa = x / power;
  // A hair of tolerance: 0.3 / 0.1 is 2.9999999999999996.
  const step = mantissa >= 5 - 1e-9 ? 5 : mantissa >= 2 - 1e-9 ? 2 : 1;
  return step * power;
}

/** Bins of `width` from a multiple of it, enough to hold lo..hi. */
function binsOver(lo: number, hi: number, width: number): Bins {
  const start = Math.floor(lo / width) * width;
  return { start, width, count: Math.max(1, Math.floor((hi - start) / width + 1e-9) + 1) };
}

/** Which bin a value falls in (values outside the bins are held by the first or last). */
export function binIndex(bins: Bins, value: number): number {
  return Math.max(0, Math.min(bins.count - 1, Math.floor((value - bins.start) / bins.width + 1e-9)));
}

interface Span {
  lo: number;
  hi: number;
  /** Widest round bin that still gives the list its target count; null when every value is the same. */
  width: number | null;
}

function spanOf(values: readonly number[]): Span | null {
  if (values.length === 0) return null;
  const lo = minOf(values);
  const hi = maxOf(values);
  return { lo, hi, width: hi > lo ? niceFloor((hi - lo) / targetBins(values.length)) : null };
}

/**
 * The bins of each list of latencies (null for an empty one). `shared` says whether they are the
 * same bins for all, on one axis: then each list still has at least its target number of bins
 * across its own range.
 */
export function histogramBins(lists: ReadonlyArray<readonly number[]>): { shared: boolean; bins: Array<Bins | null> } {
  const spans = lists.map(spanOf);
  const present = spans.filter((s): s is Span => s !== null);
  if (present.length === 0) return { shared: true, bins: spans.map(() => null) };
  const widths = present.map((s) => s.width).filter((w): w is number => w !== null);
  const lo = minOf(present.map((s) => s.lo));
  const hi = maxOf(present.map((s) => s.hi));
  // Every value the same everywhere: one bar, a round width around it.
  const width = widths.length > 0 ? minOf(widths) : niceFloor(Math.max(lo, 1) / 10);
  const shared = binsOver(lo, hi, width);
  const own = spans.map((s) => (s === null ? null : binsOver(s.lo, s.hi, s.width ?? niceFloor(Math.max(s.lo, 1) / 10))));
  const widest = maxOf(own.map((b) => b?.count ?? 0));
  if (shared.count <= MAX_SHARED_STRETCH * widest) return { shared: true, bins: spans.map((s) => (s === null ? null : shared)) };
  return { shared: false, bins: own };
}
