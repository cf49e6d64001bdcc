import type { StrategyName } from './types.js';

/** How thresholds and baselines name one result: "sequential", "all", "bounded@8". */
export function resultKey(result: { strategy: StrategyName; concurrency: number | null }): string {
  return result.strategy === 'bounded' ? `bounded@${result.concurrency ?? '?'}` : result.strategy;
}
