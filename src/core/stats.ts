/** Statistics over samples: pure functions with exact, tested results. */

export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The p-th percentile (0..100) of ascending-sorted values, interpolating linearly between
 * the closest ranks (the method of NumPy's default and of spreadsheet PERCENTILE.INC).
 * Returns NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[n - 1]!;
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const low = sorted[lo]!;
  return low + (sorted[hi]! - low) * (rank - lo);
}

export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  return sum / n;
}

/** Summary of latencies; every field is 0 when there are none (nothing was measured). */
export function summarizeLatencies(values: Float64Array): LatencySummary {
  return summarizeSortedLatencies(Float64Array.from(values).sort());
}

/** summarizeLatencies of values already sorted ascending: nothing is copied. */
export function summarizeSortedLatencies(sorted: Float64Array): LatencySummary {
  if (sorted.length === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  return {
    min: sorted[0]!,
    mean: mean(sorted),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

/** How many times faster than the baseline; null without a usable baseline or time. */
export function speedup(baselineMs: number | null | undefined, wallMs: number): number | null {
  if (baselineMs === null || baselineMs === undefined) return null;
  if (!(wallMs > 0) || !(baselineMs > 0)) return null;
  return baselineMs / wallMs;
}

/** Requests per second over a wall time; 0 when no time passed. */
export function throughput(requests: number, wallMs: number): number {
  return wallMs > 0 ? (requests * 1000) / wallMs : 0;
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return percentile(sorted, 50);
}

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
export function stddev(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i]! - m) ** 2;
  return Math.sqrt(sum / (n - 1));
}

export interface SpreadSummary {
  median: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
}

/**
 * The largest of the values, or `empty` when there are none. A loop, not Math.max(...values):
 * a spread passes every value as an argument, and some 125,000 of them overflow the stack.
 */
export function maxOf(values: Iterable<number>, empty = 0): number {
  let max = -Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v > max || Number.isNaN(v)) max = v;
  }
  return any ? max : empty;
}

/** The smallest of the values, or `empty` when there are none (a loop, as maxOf). */
export function minOf(values: Iterable<number>, empty = 0): number {
  let min = Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v < min || Number.isNaN(v)) min = v;
  }
  return any ? min : empty;
}

/** Median, mean ± sample standard deviation, min and max of repeated measurements. */
export function summarizeSpread(values: readonly number[]): SpreadSummary {
  if (values.length === 0) return { median: 0, mean: 0, stddev: 0, min: 0, max: 0 };
  return { median: median(values), mean: mean(values), stddev: stddev(values), min: minOf(values), max: maxOf(values) };
}

/**
 * Standard deviation of a ratio a/b from the two spreads, by first-order error propagation
 * (as hyperfine does): the relative errors add in quadrature.
 */
export function ratioStddev(ratio: number, a: { mean: number; stddev: number }, b: { mean: number; stddev: number }): number {
  if (!(a.mean > 0) || !(b.mean > 0)) return 0;
  return ratio * Math.sqrt((a.stddev / a.mean) ** 2 + (b.stddev / b.mean) ** 2);
}

/** The 2.5th and 97.5th percentiles of `rounds` ratios, each drawn by `draw`. */
function bootstrapInterval(rounds: number, draw: () => number): [number, number] {
  const ratios = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) ratios[r] = draw();
  ratios.sort();
  return [percentile(ratios, 2.5), percentile(ratios, 97.5)];
}

/**
 * A bootstrap 95% interval for median(baseline) / median(candidate): both samples are
 * resampled with replacement `rounds` times with the given generator (seeded, so the interval
 * is reproducible). Null when either sample has fewer than two values: one run has no spread
 * to resample.
 */
export function bootstrapRatioCI(
  baseline: readonly number[],
  candidate: readonly number[],
  random: () => number,
  rounds = 2000,
): [number, number] | null {
  if (baseline.length < 2 || candidate.length < 2) return null;
  const a = new Float64Array(baseline.length);
  const b = new Float64Array(candidate.length);
  return bootstrapInterval(rounds, () => {
    for (let i = 0; i < a.length; i++) a[i] = baseline[Math.floor(random() * baseline.length)]!;
    for (let i = 0; i < b.length; i++) b[i] = candidate[Math.floor(random() * candidate.length)]!;
    return median(a) / median(b);
  });
}

/**
 * A bootstrap 95% interval for median(baseline) / median(candidate) when the two were measured
 * in pairs (round k of each ran back to back): rounds are resampled as pairs, so drift shared
 * by a round cancels. Uses the first min(n, m) rounds of each. Null with fewer than two pairs.
 */
export function bootstrapPairedRatioCI(
  baseline: readonly number[],
  candidate: readonly number[],
  random: () => number,
  rounds = 2000,
): [number, number] | null {
  const n = Math.min(baseline.length, candidate.length);
  if (n < 2) return null;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  return bootstrapInterval(rounds, () => {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n);
      a[i] = baseline[k]!;
      b[i] = candidate[k]!;
    }
    return median(a) / median(b);
  });
}
