import type { StrategyName } from './types.js';

/** How thresholds and baselines name one result: "sequential", "all", "bounded@8", "workers" (no limit) or "workers@8". */
export function resultKey(result: { strategy: StrategyName; concurrency: number | null }): string {
  if (result.strategy === 'workers') return result.concurrency === null ? 'workers' : `workers@${result.concurrency}`;
  return result.strategy === 'bounded' ? `bounded@${result.concurrency ?? '?'}` : result.strategy;
}
