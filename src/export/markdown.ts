/**
 * GitHub-flavoured Markdown, for a CI job summary (`>> $GITHUB_STEP_SUMMARY`) or a PR comment:
 * the heading, the table, the verdicts and the checks. Plain text only: no ANSI, ever.
 */
import type { Report } from '../core/report.js';
import { maxOf } from '../core/stats.js';
import type { ExportContext } from './exporters.js';
import { baselineChange, baselineWarningLines, interruptedSentence, recommendationNotes, setupLine, summaryNotes } from './prose.js';
import { humanTable } from './table-model.js';

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
  const model = humanTable(report);
  const row = (cells: string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  const lines = [row(model.headers), `|${model.aligns.map((a) => (a === 'left' ? ' :--- ' : ' ---: ')).join('|')}|`];
  for (const cells of model.rows) lines.push(row(cells.map((c) => (c.tone === 'best' ? `**${c.text}**` : c.text) + (c.note ?? ''))));
  return lines;
}

/** An inline code span that holds any text (backticks in it get a longer fence). */
function code(text: string): string {
  const longest = maxOf((text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function checkLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.thresholds && report.thresholds.length > 0) {
    lines.push('', '**Thresholds**', '');
    for (const t of report.thresholds) {
      lines.push(`- ${t.pass ? '✅' : '❌'} ${code(t.expr)} on ${t.strategy}: ${t.actual === null ? 'no result' : String(t.actual)}${t.reason ? ` (${t.reason})` : ''}`);
    }
  }
  const b = report.baseline;
  if (b) {
    lines.push('', `**Baseline** (saved run ${b.startedAt || 'of unknown date'}; limit +${b.maxRegressionPct}%)`, '');
    if (b.comparisons.length === 0) lines.push('- no result in common with the saved run');
    for (const w of baselineWarningLines(report)) lines.push(`- ⚠️ ${w}`);
    for (const c of b.comparisons) {
      lines.push(
        `- ${c.pass ? '✅' : '❌'} ${c.strategy}: ${baselineChange(c)}`,
      );
    }
  }
  return lines;
}

export function renderMarkdown(report: Report, context: ExportContext): string {
  const lines = [headingLine(report, context), ''];
  const stage = setupLine(report);
  if (stage) lines.push(stage, '');
  if (report.results.length > 0) for (const l of tableLines(report)) lines.push(l);
  else lines.push('No strategy ran.');

  const notes = summaryNotes(report);
  if (notes.length > 0) lines.push('');
  for (const n of notes) lines.push(`- ${n}`);

  if (report.recommendation) {
    lines.push('', `**Recommended concurrency: ${report.recommendation.concurrency}** (${report.recommendation.reason})`);
    for (const note of recommendationNotes(report)) lines.push(`- ${note}`);
  }
  for (const l of checkLines(report)) lines.push(l);
  const interrupted = interruptedSentence(report);
  if (interrupted) lines.push('', `> ⚠️ ${interrupted}`);
  return lines.join('\n') + '\n';
}
