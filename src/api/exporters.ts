/**
 * The Report's exporters for scripts: each returns the string the command line would print or
 * write (-o, --report) for the same Report.
 */
import { Chalk } from 'chalk';
import type { Report } from '../core/report.js';
import { renderCsv } from '../export/csv.js';
import type { ExportContext } from '../export/exporters.js';
import { renderHtml } from '../export/html.js';
import { renderJson } from '../export/json.js';
import { renderJunit } from '../export/junit.js';
import { renderMarkdown } from '../export/markdown.js';
import { reportHeading } from '../export/prose.js';
import { renderTable } from '../export/table.js';

export interface ExportOptions {
  /** The line that says what ran; by default told from the Report ("pokemon · offline · 10 requests per strategy · seed 42"). */
  heading?: string;
  /** toTable: ANSI colours (default false). */
  color?: boolean;
  /** toTable: the width to fit, the table and its lines and charts (default: the table's own, unwrapped). */
  columns?: number;
  /** toTable: draw each request on a time axis above the table (needs a Report made with `details: true`). */
  waterfall?: boolean;
}

function context(report: Report, options: ExportOptions): ExportContext {
  return {
    heading: options.heading ?? reportHeading(report),
    sample: null,
    chalk: new Chalk({ level: options.color ? 1 : 0 }),
    ...(options.columns === undefined ? {} : { columns: options.columns, width: options.columns }),
    ...(options.waterfall === undefined ? {} : { waterfall: options.waterfall }),
  };
}

/** The "Time taken" table with its verdicts and checks, as the terminal shows it. */
export const toTable = (report: Report, options: ExportOptions = {}): string => renderTable(report, context(report, options));
/** The JSON document of `--json` (schemaVersion 1). */
export const toJson = (report: Report): string => renderJson(report);
/** A Markdown summary (a CI job summary, a pull request comment). */
export const toMarkdown = (report: Report, options: ExportOptions = {}): string => renderMarkdown(report, context(report, options));
/** One CSV row per result. */
export const toCsv = (report: Report): string => renderCsv(report);
/** JUnit XML: one test case per threshold and baseline check. */
export const toJunit = (report: Report, options: ExportOptions = {}): string => renderJunit(report, context(report, options));
/** The self-contained HTML report of `--report` (its pictures need a Report made with `details: true`). */
export const toHtml = (report: Report, options: ExportOptions = {}): string => renderHtml(report, context(report, options));
