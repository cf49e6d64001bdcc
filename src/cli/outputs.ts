import { closeSync, constants, existsSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError, quoteInput } from '../core/errors.js';
import { FORMATS, formatForPath, type Format } from '../export/exporters.js';

/** Where the result goes: one format on stdout, and optionally one to a file. */
export interface OutputPlan {
  stdout: Format;
  file: { path: string; format: Format } | null;
}

export function parseFormat(text: string): Format {
  const format = FORMATS.find((f) => f === text.trim().toLowerCase());
  if (!format) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${quoteInput(text)}`);
  return format;
}

/**
 * --json is --format json on stdout. -o FILE writes --format (or the format its extension
 * names) to the file while stdout keeps the table; -o - sends the format to stdout.
 */
export function planOutputs(json: boolean, format: Format | undefined, output: string | undefined): OutputPlan {
  if (json && format !== undefined && format !== 'json') throw new UsageError(`--json and --format ${format} ask for two formats; use one`);
  if (output === undefined || output === '-') {
    return { stdout: json ? 'json' : (format ?? 'table'), file: null };
  }
  const fileFormat = format ?? formatForPath(output);
  if (fileFormat === null) {
    throw new UsageError(`cannot tell the format of ${quoteInput(output)} from its extension; add --format (${FORMATS.join(', ')})`);
  }
  checkWritable(output, '-o');
  return { stdout: json ? 'json' : 'table', file: { path: output, format: fileFormat } };
}

/** Why a file could not be written, in words: "read-only file system (EROFS)". */
export function describeWriteError(err: unknown): string {
  const { code, message } = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    ENOTDIR: 'a part of the path is not a directory',
    EISDIR: 'it is a directory',
    EIO: 'input/output error',
  };
  if (code === undefined) return String(message ?? err);
  return words[code] ? `${words[code]} (${code})` : code;
}

/**
 * A file we are about to write, checked before the first request by opening it for writing:
 * permission bits do not stop root, but a read-only or virtual file system (/proc) or a path
 * under a regular file does, and only an open tells. An existing file is opened without being
 * truncated; a new one is created and removed again. A FIFO with no reader yet is fine.
 */
function checkWritable(path: string, option: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`cannot write ${option} ${quoteInput(path)}: no directory ${quoteInput(dir)}`);
  const existed = existsSync(path);
  if (existed && statSync(path).isDirectory()) throw new UsageError(`cannot write ${option} ${quoteInput(path)}: it is a directory`);
  const flags = existed ? constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') return; // a FIFO nobody reads yet
    throw new UsageError(`cannot write ${option} ${quoteInput(path)}: ${describeWriteError(e)}`);
  }
  closeSync(fd);
  if (!existed) unlinkSync(path);
}

/** The --report file, checked before any request is sent. */
export function checkReportPath(path: string, plan: OutputPlan): string {
  if (path === '' || path === '-') throw new UsageError('--report needs a file name, such as report.html (the page is never written to stdout)');
  if (plan.file && resolve(plan.file.path) === resolve(path)) throw new UsageError(`--report and -o both name ${quoteInput(path)}; give each its own file`);
  checkWritable(path, '--report');
  return path;
}

/** The terminal waterfall is on by default only for runs this small: one screen, a row each. */
export const WATERFALL_AUTO_MAX_REQUESTS = 30;

/** --waterfall draws under the table: asking for it with another format on stdout is a mistake. */
export function checkWaterfall(flag: boolean | undefined, plan: OutputPlan): void {
  if (flag === true && plan.stdout !== 'table') {
    throw new UsageError(`--waterfall draws with the table; stdout carries ${plan.stdout} (leave out --waterfall, or use --report for a picture in a file)`);
  }
}

/**
 * Whether to draw the waterfall: --waterfall or --no-waterfall decide; left out, it is drawn
 * when the table goes to a terminal and each strategy makes at most 30 requests.
 */
export function waterfallWanted(flag: boolean | undefined, stdout: Format, isTTY: boolean, requests: number): boolean {
  if (stdout !== 'table') return false;
  if (flag !== undefined) return flag;
  return isTTY && requests > 0 && requests <= WATERFALL_AUTO_MAX_REQUESTS;
}

/** What 80-column terminals and pipes get: the width output fits when nothing says otherwise. */
export const DEFAULT_WIDTH = 80;

/**
 * The width a stream's lines must fit: a terminal's own width; into a pipe or a file, COLUMNS
 * when it is set, else 80. (A pseudo-terminal may report no width at all: COLUMNS or 80 then too.)
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  if (stream.isTTY && stream.columns !== undefined && stream.columns > 0) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : DEFAULT_WIDTH;
}
