import type { StrategyRun } from './benchmark.js';
import { speedup, summarizeLatencies, throughput, type LatencySummary } from './stats.js';
import { ERROR_CLASSES, type ErrorClass, type StrategyName } from './types.js';

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
  /** Present and true only when the run was interrupted. */
  partial?: true;
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
  statusCodes: Record<string, number>;
}

export interface ReportConfig {
  /** A preset name, or "urls" for a URL list. */
  target: string;
  count: number;
  concurrency: number[];
  strategies: StrategyName[];
  timeoutMs: number;
  offline: boolean;
  /** "default" (the preset's model), "N" ms, "MIN-MAX" ms, or null when no fixture server runs. */
  latency: string | null;
  seed: number;
  /** Extra request headers as sent, secret values shown as ***. */
  headers: string[];
  /** tmdb only: the response language. */
  language?: string;
  /** Fixture-server faults, when any was asked for. */
  faults?: { errorRate: number; rateLimitPerSec: number | null; maxInflight: number | null };
}

export type ErrorCounts = Record<ErrorClass, number>;

export interface StrategyResult {
  strategy: StrategyName;
  concurrency: number | null;
  wallMs: number;
  requests: number;
  ok: number;
  failed: number;
  reqPerSec: number;
  latencyMs: LatencySummary;
  bytes: number;
  maxInFlight: number;
  errors: ErrorCounts;
  /** Responses by HTTP status, e.g. {"200": 9, "503": 1}; requests with no response are not in it. */
  statusCodes: Record<string, number>;
  speedup: number | null;
  /** Mean time to first byte, ms (0 when no response arrived). */
  ttfbMs: number;
  partial?: true;
}

export function emptyErrorCounts(): ErrorCounts {
  const counts = {} as ErrorCounts;
  for (const name of ERROR_CLASSES) counts[name] = 0;
  return counts;
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const roundMs = (ms: number): number => round(ms, 3);

/** Turns one strategy run into its contract result (speedup against the sequential wall time). */
export function summarizeRun(run: StrategyRun, sequentialWallMs: number | null): StrategyResult {
  const { samples } = run;
  const errors = emptyErrorCounts();
  const latencies: number[] = [];
  let requests = 0;
  let failed = 0;
  let bytes = 0;
  let ttfbSum = 0;
  let ttfbCount = 0;
  const statusCodes: Record<string, number> = {};
  for (let i = 0; i < samples.count; i++) {
    if (!samples.started(i)) continue;
    requests++;
    // A request still in flight when the run stopped was cut off: it counts as aborted.
    const error = samples.completed(i) ? samples.error(i) : 'aborted';
    if (error !== null) {
      failed++;
      errors[error]++;
    }
    if (samples.completed(i)) {
      const status = samples.status[i]!;
      if (status > 0) statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      latencies.push(samples.latencyMs(i));
      bytes += samples.bytes[i]!;
      const ttfb = samples.ttfbMs[i]!;
      if (!Number.isNaN(ttfb)) {
        ttfbSum += ttfb;
        ttfbCount++;
      }
    }
  }
  const latency = summarizeLatencies(Float64Array.from(latencies));
  const ratio = run.strategy === 'sequential' ? (sequentialWallMs === null ? null : 1) : speedup(sequentialWallMs, run.wallMs);
  const result: StrategyResult = {
    strategy: run.strategy,
    concurrency: run.strategy === 'all' ? null : run.strategy === 'sequential' ? 1 : run.concurrency,
    wallMs: roundMs(run.wallMs),
    requests,
    ok: requests - failed,
    failed,
    reqPerSec: round(throughput(requests, run.wallMs), 2),
    latencyMs: {
      min: roundMs(latency.min),
      mean: roundMs(latency.mean),
      p50: roundMs(latency.p50),
      p90: roundMs(latency.p90),
      p95: roundMs(latency.p95),
      p99: roundMs(latency.p99),
      max: roundMs(latency.max),
    },
    bytes,
    maxInFlight: run.maxInFlight,
    errors,
    statusCodes,
    speedup: ratio === null ? null : round(ratio, 3),
    ttfbMs: roundMs(ttfbCount > 0 ? ttfbSum / ttfbCount : 0),
  };
  if (run.partial) result.partial = true;
  return result;
}

/** Results of all runs, each compared with the sequential run when there is one. */
export function summarizeRuns(runs: readonly StrategyRun[]): StrategyResult[] {
  const sequential = runs.find((r) => r.strategy === 'sequential' && !r.partial);
  const baseline = sequential ? sequential.wallMs : null;
  return runs.map((run) => summarizeRun(run, baseline));
}
