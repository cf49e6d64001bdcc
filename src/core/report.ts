/** The JSON document of the contract (schemaVersion 1): its types, and nothing that computes them. */
import type { AutoStep } from './auto-sweep.js';
import type { PoolStats } from './benchmark.js';
import type { Fingerprint } from './fingerprint.js';
import type { RequestShape } from './request.js';
import type { LatencySummary, SpreadSummary } from './stats.js';
import { ERROR_CLASSES, type ErrorClass, type Protocol, type StrategyName } from './types.js';

/** The JSON document of the contract, schemaVersion 1. */
export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  startedAt: string;
  environment: { node: string; platform: string; arch: string; cpus: number };
  config: ReportConfig;
  /** A stage run once before the strategies (tmdb's now-playing list), when the preset has one. */
  setup?: SetupResult;
  results: StrategyResult[];
  /** With a concurrency sweep (two or more bounded limits): the limit to use. */
  recommendation?: Recommendation;
  /** With --threshold / --min-speedup: each check, per result it applies to. */
  thresholds?: ThresholdResult[];
  /** With --baseline: each strategy's wall time against the saved run. */
  baseline?: BaselineComparison;
  /** What the run measured, so a later baseline compares like with like. */
  fingerprint?: Fingerprint;
  /** Present and true only when the run was interrupted. */
  partial?: true;
}

export interface Recommendation {
  concurrency: number;
  reqPerSec: number;
  /** The recommended limit's goodput: what the sweep ranks by. */
  okPerSec: number;
  /** Why this limit, in a sentence. */
  reason: string;
  /** Little's law: best goodput × lowest mean ok latency, how many the server seems to serve at once. */
  littleEstimate: number | null;
  /** Two grid points the real limit lies between, when the sweep can tell; null otherwise. */
  bracket: [number, number] | null;
  /** How the limits were chosen: a grid given with -c, or -c auto. */
  method: 'grid' | 'auto';
  /** The sentence that says where the limit lies and the -c list to refine it. */
  refine?: string;
  /** -c auto: each limit measured, in the order visited. */
  steps?: AutoStep[];
  /** -c auto: what ended the search (resolution, ceiling, max-requests, interrupted). */
  stoppedBy?: string;
}

export interface ThresholdResult {
  /** The expression as given, e.g. "bounded.p95<300" or "speedup>=3". */
  expr: string;
  /** The result it was checked against, e.g. "all" or "bounded@8". */
  strategy: string;
  /** The measured value; null when the result is missing (an interrupted run). */
  actual: number | null;
  pass: boolean;
  /** Why it failed when the value alone does not say (a speedup on a result that failed more). */
  reason?: string;
}

export interface BaselineComparison {
  /** The saved report's startedAt, to tell which run it was. */
  startedAt: string;
  maxRegressionPct: number;
  comparisons: BaselineEntry[];
  /** What limits the judgement: too few runs, a baseline without a fingerprint. */
  warnings?: string[];
}

export interface BaselineEntry {
  strategy: string;
  baselineWallMs: number;
  wallMs: number;
  /** Change of the median wall time, % (positive is slower). */
  changePct: number;
  /**
   * The change at the favourable end: the lower end of the bootstrap interval of new/old, or the
   * median change when either side has fewer than 3 runs. What must exceed the limit to fail.
   */
  favourableChangePct: number;
  /** Bootstrap 95% interval of the change, %; null with fewer than 3 runs on either side. */
  ci95: [number, number] | null;
  pass: boolean;
}

/** A stage run once before the strategies (tmdb's now-playing list). */
export interface SetupResult {
  name: string;
  requests: number;
  ok: number;
  failed: number;
  wallMs: number;
  /** What it yielded, e.g. movies found. */
  items: number;
  errors: ErrorCounts;
  /** Why its requests failed, per class: a 200 whose body is not the JSON expected says so here. */
  errorExamples?: ErrorExamples;
  statusCodes: Record<string, number>;
}

export interface ReportConfig {
  /** A preset name, or "urls" for a URL list. */
  target: string;
  count: number;
  concurrency: number[];
  strategies: StrategyName[];
  /** With adaptive among the strategies: where its limit started and its ceiling. */
  adaptive?: { start: number; max: number };
  /** --fail-fast: all ran with Promise.all's rejection on the first failure. */
  failFast?: true;
  timeoutMs: number;
  offline: boolean;
  /** "default" (the preset's model), "N" ms, "MIN-MAX" ms, or null when no fixture server runs. */
  latency: string | null;
  seed: number;
  /** Extra request headers as sent, secret values shown as ***. */
  headers: string[];
  /** tmdb only: the response language. */
  language?: string;
  /** The command line that reproduces the run (secrets as ***, a random seed added); absent when not run from one. */
  command?: string;
  /** With the workers strategy: the threads asked for (--workers; a run never uses more than C). */
  workers?: number;
  /** With --cpu-work: ms of synchronous work after each successful response. */
  cpuWorkMs?: number;
  /** Fixture-server faults, when any was asked for. */
  faults?: { errorRate: number; rateLimitPerSec: number | null; maxInflight: number | null; capacity: number | null; bandwidthMbps?: number | null };
  /** Measured rounds and warm-up rounds (each round runs every strategy once). */
  runs: number;
  warmup: number;
  /** Further attempts allowed per request. */
  retries: number;
  /** The --rate every strategy obeyed, requests per second; null for none. */
  ratePerSec: number | null;
  /** Redirects followed per request. */
  maxRedirects: number;
  /** The shape of one strategy run's requests: per method, whether bodies were sent, body bytes (never a value). */
  requests?: RequestShape;
  /** How requests reached the server. */
  transport: TransportConfig;
}

export interface TransportConfig {
  /** The HTTP version offered: h1; h2 (--http2: by ALPN, HTTP/1.1 when the server does not take it); or several, each strategy run under each ("h1,h2"). */
  protocol: string;
  /**
   * With HTTP/2 offered: for each version asked, what the connections spoke ({"h2": ["h2"]}, or
   * {"h2": ["h1"]} when the server chose HTTP/1.1); empty when no connection was made.
   */
  negotiated?: Partial<Record<Protocol, Protocol[]>>;
  /** "env" (the proxy variables as set), "none" (--no-proxy), or the --proxy URL with credentials as ***. */
  proxy: string;
  /** Whether accept-encoding: gzip, deflate, br was sent. */
  compression: boolean;
  keepAlive: boolean;
  /** Certificate verification skipped (-k). */
  insecure: boolean;
  /** The --cacert path; null when none. */
  cacert: string | null;
}

/**
 * How a concurrent strategy compares with sequential. `more-failures` overrides any timing:
 * a strategy that fails more is never faster. `same`: within 10% (or an interval inside ±10%).
 */
export type Verdict = 'faster' | 'slower' | 'same' | 'inconclusive' | 'more-failures';

export interface RunSummary {
  wallMs: number;
  ok: number;
  failed: number;
}

export interface QueueWaitSummary {
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

export type ErrorCounts = Record<ErrorClass, number>;

/** One distinct reason a class of failure had, and how many requests failed with it. */
export interface ErrorExample {
  /** Short and free of control characters: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1", "503 Service Unavailable". */
  message: string;
  count: number;
}

/** Each error class that occurred, with up to three distinct messages, most frequent first. */
export type ErrorExamples = Partial<Record<ErrorClass, ErrorExample[]>>;

export interface StrategyResult {
  strategy: StrategyName;
  concurrency: number | null;
  /** The HTTP version this result offered, when the run compared versions (--protocol h1,h2); its speedup is against sequential over the same. */
  protocol?: Protocol;
  wallMs: number;
  requests: number;
  ok: number;
  failed: number;
  /** failed / requests, 0..1 (0 when nothing was sent). */
  failureRate: number;
  /** Every response per second, failures included. */
  reqPerSec: number;
  /** Goodput: ok responses per second (one run's ok over the median wall time); what rankings use. */
  okPerSec: number;
  latencyMs: LatencySummary;
  /** Latency of the ok responses alone (all zero when none succeeded). */
  okLatencyMs: LatencySummary;
  /** Body bytes as they came over the wire (compressed, when the server compressed them). */
  bytes: number;
  /** Body bytes after Content-Encoding was undone (equal to bytes when nothing was compressed). */
  decodedBytes: number;
  /** Lookups the resolver answered over the runs (each host once per run; none for IP addresses) and their time; null when not measured. */
  dns: { lookups: number; totalMs: number } | null;
  /** Responses that were gzip without saying so (no Content-Encoding; told by the magic bytes), when any. */
  undeclaredGzip?: number;
  maxInFlight: number;
  errors: ErrorCounts;
  /** Why requests failed: per class that occurred, its most frequent messages with counts. */
  errorExamples: ErrorExamples;
  /** Responses by HTTP status, e.g. {"200": 9, "503": 1}; requests with no response are not in it. */
  statusCodes: Record<string, number>;
  speedup: number | null;
  /** Mean time to first byte, ms (0 when no response arrived). */
  ttfbMs: number;
  /** Every measured run of this strategy (one per round), in the order they ran. */
  runs: RunSummary[];
  /** Spread of the runs' wall times; `wallMs` is their median. */
  wallMsStats: SpreadSummary;
  /** Uncertainty of `speedup` propagated from the two spreads; null with fewer than two runs. */
  speedupStddev: number | null;
  /** Bootstrap 95% interval of the ratio of median wall times; null with fewer than two runs. */
  speedupCI95: [number, number] | null;
  /** Against sequential; null for sequential itself or when it did not run. */
  verdict: Verdict | null;
  /** bounded, batched and adaptive: time requests waited for a slot before being sent (not latency). */
  queueWaitMs: QueueWaitSummary | null;
  /** Connections the pool opened, most open at once, and (peakStreams) most requests at once on one connection. */
  pool: PoolStats | null;
  /** p99 of the event loop's delay while the strategy ran (worst run), ms. */
  eventLoopDelayP99Ms: number | null;
  /** What retries (--retries) did: attempts made, requests retried, time they added. */
  retries: RetrySummary;
  /** workers: the threads that shared the requests. */
  workers?: number;
  /** With --cpu-work: the work asked per response; per run (the mean over runs), the responses worked on and the work's measured total, ms. Not in latency. */
  cpuWork?: { perResponseMs: number; responses: number; totalMs: number };
  /** With --details: every request of the median run, in input order (the pictures draw from these). */
  samples?: RequestSample[];
  partial?: true;
  /**
   * The wall time over this result's own request durations (median of its runs) had scheduling
   * cost nothing: sequential the sum, all the longest, bounded list scheduling on C lanes,
   * batched the sum of each chunk's longest, adaptive list scheduling at the limits it used.
   */
  idealWallMs: number | null;
  /** idealWallMs / wallMs: 1 is a schedule that cost nothing; the rest went to the event loop, connections, the tool. */
  efficiency: number | null;
  /** all, bounded, batched: the wall time predicted from sequential's request durations; null without a complete sequential run. */
  predictedWallMs: number | null;
  /** adaptive only: how its limit moved and where it settled. */
  adaptive?: AdaptiveSummary;
  /** all with --fail-fast only: when Promise.all rejected, and the fate of the requests that kept running. */
  failFast?: FailFastSummary;
}

export interface AdaptiveSummary {
  /** --adaptive-start and --adaptive-max. */
  start: number;
  max: number;
  /** The limit over the second half of the median run (time-weighted mean, rounded). */
  settledLimit: number;
  /** The median run's limit: [ms since its start, limit] at the start and at each change. */
  limitTrace: Array<[number, number]>;
}

export interface FailFastSummary {
  /** When Promise.all rejected (ms since the run started); null when nothing failed and it resolved. */
  rejectedAtMs: number | null;
  /** The request whose failure rejected it (index in input order, from 0). */
  request: { index: number; error: ErrorClass; message: string } | null;
  /** Requests not settled when it rejected: they kept running, as in JavaScript. */
  stillRunning: number;
  /** What became of those: ok, failed, and when the last of them ended (ms since the start). */
  survivors: { ok: number; failed: number; lastEndMs: number | null };
}

export interface RequestSample {
  /** GET, POST …: present when the report was made with the request model (0.2.0 on). */
  method?: string;
  url: string;
  /** ms since the strategy's run started: sent, and last body byte (null when cut off). */
  startMs: number;
  endMs: number | null;
  ttfbMs: number | null;
  status: number;
  bytes: number;
  error: ErrorClass | null;
  /** Why it failed ("interrupted" when cut off); null when it succeeded. */
  message?: string | null;
  /** With --cpu-work: the work done after this response, ms (after endMs, not part of its latency). */
  cpuWorkMs?: number;
  /** workers: the thread (0, 1 …) that sent it. */
  thread?: number;
}

/** What --details needs to list requests: their URLs (already redacted). */
export interface DetailOptions {
  urlOf(index: number): string;
  /** The request's method (samples carry it when given). */
  methodOf?(index: number): string;
}

export interface RetrySummary {
  /** Attempts over all requests (equal to `requests` when nothing was retried). */
  attempts: number;
  /** Requests that needed more than one attempt. */
  retried: number;
  /** Time retries added to those requests (waits and further attempts), ms in all. */
  addedMs: number;
  /** Latency of the first attempts alone. */
  firstTryMs: { p50: number; p95: number };
}

export function emptyErrorCounts(): ErrorCounts {
  const counts = {} as ErrorCounts;
  for (const name of ERROR_CLASSES) counts[name] = 0;
  return counts;
}
