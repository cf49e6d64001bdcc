/**
 * The bins of the latency histograms, fitted to each strategy's data: about two per square root
 * of its values (at least 10 from 30 values on, at most 30), each a round number of milliseconds
 * wide, spanning the values' own range rather than starting at zero. The histograms share one
 * time axis, so that where each strategy's latencies lie compares at a glance, unless one
 * strategy's range is so narrow against all of them together that its bars would be slivers:
 * then each gets its own axis.
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
/** A shared axis holds while every list's range is at least this share of the axis. */
const MIN_SHARE_OF_AXIS = 1 / 8;
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

/** Which bin a value falls in (values outside the bins are held by the first or last). */
export function binIndex(bins: Bins, value: number): number {
  return Math.max(0, Math.min(bins.count - 1, Math.floor((value - bins.start) / bins.width + 1e-9)));
}

/** Where the bins end. */
export const binsEnd = (bins: Bins): number => bins.start + bins.count * bins.width;

/** Round bins for one list: the widest that still gives it its target count, from a multiple of the width. */
function binsOf(values: readonly number[]): Bins | null {
  if (values.length === 0) return null;
  const lo = minOf(values);
  const hi = maxOf(values);
  // Every value the same: one bar, a round width around it.
  const width = hi > lo ? niceFloor((hi - lo) / targetBins(values.length)) : niceFloor(Math.max(lo, 1) / 10);
  const start = Math.floor(lo / width) * width;
  return { start, width, count: Math.max(1, Math.floor((hi - start) / width + 1e-9) + 1) };
}

/**
 * The bins of each list of latencies (null for an empty one), and the time axis they share,
 * or null when each needs its own (from its bins' start to their end).
 */
export function histogramBins(lists: ReadonlyArray<readonly number[]>): { axis: { from: number; to: number } | null; bins: Array<Bins | null> } {
  const bins = lists.map(binsOf);
  const present = bins.filter((b): b is Bins => b !== null);
  if (present.length === 0) return { axis: null, bins };
  const from = minOf(present.map((b) => b.start));
  const to = maxOf(present.map(binsEnd));
  // A list of one value (one bar) has no range of its own to squeeze.
  const ranged = present.filter((b) => b.count > 1);
  const narrowest = ranged.length === 0 ? Infinity : minOf(ranged.map((b) => binsEnd(b) - b.start));
  return { axis: narrowest >= MIN_SHARE_OF_AXIS * (to - from) ? { from, to } : null, bins };
}
