/**
 * What the user asked for, checked and typed: the command line's output and the run
 * pipeline's input. Parsed by cli/, consumed by run/ and nothing else is shared between them.
 */
import { planStrategies, type StrategySpec } from '../core/benchmark.js';
import type { FingerprintField } from '../core/fingerprint.js';
import type { Threshold } from '../core/thresholds.js';
import type { LatencyModel, Protocol, StrategyName } from '../core/types.js';
import type { Format } from '../export/exporters.js';
import type { FaultOptions } from '../fixture-server/faults.js';
import type { ProxyChoice, TransportOptions } from '../http/transport.js';

/** How the built-in fixture server behaves: shared by `--offline` runs and `serve`. */
export interface ServerSettings {
  /** Null: the preset's own model. */
  latency: LatencyModel | null;
  latencyText: string | null;
  seed: number | null;
  faults: FaultOptions;
  /** Whether any fault option was given (they need a fixture server). */
  faultsGiven: boolean;
}

/** The run command's options after parsing, before targets are resolved. */
export interface RunOptions extends ServerSettings {
  /** The tool's version, for the report. */
  version: string;
  /** The arguments as typed (after the program's name), for the command that reproduces the run. */
  commandLine?: readonly string[];
  targets: string[];
  /** --file paths in the order given ('-' is stdin); their URLs follow the arguments'. */
  files: readonly string[];
  count: number;
  /** Whether --count was given (it applies to presets only). */
  countGiven: boolean;
  /** Bounded limits to run; empty with -c auto. */
  concurrency: readonly number[];
  /** -c auto: search for the limit (ceiling null: the requests per step). */
  autoConcurrency: { ceiling: number | null } | null;
  /** -c auto: requests the whole search may make. */
  maxRequests: number;
  /** Whether -c was given (without it, workers has no limit, as all). */
  concurrencyGiven: boolean;
  strategies: readonly StrategyName[];
  /** adaptive: where its limit starts and its ceiling; whether each was given. */
  adaptiveStart: number;
  adaptiveMax: number;
  adaptiveGiven: boolean;
  /** all with Promise.all's rejection on the first failure (--fail-fast). */
  failFast: boolean;
  /** --workers: threads of the workers strategy. */
  workers: number;
  /** Whether --workers was given (it applies to the workers strategy only). */
  workersGiven: boolean;
  /** --cpu-work: ms of synchronous work after each successful response; 0 for none. */
  cpuWorkMs: number;
  /** Measured rounds and warm-up rounds; each round runs every strategy once. */
  runs: number;
  warmup: number;
  offline: boolean;
  language: string;
  languageGiven: boolean;
  timeoutMs: number;
  /** Further attempts per request for retryable failures, with backoff. */
  retries: number;
  /** Requests per second every strategy obeys; null for no limit. */
  ratePerSec: number | null;
  maxRedirects: number;
  /** Send accept-encoding: gzip, deflate, br (--no-compression: false). */
  compression: boolean;
  /** Reuse connections (--no-keep-alive: false, a connection per request). */
  keepAlive: boolean;
  /** The HTTP versions each strategy runs under, in order: ['h1'] by default, ['h2'] with --http2, or --protocol's list. */
  protocols: readonly Protocol[];
  /** Which option chose them: --http2, --protocol, or neither (null). */
  protocolOption: '--http2' | '--protocol' | null;
  /** Skip certificate verification (-k, --insecure). */
  insecure: boolean;
  /** --cacert: a PEM file of CA certificates to trust besides the system's (read by the plan). */
  cacert?: string;
  /** The proxy variables (env), none (--no-proxy) or a given URL (--proxy). */
  proxy: ProxyChoice;
  headers: Record<string, string>;
  /** -X: the method as given (upper case); null when not given. */
  method: string | null;
  /** -d / --data-json: the text as typed (@file names a file); null when not given. */
  data: { text: string; json: boolean } | null;
  /** --retries apply to every method, not only the idempotent ones. */
  retryAll: boolean;
  /** --requests: a JSON-lines request file ('-' is stdin). */
  requestsFile: string | null;
  /** --har: a HAR 1.2 file to replay, its filter, and whether cookies go too. */
  har: string | null;
  harFilter: string | null;
  harCookies: boolean;
  /** --base-url (or ASYNC_BENCH_BASE_URL): where a preset's paths are sent instead of its live API. */
  baseUrl: string | null;
  /** Whether the base URL came from the environment (then it is ignored for URL lists). */
  baseUrlFromEnv: boolean;
  /** The user's own secret header and parameter names (--redact), lower case; the built-in ones are in core/redact.ts. */
  redact: readonly string[];
  json: boolean;
  /** Per-request samples in the JSON (results[].samples). */
  details: boolean;
  /** Every column of the terminal table, however wide (--wide); otherwise the ones that fit. */
  wide: boolean;
  format?: Format;
  output?: string;
  /** The terminal waterfall: true or false as asked, undefined for the default (on a TTY, up to 30 requests). */
  waterfall?: boolean;
  /** Where to write the self-contained HTML report. */
  report?: string;
  thresholds: readonly Threshold[];
  minSpeedup?: number;
  baseline?: string;
  maxRegressionPct?: number;
  /** Fingerprint fields a baseline may differ in (--baseline-ignore). */
  baselineIgnore: readonly FingerprintField[];
  failOnError: boolean;
  color: boolean;
  quiet: boolean;
}

/**
 * The client's transport for a run: the options as given, HTTP/2 offered when the run's first
 * protocol is h2 (a strategy client offers its spec's own). Our own fixture server is always
 * reached directly, and its certificate (`serverCa`, made at its start) is the only one
 * trusted for it.
 */
export function transportSettings(options: RunOptions, caPem: string | null, serverCa: string | null = null): TransportOptions {
  const protocol: Protocol = options.protocols[0] ?? 'h1';
  const trust = serverCa !== null ? { caPem: serverCa, trustOnlyCa: true } : caPem !== null ? { caPem } : {};
  return {
    compression: options.compression,
    keepAlive: options.keepAlive,
    http2: protocol === 'h2',
    insecure: options.insecure,
    ...trust,
    proxy: options.offline ? { kind: 'none' } : options.proxy,
  };
}

export interface ServeOptions extends ServerSettings {
  preset: string | undefined;
  port: number;
  /** Serve HTTPS with HTTP/2 (and HTTP/1.1) under a certificate made at start-up. */
  http2: boolean;
}

/** The strategy runs of a round, in report order, as the run's options ask for them. */
export function strategySpecs(options: RunOptions): StrategySpec[] {
  // workers without -c has no limit, as all: the comparison its lesson is about.
  const workers = { threads: options.workers, limits: options.concurrencyGiven && options.concurrency.length > 0 ? options.concurrency : [null] };
  return planStrategies(options.strategies, options.concurrency, options.protocols, { adaptive: { start: options.adaptiveStart, max: options.adaptiveMax }, failFast: options.failFast, workers });
}
