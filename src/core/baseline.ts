import { UsageError, quoteInput } from './errors.js';
import type { Fingerprint } from './fingerprint.js';
import { createRandom, hashString } from './random.js';
import type { BaselineComparison, BaselineEntry, Report, StrategyResult } from './report.js';
import { resultKey } from './result-label.js';
import { bootstrapRatioCI } from './stats.js';

/** The parts of a saved report a baseline needs; anything else in the file is ignored. */
export interface SavedReport {
  startedAt: string;
  results: Array<Pick<StrategyResult, 'strategy' | 'concurrency' | 'wallMs'> & { runs?: Array<{ wallMs: number }> }>;
  /** The saved run's workload; absent in files saved before fingerprints existed. */
  fingerprint?: Fingerprint;
}

/** Fewer runs than this on either side and the gate compares medians, with a warning. */
export const MIN_RUNS_FOR_GATE = 3;

/** Checks that parsed JSON is a saved async-bench report; a usage error names what is wrong. */
export function asSavedReport(value: unknown, file: string): SavedReport {
  const doc = value as Partial<Report> | null;
  if (doc === null || typeof doc !== 'object' || doc.schemaVersion !== 1 || !Array.isArray(doc.results)) {
    throw new UsageError(`--baseline ${quoteInput(file)} is not an async-bench JSON result (schemaVersion 1 with results); save one with --json or -o result.json`);
  }
  for (const r of doc.results) {
    if (typeof r?.wallMs !== 'number' || typeof r?.strategy !== 'string') {
      throw new UsageError(`--baseline ${quoteInput(file)} has a result without strategy and wallMs`);
    }
  }
  const saved: SavedReport = { startedAt: String(doc.startedAt ?? ''), results: doc.results };
  if (doc.fingerprint && typeof doc.fingerprint === 'object') saved.fingerprint = doc.fingerprint;
  return saved;
}

const pct = (ratio: number): number => Math.round((ratio - 1) * 100_000) / 1000;

/** Wall times of every measured run; a result saved without runs counts as its one median. */
function wallsOf(r: { wallMs: number; runs?: ReadonlyArray<{ wallMs: number }> }): number[] {
  const walls = (r.runs ?? []).map((x) => x.wallMs).filter((w) => w > 0);
  return walls.length > 0 ? walls : [r.wallMs];
}

/**
 * Each result's wall time against the saved one, judged on both sets of runs: a bootstrap 95%
 * interval of new/old medians, failing only when even its lower end is slower than the limit
 * allows. The interval narrows as runs are added, so more runs catch smaller regressions and a
 * noisy pair of runs does not flap a gate. With fewer than 3 runs on either side there is no
 * interval: medians are compared, and the comparison says so.
 */
export function compareWithBaseline(results: readonly StrategyResult[], saved: SavedReport, maxRegressionPct: number, seed = 0): BaselineComparison {
  const comparisons: BaselineEntry[] = [];
  const warnings = new Set<string>();
  for (const r of results) {
    const key = resultKey(r);
    const old = saved.results.find((o) => resultKey(o) === key);
    if (!old || !(old.wallMs > 0)) continue;
    const oldWalls = wallsOf(old);
    const newWalls = wallsOf(r);
    const changePct = pct(r.wallMs / old.wallMs);
    let favourableChangePct = changePct;
    let ci95: [number, number] | null = null;
    if (oldWalls.length >= MIN_RUNS_FOR_GATE && newWalls.length >= MIN_RUNS_FOR_GATE) {
      const interval = bootstrapRatioCI(newWalls, oldWalls, createRandom(hashString(key, seed ^ 0x3c6ef372)));
      if (interval) {
        ci95 = [pct(interval[0]), pct(interval[1])];
        favourableChangePct = ci95[0];
      }
    } else {
      const side = oldWalls.length < MIN_RUNS_FOR_GATE ? `baseline has ${oldWalls.length} run${oldWalls.length === 1 ? '' : 's'}` : `this run has ${newWalls.length} run${newWalls.length === 1 ? '' : 's'}`;
      warnings.add(`${side}: a gate needs --runs ${MIN_RUNS_FOR_GATE} or more on both sides; comparing medians`);
    }
    comparisons.push({ strategy: key, baselineWallMs: old.wallMs, wallMs: r.wallMs, changePct, favourableChangePct, ci95, pass: favourableChangePct <= maxRegressionPct });
  }
  const comparison: BaselineComparison = { startedAt: saved.startedAt, maxRegressionPct, comparisons };
  if (!saved.fingerprint) warnings.add('the baseline has no workload fingerprint (saved by an older version): it may not be the same workload');
  if (warnings.size > 0) comparison.warnings = [...warnings];
  return comparison;
}
