import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { FORMATS, formatForPath, type Format } from '../report/exporters.js';

/** Where the result goes: one format on stdout, and optionally one to a file. */
export interface OutputPlan {
  stdout: Format;
  file: { path: string; format: Format } | null;
}

export function parseFormat(text: string): Format {
  const format = FORMATS.find((f) => f === text.trim().toLowerCase());
  if (!format) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${text}'`);
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
    throw new UsageError(`cannot tell the format of '${output}' from its extension; add --format (${FORMATS.join(', ')})`);
  }
  const dir = dirname(resolve(output));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`cannot write '${output}': no directory '${dir}'`);
  if (existsSync(output) && statSync(output).isDirectory()) throw new UsageError(`cannot write '${output}': it is a directory`);
  return { stdout: json ? 'json' : 'table', file: { path: output, format: fileFormat } };
}
