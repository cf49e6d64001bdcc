import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { UsageError, clipInput, quoteInput } from '../core/errors.js';
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
  const quoted = (): string => quoteInput(redactUrl(text, redaction));
  if (/\s/.test(text)) throw new UsageError(`invalid ${where()} ${quoted()}: it contains white space (encode spaces as %20)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid ${where()} ${quoted()}: not a URL (expected http://… or https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid ${where()} ${quoted()}: only http and https are supported, not ${clipInput(url.protocol.slice(0, -1))}`);
  }
  if (url.hostname === '') throw new UsageError(`invalid ${where()} ${quoted()}: no host`);
  return url.href;
}

/** The origin a path is checked against: the built-in server's, whatever its port. */
const PATH_ORIGIN = 'http://127.0.0.1';

/** Whether a target is a path of the built-in server ("/posts"), fetched with --offline. */
export const isPath = (text: string): boolean => text.startsWith('/');

/**
 * Checks a path given by the user ("/posts/1"); returns it normalised as the URL parser would
 * send it, or throws a usage error naming it. `check` validates the URL it makes.
 */
export function validatePath(text: string, label: string | (() => string) = 'path', check: (url: string) => string = (url) => validateUrl(url)): string {
  const where = (): string => (typeof label === 'string' ? label : label());
  if (/\s/.test(text)) throw new UsageError(`invalid ${where()} ${quoteInput(text)}: it contains white space (encode spaces as %20)`);
  try {
    return check(PATH_ORIGIN + text).slice(PATH_ORIGIN.length);
  } catch (err) {
    // A placeholder's problem, told of the path as given.
    if (err instanceof UsageError && err.message.includes('{{')) throw new UsageError(err.message.split(PATH_ORIGIN).join(''));
    throw new UsageError(`invalid ${where()} ${quoteInput(text)}: not a path (expected /posts or /posts/1)`);
  }
}

/** Whether a line of a URL list carries a URL (blank lines and # comments do not). */
function isUrlLine(line: string): boolean {
  return line !== '' && !line.startsWith('#');
}

/** NUL, other control characters, or the replacement character that stands for bytes that are not UTF-8. */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/** The longest line a URL list may have: far beyond any URL a server takes, short of a whole file. */
export const MAX_LINE_CHARS = 1_048_576;

export interface LineSplitter {
  write(text: string): void;
  /** The start of the line still waiting for its newline ('' when none). */
  pendingStart(): string;
  /** Hands over the last line when it has no newline. */
  end(): void;
}

/**
 * Splits text, chunk by chunk, into lines ("\n"; a "\r" before it stays, for trim to take) in
 * linear time: each character is searched once, and a line that spans chunks is kept as its
 * pieces and joined once, when its newline comes. (Concatenating the rest of the line with every
 * chunk and searching from its start made a 40 MB line take 36 s.) A line longer than
 * `maxLineChars` calls `tooLong` with the characters seen, which must throw.
 * By hand, not readline: its async iterator costs a promise and a queue entry per line, about
 * 40 MB of garbage over 100,000 lines.
 */
export function lineSplitter(onLine: (line: string) => void, tooLong: (chars: number) => never, maxLineChars = MAX_LINE_CHARS): LineSplitter {
  const pieces: string[] = [];
  let pendingChars = 0;
  return {
    write(text: string): void {
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        let line = text.slice(start, nl);
        if (pieces.length > 0) {
          pieces.push(line);
          if (pendingChars + line.length > maxLineChars) tooLong(pendingChars + line.length);
          line = pieces.join('');
          pieces.length = 0;
          pendingChars = 0;
        }
        if (line.length > maxLineChars) tooLong(line.length);
        onLine(line);
        start = nl + 1;
      }
      if (start < text.length) {
        const tail = start === 0 ? text : text.slice(start);
        pendingChars += tail.length;
        if (pendingChars > maxLineChars) tooLong(pendingChars);
        pieces.push(tail);
      }
    },
    pendingStart(): string {
      return pieces[0] ?? '';
    },
    end(): void {
      if (pieces.length === 0) return;
      const line = pieces.join('');
      pieces.length = 0;
      pendingChars = 0;
      onLine(line);
    },
  };
}

/**
 * Reads URLs one per line from a stream, validating each with its line number. The file is
 * streamed (100,000 lines are fine); only the URL strings are kept.
 */
export async function readUrlLines(input: Readable, name: string, redaction?: RedactionPolicy): Promise<string[]> {
  const urls: string[] = [];
  let lineNumber = 0;
  const notText = (at: number): UsageError =>
    new UsageError(`${name}:${at} is not a line of text (control characters or bytes that are not UTF-8): is ${quoteInput(name)} a binary file?`);
  const take = (raw: string): void => {
    lineNumber++;
    const line = raw.trim();
    if (!isUrlLine(line)) return;
    if (NOT_TEXT.test(line)) throw notText(lineNumber);
    const at = lineNumber;
    urls.push(isPath(line) ? validatePath(line, () => `path at ${name}:${at}`) : validateUrl(line, () => `URL at ${name}:${at}`, redaction));
  };
  const lines = lineSplitter(take, (chars) => {
    throw new UsageError(
      `${name}:${lineNumber + 1} is longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters (${chars.toLocaleString('en-US')} so far), longer than any URL: is ${quoteInput(name)} a list of URLs, one per line?`,
    );
  });
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    lines.write(text);
    // A line that never ends (/dev/zero) is judged as it comes, not once it is a megabyte long.
    if (NOT_TEXT.test(text.slice(text.lastIndexOf('\n') + 1)) && isUrlLine(lines.pendingStart().trimStart().slice(0, 1))) throw notText(lineNumber + 1);
  }
  lines.write(decoder.end());
  lines.end();
  return urls;
}

/** Reads a URL file, or standard input for "-"; `signal` ends the read at once (an AbortError). */
export async function readUrlFile(path: string, stdin: Readable = process.stdin, signal?: AbortSignal, redaction?: RedactionPolicy): Promise<string[]> {
  const name = path === '-' ? 'stdin' : clipInput(path);
  let input: Readable | undefined;
  try {
    input = path === '-' ? abortable(stdin, signal) : await openInputStream(path, signal);
    return await readUrlLines(input, name, redaction);
  } catch (err) {
    if (err instanceof UsageError || signal?.aborted) throw err;
    const { code } = err as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : clipInput(String((err as Error).message));
    throw new UsageError(`cannot read URL file ${quoteInput(name)}: ${reason}`);
  } finally {
    if (path !== '-') input?.destroy();
  }
}
