import type { ErrorClass } from '../core/types.js';

/** The class of a response status: null below 400, http4xx or http5xx otherwise. */
export function classifyStatus(status: number): ErrorClass | null {
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
// EMFILE/ENFILE: the system would not give another socket (a descriptor limit), so no
// connection was made. TODO(fd-limit): move them to the `fd-limit` class once ERROR_CLASSES has it.
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'EMFILE', 'ENFILE']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_STREAM_PREMATURE_CLOSE']);
const ABORT_CODES = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);
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
  if (codes.some((c) => DNS_CODES.has(c))) return 'dns';
  if (codes.some((c) => TLS_CODE.test(c))) return 'tls';
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return 'timeout';
  if (codes.some((c) => CONNECT_CODES.has(c))) return 'connect';
  if (codes.some((c) => RESET_CODES.has(c))) return 'reset';
  if (codes.some((c) => ABORT_CODES.has(c))) return 'aborted';
  return 'other';
}
