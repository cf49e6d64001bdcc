import type { ChalkInstance } from 'chalk';
import type { Report } from '../core/report.js';

/** What the human-readable exporters need besides the report. */
export interface ExportContext {
  /** "pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42" */
  heading: string;
  /** What came back (first Pokémon names …), or null. */
  sample: string | null;
  /** Colours for the terminal table; level 0 in files. */
  chalk: ChalkInstance;
  /** Terminal width for charts, when stdout is a terminal. */
  columns?: number;
  /**
   * The width the table and its lines fit: the terminal's, or 80 into a pipe (COLUMNS overrides
   * it there). Absent (--wide, a file): every column, nothing wrapped.
   */
  width?: number;
  /** Draw the per-request waterfall above the table (needs results[].samples). */
  waterfall?: boolean;
}

/** Turns a report into the bytes of one format; the CLI decides where they go. */
export type Exporter = (report: Report, context: ExportContext) => string;

export const FORMATS = ['table', 'json', 'markdown', 'csv', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

/** Format by file extension, for -o without --format. */
const BY_EXTENSION: Record<string, Format> = {
  '.json': 'json',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.csv': 'csv',
  '.xml': 'junit',
  '.txt': 'table',
};

export function formatForPath(path: string): Format | null {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? null : (BY_EXTENSION[path.slice(dot).toLowerCase()] ?? null);
}

/** The exporter of a format, loaded only when used. */
export async function loadExporter(format: Format): Promise<Exporter> {
  switch (format) {
    case 'table':
      return (await import('./table.js')).renderTable;
    case 'json':
      return (await import('./json.js')).renderJson;
    case 'markdown':
      return (await import('./markdown.js')).renderMarkdown;
    case 'csv':
      return (await import('./csv.js')).renderCsv;
    case 'junit':
      return (await import('./junit.js')).renderJunit;
  }
}
