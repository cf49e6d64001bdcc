/** -c auto's search, driven by a model server instead of a network: exact paths and answers. */
import { describe, expect, it } from 'vitest';
import { autoResolution, autoSweep, type MeasureAt } from '../../src/core/auto-sweep.js';
import { emptyErrorCounts } from '../../src/core/report.js';
import { makeResult } from '../helpers/report-fixtures.js';

const latency = (ms: number): ReturnType<typeof makeResult>['latencyMs'] => ({ min: ms, mean: ms, p50: ms, p90: ms, p95: ms, p99: ms, max: ms });

/**
 * A server that serves `capacity` at once, `ms` each, over `count` requests: beyond capacity it
 * either queues (latency grows as C / capacity, by Little's law) or refuses the excess with 503s.
 */
function modelServer(kind: 'queue' | 'refuse', capacity: number, ms: number, count: number): { measure: MeasureAt; visited: number[] } {
  const visited: number[] = [];
  const measure: MeasureAt = async (c) => {
    visited.push(c);
    const served = Math.min(c, capacity);
    // Fluid: a semaphore refills each slot as it frees, so throughput is served / ms (no waves).
    const wallMs = (count / served) * ms;
    const failed = kind === 'refuse' && c > capacity ? Math.round((count * (c - capacity)) / c) : 0;
    const p50 = kind === 'queue' && c > capacity ? (ms * c) / capacity : ms;
    return makeResult({
      strategy: 'bounded', concurrency: c, requests: count, failed, ok: count - failed,
      okPerSec: ((count - failed) * 1000) / wallMs, okLatencyMs: latency(p50), latencyMs: latency(p50),
      errors: { ...emptyErrorCounts(), http5xx: failed },
    });
  };
  return { measure, visited };
}

const BIG = { ceiling: 1024, maxRequests: 1_000_000, requestsPerStep: 100 };

describe('autoSweep', () => {
  it('a server that refuses above 10: doubles to 16, then bisects 8..16 to 10', async () => {
    const { measure, visited } = modelServer('refuse', 10, 100, 100);
    const result = await autoSweep(measure, BIG);
    expect(visited).toEqual([1, 2, 4, 8, 16, 12, 10, 11]);
    expect(result.best).toBe(10);
    expect(result.bracket).toEqual([10, 11]);
    expect(result.stoppedBy).toBe('resolution');
    expect(result.steps.map((s) => s.verdict)).toEqual(['start', 'scales', 'scales', 'scales', 'failures', 'failures', 'scales', 'failures']);
  });

  it('a server that queues beyond 10: p50 stops the doubling, and the bracket ends at 10', async () => {
    const { measure, visited } = modelServer('queue', 10, 100, 100);
    const result = await autoSweep(measure, BIG);
    expect(visited).toEqual([1, 2, 4, 8, 16, 12, 10, 11]);
    expect(result.best).toBe(10);
    expect(result.steps.find((s) => s.concurrency === 16)?.verdict).toBe('queueing');
    expect(result.steps.find((s) => s.concurrency === 12)?.verdict).toBe('no gain');
  });

  it('settles within ±2 of limits up to 12, and within 25% above that, queueing or refusing', async () => {
    // A doubling is taken when it earns 60% of linear growth: a limit between lo and 2·lo can hide
    // above 1.6·lo, so the answer may overshoot by up to 25% (the price of not flapping on noise).
    for (const kind of ['queue', 'refuse'] as const) {
      for (let capacity = 3; capacity <= 40; capacity++) {
        const { best } = await autoSweep(modelServer(kind, capacity, 100, 400).measure, BIG);
        const tolerance = capacity <= 12 ? 2 : Math.ceil(capacity * 0.25);
        expect(Math.abs(best - capacity), `${kind} ${capacity}: found ${best}`).toBeLessThanOrEqual(tolerance);
      }
    }
  });

  it('stops at the ceiling while everything still scales', async () => {
    const { measure, visited } = modelServer('queue', 1000, 100, 1000);
    const result = await autoSweep(measure, { ...BIG, ceiling: 64 });
    expect(visited).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(result).toMatchObject({ best: 64, bracket: null, stoppedBy: 'ceiling' });
  });

  it('stops before --max-requests would be exceeded, with the best so far', async () => {
    const { measure, visited } = modelServer('queue', 1000, 100, 100);
    const result = await autoSweep(measure, { ceiling: 1024, maxRequests: 450, requestsPerStep: 100 });
    expect(visited).toEqual([1, 2, 4, 8]);
    expect(result).toMatchObject({ best: 8, stoppedBy: 'max-requests' });
  });

  it('stops when interrupted, and when C=1 already fails', async () => {
    const interrupted = await autoSweep(async (c) => (c === 4 ? null : modelServer('queue', 100, 10, 100).measure(c)), BIG);
    expect(interrupted).toMatchObject({ best: 2, stoppedBy: 'interrupted' });
    const refusesAll = await autoSweep(modelServer('refuse', 0, 10, 100).measure, BIG);
    expect(refusesAll.steps.map((s) => s.verdict)).toEqual(['failures']);
  });

  it('resolves to 1 up to 20, and to 10% of C above', () => {
    expect([1, 20, 21, 40, 64, 100].map(autoResolution)).toEqual([1, 1, 3, 4, 7, 10]);
  });
});
