import Table from 'cli-table3';
import type { Report, StrategyResult } from '../core/report.js';
import { renderSweepChart } from './chart.js';
import type { ExportContext } from './exporters.js';
import { formatMs, formatSeconds, protocolSuffix, resultLabel, withoutRowRules } from './format.js';
import { renderWaterfall } from './waterfall.js';
import { humanTable, type Tone } from './table-model.js';
import { baselineChange, baselineWarningLines, failureCauseLines, indicativeLine, interruptedLine, protocolLines, recommendationNotes, setupLine, untoldFailureLines, verdictNotes } from './prose.js';

/** The waterfall's width when stdout is no terminal (--waterfall into a pipe). */
const DEFAULT_COLUMNS = 80;

/** The table's view of the export context. */
export type TableView = Pick<ExportContext, 'heading' | 'sample' | 'chalk'> & Partial<ExportContext>;

/** For bounded: time queued for a slot apart from time on the wire; the pool when it opened more than C. */
function whereTheTimeWent(r: StrategyResult): string | null {
  if (r.strategy !== 'bounded' || r.queueWaitMs === null) return null;
  const pool = r.pool && r.concurrency !== null && r.pool.opened > r.concurrency ? `; the pool opened ${r.pool.opened} sockets for ${r.concurrency} slot${r.concurrency === 1 ? '' : 's'}` : '';
  return `bounded (C=${r.concurrency})${protocolSuffix(r)}: waited ${formatMs(r.queueWaitMs.mean)} for a slot (mean; p95 ${formatMs(r.queueWaitMs.p95)}), then ${formatMs(r.latencyMs.p50)} on the wire (p50)${pool}`;
}

/** With --retries: what retrying cost each strategy, apart from first-try latency. */
function retryLines(report: Report): string[] {
  if (report.config.retries === 0) return [];
  return report.results.map((r) => {
    const { attempts, retried, addedMs, firstTryMs } = r.retries;
    return `${resultLabel(r)}: ${retried} request${retried === 1 ? '' : 's'} retried, ${attempts} attempts, retries added ${formatSeconds(addedMs)} in all; first tries p50 ${formatMs(firstTryMs.p50)}, p95 ${formatMs(firstTryMs.p95)}`;
  });
}

function thresholdLines(report: Report, chalk: TableView['chalk']): string[] {
  return (report.thresholds ?? []).map((t) => {
    const mark = t.pass ? chalk.green('pass') : chalk.red.bold('FAIL');
    return `${mark}  ${t.expr}  ${t.strategy}: ${t.actual === null ? 'no result' : String(t.actual)}${t.reason ? ` (${t.reason})` : ''}`;
  });
}

function baselineLines(report: Report, chalk: TableView['chalk']): string[] {
  const b = report.baseline;
  if (!b) return [];
  return b.comparisons.map((c) => {
    const mark = c.pass ? chalk.green('pass') : chalk.red.bold('FAIL');
    return `${mark}  baseline ${c.strategy}: ${baselineChange(c).replace(/\)$/, `, limit +${b.maxRegressionPct}%)`)}`;
  });
}

/** The "Time taken" table, verdicts, checks and sample line, as one string for stdout. */
export function renderTable(report: Report, view: TableView): string {
  const { chalk } = view;
  const model = humanTable(report);
  const table = new Table({
    head: model.headers.map((h) => chalk.bold(h)),
    colAligns: model.aligns,
    style: { head: [], border: [] },
  });
  const paint: Record<Tone, (text: string) => string> = {
    plain: (t) => t,
    ok: (t) => chalk.green(t),
    bad: (t) => chalk.red(t),
    strong: (t) => chalk.bold(t),
    best: (t) => chalk.green.bold(t),
  };
  for (const row of model.rows) table.push(row.map((c) => paint[c.tone](c.text) + (c.note ? chalk.yellow(c.note) : '')));
  const lines: string[] = [];
  const stage = setupLine(report);
  if (stage) lines.push(chalk.dim(stage));
  lines.push(chalk.dim(view.heading + (report.config.runs > 1 || report.config.warmup > 0 ? ` · ${report.config.runs} runs, ${report.config.warmup} warm-up` : '')));
  // Above the table, so that the table and verdicts stay on screen below the picture.
  if (view.waterfall) {
    const picture = renderWaterfall(report.results, { columns: view.columns ?? DEFAULT_COLUMNS, chalk, runs: report.config.runs });
    if (picture) lines.push('', picture, '');
  }
  if (report.results.length > 0) lines.push(withoutRowRules(table.toString()));
  for (const { text, verdict } of verdictNotes(report.results)) {
    lines.push(verdict === 'more-failures' ? chalk.red(text) : verdict === 'inconclusive' ? chalk.yellow(text) : chalk.cyan(text));
  }
  for (const l of protocolLines(report)) lines.push(chalk.cyan(l));
  const indicative = indicativeLine(report);
  if (indicative) lines.push(chalk.dim(indicative));
  for (const l of untoldFailureLines(report.results)) lines.push(chalk.red(l));
  for (const l of failureCauseLines(report.results)) lines.push(chalk.yellow(l));
  // In a sweep, only the recommended limit's line: the JSON has every one.
  const explained = report.recommendation ? report.results.filter((r) => r.strategy === 'bounded' && r.concurrency === report.recommendation!.concurrency) : report.results;
  for (const r of explained) {
    const line = whereTheTimeWent(r);
    if (line) lines.push(chalk.dim(line));
  }
  for (const l of retryLines(report)) lines.push(chalk.dim(l));
  if (report.recommendation) {
    if (view.columns !== undefined) lines.push(renderSweepChart(report.results, view.columns, chalk, report.recommendation));
    lines.push(chalk.green.bold(`recommended concurrency: ${report.recommendation.concurrency}`) + chalk.dim(` (${report.recommendation.reason})`));
    for (const l of recommendationNotes(report)) lines.push(chalk.dim(l));
  }
  for (const l of [thresholdLines(report, chalk), baselineLines(report, chalk), baselineWarningLines(report).map((w) => chalk.yellow(w))].flat()) lines.push(l);
  if (view.sample) lines.push(chalk.dim(view.sample));
  const interrupted = interruptedLine(report);
  if (interrupted) lines.push(chalk.yellow(interrupted));
  return lines.join('\n') + '\n';
}
