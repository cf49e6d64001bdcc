import type { ChalkInstance } from 'chalk';
import type { RequestSample, StrategyResult } from '../core/report.js';
import { maxOf } from '../core/stats.js';
import { formatSeconds, sampleEndMs, resultLabel } from './format.js';

/** How the waterfall is drawn: the width it must fit and the colours (level 0: plain characters). */
export interface WaterfallOptions {
  columns: number;
  chalk: ChalkInstance;
  /** Measured rounds; with more than one the rows are each strategy's median run. */
  runs?: number;
  /** Rows drawn per strategy; the rest are counted in a line. */
  maxRows?: number;
}

/** Rows per strategy before the rest are only counted: a terminal is no place for 10,000 rows. */
export const WATERFALL_MAX_ROWS = 100;
/** The plot never gets narrower than this, however narrow the terminal. */
const MIN_PLOT = 10;
/** Axis ticks at least this many columns apart, room for a label such as "12.5 s". */
const MIN_TICK_SPACING = 10;

interface Glyphs {
  ok: string;
  failed: string;
  /** A request shorter than one column: a tick, told apart from a bar. */
  tick: string;
}

const PLAIN: Glyphs = { ok: '=', failed: 'x', tick: '|' };
const BLOCKS: Glyphs = { ok: '█', failed: '█', tick: '▏' };

/** The glyphs a waterfall draws with: plain ASCII when colour is off, blocks when it is on. */
export function waterfallGlyphs(chalk: ChalkInstance): Glyphs {
  return chalk.level === 0 ? PLAIN : BLOCKS;
}

/** "http5xx 503", "timeout": what a failed row says after its bar. */
function failureText(sample: RequestSample): string {
  if (sample.error === null) return '';
  return sample.status > 0 ? `${sample.error} ${sample.status}` : sample.error;
}

/** 1, 2, 5 × 10^k ms: the smallest step that keeps ticks `minCells` apart on this scale. */
export function axisStep(totalMs: number, plotWidth: number, minCells = MIN_TICK_SPACING): number {
  for (let exponent = -3; exponent <= 9; exponent++) {
    for (const mantissa of [1, 2, 5]) {
      const step = mantissa * 10 ** exponent;
      if ((step / totalMs) * plotWidth >= minCells) return step;
    }
  }
  return totalMs;
}

/** An axis label: seconds when the axis spans a second or more, else milliseconds ("0.5 s", "250 ms"). */
export function axisLabel(ms: number, inSeconds: boolean): string {
  const trim = (x: number): string => String(Number(x.toFixed(3)));
  return inSeconds ? `${trim(ms / 1000)} s` : `${trim(ms)} ms`;
}

/** The ruler ("+---------+----") and its labels, both `plot` wide. */
function axisLines(totalMs: number, plot: number, cell: (t: number) => number): [string, string] {
  const step = axisStep(totalMs, plot);
  const inSeconds = totalMs >= 1000;
  const ruler = Array.from({ length: plot }, () => '-');
  const labels = Array.from({ length: plot }, () => ' ');
  // Whole steps only: a count avoids accumulating floating-point error.
  const ticks: number[] = [];
  for (let i = 0; i * step <= totalMs + 1e-9; i++) ticks.push(i * step);
  const place = (t: number): [number, string] => {
    const text = axisLabel(t, inSeconds);
    return [Math.max(0, Math.min(cell(t), plot - text.length)), text];
  };
  // The last tick's label is placed first: the axis always says how far it goes.
  const [lastStart, lastText] = place(ticks[ticks.length - 1]!);
  let free = 0;
  ticks.forEach((t, i) => {
    ruler[Math.min(plot - 1, cell(t))] = '+';
    const [start, text] = i === ticks.length - 1 ? [lastStart, lastText] : place(t);
    const last = i === ticks.length - 1;
    if (!last && (start < free || start + text.length + 1 > lastStart)) return;
    for (let j = 0; j < text.length && start + j < plot; j++) labels[start + j] = text[j]!;
    free = start + text.length + 1;
  });
  return [ruler.join(''), labels.join('').trimEnd()];
}

/**
 * One block per strategy, one row per request, each a bar from the moment it was sent to its
 * last byte, on a time axis shared by every strategy so that their shapes compare: a staircase
 * for sequential, a wall for all, C lanes for bounded. Bars map both ends to the nearest
 * column, so requests that did not overlap in time never share a column, and a column never
 * holds more bars than requests were in flight together. A request shorter than one column is a
 * tick (`|`). Failed rows are drawn with `x` and end with their error class.
 * Results without samples are left out; with none at all the waterfall is empty.
 */
export function renderWaterfall(results: readonly StrategyResult[], options: WaterfallOptions): string {
  const { chalk } = options;
  const maxRows = options.maxRows ?? WATERFALL_MAX_ROWS;
  const drawn = results.filter((r): r is StrategyResult & { samples: RequestSample[] } => r.samples !== undefined && r.samples.length > 0);
  if (drawn.length === 0) return '';
  const glyphs = waterfallGlyphs(chalk);
  const shown = drawn.map((r) => r.samples.slice(0, maxRows));

  const labelWidth = Math.max(2, maxOf(shown.map((rows) => String(rows.length).length)));
  const suffixWidth = Math.max(0, maxOf(shown.flat().map((s) => (s.error === null ? 0 : failureText(s).length + 1))));
  const plot = Math.max(MIN_PLOT, options.columns - labelWidth - 1 - suffixWidth);
  let totalMs = 0;
  drawn.forEach((r, i) => {
    totalMs = Math.max(totalMs, r.wallMs);
    for (const s of shown[i]!) totalMs = Math.max(totalMs, s.startMs, sampleEndMs(s, r));
  });
  if (!(totalMs > 0)) totalMs = 1;
  const cell = (t: number): number => Math.max(0, Math.min(plot, Math.round((t / totalMs) * plot)));
  const [ruler, labels] = axisLines(totalMs, plot, cell);
  const indent = ' '.repeat(labelWidth + 1);

  let ticks = false;
  const blocks = drawn.map((r, i) => {
    const rows = shown[i]!;
    const facts = [`${r.requests} requests`, formatSeconds(r.wallMs), `at most ${r.maxInFlight} in flight`];
    if (r.failed > 0) facts.push(chalk.red(`${r.failed} failed`));
    const lines = [`${chalk.bold(resultLabel(r))} · ${facts.join(' · ')}${r.partial ? chalk.yellow(' (partial)') : ''}`];
    rows.forEach((s, index) => {
      const from = cell(s.startMs);
      const to = cell(sampleEndMs(s, r));
      const failed = s.error !== null;
      let bar: string;
      let start = from;
      if (to > from) {
        const text = (failed ? glyphs.failed : glyphs.ok).repeat(to - from);
        bar = failed ? chalk.red(text) : chalk.cyan(text);
      } else {
        ticks = true;
        start = Math.min(from, plot - 1);
        bar = failed ? chalk.red(glyphs.tick) : chalk.cyan(glyphs.tick);
      }
      const width = Math.max(1, to - from);
      const label = String(index + 1).padStart(labelWidth);
      const line = `${label} ${' '.repeat(start)}${bar}`;
      lines.push(failed ? `${line}${' '.repeat(plot - start - width)} ${chalk.red(failureText(s))}` : line);
    });
    if (r.samples.length > rows.length) {
      lines.push(chalk.dim(`${indent}… ${r.samples.length - rows.length} more requests (--report draws every one)`));
    }
    lines.push(chalk.dim(indent + ruler), chalk.dim(indent + labels));
    return lines.join('\n');
  });
  const legend = glyphs === PLAIN ? `= ok, x failed${ticks ? ', | shorter than a column' : ''}` : `${ticks ? '▏ shorter than a column, ' : ''}red: failed`;
  const median = (options.runs ?? 1) > 1 ? "each strategy's median run; " : '';
  // Two lines of at most 67 columns, whatever the width: the title, then what the rows show.
  const title = chalk.dim(`waterfall: one row per request, sent to last byte, on one time axis\n(${median}${legend})`);
  return [title, ...blocks].join('\n\n');
}
