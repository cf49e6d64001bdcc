import type { Report } from '../core/report.js';
import type { ExportContext } from './exporters.js';

export function renderJunit(report: Report, _context: ExportContext): string {
  void _context;
  return JSON.stringify(report);
}
