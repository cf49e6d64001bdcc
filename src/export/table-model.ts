/**
 * The results table, defined once: its columns and how each cell reads a result. The terminal
 * table, markdown and HTML render the human view (formatted text with a tone); CSV renders the
 * machine view (plain values in stable units). A new column is added here and nowhere else.
 * On a terminal the table is fitted to its width: the columns that answer the question first,
 * then the others by their `fit` rank while there is room (see fittedTable).
 */
import type { Report, StrategyResult } from '../core/report.js';
import { ERROR_CLASSES } from '../core/types.js';
import { maxOf } from '../core/stats.js';
import { displayWidth, formatMs, formatRate, formatSeconds, formatSpeedup, formatSpeedupSpread, formatWall, resultLabel, shortLabel } from './format.js';

/** How a renderer may set a cell apart: colour on a terminal, bold in markdown, a class in HTML. */
export type Tone = 'plain' | 'ok' | 'bad' | 'strong' | 'best';

export interface Cell {
  text: string;
  tone: Tone;
  /** A warning after the text, such as " (partial)". */
  note?: string;
}

/** A CSV value: numbers in stable units, null for none (an empty field). */
export type MachineValue = string | number | null;

interface Column {
  /** Heading of the human table; absent: CSV only. */
  header?: string;
  align?: 'left' | 'right';
  cell?(r: StrategyResult, table: TableFacts): Cell;
  /** The cell without its range or interval, for a table that would not fit the terminal otherwise. */
  compact?(r: StrategyResult, table: TableFacts): Cell;
  /**
   * Its rank in the table fitted to a terminal: 1 answers the question and is always shown; 2,
   * 3 … join in that order while the width allows. Absent: only in the full view (--wide,
   * markdown, HTML).
   */
  fit?: number;
  /** Only in the fitted table: a compact stand-in for columns of the full view. */
  fitOnly?: boolean;
  /** The width its cells usually take: the columns chosen do not change with one more digit. */
  fitWidth?: number;
  /** Name in CSV; absent: human table only. */
  csv?: string;
  value?(r: StrategyResult): MachineValue;
  /** Only when this holds for the results (an option's columns, absent from every other run's CSV). */
  when?(results: readonly StrategyResult[]): boolean;
}

/** The run offered HTTP/2 (--http2 or --protocol): its results count HTTP/2 connections. */
const offeredH2 = (results: readonly StrategyResult[]): boolean => results.some((r) => r.protocol !== undefined || r.pool?.h2 !== undefined);

/** What a cell may need to know about the whole table. */
export interface TableFacts {
  /** The highest speedup among the results judged faster, per HTTP version compared (one key, undefined, otherwise): marked as the best. */
  bestSpeedup: ReadonlyMap<string | undefined, number>;
}

/**
 * A speedup is only shown as one when it compares like with like: a result that failed more
 * says so instead, and a result with nothing ok (or against a sequential with nothing ok) shows none.
 */
function speedupCell(r: StrategyResult, t: TableFacts): Cell {
  if (r.verdict === 'more-failures') return { text: 'more failures', tone: 'bad' };
  if (r.speedup === null || (r.verdict !== null && r.ok === 0)) return plain(dash);
  return { text: formatSpeedupSpread(r), tone: r.verdict === 'faster' && r.speedup === t.bestSpeedup.get(r.protocol) ? 'best' : 'plain' };
}

/** The speedup without its interval ("6.04x"): the verdict line under the table still gives it. */
function compactSpeedupCell(r: StrategyResult, t: TableFacts): Cell {
  const cell = speedupCell(r, t);
  return r.speedup !== null && cell.text === formatSpeedupSpread(r) ? { ...cell, text: formatSpeedup(r.speedup) } : cell;
}

const plain = (text: string): Cell => ({ text, tone: 'plain' });
const dash = '–';
/** "999 ms", "99.9 ms", "9.99 ms": what a latency cell takes, whatever its size. */
const LATENCY_WIDTH = 7;

/** Connections opened; over HTTP/2, with the most streams one of them carried at once: "1 (20 streams)". */
function socketsCell(r: StrategyResult): Cell {
  if (r.pool === null) return plain(dash);
  const { opened, h2, peakStreams } = r.pool;
  return plain(h2 !== undefined && h2 > 0 && peakStreams !== undefined ? `${opened} (${peakStreams} stream${peakStreams === 1 ? '' : 's'})` : String(opened));
}

const COLUMNS: readonly Column[] = [
  {
    header: 'Strategy',
    align: 'left',
    fit: 1,
    csv: 'strategy',
    cell: (r) => ({ text: resultLabel(r), tone: 'plain', ...(r.partial ? { note: ' (partial)' } : {}) }),
    // "all" for "all (Promise.all)": the verdict lines name it so too.
    compact: (r) => ({ text: shortLabel(r), tone: 'plain', ...(r.partial ? { note: ' (partial)' } : {}) }),
    value: (r) => r.strategy,
  },
  { csv: 'concurrency', value: (r) => r.concurrency },
  // "9/10": what succeeded of what was sent, in one narrow column; the full view counts them apart.
  { header: 'OK', fit: 1, fitOnly: true, cell: (r) => ({ text: `${r.ok}/${r.requests}`, tone: r.failed > 0 ? 'bad' : 'ok' }) },
  { header: 'Requests', csv: 'requests', cell: (r) => plain(String(r.requests)), value: (r) => r.requests },
  { header: 'OK', csv: 'ok', cell: (r) => ({ text: String(r.ok), tone: 'ok' }), value: (r) => r.ok },
  { header: 'Failed', csv: 'failed', cell: (r) => ({ text: String(r.failed), tone: r.failed > 0 ? 'bad' : 'plain' }), value: (r) => r.failed },
  {
    header: 'Time taken',
    fit: 1,
    csv: 'wall_ms',
    cell: (r) => ({ text: formatWall(r), tone: 'strong' }),
    compact: (r) => ({ text: formatSeconds(r.wallMs), tone: 'strong' }),
    value: (r) => r.wallMs,
  },
  // A standard deviation of one run is no spread: left empty, as speedup_stddev is.
  { csv: 'wall_ms_stddev', value: (r) => (r.runs.length > 1 ? r.wallMsStats.stddev : null) },
  { header: 'Req/s', fit: 2, fitWidth: 5, csv: 'req_per_sec', cell: (r) => plain(formatRate(r.reqPerSec)), value: (r) => r.reqPerSec },
  { header: 'p50', fit: 1, fitWidth: LATENCY_WIDTH, csv: 'p50_ms', cell: (r) => plain(formatMs(r.latencyMs.p50)), value: (r) => r.latencyMs.p50 },
  { csv: 'p90_ms', value: (r) => r.latencyMs.p90 },
  { header: 'p95', fit: 1, fitWidth: LATENCY_WIDTH, csv: 'p95_ms', cell: (r) => plain(formatMs(r.latencyMs.p95)), value: (r) => r.latencyMs.p95 },
  { csv: 'p99_ms', value: (r) => r.latencyMs.p99 },
  { header: 'max', fit: 3, fitWidth: LATENCY_WIDTH, csv: 'max_ms', cell: (r) => plain(formatMs(r.latencyMs.max)), value: (r) => r.latencyMs.max },
  { header: 'Speedup', fit: 1, csv: 'speedup', cell: speedupCell, compact: compactSpeedupCell, value: (r) => r.speedup },
  { csv: 'speedup_stddev', value: (r) => r.speedupStddev },
  { header: 'Sockets', fit: 4, csv: 'sockets_opened', cell: socketsCell, value: (r) => r.pool?.opened ?? null },
  {
    header: 'Loop p99',
    fit: 5,
    fitWidth: LATENCY_WIDTH,
    csv: 'loop_delay_p99_ms',
    cell: (r) => plain(r.eventLoopDelayP99Ms === null ? dash : formatMs(r.eventLoopDelayP99Ms)),
    value: (r) => r.eventLoopDelayP99Ms,
  },
  ...ERROR_CLASSES.map((c): Column => ({ csv: `error_${c}`, value: (r) => r.errors[c] })),
  {
    header: 'Eff.',
    cell: (r) => plain(r.efficiency === null ? dash : `${Math.round(r.efficiency * 100)}%`),
  },
  // The verdict beside the ratio (last, so that older readers' columns keep their places): the
  // speedup of a result that failed more is no speedup.
  { csv: 'verdict', value: (r) => r.verdict },
  // Added after verdict, for the same reason.
  { csv: 'ideal_wall_ms', value: (r) => r.idealWallMs },
  { csv: 'efficiency', value: (r) => r.efficiency },
  { csv: 'predicted_wall_ms', value: (r) => r.predictedWallMs },
  // With HTTP/2 offered, after the others: the version a row offered (when the run compared
  // versions) and the most requests at once on one connection.
  { csv: 'protocol', value: (r) => r.protocol ?? null, when: offeredH2 },
  { csv: 'peak_streams', value: (r) => r.pool?.peakStreams ?? null, when: offeredH2 },
];

export interface HumanTable {
  headers: string[];
  aligns: Array<'left' | 'right'>;
  rows: Cell[][];
}

function tableFacts(results: readonly StrategyResult[]): TableFacts {
  const bestSpeedup = new Map<string | undefined, number>();
  for (const r of results) {
    if (r.verdict !== 'faster' || r.speedup === null) continue;
    bestSpeedup.set(r.protocol, Math.max(bestSpeedup.get(r.protocol) ?? -Infinity, r.speedup));
  }
  return { bestSpeedup };
}

type HumanColumn = Column & Required<Pick<Column, 'header' | 'cell'>>;

function tableOf(columns: readonly HumanColumn[], report: Pick<Report, 'results'>, compact = false): HumanTable {
  const facts = tableFacts(report.results);
  return {
    headers: columns.map((c) => c.header),
    aligns: columns.map((c) => c.align ?? 'right'),
    rows: report.results.map((r) => columns.map((c) => (compact && c.compact ? c.compact : c.cell)(r, facts))),
  };
}

/** The full view (--wide, markdown, HTML): headings, alignment and one row of cells per result. */
export function humanTable(report: Pick<Report, 'results'>): HumanTable {
  const columns = COLUMNS.filter((c): c is HumanColumn => c.header !== undefined && c.cell !== undefined && !c.fitOnly);
  return tableOf(columns, report);
}

/** The width a bordered terminal table of these column widths takes: "│ cell │ cell │". */
export function borderedWidth(widths: readonly number[]): number {
  return 1 + widths.reduce((sum, w) => sum + w + 3, 0);
}

/**
 * The table fitted to a terminal `width` columns wide: the columns that answer the question
 * (strategy, ok/requests, time taken, p50, p95, speedup), then the others by rank while they
 * fit. When even the first do not fit, their cells drop ranges and intervals (the verdict lines
 * keep the intervals). No cell is ever wrapped or cut.
 */
export function fittedTable(report: Pick<Report, 'results'>, width: number): HumanTable {
  const candidates = COLUMNS.filter((c): c is HumanColumn & { fit: number } => c.header !== undefined && c.cell !== undefined && c.fit !== undefined);
  const facts = tableFacts(report.results);
  const columnWidth = (c: HumanColumn, compact: boolean): number => {
    const cell = compact && c.compact ? c.compact : c.cell;
    const cells = report.results.map((r) => {
      const x = cell(r, facts);
      return displayWidth(x.text + (x.note ?? ''));
    });
    return maxOf([displayWidth(c.header), c.fitWidth ?? 0, ...cells]);
  };
  const first = candidates.filter((c) => c.fit === 1);
  const compact = borderedWidth(first.map((c) => columnWidth(c, false))) > width;
  const chosen = new Set<HumanColumn>(first);
  let used = borderedWidth(first.map((c) => columnWidth(c, compact)));
  // Ranks in order; a column that does not fit leaves room for a narrower one after it.
  for (const c of candidates.filter((c) => c.fit > 1).sort((a, b) => a.fit - b.fit)) {
    const w = columnWidth(c, compact) + 3;
    if (used + w > width) continue;
    chosen.add(c);
    used += w;
  }
  return tableOf(candidates.filter((c) => chosen.has(c)), report, compact);
}

/** The machine view: CSV names and one row of plain values per result. */
export function machineTable(report: Pick<Report, 'results'>): { names: string[]; rows: MachineValue[][] } {
  const columns = COLUMNS.filter((c): c is Column & Required<Pick<Column, 'csv' | 'value'>> => c.csv !== undefined && c.value !== undefined && (c.when?.(report.results) ?? true));
  return { names: columns.map((c) => c.csv), rows: report.results.map((r) => columns.map((c) => c.value(r))) };
}
