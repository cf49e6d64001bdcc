/**
 * The sentences a report says about its results: verdicts, failures, the setup stage, an
 * interruption, a baseline change. Every exporter takes its words from here, so the table,
 * markdown, HTML and JUnit never tell the same thing two ways.
 */
import type { BaselineEntry, Report, StrategyResult } from '../core/report.js';
import { ERROR_CLASSES } from '../core/types.js';
import { formatSeconds, judgedResults, strategyLabel } from './format.js';

/** "3 failed: 2 timeout, 1 http5xx (503)" */
export function describeFailures(result: Pick<StrategyResult, 'failed' | 'errors' | 'statusCodes'>): string {
  const parts = ERROR_CLASSES.filter((c) => result.errors[c] > 0).map((c) => {
    const statuses = Object.keys(result.statusCodes).filter((s) => (c === 'http4xx' ? /^4/ : c === 'http5xx' ? /^5/ : /^$/).test(s));
    return `${result.errors[c]} ${c}${statuses.length > 0 ? ` (${statuses.join(', ')})` : ''}`;
  });
  return `${result.failed} failed: ${parts.join(', ')}`;
}

/**
 * "all: 6.04x faster than sequential (0.411 s vs 2.483 s)", one per concurrent strategy;
 * with repeated runs the speedup carries its spread and 95% interval, and an interval that
 * includes 1 makes the verdict "inconclusive".
 */
export function verdictLines(results: readonly StrategyResult[]): string[] {
  const sequential = results.find((r) => r.strategy === 'sequential');
  if (!sequential) return [];
  return judgedResults(results).map((r) => {
    const ratio = r.speedup!;
    const name = r.strategy === 'bounded' ? `bounded (C=${r.concurrency})` : r.strategy;
    // Timing failures against failures compares nothing worth a verdict.
    if (r.ok === 0 || sequential.ok === 0) {
      return `${name}: no comparison, ${r.ok === 0 ? 'every request failed' : 'every sequential request failed'} (${describeFailures(r.ok === 0 ? r : sequential)})`;
    }
    const spread = r.speedupStddev === null ? '' : ` ± ${r.speedupStddev.toFixed(2)}`;
    const ci = r.speedupCI95 === null ? '' : `; 95% CI ${r.speedupCI95[0].toFixed(2)}–${r.speedupCI95[1].toFixed(2)}x`;
    const times = `(${formatSeconds(r.wallMs)} vs ${formatSeconds(sequential.wallMs)}${ci})`;
    const failures = r.failed > 0 ? `; ${describeFailures(r)}` : '';
    if (r.verdict === 'inconclusive') {
      return `${name}: inconclusive, ${ratio.toFixed(2)}${spread}x against sequential ${times}: the interval includes 1${failures}`;
    }
    const relation = ratio >= 1 ? `${ratio.toFixed(2)}${spread}x faster than` : `${(1 / ratio).toFixed(2)}x slower than`;
    return `${name}: ${relation} sequential ${times}${failures}`;
  });
}

/** "all (Promise.all): 3 failed: …" for each result with failures that no verdict line told. */
export function untoldFailureLines(results: readonly StrategyResult[]): string[] {
  const told = new Set(judgedResults(results));
  return results.filter((r) => r.failed > 0 && !told.has(r)).map((r) => `${strategyLabel(r.strategy, r.concurrency)}: ${describeFailures(r)}`);
}

/** "stage 1 · now_playing: 2 requests, 40 items in 0.213 s (run once, before the strategies)" */
export function setupLine(report: Report): string | null {
  const s = report.setup;
  if (!s) return null;
  const failed = s.failed > 0 ? `, ${s.failed} failed` : '';
  return `stage 1 · ${s.name}: ${s.requests} request${s.requests === 1 ? '' : 's'}${failed}, ${s.items} items in ${formatSeconds(s.wallMs)} (run once, before the strategies)`;
}

/** "interrupted: partial results …", or null when the run was not interrupted. */
export function interruptedLine(report: Pick<Report, 'partial' | 'results'>): string | null {
  if (!report.partial) return null;
  return report.results.length > 0
    ? 'interrupted: partial results (requests cut off in flight count as aborted)'
    : 'interrupted before any strategy started: no results';
}

/** The interrupted line as a sentence of its own: "Interrupted: partial results (…)." */
export function interruptedSentence(report: Pick<Report, 'partial' | 'results'>): string | null {
  const line = interruptedLine(report);
  return line === null ? null : `${line[0]!.toUpperCase()}${line.slice(1)}.`;
}

/** A change in percent with its sign: "+12.5%", "-3.0%". */
export function signedPercent(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
}

/** "0.512 s vs 0.498 s (+2.8%; at best +0.4%)": one baseline comparison. */
export function baselineChange(c: BaselineEntry): string {
  return `${formatSeconds(c.wallMs)} vs ${formatSeconds(c.baselineWallMs)} (${signedPercent(c.changePct)}; at best ${signedPercent(c.favourableChangePct)})`;
}
