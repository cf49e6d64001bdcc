/**
 * CSV (RFC 4180): one header row, then one row per result, for spreadsheets and plotting.
 * Numbers are plain (no units, no thousands separators) in stable units: times in ms, rates
 * per second, speedups as ratios. An empty cell means "none" (JSON null): no concurrency for
 * `all`, no speedup without sequential, no spread with fewer than two runs.
 * Rows end with LF (RFC 4180 says CRLF; every CSV reader accepts LF, and LF is what the
 * other outputs use), the last row included. A field is quoted only when it holds a comma,
 * a double quote or a line break, with quotes doubled inside.
 */
import type { Report } from '../core/report.js';
import { machineTable, type MachineValue } from './table-model.js';

type Cell = MachineValue;

export const CSV_HEADER = machineTable({ results: [] }).names;

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

export function renderCsv(report: Report): string {
  const { names, rows: values } = machineTable(report);
  const rows = [names.map(csvField), ...values.map((row) => row.map(csvField))];
  return rows.map((cells) => cells.join(',')).join('\n') + '\n';
}
