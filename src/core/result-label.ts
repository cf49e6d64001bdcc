import { keyedByLimit, type Protocol, type StrategyName } from './types.js';

/**
 * How thresholds and baselines name one result: "sequential", "all", "bounded@8", "batched@8",
 * "adaptive", "workers" (no limit) or "workers@8"; "all/h2" when the run compares protocols.
 */
export function resultKey(result: { strategy: StrategyName; concurrency: number | null; protocol?: Protocol }): string {
  const key = keyedByLimit(result.strategy, result.concurrency) ? `${result.strategy}@${result.concurrency ?? '?'}` : result.strategy;
  return result.protocol === undefined ? key : `${key}/${result.protocol}`;
}
