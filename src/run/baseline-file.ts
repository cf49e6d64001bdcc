import { asSavedReport, type SavedReport } from '../core/baseline.js';
import { UsageError, quoteInput } from '../core/errors.js';
import { InputNotTextError, readInputText } from '../targets/input-stream.js';

/** Far above any saved report (100,000 requests with --details is about 30 MB), and below V8's longest string. */
const MAX_BASELINE_BYTES = 256 * 2 ** 20;

/**
 * The saved report named by --baseline, read and checked before any request is sent. The read
 * is asynchronous and `signal` ends it at once (an AbortError): a FIFO that never closes does
 * not hold Ctrl-C up.
 */
export async function readBaseline(path: string | undefined, maxRegressionPct: number | undefined, signal?: AbortSignal): Promise<SavedReport | null> {
  if (path === undefined) {
    if (maxRegressionPct !== undefined) throw new UsageError('--max-regression needs --baseline <saved.json>');
    return null;
  }
  let text: string;
  try {
    text = await readInputText(path, MAX_BASELINE_BYTES, signal);
  } catch (e) {
    if (signal?.aborted) throw e;
    if (e instanceof InputNotTextError) throw new UsageError(`--baseline '${path}' is not JSON (${e.reason}); save a run with --json > file or -o file.json`);
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
