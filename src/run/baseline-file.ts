import { readFileSync } from 'node:fs';
import { asSavedReport, type SavedReport } from '../core/baseline.js';
import { UsageError, quoteInput } from '../core/errors.js';

/** The saved report named by --baseline, read and checked before any request is sent. */
export function readBaseline(path: string | undefined, maxRegressionPct: number | undefined): SavedReport | null {
  if (path === undefined) {
    if (maxRegressionPct !== undefined) throw new UsageError('--max-regression needs --baseline <saved.json>');
    return null;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const { code } = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot read --baseline ${quoteInput(path)}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline ${quoteInput(path)} is not JSON; save a run with --json > file or -o file.json`);
  }
  return asSavedReport(parsed, path);
}
