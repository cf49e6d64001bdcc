/** Option values as the user typed them, checked and turned into numbers: pure, no I/O. */
import { redactUrl } from '../core/redact.js';
import { UsageError, closestMatch, quoteInput } from '../core/errors.js';
import { FINGERPRINT_FIELDS, type FingerprintField } from '../core/fingerprint.js';
import { PROTOCOLS, STRATEGIES, type LatencyModel, type Protocol, type StrategyName } from '../core/types.js';

/** Upper bounds that keep a typo (an extra zero or three) from eating the machine. */
export const LIMITS = {
  count: 1_000_000,
  concurrency: 100_000,
  timeoutMs: 3_600_000,
  latencyMs: 60_000,
  seed: 2 ** 32 - 1,
  runs: 1_000,
  workers: 64,
  cpuWorkMs: 60_000,
} as const;

const WHOLE = /^\d+$/;

/** A whole number from min to max, or a usage error that names the option. */
export function parseWholeNumber(option: string, text: string, min: number, max: number): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!WHOLE.test(trimmed) || !Number.isSafeInteger(value)) {
    throw new UsageError(`${option} must be a whole number, got ${quoteInput(text)}`);
  }
  if (value < min) throw new UsageError(`${option} must be at least ${min}, got ${value}`);
  if (value > max) throw new UsageError(`${option} must be at most ${max.toLocaleString('en-US')}, got ${value}`);
  return value;
}

export const parseCount = (text: string): number => parseWholeNumber('--count', text, 1, LIMITS.count);
export const parseTimeout = (text: string): number => parseWholeNumber('--timeout', text, 1, LIMITS.timeoutMs);
export const parseSeed = (text: string): number => parseWholeNumber('--seed', text, 0, LIMITS.seed);
export const parseRetries = (text: string): number => parseWholeNumber('--retries', text, 0, 10);
/** --proxy: an http(s) proxy URL (user:password@ allowed; never printed). */
export function parseProxy(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`--proxy must be a URL like http://proxy.example:3128, got '${redactUrl(text)}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--proxy must be an http:// or https:// URL, got '${url.protocol}'`);
  return url.href;
}

export const parseMaxRedirects = (text: string): number => parseWholeNumber('--max-redirects', text, 0, 20);
export const parseRuns = (text: string): number => parseWholeNumber('--runs', text, 1, LIMITS.runs);
export const parseMaxRequests = (text: string): number => parseWholeNumber('--max-requests', text, 1, 100_000_000);
export const parseWarmup = (text: string): number => parseWholeNumber('--warmup', text, 0, LIMITS.runs);
export const parseAdaptiveStart = (text: string): number => parseWholeNumber('--adaptive-start', text, 1, LIMITS.concurrency);
export const parseAdaptiveMax = (text: string): number => parseWholeNumber('--adaptive-max', text, 1, LIMITS.concurrency);
export const parseWorkers = (text: string): number => parseWholeNumber('--workers', text, 1, LIMITS.workers);

/** --cpu-work: ms of busy work per response, "20" or "20ms" (fractions allowed; 0 is none). */
export function parseCpuWork(text: string): number {
  const trimmed = text.trim().replace(/\s*ms$/i, '');
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--cpu-work must be a number of milliseconds such as 20, got ${quoteInput(text)}`);
  if (value > LIMITS.cpuWorkMs) throw new UsageError(`--cpu-work must be at most ${LIMITS.cpuWorkMs.toLocaleString('en-US')} ms, got ${value}`);
  return value;
}

/** -c auto or auto:64: search for the limit, up to a ceiling (null: the requests per step). */
export interface AutoConcurrency {
  auto: true;
  ceiling: number | null;
}

/** "5", "1,2,4,8", "auto" or "auto:64". */
export function parseConcurrencyOption(text: string): number[] | AutoConcurrency {
  const auto = /^\s*auto\s*(?::\s*(\S+))?\s*$/i.exec(text);
  if (!auto) return parseConcurrency(text);
  return { auto: true, ceiling: auto[1] === undefined ? null : parseWholeNumber('--concurrency auto:', auto[1], 2, LIMITS.concurrency) };
}

/** "5" or "1,2,4,8": limits of the bounded strategy, duplicates dropped, order kept. */
export function parseConcurrency(text: string): number[] {
  const values = text.split(',').map((part) => parseWholeNumber('--concurrency', part, 1, LIMITS.concurrency));
  return [...new Set(values)];
}

/** "sequential,bounded": which strategies to run, in the report's order. */
export function parseStrategies(text: string): StrategyName[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--strategy needs at least one of ${STRATEGIES.join(', ')}`);
  for (const name of names) {
    if (!(STRATEGIES as readonly string[]).includes(name)) {
      const suggestion = closestMatch(name, STRATEGIES);
      throw new UsageError(
        `unknown strategy ${quoteInput(name)}${suggestion ? ` (did you mean ${quoteInput(suggestion)}?)` : ''}; choose from ${STRATEGIES.join(', ')}`,
      );
    }
  }
  return STRATEGIES.filter((s) => names.includes(s));
}

/** --protocol h1,h2: the HTTP versions each strategy runs under, in the order given. */
export function parseProtocols(text: string): Protocol[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--protocol needs one or more of ${PROTOCOLS.join(', ')}, e.g. --protocol h1,h2`);
  const protocols: Protocol[] = [];
  for (const name of names) {
    const protocol = PROTOCOLS.find((p) => p === name);
    if (protocol === undefined) {
      const suggestion = closestMatch(name, PROTOCOLS);
      throw new UsageError(`--protocol: unknown HTTP version ${quoteInput(name)}${suggestion ? ` (did you mean ${quoteInput(suggestion)}?)` : ''}; choose from ${PROTOCOLS.join(', ')}`);
    }
    if (protocols.includes(protocol)) throw new UsageError(`--protocol names ${protocol} twice`);
    protocols.push(protocol);
  }
  return protocols;
}

/** --redact NAME added to the names so far (repeatable): a header or query parameter name, matched whole, any case. */
export function parseRedactName(text: string, previous: readonly string[] = []): string[] {
  const name = text.trim().toLowerCase();
  if (name === '' || /[\s=:&?#]/.test(name)) {
    throw new UsageError(`--redact takes a header or query parameter name (no spaces, '=', ':', '&', '?' or '#'), got '${text}'`);
  }
  return previous.includes(name) ? [...previous] : [...previous, name];
}

/** "0", "100" or "100-400" (ms): the fixture server's delay. */
export function parseLatency(text: string): LatencyModel {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*(?:ms)?\s*$/.exec(text);
  if (!match) throw new UsageError(`--latency must be milliseconds or a range like 100-400, got ${quoteInput(text)}`);
  const minMs = Number(match[1]);
  const maxMs = match[2] === undefined ? minMs : Number(match[2]);
  if (maxMs < minMs) throw new UsageError(`--latency range must go from low to high, got ${quoteInput(text)}`);
  if (maxMs > LIMITS.latencyMs) throw new UsageError(`--latency must be at most ${LIMITS.latencyMs} ms, got ${quoteInput(text)}`);
  return { minMs, maxMs };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers the HTTP client (undici, lib/core/request.js) refuses, or that would break every
 * request: each would fail them all as `other`, so they are refused before the first one.
 */
const UNSENDABLE_HEADERS: Readonly<Record<string, string>> = {
  'transfer-encoding': 'the HTTP client frames each request itself',
  'content-length': 'the HTTP client computes it from the body (-d, --data-json)',
  'keep-alive': 'the HTTP client manages its connections itself',
  upgrade: 'switching protocols is not supported',
  expect: 'Expect (100-continue) is not supported by the HTTP client',
};

/** What undici sends in a header value: tab, printable ASCII and Latin-1 (one byte each). */
const NOT_SENDABLE_IN_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** "Name: value" added to the headers so far (repeatable option). Messages name the header, never its value (it may be a secret). */
export function parseHeader(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  if (colon === -1 || !HEADER_NAME.test(name)) {
    throw new UsageError('--header must look like "Name: value" (a header name, a colon, then the value)');
  }
  const key = name.toLowerCase();
  const value = text.slice(colon + 1).trim();
  const unsendable = UNSENDABLE_HEADERS[key];
  if (unsendable !== undefined) throw new UsageError(`--header ${quoteInput(name)} cannot be set: ${unsendable}`);
  if (/[\r\n\0]/.test(value)) throw new UsageError(`--header ${quoteInput(name)} has a line break or NUL in its value`);
  if (NOT_SENDABLE_IN_VALUE.test(value)) {
    throw new UsageError(
      `--header ${quoteInput(name)} has a character that cannot be sent in a header value (a control character, or one beyond U+00FF); percent-encode or base64-encode it first`,
    );
  }
  if (key === 'connection' && !value.split(',').every((token) => HEADER_NAME.test(token.trim()))) {
    throw new UsageError(`--header ${quoteInput(name)} must be a comma-separated list of connection options, such as close`);
  }
  return { ...previous, [key]: value };
}

/** --base-url: an http(s) URL without query or fragment, no trailing slash (the preset's paths follow it). */
export function parseBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`--base-url must be an http(s) URL such as http://localhost:8080, got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--base-url must be http or https, not ${url.protocol.slice(0, -1)}`);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') throw new UsageError('--base-url takes a scheme, host, port and optional path prefix (no query, fragment or user info)');
  return url.href.replace(/\/+$/, '');
}

/** "0.1": share of requests the fixture server answers with 500. */
export function parseErrorRate(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--error-rate must be a number from 0 to 1, got ${quoteInput(text)}`);
  }
  return value;
}

/** "20/s" or "20": a rate in requests per second, for the option named. */
export function parsePerSecond(option: string, text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s)?\s*$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value > 0) || value > 1_000_000) throw new UsageError(`${option} must look like 20/s (more than 0), got ${quoteInput(text)}`);
  return value;
}

/** Requests per second the fixture server allows before answering 429. */
export const parseRateLimit = (text: string): number => parsePerSecond('--rate-limit', text);
/** Requests per second every strategy may send (--rate). */
export const parseRate = (text: string): number => parsePerSecond('--rate', text);

export const parseMaxInflight = (text: string): number => parseWholeNumber('--max-inflight', text, 1, LIMITS.concurrency);
export const parseCapacity = (text: string): number => parseWholeNumber('--capacity', text, 1, LIMITS.concurrency);
/** "50", "50Mbit/s" or "2.5 mbps": the fixture server's link speed in Mbit/s (--bandwidth). */
export function parseBandwidth(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:mbit\/s|mbps|mbit)?\s*$/i.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value >= 0.01) || value > 1_000_000) throw new UsageError(`--bandwidth must be a speed in Mbit/s from 0.01, like 50, got '${text}'`);
  return value;
}
export const parsePort = (text: string): number => parseWholeNumber('--port', text, 0, 65_535);

/** "en-US", "ko-KR", "de": a language tag as TMDB takes it. */
export function parseLanguage(text: string): string {
  const trimmed = text.trim();
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(trimmed)) {
    throw new UsageError(`--language must be a language tag like en-US or ko-KR, got ${quoteInput(text)}`);
  }
  return trimmed;
}

/** A positive number such as 3 or 2.5 (for --min-speedup). */
export function parsePositiveNumber(option: string, text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${option} must be a number above 0, got ${quoteInput(text)}`);
  return value;
}

/** A percentage from 0 up (for --max-regression). */
export function parsePercent(option: string, text: string): number {
  const value = Number(text.trim().replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 10_000) throw new UsageError(`${option} must be a percentage such as 10, got ${quoteInput(text)}`);
  return value;
}

/** "latency,count": fingerprint fields a baseline may differ in. */
export function parseBaselineIgnore(text: string): FingerprintField[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--baseline-ignore needs one or more of ${FINGERPRINT_FIELDS.join(', ')}`);
  return names.map((name) => {
    const field = FINGERPRINT_FIELDS.find((f) => f.toLowerCase() === name.toLowerCase());
    if (!field) {
      const suggestion = closestMatch(name, FINGERPRINT_FIELDS);
      throw new UsageError(`--baseline-ignore: unknown field '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; fields are ${FINGERPRINT_FIELDS.join(', ')}`);
    }
    return field;
  });
}
