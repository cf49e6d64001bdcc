import Table from 'cli-table3';
import type { Report, StrategyResult } from '../core/report.js';
import { renderSweepChart } from './chart.js';
import type { ExportContext } from './exporters.js';
import { formatMs, formatSeconds, protocolSuffix, resultLabel, withoutRowRules, wrapText } from './format.js';
import { renderWaterfall } from './waterfall.js';
import { fittedTable, humanTable, type Tone } from './table-model.js';
import { baselineChange, baselineWarningLines, failureCauseLines, indicativeLine, interruptedLine, protocolLines, recommendationNotes, setupLine, strategyNotes, untoldFailureLines, verdictNotes } from './prose.js';

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

/** "pass  speedup>=3  all: 4.85", with its reason when the value alone does not say why. */
function thresholdLines(report: Report): string[] {
  return (report.thresholds ?? []).map((t) => `${t.pass ? 'pass' : 'FAIL'}  ${t.expr}  ${t.strategy}: ${t.actual === null ? 'no result' : String(t.actual)}${t.reason ? ` (${t.reason})` : ''}`);
}

function baselineLines(report: Report): string[] {
  const b = report.baseline;
  if (!b) return [];
  return b.comparisons.map((c) => `${c.pass ? 'pass' : 'FAIL'}  baseline ${c.strategy}: ${baselineChange(c).replace(/\)$/, `, limit +${b.maxRegressionPct}%)`)}`);
}

/**
 * The "Time taken" table, verdicts, checks and sample line, as one string for stdout. With a
 * `width` (a terminal's, or 80 into a pipe) the table is fitted to it and every line of prose
 * wrapped to it; without one (--wide, a file) every column is shown and nothing is wrapped.
 */
export function renderTable(report: Report, view: TableView): string {
  const { chalk, width } = view;
  const model = width === undefined ? humanTable(report) : fittedTable(report, width);
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
  /** A line of prose, wrapped to the width before it is painted (colour codes take no column). */
  const say = (text: string, colour: (line: string) => string = (l) => l, separator = ' '): void => {
    for (const line of width === undefined ? [text] : wrapText(text, width, { separator })) lines.push(colour(line));
  };
  /** pass in green, FAIL in bold red, the rest as it is. */
  const check = (line: string): string => line.replace(/^(pass|FAIL)(?= )/, (mark) => (mark === 'pass' ? chalk.green(mark) : chalk.red.bold(mark)));
  const stage = setupLine(report);
  if (stage) say(stage, chalk.dim);
  say(view.heading + (report.config.runs > 1 || report.config.warmup > 0 ? ` · ${report.config.runs} runs, ${report.config.warmup} warm-up` : ''), chalk.dim, ' · ');
  // Above the table, so that the table and verdicts stay on screen below the picture.
  if (view.waterfall) {
    const picture = renderWaterfall(report.results, { columns: view.columns ?? width ?? DEFAULT_COLUMNS, chalk, runs: report.config.runs });
    if (picture) lines.push('', picture, '');
  }
  if (report.results.length > 0) lines.push(withoutRowRules(table.toString()));
  for (const { text, verdict } of verdictNotes(report.results)) {
    say(text, verdict === 'more-failures' ? chalk.red : verdict === 'inconclusive' ? chalk.yellow : chalk.cyan);
  }
  for (const l of strategyNotes(report.results)) say(l, chalk.cyan);
  for (const l of protocolLines(report)) say(l, chalk.cyan);
  const indicative = indicativeLine(report);
  if (indicative) say(indicative, chalk.dim);
  for (const l of untoldFailureLines(report.results)) say(l, chalk.red);
  for (const l of failureCauseLines(report.results)) say(l, chalk.yellow);
  // In a sweep, only the recommended limit's line: the JSON has every one.
  const explained = report.recommendation ? report.results.filter((r) => r.strategy === 'bounded' && r.concurrency === report.recommendation!.concurrency) : report.results;
  for (const r of explained) {
    const line = whereTheTimeWent(r);
    if (line) say(line, chalk.dim);
  }
  for (const l of retryLines(report)) say(l, chalk.dim);
  if (report.recommendation) {
    if (view.columns !== undefined) lines.push(renderSweepChart(report.results, view.columns, chalk, report.recommendation));
    const answer = `recommended concurrency: ${report.recommendation.concurrency}`;
    say(`${answer} (${report.recommendation.reason})`, (l) => (l.startsWith(answer) ? chalk.green.bold(answer) + chalk.dim(l.slice(answer.length)) : chalk.dim(l)));
    for (const l of recommendationNotes(report)) say(l, chalk.dim);
  }
  for (const l of [...thresholdLines(report), ...baselineLines(report)]) say(l, check);
  for (const w of baselineWarningLines(report)) say(w, chalk.yellow);
  if (view.sample) say(view.sample, chalk.dim);
  const interrupted = interruptedLine(report);
  if (interrupted) say(interrupted, chalk.yellow);
  return lines.join('\n') + '\n';
}
