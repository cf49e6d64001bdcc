/**
 * One run per strategy, as most tests want it: thin wrappers over the product's rounds and
 * summaries (runRounds with one round, summarizeGroup with one run).
 */
import { runRounds, type BenchmarkHooks, type StrategyClient, type StrategyRun, type StrategySpec } from '../../src/core/benchmark.js';
import type { StrategyResult } from '../../src/core/report.js';
import { summarizeGroup, summarizeGroups } from '../../src/core/summarize.js';
import type { Clock } from '../../src/core/types.js';

/** Every strategy once, in order, each with a fresh client. */
export async function runOnce(
  specs: readonly StrategySpec[],
  count: number,
  createClient: () => StrategyClient,
  clock: Clock,
  hooks: BenchmarkHooks = {},
): Promise<StrategyRun[]> {
  const groups = await runRounds(specs, count, createClient, clock, { runs: 1, warmup: 0, random: () => 0.999999 }, hooks); // j = i: the given order
  return groups.map((g) => g.runs[0]!);
}

/** One run's result against a sequential wall time. */
export function summarizeRun(run: StrategyRun, sequentialWallMs: number | null): StrategyResult {
  return summarizeGroup([run], sequentialWallMs === null ? null : [sequentialWallMs]);
}

/** Results of single runs, each compared with the sequential run when there is one. */
export function summarizeRuns(runs: readonly StrategyRun[]): StrategyResult[] {
  return summarizeGroups(runs.map((run) => ({ spec: { strategy: run.strategy, concurrency: run.concurrency }, runs: [run] })), 1);
}
