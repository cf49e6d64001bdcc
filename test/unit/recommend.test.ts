/** The concurrency recommendation of a sweep (-c 1,2,4,8,...). */
import { describe, expect, it } from 'vitest';
import { NEAR_BEST, recommendConcurrency } from '../../src/core/recommend.js';
import { emptyErrorCounts, type StrategyResult } from '../../src/core/report.js';
import type { StrategyName } from '../../src/core/types.js';
import { makeResult } from '../helpers/report-fixtures.js';

function result(strategy: StrategyName, concurrency: number | null, reqPerSec: number, failed = 0, partial = false): StrategyResult {
  const r = makeResult({
    strategy, concurrency, wallMs: 60_000 / Math.max(reqPerSec, 1), requests: 60, failed, reqPerSec, maxInFlight: concurrency ?? 60,
    errors: { ...emptyErrorCounts(), http5xx: failed }, runs: [], wallMsStats: { median: 0, mean: 0, stddev: 0, min: 0, max: 0 },
  });
  if (partial) r.partial = true;
  return r;
}

const bounded = (c: number, reqPerSec: number, failed = 0, partial = false): StrategyResult => result('bounded', c, reqPerSec, failed, partial);

describe('recommendConcurrency', () => {
  it('is null without a sweep (fewer than two bounded limits)', () => {
    expect(recommendConcurrency([])).toBeNull();
    expect(recommendConcurrency([bounded(5, 100)])).toBeNull();
    expect(recommendConcurrency([result('sequential', 1, 10), result('all', null, 500), bounded(5, 100)])).toBeNull();
    // A partial limit does not count towards the two.
    expect(recommendConcurrency([bounded(4, 100), bounded(8, 200, 0, true)])).toBeNull();
  });

  it('uses 90% as "near the best"', () => {
    expect(NEAR_BEST).toBe(0.9);
  });

  it('picks the smallest limit within 10% of the best throughput', () => {
    const rec = recommendConcurrency([bounded(1, 100), bounded(2, 190), bounded(4, 360), bounded(8, 400), bounded(16, 410)]);
    // 0.9 × 410 = 369: C=8 (400) is the smallest at or above it.
    expect(rec).toEqual({ concurrency: 8, reqPerSec: 400, reason: 'C=8 reaches 98% of the best throughput (C=16, 410 req/s) with no more failures' });
  });

  it('counts exactly 90% of the best as near, and just below as not', () => {
    expect(recommendConcurrency([bounded(2, 180), bounded(4, 360), bounded(8, 400)])?.concurrency).toBe(4);
    expect(recommendConcurrency([bounded(2, 180), bounded(4, 359.99), bounded(8, 400)])?.concurrency).toBe(8);
  });

  it('recommends the best itself when nothing smaller comes near', () => {
    expect(recommendConcurrency([bounded(1, 20), bounded(2, 40), bounded(4, 80), bounded(8, 160)])).toEqual({
      concurrency: 8,
      reqPerSec: 160,
      reason: 'C=8 has the best throughput (160 req/s)',
    });
  });

  it('never recommends a limit whose high req/s comes from fast failures (503 above the server limit)', () => {
    // The sweep of `-c 1,2,4,8,16,32 --max-inflight 10`: 16 and 32 are fast because most requests get a quick 503.
    const sweep = [bounded(1, 19.09), bounded(2, 38.61), bounded(4, 76.81), bounded(8, 141.47), bounded(16, 1118.94, 50), bounded(32, 1102.06, 50)];
    expect(recommendConcurrency(sweep)).toEqual({
      concurrency: 8,
      reqPerSec: 141.47,
      reason: 'C=8 has the best throughput among the limits with the fewest failures (141.47 req/s)',
    });
  });

  it('ranks by fewest failures first, even when every limit had some', () => {
    const rec = recommendConcurrency([bounded(2, 50, 1), bounded(4, 90, 1), bounded(8, 200, 5), bounded(16, 85, 2)]);
    expect(rec?.concurrency).toBe(4);
    expect(rec?.reason).toContain('among the limits with the fewest failures');
    // A smaller limit near the best but with more failures than the best is passed over.
    expect(recommendConcurrency([bounded(2, 95, 3), bounded(4, 100, 0), bounded(8, 101, 1)])?.concurrency).toBe(4);
  });

  it('takes the smallest of tied limits, whatever their order', () => {
    expect(recommendConcurrency([bounded(4, 400), bounded(8, 400), bounded(16, 400)])?.concurrency).toBe(4);
    expect(recommendConcurrency([bounded(16, 400), bounded(8, 400), bounded(4, 400)])?.concurrency).toBe(4);
    expect(recommendConcurrency([bounded(8, 400), bounded(4, 400)])?.reqPerSec).toBe(400);
  });

  it('ignores partial results and the other strategies', () => {
    const rec = recommendConcurrency([
      result('sequential', 1, 10),
      result('all', null, 5000),
      bounded(2, 100),
      bounded(4, 150),
      bounded(8, 900, 0, true),
    ]);
    expect(rec).toEqual({ concurrency: 4, reqPerSec: 150, reason: 'C=4 has the best throughput (150 req/s)' });
  });

  it('handles no throughput at all without dividing by zero', () => {
    const rec = recommendConcurrency([bounded(2, 0, 60), bounded(4, 0, 60)]);
    expect(rec?.concurrency).toBe(2);
    expect(rec?.reqPerSec).toBe(0);
    expect(rec?.reason).not.toContain('NaN');
  });
});
