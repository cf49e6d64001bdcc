import { describe, expect, it } from 'vitest';
import { classifyError, classifyStatus } from '../../src/http/classify.js';

const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('classifyStatus', () => {
  it.each([
    [200, null],
    [204, null],
    [301, null],
    [399, null],
    [400, 'http4xx'],
    [404, 'http4xx'],
    [429, 'http4xx'],
    [499, 'http4xx'],
    [500, 'http5xx'],
    [503, 'http5xx'],
    [599, 'http5xx'],
  ])('%i -> %s', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});

describe('classifyError', () => {
  it.each([
    ['ECONNREFUSED', 'connect'],
    ['EHOSTUNREACH', 'connect'],
    // No socket to connect with: the descriptor limit, with its own advice.
    ['EMFILE', 'fd-limit'],
    ['ENFILE', 'fd-limit'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['UND_ERR_ABORTED', 'aborted'],
    ['EWHATEVER', 'other'],
  ])('code %s -> %s', (code, expected) => {
    expect(classifyError(withCode(code))).toBe(expected);
  });

  it('classifies abort and timeout errors by name', () => {
    expect(classifyError(new DOMException('This operation was aborted', 'AbortError'))).toBe('aborted');
    expect(classifyError({ name: 'AbortError', message: 'aborted' })).toBe('aborted');
    expect(classifyError(new DOMException('The operation timed out', 'TimeoutError'))).toBe('timeout');
  });

  it('finds the code in a nested cause (fetch failed -> cause)', () => {
    expect(classifyError(new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }))).toBe('connect');
    expect(classifyError(new Error('outer', { cause: new Error('middle', { cause: withCode('ENOTFOUND') }) }))).toBe('dns');
  });

  it('finds codes in AggregateError members (both addresses refused)', () => {
    const err = new AggregateError([withCode('ECONNREFUSED', 'connect ::1:80'), withCode('ECONNREFUSED', 'connect 127.0.0.1:80')]);
    expect(classifyError(err)).toBe('connect');
    expect(classifyError(new TypeError('fetch failed', { cause: err }))).toBe('connect');
  });

  it('prefers the most specific class: dns inside a connect error is dns', () => {
    expect(classifyError(Object.assign(withCode('ECONNREFUSED'), { cause: withCode('ENOTFOUND') }))).toBe('dns');
  });

  it('is other for unknown errors and non-errors', () => {
    expect(classifyError(new Error('mystery'))).toBe('other');
    expect(classifyError('a string')).toBe('other');
    expect(classifyError(null)).toBe('other');
    expect(classifyError(undefined)).toBe('other');
    expect(classifyError(42)).toBe('other');
    expect(classifyError({ code: 123 })).toBe('other');
  });

  it('does not loop on a cause that points to itself', () => {
    const err = withCode('ECONNRESET') as Error & { cause?: unknown };
    err.cause = err;
    expect(classifyError(err)).toBe('reset');
    const plain = new Error('self') as Error & { cause?: unknown };
    plain.cause = plain;
    expect(classifyError(plain)).toBe('other');
  });
});
