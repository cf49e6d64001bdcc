import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Report, StrategyResult } from '../core/report.js';
import { ERROR_CLASSES } from '../core/types.js';
import { formatMs, formatRate, formatSeconds, formatSpeedup, strategyLabel, withoutRowRules } from './format.js';

export interface TableView {
  /** The line above the table, e.g. "pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42". */
  heading: string;
  /** What came back (first Pokémon names, first post titles), or null. */
  sample: string | null;
  chalk: ChalkInstance;
}

/** "3 failed: 2 timeout, 1 http5xx (503)" */
export function describeFailures(result: Pick<StrategyResult, 'failed' | 'errors' | 'statusCodes'>): string {
  const parts = ERROR_CLASSES.filter((c) => result.errors[c] > 0).map((c) => {
    const statuses = Object.keys(result.statusCodes).filter((s) => (c === 'http4xx' ? /^4/ : c === 'http5xx' ? /^5/ : /^$/).test(s));
    return `${result.errors[c]} ${c}${statuses.length > 0 ? ` (${statuses.join(', ')})` : ''}`;
  });
  return `${result.failed} failed: ${parts.join(', ')}`;
}

/** The concurrent results that get a verdict line: there is a complete sequential run to compare with. */
function judged(results: readonly StrategyResult[]): StrategyResult[] {
  const sequential = results.find((r) => r.strategy === 'sequential');
  if (!sequential || sequential.partial) return [];
  return results.filter((r) => r.strategy !== 'sequential' && r.speedup !== null);
}

/** "all: 6.04x faster than sequential (0.411 s vs 2.483 s)", one per concurrent strategy. */
export function verdictLines(results: readonly StrategyResult[]): string[] {
  const sequential = results.find((r) => r.strategy === 'sequential');
  if (!sequential) return [];
  return judged(results)
    .map((r) => {
      const ratio = r.speedup!;
      const name = r.strategy === 'bounded' ? `bounded (C=${r.concurrency})` : r.strategy;
      // Timing failures against failures compares nothing worth a verdict.
      if (r.ok === 0 || sequential.ok === 0) {
        return `${name}: no comparison, ${r.ok === 0 ? 'every request failed' : 'every sequential request failed'} (${describeFailures(r.ok === 0 ? r : sequential)})`;
      }
      const relation = ratio >= 1 ? `${ratio.toFixed(2)}x faster than` : `${(1 / ratio).toFixed(2)}x slower than`;
      const failures = r.failed > 0 ? `; ${describeFailures(r)}` : '';
      return `${name}: ${relation} sequential (${formatSeconds(r.wallMs)} vs ${formatSeconds(sequential.wallMs)})${failures}`;
    });
}

/** The "Time taken" table, verdicts and sample line, as one string for stdout. */
export function renderTable(report: Report, view: TableView): string {
  const { chalk } = view;
  const table = new Table({
    head: ['Strategy', 'Requests', 'OK', 'Failed', 'Time taken', 'Req/s', 'p50', 'p95', 'max', 'Speedup'].map((h) => chalk.bold(h)),
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  const best = Math.max(...report.results.map((r) => r.speedup ?? 0));
  for (const r of report.results) {
    const speed = formatSpeedup(r.speedup);
    table.push([
      strategyLabel(r.strategy, r.concurrency) + (r.partial ? chalk.yellow(' (partial)') : ''),
      String(r.requests),
      chalk.green(String(r.ok)),
      r.failed > 0 ? chalk.red(String(r.failed)) : '0',
      chalk.bold(formatSeconds(r.wallMs)),
      formatRate(r.reqPerSec),
      formatMs(r.latencyMs.p50),
      formatMs(r.latencyMs.p95),
      formatMs(r.latencyMs.max),
      r.speedup !== null && r.speedup === best && best > 1 ? chalk.green.bold(speed) : speed,
    ]);
  }
  const lines = [chalk.dim(view.heading)];
  if (report.results.length > 0) lines.push(withoutRowRules(table.toString()));
  const verdicts = verdictLines(report.results);
  if (verdicts.length > 0) lines.push(...verdicts.map((v) => chalk.cyan(v)));
  // Failures not already told by a verdict line get a line of their own.
  const told = new Set(judged(report.results));
  for (const r of report.results) {
    if (r.failed > 0 && !told.has(r)) lines.push(chalk.red(`${strategyLabel(r.strategy, r.concurrency)}: ${describeFailures(r)}`));
  }
  if (view.sample) lines.push(chalk.dim(view.sample));
  if (report.partial) {
    lines.push(chalk.yellow(report.results.length > 0 ? 'interrupted: partial results (requests cut off in flight count as aborted)' : 'interrupted before any strategy started: no results'));
  }
  return lines.join('\n') + '\n';
}
