/**
 * GitHub-flavoured Markdown, for a CI job summary (`>> $GITHUB_STEP_SUMMARY`) or a PR comment:
 * the heading, the table, the verdicts and the checks. Plain text only: no ANSI, ever.
 */
import type { Report } from '../core/report.js';
import type { ExportContext } from './exporters.js';
import { formatMs, formatRate, formatSeconds, formatSpeedupSpread, formatWall, strategyLabel } from './format.js';
import { setupLine, untoldFailureLines, verdictLines } from './table.js';

const COLUMNS = ['Strategy', 'Requests', 'OK', 'Failed', 'Time taken', 'Req/s', 'p50', 'p95', 'max', 'Speedup', 'Sockets', 'Loop p99'];

/** A table cell: `|` escaped, line breaks folded, so a value can never break the row. */
export function markdownCell(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/\|/g, '\\|');
}




function headingLine(report: Report, context: ExportContext): string {
  const { config } = report;
  let heading = context.heading;
  // URL lists have no seed in the terminal heading; the summary names it anyway (it drives the bootstrap).
  if (!/· seed \d+/.test(heading)) heading += ` · seed ${config.seed}`;
  heading += ` · ${config.runs} run${config.runs === 1 ? '' : 's'}`;
  if (config.warmup > 0) heading += `, ${config.warmup} warm-up`;
  return `### async-bench: ${heading}`;
}

function tableLines(report: Report): string[] {
  const best = Math.max(...report.results.map((r) => r.speedup ?? 0));
  const row = (cells: string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  const lines = [row(COLUMNS), `|${COLUMNS.map((_, i) => (i === 0 ? ' :--- ' : ' ---: ')).join('|')}|`];
  for (const r of report.results) {
    const speed = formatSpeedupSpread(r);
    lines.push(
      row([
        strategyLabel(r.strategy, r.concurrency) + (r.partial ? ' (partial)' : ''),
        String(r.requests),
        String(r.ok),
        String(r.failed),
        formatWall(r),
        formatRate(r.reqPerSec),
        formatMs(r.latencyMs.p50),
        formatMs(r.latencyMs.p95),
        formatMs(r.latencyMs.max),
        r.speedup !== null && r.speedup === best && best > 1 ? `**${speed}**` : speed,
        r.pool === null ? '–' : String(r.pool.opened),
        r.eventLoopDelayP99Ms === null ? '–' : formatMs(r.eventLoopDelayP99Ms),
      ]),
    );
  }
  return lines;
}

/** An inline code span that holds any text (backticks in it get a longer fence). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function checkLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.thresholds && report.thresholds.length > 0) {
    lines.push('', '**Thresholds**', '');
    for (const t of report.thresholds) {
      lines.push(`- ${t.pass ? '✅' : '❌'} ${code(t.expr)} on ${t.strategy}: ${t.actual === null ? 'no result' : String(t.actual)}`);
    }
  }
  const b = report.baseline;
  if (b) {
    lines.push('', `**Baseline** (saved run ${b.startedAt || 'of unknown date'}; limit +${b.maxRegressionPct}%)`, '');
    if (b.comparisons.length === 0) lines.push('- no result in common with the saved run');
    const sign = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
    for (const c of b.comparisons) {
      lines.push(
        `- ${c.pass ? '✅' : '❌'} ${c.strategy}: ${formatSeconds(c.wallMs)} vs ${formatSeconds(c.baselineWallMs)} (${sign(c.changePct)}; at best ${sign(c.favourableChangePct)})`,
      );
    }
  }
  return lines;
}

export function renderMarkdown(report: Report, context: ExportContext): string {
  const lines = [headingLine(report, context), ''];
  const stage = setupLine(report);
  if (stage) lines.push(stage, '');
  if (report.results.length > 0) lines.push(...tableLines(report));
  else lines.push('No strategy ran.');

  const notes = [...verdictLines(report.results), ...untoldFailureLines(report.results)];
  if (notes.length > 0) lines.push('', ...notes.map((n) => `- ${n}`));

  if (report.recommendation) {
    lines.push('', `**Recommended concurrency: ${report.recommendation.concurrency}** (${report.recommendation.reason})`);
  }
  lines.push(...checkLines(report));
  if (report.partial) {
    lines.push('', `> ⚠️ Interrupted: ${report.results.length > 0 ? 'partial results (requests cut off in flight count as aborted)' : 'no strategy had started'}.`);
  }
  return lines.join('\n') + '\n';
}
