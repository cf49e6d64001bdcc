/**
 * The results table, defined once: its columns and how each cell reads a result. The terminal
 * table, markdown and HTML render the human view (formatted text with a tone); CSV renders the
 * machine view (plain values in stable units). A new column is added here and nowhere else.
 */
import type { Report, StrategyResult } from '../core/report.js';
import { ERROR_CLASSES } from '../core/types.js';
import { formatMs, formatRate, formatSpeedupSpread, formatWall, resultLabel } from './format.js';

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

const plain = (text: string): Cell => ({ text, tone: 'plain' });
const dash = '–';

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
    csv: 'strategy',
    cell: (r) => ({ text: resultLabel(r), tone: 'plain', ...(r.partial ? { note: ' (partial)' } : {}) }),
    value: (r) => r.strategy,
  },
  { csv: 'concurrency', value: (r) => r.concurrency },
  { header: 'Requests', csv: 'requests', cell: (r) => plain(String(r.requests)), value: (r) => r.requests },
  { header: 'OK', csv: 'ok', cell: (r) => ({ text: String(r.ok), tone: 'ok' }), value: (r) => r.ok },
  { header: 'Failed', csv: 'failed', cell: (r) => ({ text: String(r.failed), tone: r.failed > 0 ? 'bad' : 'plain' }), value: (r) => r.failed },
  { header: 'Time taken', csv: 'wall_ms', cell: (r) => ({ text: formatWall(r), tone: 'strong' }), value: (r) => r.wallMs },
  // A standard deviation of one run is no spread: left empty, as speedup_stddev is.
  { csv: 'wall_ms_stddev', value: (r) => (r.runs.length > 1 ? r.wallMsStats.stddev : null) },
  { header: 'Req/s', csv: 'req_per_sec', cell: (r) => plain(formatRate(r.reqPerSec)), value: (r) => r.reqPerSec },
  { header: 'p50', csv: 'p50_ms', cell: (r) => plain(formatMs(r.latencyMs.p50)), value: (r) => r.latencyMs.p50 },
  { csv: 'p90_ms', value: (r) => r.latencyMs.p90 },
  { header: 'p95', csv: 'p95_ms', cell: (r) => plain(formatMs(r.latencyMs.p95)), value: (r) => r.latencyMs.p95 },
  { csv: 'p99_ms', value: (r) => r.latencyMs.p99 },
  { header: 'max', csv: 'max_ms', cell: (r) => plain(formatMs(r.latencyMs.max)), value: (r) => r.latencyMs.max },
  { header: 'Speedup', csv: 'speedup', cell: speedupCell, value: (r) => r.speedup },
  { csv: 'speedup_stddev', value: (r) => r.speedupStddev },
  { header: 'Sockets', csv: 'sockets_opened', cell: socketsCell, value: (r) => r.pool?.opened ?? null },
  {
    header: 'Loop p99',
    csv: 'loop_delay_p99_ms',
    cell: (r) => plain(r.eventLoopDelayP99Ms === null ? dash : formatMs(r.eventLoopDelayP99Ms)),
    value: (r) => r.eventLoopDelayP99Ms,
  },
  ...ERROR_CLASSES.map((c): Column => ({ csv: `error_${c}`, value: (r) => r.errors[c] })),
  // The verdict beside the ratio (last, so that older readers' columns keep their places): the
  // speedup of a result that failed more is no speedup.
  { csv: 'verdict', value: (r) => r.verdict },
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

/** The human view: headings, alignment and one row of cells per result. */
export function humanTable(report: Pick<Report, 'results'>): HumanTable {
  const columns = COLUMNS.filter((c): c is Column & Required<Pick<Column, 'header' | 'cell'>> => c.header !== undefined && c.cell !== undefined);
  const facts = tableFacts(report.results);
  return {
    headers: columns.map((c) => c.header),
    aligns: columns.map((c) => c.align ?? 'right'),
    rows: report.results.map((r) => columns.map((c) => c.cell(r, facts))),
  };
}

/** The machine view: CSV names and one row of plain values per result. */
export function machineTable(report: Pick<Report, 'results'>): { names: string[]; rows: MachineValue[][] } {
  const columns = COLUMNS.filter((c): c is Column & Required<Pick<Column, 'csv' | 'value'>> => c.csv !== undefined && c.value !== undefined && (c.when?.(report.results) ?? true));
  return { names: columns.map((c) => c.csv), rows: report.results.map((r) => columns.map((c) => c.value(r))) };
}
