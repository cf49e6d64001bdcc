/** Headers of a request read from a file (request lines, HAR entries): which can be sent. */
import { UsageError } from '../core/errors.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What undici sends in a header value: tab, printable ASCII and Latin-1 (one byte each). */
const SENDABLE_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** The HTTP client frames requests and manages connections itself: these would break every request. */
const CLIENT_OWNED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'host', 'te', 'trailer', 'proxy-connection']);

/** The header's lower-case name, or a usage error (naming the header, never its value). */
export function checkRequestHeader(name: string, value: string, where: string): string {
  const key = name.toLowerCase();
  if (!HEADER_NAME.test(name)) throw new UsageError(`${where} '${name}' is not a valid header name`);
  if (CLIENT_OWNED.has(key)) throw new UsageError(`${where} '${name}' cannot be set: the HTTP client frames each request and manages its connections`);
  if (!SENDABLE_VALUE.test(value)) throw new UsageError(`${where} '${name}' has a character that cannot be sent in a header value`);
  return key;
}

/** Whether a recorded header can be replayed as it is (HAR): false for pseudo-headers, hop-by-hop and framing headers. */
export function replayableHeader(name: string, value: string): boolean {
  return HEADER_NAME.test(name) && !CLIENT_OWNED.has(name.toLowerCase()) && SENDABLE_VALUE.test(value);
}
