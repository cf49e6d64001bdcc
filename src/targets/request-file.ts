/**
 * --requests FILE: one request per line as a JSON object,
 * {"method":"POST","url":"…","headers":{…},"body":"…"} (or "json": any value, or "bodyFile": a path).
 * Streamed line by line; a bad line is a usage error naming its line number.
 */
import { dirname, resolve as resolvePath } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors.js';
import { BODILESS_METHODS, checkPlaceholders, parseMethod, type RequestSpec } from '../core/request.js';
import type { RedactionPolicy } from '../core/redact.js';
import { abortable, openInputStream } from './input-stream.js';
import { bodyTemplate, JSON_CONTENT_TYPE, readBodyFile } from './request-body.js';
import { validateUrl } from './url-list.js';
import { checkRequestHeader } from './request-headers.js';

const KNOWN_FIELDS = new Set(['method', 'url', 'headers', 'body', 'json', 'bodyFile']);

/** URL validated with its placeholders standing for sample values; the template is kept as written. */
export function validateUrlTemplate(text: string, where: string, redaction?: RedactionPolicy): string {
  if (!text.includes('{{')) return validateUrl(text, where, redaction);
  validateUrl(checkPlaceholders(text, where), where, redaction);
  return text;
}

interface LineContext {
  where: string;
  /** Relative bodyFile paths are read from here. */
  baseDir: string;
  defaultMethod: string;
  bodyFiles: Map<string, Buffer | string>;
  redaction: RedactionPolicy | undefined;
}

/** One line of a request file as a request; every problem names the line. */
export function parseRequestLine(line: string, context: LineContext): RequestSpec {
  const { where } = context;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new UsageError(`${where} is not a JSON object (one request per line: {"method":"POST","url":"https://…","body":"…"})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where} is not a JSON object (one request per line)`);
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !KNOWN_FIELDS.has(k));
  if (unknown !== undefined) throw new UsageError(`${where}: unknown field '${unknown}'; fields are ${[...KNOWN_FIELDS].join(', ')}`);
  if (typeof record.url !== 'string') throw new UsageError(`${where}: "url" is missing or not a string`);
  const url = validateUrlTemplate(record.url, `URL at ${where}`, context.redaction);
  if (record.method !== undefined && typeof record.method !== 'string') throw new UsageError(`${where}: "method" must be a string`);
  const method = record.method === undefined ? context.defaultMethod : parseMethod(record.method, `"method" at ${where}`);
  let headers: Record<string, string> | null = null;
  if (record.headers !== undefined) {
    if (typeof record.headers !== 'object' || record.headers === null || Array.isArray(record.headers)) throw new UsageError(`${where}: "headers" must be an object of names and string values`);
    headers = {};
    for (const [name, v] of Object.entries(record.headers)) {
      if (typeof v !== 'string') throw new UsageError(`${where}: header '${name}' must have a string value`);
      const key = checkRequestHeader(name, v, `${where}: header`);
      checkPlaceholders(v, `${where}: header '${name}'`);
      headers[key] = v;
    }
  }
  const given = (['body', 'json', 'bodyFile'] as const).filter((k) => record[k] !== undefined);
  if (given.length > 1) throw new UsageError(`${where}: give one of "body", "json" or "bodyFile", not ${given.join(' and ')}`);
  let body: Buffer | string | null = null;
  if (record.body !== undefined) {
    if (typeof record.body !== 'string') throw new UsageError(`${where}: "body" must be a string (use "json" for a JSON value)`);
    body = record.body;
    checkPlaceholders(body, where);
  } else if (record.json !== undefined) {
    body = JSON.stringify(record.json);
    checkPlaceholders(body, where);
    if (headers?.['content-type'] === undefined) headers = { ...headers, 'content-type': JSON_CONTENT_TYPE };
  } else if (record.bodyFile !== undefined) {
    if (typeof record.bodyFile !== 'string' || record.bodyFile === '') throw new UsageError(`${where}: "bodyFile" must be a file path`);
    const path = resolvePath(context.baseDir, record.bodyFile);
    let bytes = context.bodyFiles.get(path);
    if (bytes === undefined) {
      bytes = bodyTemplate(readBodyFile(path, where), where);
      context.bodyFiles.set(path, bytes);
    }
    body = bytes;
  }
  if (body !== null && BODILESS_METHODS.has(method)) throw new UsageError(`${where}: a ${method} request cannot carry a body; set "method" (e.g. POST)`);
  return { method, url, headers, body };
}

/** NUL, other control characters, or the replacement character that stands for bytes that are not UTF-8. */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/** Reads every request of a request stream; blank lines and lines starting with # are skipped. */
export async function readRequestLines(input: Readable, name: string, options: { baseDir: string; defaultMethod: string; redaction?: RedactionPolicy }): Promise<RequestSpec[]> {
  const specs: RequestSpec[] = [];
  const context: LineContext = { where: '', baseDir: options.baseDir, defaultMethod: options.defaultMethod, bodyFiles: new Map(), redaction: options.redaction };
  let lineNumber = 0;
  const take = (raw: string): void => {
    lineNumber++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    context.where = `${name}:${lineNumber}`;
    if (NOT_TEXT.test(line)) throw new UsageError(`${context.where} is not a line of text (control characters or bytes that are not UTF-8)`);
    specs.push(parseRequestLine(line, context));
  };
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
    // One line is one request: a line past 64 MiB is not one.
    if (rest.length > 64 * 2 ** 20) throw new UsageError(`${name}:${lineNumber + 1} is longer than 64 MiB: is it a request file?`);
  }
  rest += decoder.end();
  if (rest !== '') take(rest);
  return specs;
}

/** --requests PATH (or - for stdin). */
export async function readRequestFile(path: string, defaultMethod: string, stdin: Readable = process.stdin, signal?: AbortSignal, redaction?: RedactionPolicy): Promise<RequestSpec[]> {
  const name = path === '-' ? 'stdin' : path;
  let input: Readable | undefined;
  try {
    input = path === '-' ? abortable(stdin, signal) : await openInputStream(path, signal);
    const specs = await readRequestLines(input, name, { baseDir: path === '-' ? process.cwd() : dirname(resolvePath(path)), defaultMethod, ...(redaction ? { redaction } : {}) });
    if (specs.length === 0) throw new UsageError(`no requests in '${name}' (one JSON object per line; blank lines and # comments are skipped)`);
    return specs;
  } catch (err) {
    if (err instanceof UsageError || signal?.aborted) throw err;
    const { code } = err as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String((err as Error).message);
    throw new UsageError(`cannot read request file '${name}': ${reason}`);
  } finally {
    if (path !== '-') input?.destroy();
  }
}
