import { UsageError, quoteInput } from './errors.js';
import type { BaselineComparison, BaselineEntry, Report, StrategyResult } from './report.js';
import { resultKey } from './result-label.js';

/** The parts of a saved report a baseline needs; anything else in the file is ignored. */
export interface SavedReport {
  startedAt: string;
  results: Array<Pick<StrategyResult, 'strategy' | 'concurrency' | 'wallMs'> & { wallMsStats?: { stddev: number } }>;
}

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
  return { startedAt: String(doc.startedAt ?? ''), results: doc.results };
}

const pct = (ratio: number): number => Math.round((ratio - 1) * 100_000) / 1000;

/**
 * Each strategy's median wall time against the saved one. It fails only when the slowdown
 * exceeds the limit even at the favourable end of both spreads (new median minus its standard
 * deviation against old median plus its own), so a noisy run does not flap a CI gate.
 */
export function compareWithBaseline(results: readonly StrategyResult[], saved: SavedReport, maxRegressionPct: number): BaselineComparison {
  const comparisons: BaselineEntry[] = [];
  for (const r of results) {
    const old = saved.results.find((o) => resultKey(o) === resultKey(r));
    if (!old || !(old.wallMs > 0)) continue;
    const favourableNew = Math.max(r.wallMsStats.min, r.wallMs - r.wallMsStats.stddev);
    const favourableOld = old.wallMs + (old.wallMsStats?.stddev ?? 0);
    const favourableChangePct = pct(favourableNew / favourableOld);
    comparisons.push({
      strategy: resultKey(r),
      baselineWallMs: old.wallMs,
      wallMs: r.wallMs,
      changePct: pct(r.wallMs / old.wallMs),
      favourableChangePct,
      pass: favourableChangePct <= maxRegressionPct,
    });
  }
  return { startedAt: saved.startedAt, maxRegressionPct, comparisons };
}
