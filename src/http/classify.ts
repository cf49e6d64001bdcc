import { cleanServerText } from '../core/sanitize.js';
import type { ErrorClass } from '../core/types.js';

/** The class of a response status: null below 400, http4xx or http5xx up to 599; no valid status at all is `protocol`. */
export function classifyStatus(status: number): ErrorClass | null {
  if (status < 100 || status > 599) return 'protocol';
  if (status >= 500) return 'http5xx';
  if (status >= 400) return 'http4xx';
  return null;
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_TIMEOUT',
]);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_STREAM_PREMATURE_CLOSE']);
const ABORT_CODES = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);
/** The response broke HTTP itself: llhttp's HPE_* codes, and undici's checks of the same. */
const PROTOCOL_CODES = new Set(['UND_ERR_INFO', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_RES_EXCEEDED_MAX_SIZE']);
const PROTOCOL_CODE = /^HPE_/;
const FD_LIMIT_CODES = new Set(['EMFILE', 'ENFILE']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_OSSL)/;

/** Every `code` found on the error, its `cause` chain and AggregateError members. */
function errorCodes(err: unknown, depth = 0): string[] {
  if (err === null || typeof err !== 'object' || depth > 5) return [];
  const codes: string[] = [];
  const { code, cause, errors, name } = err as { code?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
  if (typeof code === 'string') codes.push(code);
  if (name === 'AbortError' || name === 'TimeoutError') codes.push(name === 'AbortError' ? 'ABORT_ERR' : 'ERR_TIMEOUT');
  for (const inner of Array.isArray(errors) ? [cause, ...errors] : [cause]) for (const c of errorCodes(inner, depth + 1)) codes.push(c);
  return codes;
}

/**
 * The contract's class for an error thrown while sending a request or reading its body.
 * The most specific code wins: a DNS failure wrapped in a connect error is `dns`.
 */
export function classifyError(err: unknown): ErrorClass {
  const codes = errorCodes(err);
  if (codes.some((c) => FD_LIMIT_CODES.has(c))) return 'fd-limit';
  // undici's words when a proxy refuses the tunnel or wants credentials (an "aborted" or invalid-argument error otherwise).
  if (/^Proxy (response \(\d+\)|Authentication Required)/.test(rootMessage(err))) return 'connect';
  if (codes.some((c) => DNS_CODES.has(c))) return 'dns';
  if (codes.some((c) => TLS_CODE.test(c))) return 'tls';
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return 'timeout';
  if (codes.some((c) => CONNECT_CODES.has(c))) return 'connect';
  if (codes.some((c) => RESET_CODES.has(c))) return 'reset';
  if (codes.some((c) => ABORT_CODES.has(c))) return 'aborted';
  if (codes.some((c) => PROTOCOL_CODES.has(c) || PROTOCOL_CODE.test(c)) || isParserError(err)) return 'protocol';
  return 'other';
}

function rootMessage(err: unknown): string {
  const message = rootError(err)?.message;
  return typeof message === 'string' ? message : '';
}

/** undici's HTTPParserError carries no code when llhttp gave none; its name still says what it is. */
function isParserError(err: unknown): boolean {
  return err !== null && typeof err === 'object' && (err as { name?: unknown }).name === 'HTTPParserError';
}

/** The longest cause kept: enough for a message and an address, never a whole response. */
export const MAX_CAUSE_LENGTH = 200;

/** Text from a server or the system made safe for one line: no control characters, at most MAX_CAUSE_LENGTH. */
export function shortCause(text: string): string {
  const line = cleanServerText(text).replace(/\s+/g, ' ').trim();
  return line.length <= MAX_CAUSE_LENGTH ? line : `${line.slice(0, MAX_CAUSE_LENGTH - 1)}…`;
}

/** The innermost error with a message: "fetch failed" says less than the ECONNREFUSED inside it. */
function rootError(err: unknown, depth = 0): { code?: unknown; message?: unknown } | null {
  if (err === null || typeof err !== 'object') return null;
  const { cause, errors } = err as { cause?: unknown; errors?: unknown };
  if (depth < 5) {
    const inner = rootError(cause, depth + 1) ?? (Array.isArray(errors) ? rootError(errors[errors.length - 1], depth + 1) : null);
    if (inner) return inner;
  }
  return err as { code?: unknown; message?: unknown };
}

/**
 * Why a request failed, in one short line: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1".
 * OpenSSL's long messages are cut to their reason ("wrong version number").
 */
export function describeError(err: unknown): string {
  const root = rootError(err);
  if (root === null) return shortCause(String(err));
  const code = typeof root.code === 'string' ? root.code : '';
  let message = typeof root.message === 'string' ? root.message : '';
  // "8040…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/…" → its reason
  const ssl = /:SSL routines:[^:]*:([^:]+):/.exec(message);
  if (ssl) message = ssl[1]!;
  if (code === '') return shortCause(message === '' ? 'unknown error' : message);
  return shortCause(message === '' ? code : `${code}: ${message}`);
}
