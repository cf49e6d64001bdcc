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
