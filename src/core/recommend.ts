import type { Recommendation, StrategyResult } from './report.js';
import { minOf } from './stats.js';

/** Throughput within this share of the best counts as just as good. */
export const NEAR_BEST = 0.9;

/**
 * The smallest bounded limit whose throughput is within 10% of the best limit's, with no more
 * failures than the best: past it, more concurrency buys little and costs the server more.
 * The best is the highest throughput among the limits with the fewest failures, so that fast
 * refusals (a 503 costs the server nothing) never make an overloading limit look best.
 * Null without a sweep (fewer than two bounded limits).
 */
export function recommendConcurrency(results: readonly StrategyResult[]): Recommendation | null {
  const bounded = results.filter((r) => r.strategy === 'bounded' && r.concurrency !== null && !r.partial);
  if (bounded.length < 2) return null;
  const fewestFailed = minOf(bounded.map((r) => r.failed));
  const best = bounded.filter((r) => r.failed === fewestFailed).reduce((a, b) => (b.reqPerSec > a.reqPerSec ? b : a));
  // A limit above the requests in flight never binds: C=16 over 10 requests is C=10.
  const effective = (r: StrategyResult): number => Math.min(r.concurrency!, Math.max(1, r.maxInFlight));
  const candidates = bounded
    .filter((r) => r.reqPerSec >= NEAR_BEST * best.reqPerSec && r.failed <= best.failed)
    .sort((a, b) => effective(a) - effective(b) || a.concurrency! - b.concurrency!);
  const pick = candidates[0] ?? best;
  const limit = effective(pick);
  const unbound = limit < pick.concurrency! ? `; C=${pick.concurrency} never had more than ${limit} in flight` : '';
  const share = best.reqPerSec > 0 ? Math.round((pick.reqPerSec / best.reqPerSec) * 100) : 100;
  const reason =
    pick === best || pick.reqPerSec >= best.reqPerSec
      ? `C=${pick.concurrency} has the best throughput${fewestFailed > 0 || bounded.some((r) => r.failed > 0) ? ' among the limits with the fewest failures' : ''} (${pick.reqPerSec} req/s)`
      : `C=${pick.concurrency} reaches ${share}% of the best throughput (C=${best.concurrency}, ${best.reqPerSec} req/s) with no more failures`;
  return { concurrency: limit, reqPerSec: pick.reqPerSec, reason: reason + unbound };
}
