/**
 * "Which limit?" from a sweep of bounded limits, ranked by goodput (ok responses a second),
 * never by raw throughput: a limit whose extra requests are refused earns nothing for them.
 */
import type { AutoSweepResult } from './auto-sweep.js';
import type { Recommendation, StrategyResult } from './report.js';
import { maxOf, minOf } from './stats.js';

/** Goodput within this share of the best counts as just as good. */
export const NEAR_BEST = 0.9;
/** A p50 up to this multiple of the lowest p50 is not yet queueing. */
export const QUEUEING_P50 = 1.5;

/** A limit above the requests in flight never binds: C=16 over 10 requests is C=10. */
export function effectiveLimit(r: StrategyResult): number {
  return Math.min(r.concurrency ?? 1, Math.max(1, r.maxInFlight));
}

/** "90 × 503" or "3 timeout": the most common failure of a result, short. */
export function mainFailure(r: StrategyResult): string {
  const statuses = Object.entries(r.statusCodes).filter(([s]) => Number(s) >= 400).sort((a, b) => b[1] - a[1]);
  if (statuses[0]) return `${r.failed} × ${statuses[0][0]}`;
  const classes = Object.entries(r.errors).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return `${r.failed} × ${classes[0]?.[0] ?? 'failed'}`;
}

/**
 * Little's law, L = λ·W: the best goodput (a second) times the lowest mean latency of ok
 * responses (in seconds) is how many requests the server seems to serve at once. Null when
 * nothing succeeded.
 */
export function littleEstimate(bounded: readonly StrategyResult[]): number | null {
  const ok = bounded.filter((r) => r.ok > 0);
  if (ok.length === 0) return null;
  const goodput = maxOf(ok.map((r) => r.okPerSec));
  const latencyS = minOf(ok.map((r) => r.okLatencyMs.mean)) / 1000;
  return Math.round(goodput * latencyS * 10) / 10;
}

/** Limits to try between two grid points, about four steps: 8 and 16 give 8,10,12,14. */
export function refineGrid(low: number, high: number): number[] {
  const step = Math.max(1, Math.round((high - low) / 4));
  const grid: number[] = [];
  for (let c = low; c < high; c += step) grid.push(c);
  return grid;
}

/**
 * Where the real limit lies between two grid points, when the sweep can tell: the first limit
 * that failed after one that did not, or else the two grid points around Little's estimate.
 */
export function findBracket(bounded: readonly StrategyResult[], estimate: number | null): { bracket: [number, number]; note: string } | null {
  const sorted = [...bounded].sort((a, b) => a.concurrency! - b.concurrency!);
  for (let i = 1; i < sorted.length; i++) {
    const low = sorted[i - 1]!;
    const high = sorted[i]!;
    if (low.failed === 0 && high.failed > 0 && high.concurrency! - low.concurrency! > 1) {
      return {
        bracket: [low.concurrency!, high.concurrency!],
        note: `between ${low.concurrency} (0 failed) and ${high.concurrency} (${mainFailure(high)}): try -c ${refineGrid(low.concurrency!, high.concurrency!).join(',')}`,
      };
    }
  }
  if (estimate === null) return null;
  for (let i = 1; i < sorted.length; i++) {
    const low = sorted[i - 1]!.concurrency!;
    const high = sorted[i]!.concurrency!;
    // Strictly between, and not a rounding of either end.
    if (estimate > low + 0.5 && estimate < high - 0.5 && high - low > 1) {
      return { bracket: [low, high], note: `the server's limit seems to lie between ${low} and ${high}: try -c ${refineGrid(low, high).join(',')}` };
    }
  }
  return null;
}

/**
 * The smallest bounded limit whose goodput is within 10% of the best and whose p50 is at most
 * 1.5x the lowest p50, among those with no more failures than the best; when every limit near
 * the best queues, the best goodput among those that do not. The best is the highest goodput
 * among the limits with the fewest failures, so that a limit the server refuses in part never
 * sets the bar. Null without a sweep (fewer than two bounded limits).
 */
export function recommendConcurrency(results: readonly StrategyResult[], method: Recommendation['method'] = 'grid'): Recommendation | null {
  const bounded = results.filter((r) => r.strategy === 'bounded' && r.concurrency !== null && !r.partial);
  // A sweep is two limits or more (one limit under two HTTP versions is no sweep).
  if (new Set(bounded.map((r) => r.concurrency)).size < 2) return null;
  const fewestFailed = minOf(bounded.map((r) => r.failed));
  const best = bounded.filter((r) => r.failed === fewestFailed).reduce((a, b) => (b.okPerSec > a.okPerSec ? b : a));
  const withOk = bounded.filter((r) => r.ok > 0);
  const lowestP50 = withOk.length > 0 ? minOf(withOk.map((r) => r.okLatencyMs.p50)) : 0;
  const byLimit = (a: StrategyResult, b: StrategyResult): number => effectiveLimit(a) - effectiveLimit(b) || a.concurrency! - b.concurrency!;
  const notQueueing = bounded.filter((r) => r.failed <= best.failed && r.okLatencyMs.p50 <= QUEUEING_P50 * lowestP50).sort(byLimit);
  const candidates = notQueueing.filter((r) => r.okPerSec >= NEAR_BEST * best.okPerSec);
  // When the near-best limits all queue, the fastest limit that does not queue is the answer.
  const pick = candidates[0] ?? notQueueing.reduce<StrategyResult | undefined>((a, b) => (a === undefined || b.okPerSec > a.okPerSec ? b : a), undefined) ?? best;
  const limit = effectiveLimit(pick);
  const unbound = limit < pick.concurrency! ? `; C=${pick.concurrency} never had more than ${limit} in flight` : '';
  const share = best.okPerSec > 0 ? Math.round((pick.okPerSec / best.okPerSec) * 100) : 100;
  const failures = bounded.some((r) => r.failed > 0) ? ' among the limits with the fewest failures' : '';
  const reason =
    pick === best || pick.okPerSec >= best.okPerSec
      ? `C=${pick.concurrency} has the best goodput${failures} (${pick.okPerSec} ok/s)`
      : candidates.includes(pick)
        ? `C=${pick.concurrency} reaches ${share}% of the best goodput (C=${best.concurrency}, ${best.okPerSec} ok/s) at p50 ${pick.okLatencyMs.p50} ms, with no more failures`
        : `C=${pick.concurrency} has the best goodput (${pick.okPerSec} ok/s) before requests queue: above it p50 exceeds ${QUEUEING_P50}x the lowest (${lowestP50} ms)`;
  const estimate = littleEstimate(bounded);
  const found = findBracket(bounded, estimate);
  const recommendation: Recommendation = {
    concurrency: limit,
    reqPerSec: pick.reqPerSec,
    okPerSec: pick.okPerSec,
    reason: reason + unbound,
    littleEstimate: estimate,
    bracket: found?.bracket ?? null,
    method,
  };
  if (found) recommendation.refine = found.note;
  return recommendation;
}

/** -c auto's answer: the highest limit that still scaled, with the steps that led there. */
export function autoRecommendation(results: readonly StrategyResult[], auto: AutoSweepResult): Recommendation {
  const bounded = results.filter((r) => r.strategy === 'bounded' && r.concurrency !== null);
  const pick = bounded.find((r) => r.concurrency === auto.best);
  const above = auto.bracket ? auto.steps.find((s) => s.concurrency === auto.bracket![1]) : undefined;
  const why = above ? `; C=${above.concurrency}: ${above.verdict === 'failures' ? `${above.failed} failed` : above.verdict}` : '';
  const stop = auto.stoppedBy === 'resolution' ? '' : `; stopped by ${auto.stoppedBy}`;
  return {
    concurrency: auto.best,
    reqPerSec: pick?.reqPerSec ?? 0,
    okPerSec: pick?.okPerSec ?? 0,
    reason: `-c auto: C=${auto.best} is the highest limit that still scaled (${auto.steps.length} steps)${why}${stop}`,
    littleEstimate: littleEstimate(bounded),
    bracket: auto.bracket,
    method: 'auto',
    steps: auto.steps,
    stoppedBy: auto.stoppedBy,
  };
}
