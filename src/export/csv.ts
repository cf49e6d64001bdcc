/**
 * CSV (RFC 4180): one header row, then one row per result, for spreadsheets and plotting.
 * Numbers are plain (no units, no thousands separators) in stable units: times in ms, rates
 * per second, speedups as ratios. An empty cell means "none" (JSON null): no concurrency for
 * `all`, no speedup without sequential, no spread with fewer than two runs.
 * Rows end with LF (RFC 4180 says CRLF; every CSV reader accepts LF, and LF is what the
 * other outputs use), the last row included. A field is quoted only when it holds a comma,
 * a double quote or a line break, with quotes doubled inside.
 */
import type { Report, StrategyResult } from '../core/report.js';
import { ERROR_CLASSES } from '../core/types.js';
import type { ExportContext } from './exporters.js';

type Cell = string | number | null;

/** The columns, in order, and how each is read from a result. */
const COLUMNS: ReadonlyArray<readonly [string, (r: StrategyResult) => Cell]> = [
  ['strategy', (r) => r.strategy],
  ['concurrency', (r) => r.concurrency],
  ['requests', (r) => r.requests],
  ['ok', (r) => r.ok],
  ['failed', (r) => r.failed],
  ['wall_ms', (r) => r.wallMs],
  // A standard deviation of one run is no spread: left empty, as speedup_stddev is.
  ['wall_ms_stddev', (r) => (r.runs.length > 1 ? r.wallMsStats.stddev : null)],
  ['req_per_sec', (r) => r.reqPerSec],
  ['p50_ms', (r) => r.latencyMs.p50],
  ['p90_ms', (r) => r.latencyMs.p90],
  ['p95_ms', (r) => r.latencyMs.p95],
  ['p99_ms', (r) => r.latencyMs.p99],
  ['max_ms', (r) => r.latencyMs.max],
  ['speedup', (r) => r.speedup],
  ['speedup_stddev', (r) => r.speedupStddev],
  ['sockets_opened', (r) => r.pool?.opened ?? null],
  ['loop_delay_p99_ms', (r) => r.eventLoopDelayP99Ms],
  ...ERROR_CLASSES.map((c) => [`error_${c}`, (r: StrategyResult): Cell => r.errors[c]] as const),
];

export const CSV_HEADER = COLUMNS.map(([name]) => name);

/** A number as plain decimal digits (never "1e-7"); empty for null or a non-finite value. */
function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return Math.abs(n) < 1 ? n.toFixed(20).replace(/\.?0+$/, '') : BigInt(Math.round(n)).toString();
}

/** One field, quoted when RFC 4180 needs it. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? plainNumber(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(report: Report, _context: ExportContext): string {
  void _context;
  const rows = [CSV_HEADER.map(csvField), ...report.results.map((r) => COLUMNS.map(([, read]) => csvField(read(r))))];
  return rows.map((cells) => cells.join(',')).join('\n') + '\n';
}
