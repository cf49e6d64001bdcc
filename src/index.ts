/**
 * async-bench as a library: `benchmark()` runs what the command line runs and returns the
 * Report; the exporters turn a Report into the strings the command line prints or writes.
 *
 *   import { benchmark, toMarkdown, type Report } from 'async-bench';
 *   const report: Report = await benchmark('pokemon', { offline: true, count: 20 });
 */
export { benchmark, type BenchmarkOptions, type BenchmarkProgress } from './api/benchmark.js';
export type { RunSettings } from './api/options.js';
export { toCsv, toHtml, toJson, toJunit, toMarkdown, toTable, type ExportOptions } from './api/exporters.js';
export { UsageError } from './core/errors.js';
export type {
  BaselineComparison,
  BaselineEntry,
  ErrorCounts,
  ErrorExample,
  Recommendation,
  Report,
  ReportConfig,
  RequestSample,
  SetupResult,
  StrategyResult,
  ThresholdResult,
  Verdict,
} from './core/report.js';
export type { ErrorClass, Protocol, StrategyName } from './core/types.js';
