import Table from 'cli-table3';
import type { Report, StrategyResult } from '../core/report.js';
import { ERROR_CLASSES } from '../core/types.js';
import { renderSweepChart } from './chart.js';
import type { ExportContext } from './exporters.js';
import { formatMs, formatRate, formatSeconds, formatSpeedupSpread, formatWall, judgedResults, strategyLabel, withoutRowRules } from './format.js';
import { renderWaterfall } from './waterfall.js';

/** The waterfall's width when stdout is no terminal (--waterfall into a pipe). */
const DEFAULT_COLUMNS = 80;

/** The table's view of the export context. */
export type TableView = Pick<ExportContext, 'heading' | 'sample' | 'chalk'> & Partial<ExportContext>;

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

/** For bounded: time queued for a slot apart from time on the wire; the pool when it opened more than C. */
function whereTheTimeWent(r: StrategyResult): string | null {
  if (r.strategy !== 'bounded' || r.queueWaitMs === null) return null;
  const pool = r.pool && r.concurrency !== null && r.pool.opened > r.concurrency ? `; the pool opened ${r.pool.opened} sockets for ${r.concurrency} slot${r.concurrency === 1 ? '' : 's'}` : '';
  return `bounded (C=${r.concurrency}): waited ${formatMs(r.queueWaitMs.mean)} for a slot (mean; p95 ${formatMs(r.queueWaitMs.p95)}), then ${formatMs(r.latencyMs.p50)} on the wire (p50)${pool}`;
}

/** With --retries: what retrying cost each strategy, apart from first-try latency. */
function retryLines(report: Report): string[] {
  if (report.config.retries === 0) return [];
  return report.results.map((r) => {
    const { attempts, retried, addedMs, firstTryMs } = r.retries;
    return `${strategyLabel(r.strategy, r.concurrency)}: ${retried} request${retried === 1 ? '' : 's'} retried, ${attempts} attempts, retries added ${formatSeconds(addedMs)} in all; first tries p50 ${formatMs(firstTryMs.p50)}, p95 ${formatMs(firstTryMs.p95)}`;
  });
}

function thresholdLines(report: Report, chalk: TableView['chalk']): string[] {
  return (report.thresholds ?? []).map((t) => {
    const mark = t.pass ? chalk.green('pass') : chalk.red.bold('FAIL');
    return `${mark}  ${t.expr}  ${t.strategy}: ${t.actual === null ? 'no result' : String(t.actual)}`;
  });
}

function baselineLines(report: Report, chalk: TableView['chalk']): string[] {
  const b = report.baseline;
  if (!b) return [];
  return b.comparisons.map((c) => {
    const mark = c.pass ? chalk.green('pass') : chalk.red.bold('FAIL');
    const sign = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
    return `${mark}  baseline ${c.strategy}: ${formatSeconds(c.wallMs)} vs ${formatSeconds(c.baselineWallMs)} (${sign(c.changePct)}; at best ${sign(c.favourableChangePct)}, limit +${b.maxRegressionPct}%)`;
  });
}

/** The "Time taken" table, verdicts, checks and sample line, as one string for stdout. */
export function renderTable(report: Report, view: TableView): string {
  const { chalk } = view;
  const table = new Table({
    head: ['Strategy', 'Requests', 'OK', 'Failed', 'Time taken', 'Req/s', 'p50', 'p95', 'max', 'Speedup', 'Sockets', 'Loop p99'].map((h) => chalk.bold(h)),
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  const best = Math.max(...report.results.map((r) => r.speedup ?? 0));
  for (const r of report.results) {
    const speed = formatSpeedupSpread(r);
    table.push([
      strategyLabel(r.strategy, r.concurrency) + (r.partial ? chalk.yellow(' (partial)') : ''),
      String(r.requests),
      chalk.green(String(r.ok)),
      r.failed > 0 ? chalk.red(String(r.failed)) : '0',
      chalk.bold(formatWall(r)),
      formatRate(r.reqPerSec),
      formatMs(r.latencyMs.p50),
      formatMs(r.latencyMs.p95),
      formatMs(r.latencyMs.max),
      r.speedup !== null && r.speedup === best && best > 1 ? chalk.green.bold(speed) : speed,
      r.pool === null ? '–' : String(r.pool.opened),
      r.eventLoopDelayP99Ms === null ? '–' : formatMs(r.eventLoopDelayP99Ms),
    ]);
  }
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
  const verdicts = verdictLines(report.results);
  if (verdicts.length > 0) lines.push(...verdicts.map((v) => (v.includes('inconclusive') ? chalk.yellow(v) : chalk.cyan(v))));
  lines.push(...untoldFailureLines(report.results).map((l) => chalk.red(l)));
  // In a sweep, only the recommended limit's line: the JSON has every one.
  const explained = report.recommendation ? report.results.filter((r) => r.strategy === 'bounded' && r.concurrency === report.recommendation!.concurrency) : report.results;
  for (const r of explained) {
    const line = whereTheTimeWent(r);
    if (line) lines.push(chalk.dim(line));
  }
  lines.push(...retryLines(report).map((l) => chalk.dim(l)));
  if (report.recommendation) {
    if (view.columns !== undefined) lines.push(renderSweepChart(report.results, view.columns, chalk, report.recommendation));
    lines.push(chalk.green.bold(`recommended concurrency: ${report.recommendation.concurrency}`) + chalk.dim(` (${report.recommendation.reason})`));
  }
  lines.push(...thresholdLines(report, chalk), ...baselineLines(report, chalk));
  if (view.sample) lines.push(chalk.dim(view.sample));
  if (report.partial) {
    lines.push(chalk.yellow(report.results.length > 0 ? 'interrupted: partial results (requests cut off in flight count as aborted)' : 'interrupted before any strategy started: no results'));
  }
  return lines.join('\n') + '\n';
}
