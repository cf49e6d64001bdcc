/** Report and result literals for exporter and checker tests: one place that knows every field. */
import { emptyErrorCounts, type Report, type ReportConfig, type StrategyResult } from '../../src/core/report.js';

/** A complete result: 10 ok requests in 1 s by default; override what the test is about. */
export function makeResult(overrides: Partial<StrategyResult> = {}): StrategyResult {
  const wallMs = overrides.wallMs ?? 1000;
  const requests = overrides.requests ?? 10;
  return {
    strategy: 'sequential',
    concurrency: 1,
    wallMs,
    requests,
    ok: overrides.ok ?? requests - (overrides.failed ?? 0),
    failed: 0,
    failureRate: requests > 0 ? (overrides.failed ?? 0) / requests : 0,
    reqPerSec: 10,
    okPerSec: (10 * (overrides.ok ?? requests - (overrides.failed ?? 0))) / Math.max(1, requests),
    latencyMs: { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 },
    okLatencyMs: { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 },
    bytes: 0,
    decodedBytes: 0,
    dns: null,
    maxInFlight: 1,
    errors: emptyErrorCounts(),
    errorExamples: {},
    statusCodes: {},
    speedup: null,
    ttfbMs: 0,
    runs: [{ wallMs, ok: overrides.ok ?? requests - (overrides.failed ?? 0), failed: overrides.failed ?? 0 }],
    wallMsStats: { median: wallMs, mean: wallMs, stddev: 0, min: wallMs, max: wallMs },
    speedupStddev: null,
    speedupCI95: null,
    verdict: null,
    queueWaitMs: null,
    pool: null,
    eventLoopDelayP99Ms: null,
    retries: { attempts: requests, retried: 0, addedMs: 0, firstTryMs: { p50: 0, p95: 0 } },
    idealWallMs: null,
    efficiency: null,
    predictedWallMs: null,
    ...overrides,
  };
}

export function makeConfig(overrides: Partial<ReportConfig> = {}): ReportConfig {
  return {
    target: 'pokemon',
    count: 10,
    concurrency: [5],
    strategies: ['sequential', 'all', 'bounded'],
    timeoutMs: 10000,
    offline: true,
    latency: 'default',
    seed: 42,
    headers: [],
    runs: 1,
    warmup: 0,
    retries: 0,
    ratePerSec: null,
    maxRedirects: 5,
    transport: { protocol: 'h1', proxy: 'env', compression: true, keepAlive: true, insecure: false, cacert: null },
    ...overrides,
  };
}

export function makeReport(results: StrategyResult[], extra: Partial<Report> = {}, config: Partial<ReportConfig> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'async-bench', version: '0.1.0' },
    startedAt: '2026-11-21T22:00:00.000Z',
    environment: { node: 'v20.20.2', platform: 'linux', arch: 'x64', cpus: 2 },
    config: makeConfig(config),
    results,
    ...extra,
  };
}

/** A plain offline pokemon run of 10 requests (the README's example): sequential, all, bounded C=5. */
export function plainRun(): { sequential: StrategyResult; all: StrategyResult; bounded: StrategyResult } {
  const result = (overrides: Partial<StrategyResult>): StrategyResult => makeResult({ statusCodes: { '200': 10 }, ...overrides });
  return {
    sequential: result({
      strategy: 'sequential', concurrency: 1, wallMs: 2483, reqPerSec: 4.03, speedup: 1,
      latencyMs: { min: 104.2, mean: 248.3, p50: 251.7, p90: 380, p95: 391.5, p99: 398.3, max: 399.9 },
    }),
    all: result({
      strategy: 'all', concurrency: null, wallMs: 411, reqPerSec: 24.33, maxInFlight: 10, speedup: 6.041, verdict: 'faster',
      latencyMs: { min: 103.9, mean: 250.1, p50: 250.4, p90: 390, p95: 400.5, p99: 409.7, max: 410.9 },
    }),
    bounded: result({
      strategy: 'bounded', concurrency: 5, wallMs: 512.4, reqPerSec: 19.52, maxInFlight: 5, speedup: 4.846, verdict: 'faster',
      latencyMs: { min: 101.2, mean: 249, p50: 248.6, p90: 371, p95: 385.2, p99: 396.1, max: 398.2 },
    }),
  };
}
