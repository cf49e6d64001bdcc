import { describe, expect, it } from 'vitest';
import type { StrategyRun } from '../../src/core/benchmark.js';
import { emptyErrorCounts } from '../../src/core/report.js';
import { summarizeRun, summarizeRuns } from '../helpers/single-run.js';
import { Samples } from '../../src/core/samples.js';
import { ERROR_CLASSES, type RequestOutcome, type StrategyName } from '../../src/core/types.js';

const ok = (bytes: number, ttfbMs = 1): RequestOutcome => ({ status: 200, bytes, ttfbMs, error: null });

/** A run of `count` requests, each [start, end) ms apart, all ok with 10 bytes. */
function uniformRun(strategy: StrategyName, concurrency: number | null, wallMs: number, count = 4, partial = false): StrategyRun {
  const samples = new Samples(count);
  for (let i = 0; i < count; i++) {
    samples.markStart(i, 0);
    samples.record(i, 10, ok(10));
  }
  return { strategy, concurrency, samples, wallMs, maxInFlight: strategy === 'sequential' ? 1 : count, partial, pool: null, eventLoopDelayP99Ms: null };
}

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

describe('summarizeRun', () => {
  // 0: ok 0-100; 1: 503 0-200; 2: timeout 10-60; 3: still in flight at stop; 4: never started.
  function mixedRun(): StrategyRun {
    const samples = new Samples(5);
    samples.markStart(0, 0);
    samples.markStart(1, 0);
    samples.markStart(2, 10);
    samples.markStart(3, 20);
    samples.record(2, 60, { status: 0, bytes: 0, ttfbMs: Number.NaN, error: 'timeout' });
    samples.record(0, 100, ok(10, 5));
    samples.record(1, 200, { status: 503, bytes: 3, ttfbMs: 7, error: 'http5xx' });
    return { strategy: 'bounded', concurrency: 3, samples, wallMs: 250, maxInFlight: 3, partial: true, pool: null, eventLoopDelayP99Ms: null };
  }

  it('counts started requests only; in flight at stop is aborted; requests == ok + failed', () => {
    const r = summarizeRun(mixedRun(), 1000);
    expect(r.requests).toBe(4);
    expect(r.ok).toBe(1);
    expect(r.failed).toBe(3);
    expect(r.requests).toBe(r.ok + r.failed);
    expect(r.errors).toEqual({ ...emptyErrorCounts(), timeout: 1, http5xx: 1, aborted: 1 });
    expect(sum(r.errors)).toBe(r.failed);
    expect(r.partial).toBe(true);
  });

  it('summarises latencies of completed requests, bytes, ttfb and throughput exactly', () => {
    const r = summarizeRun(mixedRun(), 1000);
    // Latencies 100, 200, 50.
    expect(r.latencyMs).toEqual({ min: 50, mean: 116.667, p50: 100, p90: 180, p95: 190, p99: 198, max: 200 });
    expect(r.bytes).toBe(13);
    expect(r.ttfbMs).toBe(6); // (5 + 7) / 2; the timeout's NaN is left out
    expect(r.reqPerSec).toBe(16); // 4 requests in 0.25 s
    expect(r.wallMs).toBe(250);
    expect(r.maxInFlight).toBe(3);
    expect(r.concurrency).toBe(3);
    expect(r.speedup).toBe(4);
  });

  it('lists every error class, zero or not', () => {
    const r = summarizeRun(uniformRun('all', null, 100), null);
    expect(Object.keys(r.errors)).toEqual([...ERROR_CLASSES]);
    expect(sum(r.errors)).toBe(0);
    expect(r.failed).toBe(0);
    expect('partial' in r).toBe(false);
  });

  it('concurrency is 1 for sequential, null for all, C for bounded', () => {
    expect(summarizeRun(uniformRun('sequential', 1, 100), 100).concurrency).toBe(1);
    expect(summarizeRun(uniformRun('all', null, 100), 100).concurrency).toBe(null);
    expect(summarizeRun(uniformRun('bounded', 7, 100), 100).concurrency).toBe(7);
  });

  it('sequential speedup is 1 against itself, null without a baseline', () => {
    expect(summarizeRun(uniformRun('sequential', 1, 2483), 2483).speedup).toBe(1);
    expect(summarizeRun(uniformRun('sequential', 1, 2483), null).speedup).toBe(null);
  });

  it('rounds wall time to µs, rates to 2 and speedups to 3 decimals', () => {
    const r = summarizeRun(uniformRun('bounded', 5, 512.40049, 10), 2483);
    expect(r.wallMs).toBe(512.4);
    expect(r.reqPerSec).toBe(19.52); // 10 / 0.5124
    expect(r.speedup).toBe(4.846); // 2483 / 512.4
  });

  it('a run where nothing started has zeros, not NaN', () => {
    const r = summarizeRun({ ...uniformRun('sequential', 1, 0, 0), partial: true }, null);
    expect(r.requests).toBe(0);
    expect(r.latencyMs).toEqual({ min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });
    expect(r.reqPerSec).toBe(0);
    expect(r.ttfbMs).toBe(0);
    for (const v of [r.wallMs, r.reqPerSec, r.ttfbMs, r.bytes, ...Object.values(r.latencyMs)]) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('summarizeRuns', () => {
  it('compares each run with the sequential wall time', () => {
    const results = summarizeRuns([
      uniformRun('sequential', 1, 2483, 10),
      uniformRun('all', null, 411, 10),
      uniformRun('bounded', 5, 512.4, 10),
    ]);
    expect(results.map((r) => r.speedup)).toEqual([1, 6.041, 4.846]);
    expect(results.map((r) => r.concurrency)).toEqual([1, null, 5]);
  });

  it('gives null speedups when sequential did not run', () => {
    const results = summarizeRuns([uniformRun('all', null, 411), uniformRun('bounded', 2, 500)]);
    expect(results.map((r) => r.speedup)).toEqual([null, null]);
  });

  it('does not use a partial sequential run as the baseline', () => {
    const results = summarizeRuns([uniformRun('sequential', 1, 100, 4, true), uniformRun('all', null, 50)]);
    expect(results.map((r) => r.speedup)).toEqual([null, null]);
  });

  it('gives null, not Infinity, against a zero wall time', () => {
    const results = summarizeRuns([uniformRun('sequential', 1, 100), uniformRun('all', null, 0)]);
    expect(results[1]!.speedup).toBe(null);
  });

  it('keeps the order of the runs, including a sweep of C', () => {
    const results = summarizeRuns([
      uniformRun('sequential', 1, 800),
      uniformRun('bounded', 1, 800),
      uniformRun('bounded', 2, 400),
      uniformRun('bounded', 4, 200),
    ]);
    expect(results.map((r) => [r.strategy, r.concurrency, r.speedup])).toEqual([
      ['sequential', 1, 1],
      ['bounded', 1, 1],
      ['bounded', 2, 2],
      ['bounded', 4, 4],
    ]);
  });
});
