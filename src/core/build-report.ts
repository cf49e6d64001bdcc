/**
 * The one place a Report is put together: from what was planned (config, checks, baseline)
 * and what was measured (each strategy's runs). Pure: the caller supplies the clock's reading,
 * the environment and the runs, and decides where the exported strings go.
 */
import type { StrategyRuns } from './benchmark.js';
import { compareWithBaseline, type SavedReport } from './baseline.js';
import type { Fingerprint } from './fingerprint.js';
import type { RequestShape } from './request.js';
import type { AutoSweepResult } from './auto-sweep.js';
import { autoRecommendation, recommendConcurrency } from './recommend.js';
import type { DetailOptions, Report, ReportConfig, SetupResult, StrategyResult } from './report.js';
import { summarizeGroups } from './summarize.js';
import { evaluateThresholds, type Threshold } from './thresholds.js';
import { PROTOCOLS, type Protocol } from './types.js';

/** Everything about the report that is known before the first request. */
export interface ReportPlan {
  tool: Report['tool'];
  environment: Report['environment'];
  /** The run's settings; `count` comes from the measured workload. */
  config: Omit<ReportConfig, 'count'>;
  thresholds: readonly Threshold[];
  baseline: { saved: SavedReport; maxRegressionPct: number } | null;
  fingerprint: Fingerprint;
}

/** What the run produced. */
export interface MeasuredRuns {
  startedAt: string;
  /** Requests each strategy was given. */
  count: number;
  groups: readonly StrategyRuns[];
  /** Methods, bodies and body bytes of one strategy run's requests. */
  requests?: RequestShape;
  setup?: SetupResult;
  interrupted: boolean;
  /** Present when per-request samples are wanted (--details or a picture). */
  details?: DetailOptions;
  /** -c auto: the search that chose the bounded limits. */
  auto?: AutoSweepResult;
}

const roundMs = (ms: number): number => Math.round(ms * 1000) / 1000;

export function buildReport(plan: ReportPlan, runs: MeasuredRuns): Report {
  const results = summarizeGroups(runs.groups, plan.config.seed, runs.details);
  const { target, ...settings } = plan.config;
  const report: Report = {
    schemaVersion: 1,
    tool: plan.tool,
    startedAt: runs.startedAt,
    environment: plan.environment,
    // The contract's key order: target, then count.
    config: { target, count: runs.count, ...settings },
    results,
  };
  if (runs.requests) report.config.requests = runs.requests;
  if (plan.config.transport.protocol !== 'h1') report.config.transport = { ...plan.config.transport, negotiated: negotiatedProtocols(results, plan.config.transport.protocol.split(',') as Protocol[]) };
  if (runs.setup) report.setup = { ...runs.setup, wallMs: roundMs(runs.setup.wallMs) };
  const recommendation = runs.auto ? autoRecommendation(results, runs.auto) : recommendConcurrency(results);
  if (recommendation) report.recommendation = recommendation;
  if (runs.auto) report.config.concurrency = results.filter((r) => r.strategy === 'bounded').map((r) => r.concurrency!);
  if (plan.thresholds.length > 0) report.thresholds = evaluateThresholds(plan.thresholds, results);
  if (plan.baseline) report.baseline = compareWithBaseline(results, plan.baseline.saved, plan.baseline.maxRegressionPct, plan.config.seed);
  report.fingerprint = plan.fingerprint;
  if (runs.interrupted) report.partial = true;
  return report;
}

/**
 * For each HTTP version asked, what its results' connections spoke: HTTP/2 is only offered (by
 * ALPN), and a server, or a plain http:// URL, may answer over HTTP/1.1 instead.
 */
export function negotiatedProtocols(results: readonly StrategyResult[], asked: readonly Protocol[]): Partial<Record<Protocol, Protocol[]>> {
  const out: Partial<Record<Protocol, Protocol[]>> = {};
  for (const protocol of asked) {
    const spoke = new Set<Protocol>();
    for (const r of results) {
      if ((r.protocol ?? asked[0]) !== protocol || r.pool === null) continue;
      const h2 = r.pool.h2 ?? 0;
      if (h2 > 0) spoke.add('h2');
      if (r.pool.opened > h2) spoke.add('h1');
    }
    out[protocol] = PROTOCOLS.filter((v) => spoke.has(v));
  }
  return out;
}

/** Requests that failed over the whole report, the setup stage included. */
export function failedRequests(report: Report): number {
  return report.results.reduce((sum, r) => sum + r.failed, 0) + (report.setup?.failed ?? 0);
}

/** Checks (thresholds and baseline comparisons) that failed. */
export function failedChecks(report: Report): number {
  return (report.thresholds ?? []).filter((t) => !t.pass).length + (report.baseline?.comparisons ?? []).filter((c) => !c.pass).length;
}
