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
  if (values.length === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
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
