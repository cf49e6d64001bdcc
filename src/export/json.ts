import type { Report } from '../core/report.js';

/** The contract's JSON document, pretty-printed, one trailing newline. */
export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
