import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors.js';
import { redactUrl, type RedactionPolicy } from '../core/redact.js';
import { abortable, openInputStream } from './input-stream.js';

/**
 * A plain http(s) URL of printable ASCII with no fragment: sent as written, once the URL
 * parser agrees it parses. Checking 100,000 such lines without building a URL object each
 * saves about 16 MB of garbage.
 */
const PLAIN_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[\x21-\x22\x24-\x5b\x5d-\x7e]*)?$/;

/** Checks one URL given by the user; returns it normalised, or throws a usage error naming it. */
export function validateUrl(text: string, label: string | (() => string) = 'URL', redaction?: RedactionPolicy): string {
  if (PLAIN_URL.test(text) && URL.canParse(text)) return text;
  const where = (): string => (typeof label === 'string' ? label : label());
  if (/\s/.test(text)) throw new UsageError(`invalid ${where()} '${redactUrl(text, redaction)}': it contains white space (encode spaces as %20)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid ${where()} '${redactUrl(text, redaction)}': not a URL (expected http://… or https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid ${where()} '${redactUrl(text, redaction)}': only http and https are supported, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.hostname === '') throw new UsageError(`invalid ${where()} '${redactUrl(text, redaction)}': no host`);
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
export async function readUrlLines(input: Readable, name: string, redaction?: RedactionPolicy): Promise<string[]> {
  const urls: string[] = [];
  let lineNumber = 0;
  const notText = (at: number): UsageError =>
    new UsageError(`${name}:${at} is not a line of text (control characters or bytes that are not UTF-8): is '${name}' a binary file?`);
  const take = (raw: string): void => {
    lineNumber++;
    const line = raw.trim();
    if (!isUrlLine(line)) return;
    if (NOT_TEXT.test(line)) throw notText(lineNumber);
    const at = lineNumber;
    urls.push(validateUrl(line, () => `URL at ${name}:${at}`, redaction));
  };
  // Split by hand, chunk by chunk: readline's async iterator costs a promise and a queue entry
  // per line, about 40 MB of garbage over 100,000 lines.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl));
      start = nl + 1;
    }
    // A line that never ends (/dev/zero) would grow without bound: its new text is judged as it comes.
    if (NOT_TEXT.test(text.slice(Math.max(start, rest.length))) && isUrlLine(text.slice(start).trimStart().slice(0, 1))) throw notText(lineNumber + 1);
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') take(rest);
  return urls;
}

/** Reads a URL file, or standard input for "-"; `signal` ends the read at once (an AbortError). */
export async function readUrlFile(path: string, stdin: Readable = process.stdin, signal?: AbortSignal, redaction?: RedactionPolicy): Promise<string[]> {
  const name = path === '-' ? 'stdin' : path;
  let input: Readable | undefined;
  try {
    input = path === '-' ? abortable(stdin, signal) : await openInputStream(path, signal);
    return await readUrlLines(input, name, redaction);
  } catch (err) {
    if (err instanceof UsageError || signal?.aborted) throw err;
    const { code } = err as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String((err as Error).message);
    throw new UsageError(`cannot read URL file '${name}': ${reason}`);
  } finally {
    if (path !== '-') input?.destroy();
  }
}
