/**
 * The programmatic API's options: the run command's options by their long names in camelCase,
 * with JavaScript values. They become the command line's arguments and are read by the run
 * command's own parser (cli/parse-run.ts), so every default, check and message is the CLI's.
 * Options about printing (--json, --format, -o, --report, --waterfall, colour, progress) and
 * the exit code (--fail-on-error) have no place here: the caller gets the Report.
 */
import { UsageError, quoteInput } from '../core/errors.js';
import type { FingerprintField } from '../core/fingerprint.js';
import type { Protocol, StrategyName } from '../core/types.js';

/** Options of `benchmark()`, each the run command's option of the same name (see the README). */
export interface RunSettings {
  /** -n: requests each strategy makes (default 10 for a preset; a URL list is used once as given). */
  count?: number;
  /** -c: the bounded limit, a sweep of limits, or 'auto' / 'auto:64' to search for it (default 5). */
  concurrency?: number | readonly number[] | 'auto' | `auto:${number}`;
  /** -s: which strategies run (default all three). */
  strategies?: readonly StrategyName[];
  /** --adaptive-start, --adaptive-max: where adaptive's limit starts, and its ceiling. */
  adaptiveStart?: number;
  adaptiveMax?: number;
  /** --fail-fast: all with Promise.all's rejection at the first failure (default: as allSettled). */
  failFast?: boolean;
  /** --workers: threads of the workers strategy (default: the CPU count). */
  workers?: number;
  /** --cpu-work: ms of synchronous work after each successful response. */
  cpuWork?: number;
  /** --max-requests: with concurrency 'auto', the requests the search may make. */
  maxRequests?: number;
  /** -r: measured rounds. */
  runs?: number;
  /** -w: rounds run first and discarded. */
  warmup?: number;
  /** -f: files of URLs, one per line. */
  files?: readonly string[];
  /** -X: the method of every request. */
  method?: string;
  /** -d: the body, sent as given ('@path' reads a file). */
  data?: string;
  /** --data-json: a JSON body (a value is serialized; '@path' reads a file). */
  dataJson?: string | Record<string, unknown> | unknown[];
  /** --requests: a JSON-lines request file. */
  requests?: string;
  /** --har: a HAR 1.2 file to replay; --har-filter, --har-cookies. */
  har?: string;
  harFilter?: string;
  harCookies?: boolean;
  /** --base-url: send a preset's paths to this server. */
  baseUrl?: string;
  /** --offline: serve the preset from the built-in fixture server on 127.0.0.1. */
  offline?: boolean;
  /** --latency with offline: ms, or a range such as '100-400'. */
  latency?: number | string;
  /** --seed: reproducible ids and jitter. */
  seed?: number;
  /** Fixture-server faults, with offline: --error-rate, --rate-limit (per second), --max-inflight, --capacity, --bandwidth (Mbit/s). */
  errorRate?: number;
  rateLimit?: number;
  maxInflight?: number;
  capacity?: number;
  bandwidth?: number;
  /** --language: tmdb's response language. */
  language?: string;
  /** --timeout: per-request limit in ms (default 10000). */
  timeout?: number;
  /** --retries and --retry-all. */
  retries?: number;
  retryAll?: boolean;
  /** --rate: requests per second, at most. */
  rate?: number;
  /** --max-redirects. */
  maxRedirects?: number;
  /** false: --no-compression. */
  compression?: boolean;
  /** false: --no-keep-alive. */
  keepAlive?: boolean;
  /** -k: do not verify TLS certificates. */
  insecure?: boolean;
  /** --http2: offer HTTP/2 by ALPN. */
  http2?: boolean;
  /** --protocol: run every strategy under each HTTP version given, e.g. ['h1', 'h2']. */
  protocol?: readonly Protocol[];
  /** --cacert: a PEM file of CA certificates to trust too. */
  cacert?: string;
  /** --proxy URL, or false for --no-proxy (default: the proxy variables). */
  proxy?: string | false;
  /** -H: headers on every request. */
  headers?: Readonly<Record<string, string>>;
  /** --redact: more header or parameter names to treat as secret. */
  redact?: readonly string[];
  /** --threshold: checks such as 'bounded.p95<300'; the Report says whether each passed. */
  thresholds?: readonly string[];
  /** --min-speedup. */
  minSpeedup?: number;
  /** --baseline: a saved JSON report to compare with; --max-regression (%); --baseline-ignore. */
  baseline?: string;
  maxRegression?: number;
  baselineIgnore?: readonly FingerprintField[];
  /** --details: every request in the Report (results[].samples), for the HTML report's pictures. */
  details?: boolean;
}

type Arguments = (key: string, value: unknown) => string[];

const single = (flag: string): Arguments => (_key, value) => [`--${flag}=${String(value)}`];
const joined = (flag: string): Arguments => (_key, value) => [`--${flag}=${Array.isArray(value) ? value.join(',') : String(value)}`];
const repeated = (flag: string): Arguments => (key, value) => listOf(key, value).map((item) => `--${flag}=${String(item)}`);

function listOf(key: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new UsageError(`${key} must be a list`);
  return value;
}

/** A switch: true gives the flag; false leaves it out (or gives --no-…, for the ones that are on by default). */
function toggle(flag: string, onByDefault = false): Arguments {
  return (key, value) => {
    if (typeof value !== 'boolean') throw new UsageError(`${key} must be true or false, got ${quoteInput(String(value))}`);
    if (onByDefault) return value ? [] : [`--no-${flag}`];
    return value ? [`--${flag}`] : [];
  };
}

const ARGUMENTS: { readonly [K in keyof Required<RunSettings>]: Arguments } = {
  count: single('count'),
  concurrency: joined('concurrency'),
  strategies: joined('strategy'),
  adaptiveStart: single('adaptive-start'),
  adaptiveMax: single('adaptive-max'),
  failFast: toggle('fail-fast'),
  workers: single('workers'),
  cpuWork: single('cpu-work'),
  maxRequests: single('max-requests'),
  runs: single('runs'),
  warmup: single('warmup'),
  files: repeated('file'),
  method: single('method'),
  data: single('data'),
  dataJson: (_key, value) => [`--data-json=${typeof value === 'string' ? value : JSON.stringify(value)}`],
  requests: single('requests'),
  har: single('har'),
  harFilter: single('har-filter'),
  harCookies: toggle('har-cookies'),
  baseUrl: single('base-url'),
  offline: toggle('offline'),
  latency: single('latency'),
  seed: single('seed'),
  errorRate: single('error-rate'),
  rateLimit: single('rate-limit'),
  maxInflight: single('max-inflight'),
  capacity: single('capacity'),
  bandwidth: single('bandwidth'),
  language: single('language'),
  timeout: single('timeout'),
  retries: single('retries'),
  retryAll: toggle('retry-all'),
  rate: single('rate'),
  maxRedirects: single('max-redirects'),
  compression: toggle('compression', true),
  keepAlive: toggle('keep-alive', true),
  insecure: toggle('insecure'),
  http2: toggle('http2'),
  protocol: joined('protocol'),
  cacert: single('cacert'),
  proxy: (key, value) => (value === false ? ['--no-proxy'] : single('proxy')(key, value)),
  headers: (key, value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${key} must be an object of header names and values`);
    return Object.entries(value as Record<string, unknown>).map(([name, v]) => {
      // A colon would move the name's end: "a:b" + "c" must not become header a with value "b: c".
      if (/[:\s]/.test(name) || name === '') throw new UsageError(`${key}: ${quoteInput(name)} is not a header name`);
      return `--header=${name}: ${String(v)}`;
    });
  },
  redact: repeated('redact'),
  thresholds: repeated('threshold'),
  minSpeedup: single('min-speedup'),
  baseline: single('baseline'),
  maxRegression: single('max-regression'),
  baselineIgnore: joined('baseline-ignore'),
  details: toggle('details'),
};

/** The long option each setting stands for, for tests that hold the two lists together. */
export const SETTING_NAMES = Object.keys(ARGUMENTS) as ReadonlyArray<keyof RunSettings>;

/**
 * The command line that asks for the same run: options first, then `--` and the targets (so a
 * target is never read as an option or a command). An unknown setting is a usage error, as an
 * unknown option is.
 */
export function runArguments(targets: string | readonly string[], settings: RunSettings): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(ARGUMENTS, key)) throw new UsageError(`unknown option ${quoteInput(key)}; options are ${SETTING_NAMES.join(', ')}`);
    for (const arg of (ARGUMENTS as Record<string, Arguments>)[key]!(key, value)) args.push(arg);
  }
  const list = typeof targets === 'string' ? [targets] : targets;
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string')) throw new UsageError('targets must be a preset name or a list of URLs');
  return [...args, '--', ...list];
}
