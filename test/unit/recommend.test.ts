/** "Which limit?" from a sweep (-c 1,2,4,8,...): goodput, queueing, refusals, Little's law, brackets. */
import { describe, expect, it } from 'vitest';
import { NEAR_BEST, QUEUEING_P50, findBracket, littleEstimate, recommendConcurrency, refineGrid } from '../../src/core/recommend.js';
import { emptyErrorCounts, type StrategyResult } from '../../src/core/report.js';
import type { StrategyName } from '../../src/core/types.js';
import { makeResult } from '../helpers/report-fixtures.js';

const latency = (ms: number): StrategyResult['latencyMs'] => ({ min: ms, mean: ms, p50: ms, p90: ms, p95: ms, p99: ms, max: ms });

/** A limit's result: goodput, ok-latency p50 (= mean), failures as 503s. */
function result(strategy: StrategyName, concurrency: number | null, okPerSec: number, p50 = 100, failed = 0, partial = false): StrategyResult {
  const r = makeResult({
    strategy, concurrency, requests: 60, failed, ok: 60 - failed, reqPerSec: okPerSec, okPerSec, maxInFlight: concurrency ?? 60,
    latencyMs: latency(p50), okLatencyMs: latency(failed === 60 ? 0 : p50),
    errors: { ...emptyErrorCounts(), http5xx: failed }, statusCodes: failed > 0 ? { '200': 60 - failed, '503': failed } : { '200': 60 },
    runs: [], wallMsStats: { median: 0, mean: 0, stddev: 0, min: 0, max: 0 },
  });
  if (partial) r.partial = true;
  return r;
}
const bounded = (c: number, okPerSec: number, p50 = 100, failed = 0, partial = false): StrategyResult => result('bounded', c, okPerSec, p50, failed, partial);

describe('recommendConcurrency', () => {
  it('is null without a sweep (fewer than two bounded limits)', () => {
    expect(recommendConcurrency([])).toBeNull();
    expect(recommendConcurrency([bounded(5, 100)])).toBeNull();
    expect(recommendConcurrency([result('sequential', 1, 10), result('all', null, 500), bounded(5, 100)])).toBeNull();
    expect(recommendConcurrency([bounded(4, 100), bounded(8, 200, 100, 0, true)])).toBeNull();
  });

  it('uses 90% as "near the best" and 1.5x the lowest p50 as "queueing"', () => {
    expect(NEAR_BEST).toBe(0.9);
    expect(QUEUEING_P50).toBe(1.5);
  });

  it('a server that queues beyond 10: the grid recommends 8, not 16 (1% more goodput at twice the p50)', () => {
    // Capacity 10, 100 ms each: goodput saturates at 100 ok/s; beyond 10 requests wait in line.
    const sweep = [bounded(1, 10), bounded(2, 20), bounded(4, 40), bounded(8, 80), bounded(16, 100.5, 160), bounded(32, 101, 320)];
    const rec = recommendConcurrency(sweep)!;
    // 16 and 32 queue (p50 over 1.5 × 100 ms); 8 is the best goodput that does not; the bracket says where to look.
    expect(rec.concurrency).toBe(8);
    expect(rec.reason).toBe('C=8 has the best goodput (80 ok/s) before requests queue: above it p50 exceeds 1.5x the lowest (100 ms)');
    expect(rec.littleEstimate).toBe(10.1); // 101 ok/s × 0.1 s
    expect(rec.bracket).toEqual([8, 16]);
    expect(rec.refine).toBe("the server's limit seems to lie between 8 and 16: try -c 8,10,12,14");
    expect(rec.method).toBe('grid');
  });

  it('a queueing server with a finer grid: the smallest limit near the best goodput whose p50 is not queueing', () => {
    const sweep = [bounded(8, 80), bounded(10, 99, 101), bounded(12, 100, 120), bounded(14, 100, 140), bounded(16, 100, 160)];
    const rec = recommendConcurrency(sweep)!;
    expect(rec.concurrency).toBe(10);
    expect(rec.reason).toBe('C=10 reaches 99% of the best goodput (C=12, 100 ok/s) at p50 101 ms, with no more failures');
    expect(rec.littleEstimate).toBe(10);
    expect(rec.bracket).toBeNull(); // 10 is a grid point
  });

  it('a server that refuses beyond 10: never a limit whose goodput comes with 503s', () => {
    // `-c 1,2,4,8,16,32 --max-inflight 10`: 16 and 32 serve 10 at once and refuse the rest fast.
    const sweep = [bounded(1, 9.8), bounded(2, 19.6), bounded(4, 39), bounded(8, 78), bounded(16, 98, 100, 36), bounded(32, 97, 100, 48)];
    const rec = recommendConcurrency(sweep)!;
    expect(rec.concurrency).toBe(8);
    expect(rec.reason).toBe('C=8 has the best goodput among the limits with the fewest failures (78 ok/s)');
    expect(rec.bracket).toEqual([8, 16]);
    expect(rec.refine).toBe('between 8 (0 failed) and 16 (36 × 503): try -c 8,10,12,14');
    expect(rec.littleEstimate).toBe(9.8);
  });

  it('takes the smallest of tied limits, whatever their order', () => {
    expect(recommendConcurrency([bounded(4, 400), bounded(8, 400), bounded(16, 400)])?.concurrency).toBe(4);
    expect(recommendConcurrency([bounded(16, 400), bounded(8, 400), bounded(4, 400)])?.concurrency).toBe(4);
  });

  it('ignores partial results and the other strategies, and handles no goodput at all', () => {
    const rec = recommendConcurrency([result('sequential', 1, 10), result('all', null, 5000), bounded(2, 100), bounded(4, 150), bounded(8, 900, 100, 0, true)]);
    expect(rec?.concurrency).toBe(4);
    const none = recommendConcurrency([bounded(2, 0, 100, 60), bounded(4, 0, 100, 60)]);
    expect(none?.concurrency).toBe(2);
    expect(none?.reason).not.toContain('NaN');
    expect(none?.littleEstimate).toBeNull();
  });

  it('counts a limit above the requests in flight as the limit it really was', () => {
    const rec = recommendConcurrency([bounded(8, 50), { ...bounded(16, 100), maxInFlight: 10 }]);
    expect(rec?.concurrency).toBe(10);
    expect(rec?.reason).toContain('C=16 never had more than 10 in flight');
  });
});

describe("Little's law, brackets and refine grids", () => {
  it('littleEstimate is the best goodput times the lowest mean ok latency', () => {
    expect(littleEstimate([bounded(4, 40, 100), bounded(8, 79, 101), bounded(16, 100, 160)])).toBe(10);
    expect(littleEstimate([bounded(4, 0, 100, 60)])).toBeNull();
  });

  it('refineGrid steps about four times from low up to (not including) high', () => {
    expect(refineGrid(8, 16)).toEqual([8, 10, 12, 14]);
    expect(refineGrid(4, 8)).toEqual([4, 5, 6, 7]);
    expect(refineGrid(16, 32)).toEqual([16, 20, 24, 28]);
    expect(refineGrid(2, 3)).toEqual([2]);
  });

  it('findBracket prefers the first failing limit, and needs a gap between the two points', () => {
    expect(findBracket([bounded(8, 80), bounded(16, 90, 100, 5)], null)?.bracket).toEqual([8, 16]);
    expect(findBracket([bounded(8, 80), bounded(9, 90, 100, 5)], null)).toBeNull();
    expect(findBracket([bounded(8, 80), bounded(16, 100)], 12)?.bracket).toEqual([8, 16]);
    expect(findBracket([bounded(8, 80), bounded(16, 100)], 8.3)).toBeNull(); // rounds to a grid point
  });
});
