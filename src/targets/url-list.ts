import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors.js';
import { redactUrl } from '../report/redact.js';

/** Checks one URL given by the user; returns it normalised, or throws a usage error naming it. */
export function validateUrl(text: string, label: string | (() => string) = 'URL'): string {
  const where = (): string => (typeof label === 'string' ? label : label());
  if (/\s/.test(text)) throw new UsageError(`invalid ${where()} '${redactUrl(text)}': it contains white space (encode spaces as %20)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid ${where()} '${redactUrl(text)}': not a URL (expected http://… or https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid ${where()} '${redactUrl(text)}': only http and https are supported, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.hostname === '') throw new UsageError(`invalid ${where()} '${redactUrl(text)}': no host`);
  return url.href;
}

/** Whether a line of a URL list carries a URL (blank lines and # comments do not). */
function isUrlLine(line: string): boolean {
  return line !== '' && !line.startsWith('#');
}

/** NUL, other control characters, or the replacement character that stands for bytes that are not UTF-8. */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/**
 * Reads URLs one per line from a stream, validating each with its line number. The file is
 * streamed (100,000 lines are fine); only the URL strings are kept.
 */
export async function readUrlLines(input: Readable, name: string): Promise<string[]> {
  const urls: string[] = [];
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const line = raw.trim();
    if (!isUrlLine(line)) continue;
    if (NOT_TEXT.test(line)) {
      throw new UsageError(`${name}:${lineNumber} is not a line of text (control characters or bytes that are not UTF-8): is '${name}' a binary file?`);
    }
    const at = lineNumber;
    urls.push(validateUrl(line, () => `URL at ${name}:${at}`));
  }
  return urls;
}

/** Reads a URL file, or standard input for "-". */
export async function readUrlFile(path: string, stdin: Readable = process.stdin): Promise<string[]> {
  const name = path === '-' ? 'stdin' : path;
  const input = path === '-' ? stdin : createReadStream(path);
  try {
    return await readUrlLines(input, name);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const { code } = err as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String((err as Error).message);
    throw new UsageError(`cannot read URL file '${name}': ${reason}`);
  } finally {
    if (path !== '-') input.destroy();
  }
}
