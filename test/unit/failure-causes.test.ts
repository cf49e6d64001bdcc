import { describe, expect, it } from 'vitest';
import type { StrategyRun } from '../../src/core/benchmark.js';
import { Samples } from '../../src/core/samples.js';
import { errorExamples, requestSamples } from '../../src/core/summarize.js';
import type { ErrorClass, RequestOutcome } from '../../src/core/types.js';
import { ERROR_CLASSES } from '../../src/core/types.js';
import { failureAdvice, failureCauseLines, setupLine } from '../../src/export/prose.js';
import { failureHints } from '../../src/export/hints.js';
import { emptyErrorCounts } from '../../src/core/report.js';
import { makeReport, makeResult } from '../helpers/report-fixtures.js';
import { classifyError, classifyStatus, describeError, MAX_CAUSE_LENGTH, shortCause } from '../../src/http/classify.js';
import { activeProxy, badProxyVariable, noProxyCovers } from '../../src/http/proxy-env.js';

const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('the new error classes', () => {
  it('keeps the contract order, other last', () => {
    expect(ERROR_CLASSES).toEqual(['timeout', 'connect', 'dns', 'reset', 'tls', 'http4xx', 'http5xx', 'aborted', 'protocol', 'fd-limit', 'other']);
  });

  it.each([
    ['HPE_HEADER_OVERFLOW', 'protocol'],
    ['HPE_INVALID_CONSTANT', 'protocol'],
    ['HPE_INVALID_STATUS', 'protocol'],
    ['UND_ERR_HEADERS_OVERFLOW', 'protocol'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'protocol'],
    ['UND_ERR_INFO', 'protocol'],
    ['EMFILE', 'fd-limit'],
    ['ENFILE', 'fd-limit'],
  ])('code %s -> %s', (code, expected) => {
    expect(classifyError(withCode(code))).toBe(expected);
  });

  it('classifies an HTTPParserError without a code as protocol, and EMFILE inside a connect error as fd-limit', () => {
    expect(classifyError(Object.assign(new Error('Response does not match the HTTP/1.1 protocol'), { name: 'HTTPParserError' }))).toBe('protocol');
    expect(classifyError(new TypeError('fetch failed', { cause: withCode('EMFILE', 'connect EMFILE 127.0.0.1:80 - Local (undefined:undefined)') }))).toBe('fd-limit');
  });

  it.each([
    [100, null],
    [304, null],
    [599, 'http5xx'],
    [600, 'protocol'],
    [999, 'protocol'],
    [99, 'protocol'],
  ])('status %i -> %s', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});

describe('describeError', () => {
  it('gives the code and the innermost message', () => {
    expect(describeError(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'))).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1');
    expect(describeError(new TypeError('fetch failed', { cause: withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere.invalid') }))).toBe('ENOTFOUND: getaddrinfo ENOTFOUND nowhere.invalid');
    expect(describeError(new AggregateError([withCode('ECONNREFUSED', 'connect ECONNREFUSED ::1:81'), withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:81')]))).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:81');
  });

  it("cuts OpenSSL's message to its reason", () => {
    const ssl = withCode('ERR_SSL_WRONG_VERSION_NUMBER', '80A4:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:\n');
    expect(describeError(ssl)).toBe('ERR_SSL_WRONG_VERSION_NUMBER: wrong version number');
    expect(describeError(withCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'))).toBe('DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate');
  });

  it('copes with errors without code or message', () => {
    expect(describeError(new Error('mystery'))).toBe('mystery');
    expect(describeError(new Error(''))).toBe('unknown error');
    expect(describeError('a string')).toBe('a string');
  });

  it('strips control characters and keeps at most MAX_CAUSE_LENGTH characters', () => {
    expect(shortCause('503 Bad\r\n\u001b[31mThing\u0007')).toBe('503 Bad [31mThing');
    const long = shortCause('x'.repeat(500));
    expect(long).toHaveLength(MAX_CAUSE_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    expect(MAX_CAUSE_LENGTH).toBe(200);
  });
});

function failure(error: ErrorClass, cause?: string, status = 0): RequestOutcome {
  return { status, bytes: 0, ttfbMs: Number.NaN, error, ...(cause === undefined ? {} : { cause }) };
}

function runOf(outcomes: Array<RequestOutcome | 'in-flight' | 'not-started'>): StrategyRun {
  const samples = new Samples(outcomes.length);
  outcomes.forEach((o, i) => {
    if (o === 'not-started') return;
    samples.markStart(i, i);
    if (o !== 'in-flight') samples.record(i, i + 1, o);
  });
  return { strategy: 'bounded', concurrency: 2, samples, wallMs: 10, maxInFlight: 2, partial: false, pool: null, eventLoopDelayP99Ms: null };
}

describe('errorExamples', () => {
  const ok: RequestOutcome = { status: 200, bytes: 1, ttfbMs: 1, error: null, cause: 'ignored on success' };

  it('keeps the top three distinct messages per class, by count, ties in order of appearance', () => {
    const refused = 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1';
    const run = runOf([
      ok,
      failure('connect', 'EHOSTUNREACH: connect EHOSTUNREACH 10.0.0.1:80'),
      failure('connect', refused),
      failure('connect', refused),
      failure('connect', 'ENETUNREACH: a'),
      failure('connect', 'EADDRNOTAVAIL: b'),
      failure('connect', 'EADDRNOTAVAIL: b'),
      failure('connect', refused),
      failure('http5xx', '503 Service Unavailable', 503),
      failure('http4xx', undefined, 404),
      failure('reset'),
      'in-flight',
      'not-started',
    ]);
    expect(errorExamples([run])).toEqual({
      connect: [
        { message: refused, count: 3 },
        { message: 'EADDRNOTAVAIL: b', count: 2 },
        { message: 'EHOSTUNREACH: connect EHOSTUNREACH 10.0.0.1:80', count: 1 },
      ],
      reset: [{ message: 'no message', count: 1 }],
      http4xx: [{ message: '404', count: 1 }],
      http5xx: [{ message: '503 Service Unavailable', count: 1 }],
      aborted: [{ message: 'interrupted', count: 1 }],
    });
  });

  it('adds counts over runs and is empty when nothing failed', () => {
    const a = runOf([failure('timeout', 'no complete response within --timeout 100 ms'), ok]);
    const b = runOf([failure('timeout', 'no complete response within --timeout 100 ms'), failure('fd-limit', 'EMFILE: x')]);
    expect(errorExamples([a, b])).toEqual({
      timeout: [{ message: 'no complete response within --timeout 100 ms', count: 2 }],
      'fd-limit': [{ message: 'EMFILE: x', count: 1 }],
    });
    expect(errorExamples([runOf([ok, ok])])).toEqual({});
  });

  it('stores one string for many equal causes, and none for successes', () => {
    const cause = ['ECONNREFUSED', 'connect'].join(': ');
    const samples = new Samples(3);
    for (let i = 0; i < 3; i++) {
      samples.markStart(i, 0);
      samples.record(i, 1, i === 2 ? ok : failure('connect', `${cause}`));
    }
    expect(samples.cause(0)).toBe(cause);
    expect(samples.cause(2)).toBeNull();
  });

  it('gives --details samples their message, null on success', () => {
    const run = runOf([ok, failure('tls', 'ERR_SSL_WRONG_VERSION_NUMBER: wrong version number'), 'in-flight']);
    const messages = requestSamples(run, { urlOf: (i) => `http://127.0.0.1/${i}` }).map((s) => [s.error, s.message]);
    expect(messages).toEqual([
      [null, null],
      ['tls', 'ERR_SSL_WRONG_VERSION_NUMBER: wrong version number'],
      ['aborted', 'interrupted'],
    ]);
  });
});

describe('failure advice', () => {
  it.each([
    ['tls', 'ERR_SSL_WRONG_VERSION_NUMBER: wrong version number', 'the server speaks plain http? try an http:// URL'],
    ['tls', 'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate', 'the certificate is not trusted here: trust its CA with --cacert ca.pem, or skip the check with -k'],
    ['fd-limit', 'EMFILE: connect EMFILE', 'out of file descriptors: raise ulimit -n or lower the concurrency'],
    ['http4xx', '429 Too Many Requests', 'the server limits the rate: --rate or a lower -c'],
    ['connect', 'ECONNREFUSED: connect ECONNREFUSED 10.1.2.3:8443', 'nothing listens at 10.1.2.3:8443'],
    ['timeout', 'no complete response within --timeout 50 ms', 'raise --timeout or lower -c'],
    ['protocol', 'UND_ERR_HEADERS_OVERFLOW: Headers Overflow Error', 'the response headers exceed 16 KB'],
    ['protocol', '999 Weird', 'the server sent a status outside 100-599'],
  ] as Array<[ErrorClass, string, string]>)('%s: %s', (cls, message, advice) => {
    expect(failureAdvice(cls, message)).toBe(advice);
  });

  it('writes one line per failing class, with the most common message over all results', () => {
    const lines = failureCauseLines([
      { errorExamples: { connect: [{ message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9', count: 2 }], http5xx: [{ message: '502 Bad Gateway', count: 3 }, { message: '503 Service Unavailable', count: 2 }] } },
      { errorExamples: { http5xx: [{ message: '503 Service Unavailable', count: 4 }] } },
    ]);
    expect(lines).toEqual([
      'connect: 2 × ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9 (nothing listens at 127.0.0.1:9)',
      'http5xx: 6 × 503 Service Unavailable (the server is overloaded or down: a lower -c or --rate)',
    ]);
    expect(failureCauseLines([{ errorExamples: {} }])).toEqual([]);
  });
});

describe('proxy variables (undici EnvHttpProxyAgent rules)', () => {
  const urls = ['https://api.example.test/a', 'https://api.example.test/b', 'http://plain.example.test/c'];
  const env = { kind: 'env' } as const;

  it('names the proxy that applies to a target and the variable that chose it, never its credentials', () => {
    expect(activeProxy(env, { HTTPS_PROXY: 'http://127.0.0.1:3128' }, urls)).toEqual({ via: '127.0.0.1:3128', source: 'HTTPS_PROXY' });
    expect(activeProxy(env, { http_proxy: 'http://u:secret@127.0.0.1:3128' }, urls)).toEqual({ via: '127.0.0.1:3128', source: 'http_proxy' });
    expect(activeProxy(env, { https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' }, urls)?.via).toBe('a:1');
    expect(activeProxy(env, { HTTPS_PROXY: 'http://127.0.0.1:3128' }, ['http://plain.example.test/'])).toBeNull();
    expect(activeProxy(env, { HTTPS_PROXY: '  ' }, urls)).toBeNull();
    expect(activeProxy(env, {}, urls)).toBeNull();
    expect(activeProxy({ kind: 'none' }, { HTTPS_PROXY: 'http://p:1' }, urls)).toBeNull();
    expect(activeProxy({ kind: 'url', url: 'http://u:pw@proxy.test:8080' }, {}, urls)).toEqual({ via: 'proxy.test:8080', source: '--proxy' });
  });

  it('is direct when NO_PROXY covers every target', () => {
    expect(activeProxy(env, { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: 'example.test' }, urls)).toBeNull();
    expect(activeProxy(env, { HTTPS_PROXY: 'http://p:1', no_proxy: '*' }, urls)).toBeNull();
    expect(activeProxy(env, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'plain.example.test' }, urls)?.source).toBe('HTTPS_PROXY');
  });

  it('refuses a variable that is not a proxy URL', () => {
    expect(badProxyVariable({ HTTPS_PROXY: 'http://p:1' })).toBeNull();
    expect(badProxyVariable({ HTTPS_PROXY: 'not a url' })).toMatch(/^HTTPS_PROXY is not an http\(s\) proxy URL/);
  });

  it.each([
    ['.example.test', 'api.example.test', '443', true],
    ['example.test', 'example.test', '443', true],
    ['example.test:8443', 'example.test', '443', false],
    ['example.test:443', 'example.test', '443', true],
    ['other.test, 127.0.0.1', '127.0.0.1', '80', true],
    ['notexample.test', 'example.test', '80', false],
    ['[::1]', '[::1]', '80', true],
  ])('NO_PROXY %s covers %s:%s: %s', (noProxy, host, port, expected) => {
    expect(noProxyCovers(noProxy, host, port)).toBe(expected);
  });
});

describe('transport notes and hints', () => {
  it('says once that responses were gzip without a Content-Encoding', () => {
    const report = makeReport([makeResult({ undeclaredGzip: 2 }), makeResult({ strategy: 'all', concurrency: null, undeclaredGzip: 1 })]);
    const notes = failureHints(report, { liveBaseUrl: null, offline: false }).filter((h) => h.includes('Content-Encoding'));
    expect(notes).toEqual(['note: 3 responses were gzip without a Content-Encoding header (recognised by the gzip magic bytes and decoded); the server or a proxy mislabels them']);
  });

  it('a proxy that refused the tunnel gets the proxy hint even when other requests got through', () => {
    const result = makeResult({ requests: 2, ok: 1, failed: 1, errorExamples: { connect: [{ message: 'UND_ERR_ABORTED: Proxy response (407) !== 200 when HTTP Tunneling', count: 1 }] } });
    const hints = failureHints(makeReport([result]), { liveBaseUrl: null, offline: false, proxy: { via: 'proxy.test:3128', source: '--proxy' } });
    expect(hints).toEqual(['hint: requests go via proxy proxy.test:3128 (--proxy) and some requests failed at the proxy: check the proxy (and its user:password), set NO_PROXY for hosts to reach directly, or add --no-proxy']);
    expect(classifyError(Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' }))).toBe('connect');
  });

  it("the setup line says why the stage failed: a 200 that is not the API's JSON", () => {
    const setup = {
      name: 'now_playing', requests: 1, ok: 0, failed: 1, wallMs: 12, items: 0, errors: { ...emptyErrorCounts(), other: 1 }, statusCodes: { 200: 1 },
      errorExamples: { other: [{ message: "200 but the body is not JSON (starts '<!DOCTYPE html>')", count: 1 }] },
    };
    expect(setupLine(makeReport([], { setup }))).toBe(
      "stage 1 · now_playing: 1 request, 1 failed (other: 1 × 200 but the body is not JSON (starts '<!DOCTYPE html>') (something other than the API answered: check the base URL, a proxy or a captive portal)), 0 items in 0.012 s (run once, before the strategies)",
    );
  });
});
