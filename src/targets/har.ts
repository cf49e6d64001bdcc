/**
 * --har FILE: the requests of a HAR 1.2 file (Chrome DevTools → Network → Save all as HAR),
 * replayed with their method, URL, headers and body. Dropped: pseudo-headers (:authority …),
 * hop-by-hop and framing headers, cookies unless asked for, and entries that are not http(s).
 * A recording is replayed literally: "{{…}}" in it is not a placeholder.
 */
import { UsageError } from '../core/errors.js';
import { parseMethod, BODILESS_METHODS, type RequestSpec } from '../core/request.js';
import type { RedactionPolicy } from '../core/redact.js';
import { InputNotTextError, readInputText } from './input-stream.js';
import { replayableHeader } from './request-headers.js';
import { validateUrl } from './url-list.js';

export interface HarOptions {
  /** A host (exact, any port) or a regular expression over the URL. */
  filter: string | null;
  cookies: boolean;
}

/** A HAR is read whole (it is one JSON document); this keeps a wrong path (a disk image) from filling memory. */
const MAX_HAR_BYTES = 512 * 2 ** 20;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The --har-filter as a test of a URL: a host name, or else a regular expression. */
export function harFilter(text: string): (url: URL) => boolean {
  if (/^[A-Za-z0-9.-]+(?::\d+)?$/.test(text)) {
    const wanted = text.toLowerCase();
    return (url) => url.host === wanted || url.hostname === wanted;
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(text);
  } catch {
    throw new UsageError(`--har-filter '${text}' is neither a host name nor a valid regular expression`);
  }
  return (url) => pattern.test(url.href);
}

/** The requests of a parsed HAR document, in the order recorded. */
export function harRequests(document: unknown, name: string, options: HarOptions, redaction?: RedactionPolicy): RequestSpec[] {
  const log = isRecord(document) ? document.log : undefined;
  if (!isRecord(log) || !Array.isArray(log.entries)) throw new UsageError(`'${name}' is not a HAR file (no log.entries): save one from the browser's Network panel`);
  const keep = options.filter === null ? null : harFilter(options.filter);
  const specs: RequestSpec[] = [];
  log.entries.forEach((entry: unknown, i: number) => {
    const where = `${name} entry ${i + 1}`;
    const request = isRecord(entry) ? entry.request : undefined;
    if (!isRecord(request) || typeof request.url !== 'string' || typeof request.method !== 'string') throw new UsageError(`${where} has no request with a method and URL`);
    let parsed: URL;
    try {
      parsed = new URL(request.url);
    } catch {
      throw new UsageError(`${where} has an invalid URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return; // data:, blob:, chrome-extension:, ws:
    if (keep && !keep(parsed)) return;
    const method = parseMethod(request.method, `${where}: method`);
    if (method === 'OPTIONS' && Array.isArray(request.headers) && request.headers.some((h) => isRecord(h) && String(h.name).toLowerCase() === 'access-control-request-method')) return; // a CORS preflight, the browser's own
    const headers: Record<string, string> = {};
    for (const header of Array.isArray(request.headers) ? request.headers : []) {
      if (!isRecord(header) || typeof header.name !== 'string' || typeof header.value !== 'string') continue;
      const key = header.name.toLowerCase();
      if (key.startsWith(':') || (key === 'cookie' && !options.cookies) || !replayableHeader(header.name, header.value)) continue;
      headers[key] = key in headers && key === 'cookie' ? `${headers[key]}; ${header.value}` : header.value;
    }
    let body: string | null = null;
    const postData = request.postData;
    if (isRecord(postData) && !BODILESS_METHODS.has(method)) {
      if (typeof postData.text === 'string') body = postData.text;
      else if (Array.isArray(postData.params)) {
        body = new URLSearchParams(postData.params.filter(isRecord).map((p): [string, string] => [String(p.name), String(p.value ?? '')])).toString();
      }
      if (typeof postData.mimeType === 'string' && postData.mimeType !== '' && headers['content-type'] === undefined) headers['content-type'] = postData.mimeType;
    }
    const url = validateUrl(request.url, `URL of ${where}`, redaction);
    specs.push({ method, url, headers: Object.keys(headers).length > 0 ? headers : null, body });
  });
  if (specs.length === 0) throw new UsageError(`no requests to replay in '${name}'${options.filter === null ? '' : ` match --har-filter '${options.filter}'`}`);
  return specs;
}

/** Reads and parses the HAR file. Its text is never quoted in a message (it holds cookies and tokens). */
export async function readHarFile(path: string, options: HarOptions, signal?: AbortSignal, redaction?: RedactionPolicy): Promise<RequestSpec[]> {
  let text: string;
  try {
    text = await readInputText(path, MAX_HAR_BYTES, signal);
  } catch (err) {
    if (err instanceof UsageError || signal?.aborted) throw err;
    if (err instanceof InputNotTextError) throw new UsageError(`'${path}' is not a HAR file: ${err.reason}`);
    const { code } = err as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
    throw new UsageError(`cannot read HAR file '${path}': ${reason}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new UsageError(`'${path}' is not a HAR file: it is not JSON`);
  }
  return harRequests(document, path, options, redaction);
}
