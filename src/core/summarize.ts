/** Summaries of measured runs: what one strategy's runs add up to, as the contract's result. */
import type { PoolStats, StrategyRun, StrategyRuns } from './benchmark.js';
import {
  bootstrapRatioCI,
  maxOf,
  percentile,
  ratioStddev,
  speedup,
  summarizeLatencies,
  summarizeSpread,
  throughput,
  type SpreadSummary,
} from './stats.js';
import { emptyErrorCounts, type DetailOptions, type ErrorCounts, type QueueWaitSummary, type RequestSample, type StrategyResult, type Verdict } from './report.js';

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const roundMs = (ms: number): number => round(ms, 3);
const roundSpread = (s: SpreadSummary): SpreadSummary => ({
  median: roundMs(s.median),
  mean: roundMs(s.mean),
  stddev: roundMs(s.stddev),
  min: roundMs(s.min),
  max: roundMs(s.max),
});

/** Everything counted over the requests of one or more runs. */
interface Tally {
  requests: number;
  failed: number;
  bytes: number;
  errors: ErrorCounts;
  statusCodes: Record<string, number>;
  latencies: number[];
  queueWaits: number[];
  ttfbSum: number;
  ttfbCount: number;
  attempts: number;
  retried: number;
  retryAddedMs: number;
  firstTries: number[];
  /** ok and failed of each run, in order. */
  perRun: Array<{ ok: number; failed: number }>;
}

function tally(runs: readonly StrategyRun[]): Tally {
  const t: Tally = { requests: 0, failed: 0, bytes: 0, errors: emptyErrorCounts(), statusCodes: {}, latencies: [], queueWaits: [], ttfbSum: 0, ttfbCount: 0, attempts: 0, retried: 0, retryAddedMs: 0, firstTries: [], perRun: [] };
  for (const { samples } of runs) {
    const requestsBefore = t.requests;
    const failedBefore = t.failed;
    for (let i = 0; i < samples.count; i++) {
      if (!samples.started(i)) continue;
      t.requests++;
      // Every request is ready at the start: the time before it was sent is time spent queued.
      t.queueWaits.push(samples.startMs[i]!);
      // A request still in flight when the run stopped was cut off: it counts as aborted.
      const error = samples.completed(i) ? samples.error(i) : 'aborted';
      if (error !== null) {
        t.failed++;
        t.errors[error]++;
      }
      if (!samples.completed(i)) continue;
      const status = samples.status[i]!;
      if (status > 0) t.statusCodes[status] = (t.statusCodes[status] ?? 0) + 1;
      const latency = samples.latencyMs(i);
      t.latencies.push(latency);
      const attempts = samples.attempts[i]!;
      t.attempts += attempts;
      t.firstTries.push(samples.firstTryMs[i]!);
      if (attempts > 1) {
        t.retried++;
        t.retryAddedMs += latency - samples.firstTryMs[i]!;
      }
      t.bytes += samples.bytes[i]!;
      const ttfb = samples.ttfbMs[i]!;
      if (!Number.isNaN(ttfb)) {
        t.ttfbSum += ttfb;
        t.ttfbCount++;
      }
    }
    const failed = t.failed - failedBefore;
    t.perRun.push({ ok: t.requests - requestsBefore - failed, failed });
  }
  return t;
}

function queueWaitSummary(waits: number[]): QueueWaitSummary {
  if (waits.length === 0) return { mean: 0, p50: 0, p95: 0, max: 0 };
  const sorted = Float64Array.from(waits).sort();
  let sum = 0;
  for (const w of sorted) sum += w;
  return {
    mean: roundMs(sum / sorted.length),
    p50: roundMs(percentile(sorted, 50)),
    p95: roundMs(percentile(sorted, 95)),
    max: roundMs(sorted[sorted.length - 1]!),
  };
}

function firstTrySummary(values: number[]): { p50: number; p95: number } {
  const sorted = Float64Array.from(values).sort();
  return sorted.length === 0 ? { p50: 0, p95: 0 } : { p50: roundMs(percentile(sorted, 50)), p95: roundMs(percentile(sorted, 95)) };
}

function verdictOf(ratio: number | null, ci: [number, number] | null): Verdict | null {
  if (ratio === null) return null;
  if (ci) return ci[0] > 1 ? 'faster' : ci[1] < 1 ? 'slower' : 'inconclusive';
  return ratio >= 1 ? 'faster' : 'slower';
}

/**
 * The result of one strategy over its measured runs, compared with the sequential runs'
 * wall times (`baselineWalls`, null when sequential did not run). `random` drives the
 * bootstrap, so the same seed gives the same interval.
 */
/** The run whose wall time is the median (the lower middle one for an even count). */
function medianRun(runs: readonly StrategyRun[]): StrategyRun {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Every started request of a run, for --details. */
export function requestSamples(run: StrategyRun, details: DetailOptions): RequestSample[] {
  const { samples } = run;
  const out: RequestSample[] = [];
  for (let i = 0; i < samples.count; i++) {
    if (!samples.started(i)) continue;
    const done = samples.completed(i);
    const ttfb = samples.ttfbMs[i]!;
    out.push({
      url: details.urlOf(i),
      startMs: roundMs(samples.startMs[i]!),
      endMs: done ? roundMs(samples.endMs[i]!) : null,
      ttfbMs: done && !Number.isNaN(ttfb) ? roundMs(ttfb) : null,
      status: samples.status[i]!,
      bytes: samples.bytes[i]!,
      error: done ? samples.error(i) : 'aborted',
    });
  }
  return out;
}

export function summarizeGroup(
  runs: readonly StrategyRun[],
  baselineWalls: readonly number[] | null,
  random: () => number = Math.random,
  details?: DetailOptions,
): StrategyResult {
  const first = runs[0];
  if (!first) throw new Error('summarizeGroup needs at least one run');
  const t = tally(runs);
  const walls = runs.map((r) => r.wallMs);
  const spread = summarizeSpread(walls);
  const isSequential = first.strategy === 'sequential';
  let ratio: number | null = null;
  let ratioSd: number | null = null;
  let ci: [number, number] | null = null;
  if (baselineWalls !== null && baselineWalls.length > 0) {
    const base = summarizeSpread([...baselineWalls]);
    ratio = isSequential ? 1 : speedup(base.median, spread.median);
    if (ratio !== null && !isSequential && walls.length >= 2 && baselineWalls.length >= 2) {
      ratioSd = ratioStddev(ratio, base, spread);
      ci = bootstrapRatioCI(baselineWalls, walls, random);
    }
  }
  const latency = summarizeLatencies(Float64Array.from(t.latencies));
  const perRun = t.requests / runs.length;
  const pools = runs.map((r) => r.pool).filter((p): p is PoolStats => p !== null);
  const loopDelays = runs.map((r) => r.eventLoopDelayP99Ms).filter((d): d is number => d !== null);
  const result: StrategyResult = {
    strategy: first.strategy,
    concurrency: first.strategy === 'all' ? null : isSequential ? 1 : first.concurrency,
    wallMs: roundMs(spread.median),
    requests: t.requests,
    ok: t.requests - t.failed,
    failed: t.failed,
    reqPerSec: round(throughput(perRun, spread.median), 2),
    latencyMs: {
      min: roundMs(latency.min),
      mean: roundMs(latency.mean),
      p50: roundMs(latency.p50),
      p90: roundMs(latency.p90),
      p95: roundMs(latency.p95),
      p99: roundMs(latency.p99),
      max: roundMs(latency.max),
    },
    bytes: t.bytes,
    maxInFlight: maxOf(runs.map((r) => r.maxInFlight)),
    errors: t.errors,
    statusCodes: t.statusCodes,
    speedup: ratio === null ? null : round(ratio, 3),
    ttfbMs: roundMs(t.ttfbCount > 0 ? t.ttfbSum / t.ttfbCount : 0),
    runs: runs.map((r, k) => ({ wallMs: roundMs(r.wallMs), ...t.perRun[k]! })),
    wallMsStats: roundSpread(spread),
    speedupStddev: ratioSd === null ? null : round(ratioSd, 3),
    speedupCI95: ci === null ? null : [round(ci[0], 3), round(ci[1], 3)],
    verdict: isSequential ? null : verdictOf(ratio, ci),
    queueWaitMs: first.strategy === 'bounded' ? queueWaitSummary(t.queueWaits) : null,
    pool: pools.length === 0 ? null : { opened: maxOf(pools.map((p) => p.opened)), peak: maxOf(pools.map((p) => p.peak)) },
    eventLoopDelayP99Ms: loopDelays.length === 0 ? null : roundMs(maxOf(loopDelays)),
    retries: {
      // Requests cut off before an answer made one attempt.
      attempts: t.attempts + (t.requests - t.latencies.length),
      retried: t.retried,
      addedMs: roundMs(t.retryAddedMs),
      firstTryMs: firstTrySummary(t.firstTries),
    },
  };
  if (details) result.samples = requestSamples(medianRun(runs), details);
  if (runs.some((r) => r.partial)) result.partial = true;
  return result;
}

/** Results of all strategies, each compared with the complete sequential runs when there are any. */
export function summarizeGroups(groups: readonly StrategyRuns[], random: () => number = Math.random, details?: DetailOptions): StrategyResult[] {
  const sequential = groups.find((g) => g.spec.strategy === 'sequential');
  const complete = sequential ? sequential.runs.filter((r) => !r.partial).map((r) => r.wallMs) : [];
  const baseline = complete.length > 0 ? complete : null;
  return groups.map((g) => summarizeGroup(g.runs, baseline, random, details));
}
