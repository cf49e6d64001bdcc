/** Measured runs made by hand, for summaries and verdicts: exact walls, chosen failures. */
import type { PoolStats, StrategyRun } from '../../src/core/benchmark.js';
import { Samples } from '../../src/core/samples.js';
import type { StrategyName } from '../../src/core/types.js';

export interface RunShape {
  count?: number;
  /** Start time of request i (default 0). */
  starts?: readonly number[];
  /** Indexes of requests that failed with a 503. */
  failedAt?: readonly number[];
  /** Indexes of requests never started. */
  notStarted?: readonly number[];
  partial?: boolean;
  pool?: PoolStats | null;
  loopDelay?: number | null;
  maxInFlight?: number;
}

/** A run of `count` requests, each 10 ms from its start, 10 bytes, ok unless listed as failed. */
export function makeRun(strategy: StrategyName, concurrency: number | null, wallMs: number, shape: RunShape = {}): StrategyRun {
  const count = shape.count ?? 4;
  const samples = new Samples(count);
  for (let i = 0; i < count; i++) {
    if (shape.notStarted?.includes(i)) continue;
    const start = shape.starts?.[i] ?? 0;
    samples.markStart(i, start);
    const failed = shape.failedAt?.includes(i) ?? false;
    samples.record(i, start + 10, failed ? { status: 503, bytes: 0, ttfbMs: 1, error: 'http5xx' } : { status: 200, bytes: 10, ttfbMs: 1, error: null });
  }
  return {
    strategy,
    concurrency,
    samples,
    wallMs,
    maxInFlight: shape.maxInFlight ?? (strategy === 'sequential' ? 1 : count),
    partial: shape.partial ?? false,
    pool: shape.pool ?? null,
    eventLoopDelayP99Ms: shape.loopDelay ?? null,
  };
}

export const walls = (strategy: StrategyName, concurrency: number | null, ms: readonly number[], shape?: RunShape): StrategyRun[] => ms.map((w) => makeRun(strategy, concurrency, w, shape));
