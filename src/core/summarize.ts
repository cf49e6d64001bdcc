/** Summaries of measured runs: what one strategy's runs add up to, as the contract's result. */
import { limitAt, settledLimit } from './adaptive-limit.js';
import type { PoolStats, StrategyRun, StrategyRuns, TransportStats } from './benchmark.js';
import { idealWallMs } from './ideal.js';
import { createRandom, hashString } from './random.js';
import { SampleColumn } from './samples.js';
import { resultKey } from './result-label.js';
import {
  bootstrapPairedRatioCI,
  maxOf,
  minOf,
  percentile,
  ratioStddev,
  speedup,
  summarizeSortedLatencies,
  summarizeSpread,
  throughput,
  type LatencySummary,
  type SpreadSummary,
} from './stats.js';
import {
  emptyErrorCounts,
  type AdaptiveSummary,
  type DetailOptions,
  type ErrorCounts,
  type ErrorExample,
  type ErrorExamples,
  type FailFastSummary,
  type QueueWaitSummary,
  type RequestSample,
  type StrategyResult,
  type Verdict,
} from './report.js';
import { ERROR_CLASSES, takesLimit, type ErrorClass } from './types.js';

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const roundMs = (ms: number): number => round(ms, 3);
const roundLatency = (l: LatencySummary): LatencySummary => ({
  min: roundMs(l.min),
  mean: roundMs(l.mean),
  p50: roundMs(l.p50),
  p90: roundMs(l.p90),
  p95: roundMs(l.p95),
  p99: roundMs(l.p99),
  max: roundMs(l.max),
});
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
  decodedBytes: number;
  errors: ErrorCounts;
  statusCodes: Record<string, number>;
  latencies: SampleColumn;
  /** Latencies of the requests that succeeded. */
  okLatencies: SampleColumn;
  queueWaits: SampleColumn;
  ttfbSum: number;
  ttfbCount: number;
  attempts: number;
  retried: number;
  retryAddedMs: number;
  firstTries: SampleColumn;
  /** ok and failed of each run, in order. */
  perRun: Array<{ ok: number; failed: number }>;
}

function tally(runs: readonly StrategyRun[]): Tally {
  // Each column holds at most one value per request: sized once, filled, then sorted in place.
  const column = (): SampleColumn => new SampleColumn(runs.reduce((n, r) => n + r.samples.count, 0));
  const t: Tally = { requests: 0, failed: 0, bytes: 0, decodedBytes: 0, errors: emptyErrorCounts(), statusCodes: {}, latencies: column(), okLatencies: column(), queueWaits: column(), ttfbSum: 0, ttfbCount: 0, attempts: 0, retried: 0, retryAddedMs: 0, firstTries: column(), perRun: [] };
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
      if (error === null) t.okLatencies.push(latency);
      const attempts = samples.attempts[i]!;
      t.attempts += attempts;
      t.firstTries.push(samples.firstTryMs[i]!);
      if (attempts > 1) {
        t.retried++;
        t.retryAddedMs += latency - samples.firstTryMs[i]!;
      }
      t.bytes += samples.bytes[i]!;
      t.decodedBytes += samples.decodedBytes[i]!;
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

function queueWaitSummary(waits: SampleColumn): QueueWaitSummary {
  if (waits.length === 0) return { mean: 0, p50: 0, p95: 0, max: 0 };
  const sorted = waits.sorted();
  let sum = 0;
  for (const w of sorted) sum += w;
  return {
    mean: roundMs(sum / sorted.length),
    p50: roundMs(percentile(sorted, 50)),
    p95: roundMs(percentile(sorted, 95)),
    max: roundMs(sorted[sorted.length - 1]!),
  };
}

function firstTrySummary(values: SampleColumn): { p50: number; p95: number } {
  const sorted = values.sorted();
  return sorted.length === 0 ? { p50: 0, p95: 0 } : { p50: roundMs(percentile(sorted, 50)), p95: roundMs(percentile(sorted, 95)) };
}

/** Below this many measured runs there is no interval: a verdict rests on the medians alone. */
export const MIN_RUNS_FOR_INTERVAL = 5;
/** Speedups within this share of 1 (either way) are "about the same". */
export const SAME_WITHIN = 0.1;

/**
 * How the timing compares, failures aside. Without an interval, a difference under 10% is
 * "same". With one: inside the ±10% band is "same", clear of 1 is faster or slower, and an
 * interval that straddles 1 without fitting the band is "inconclusive".
 */
export function timingVerdict(ratio: number, ci: readonly [number, number] | null): Verdict {
  const low = 1 / (1 + SAME_WITHIN);
  const high = 1 + SAME_WITHIN;
  if (ci === null) return ratio >= high ? 'faster' : ratio <= low ? 'slower' : 'same';
  if (ci[0] >= low && ci[1] <= high) return 'same';
  if (ci[0] > 1) return 'faster';
  if (ci[1] < 1) return 'slower';
  return 'inconclusive';
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

/** Distinct messages kept per error class in `errorExamples`. */
export const ERROR_EXAMPLES_PER_CLASS = 3;
/** What a request cut off by Ctrl-C failed with. */
export const INTERRUPTED_MESSAGE = 'interrupted';

/** Why request i failed: its recorded cause, "interrupted" when cut off, else its status or a placeholder. */
function failureMessage(samples: StrategyRun['samples'], i: number): string {
  if (!samples.completed(i)) return INTERRUPTED_MESSAGE;
  const status = samples.status[i]!;
  return samples.cause(i) ?? (status > 0 ? String(status) : 'no message');
}

/**
 * Each error class that occurred, with its most frequent distinct messages (at most three,
 * most frequent first, ties in order of first appearance) and how often each occurred.
 */
export function errorExamples(runs: readonly StrategyRun[]): ErrorExamples {
  const byClass = new Map<ErrorClass, Map<string, number>>();
  for (const { samples } of runs) {
    for (let i = 0; i < samples.count; i++) {
      if (!samples.started(i)) continue;
      const error = samples.completed(i) ? samples.error(i) : 'aborted';
      if (error === null) continue;
      let messages = byClass.get(error);
      if (!messages) byClass.set(error, (messages = new Map()));
      const message = failureMessage(samples, i);
      messages.set(message, (messages.get(message) ?? 0) + 1);
    }
  }
  const examples: ErrorExamples = {};
  for (const name of ERROR_CLASSES) {
    const messages = byClass.get(name);
    if (!messages) continue;
    // Array.prototype.sort is stable: equal counts keep the order they first appeared in.
    const top: ErrorExample[] = [...messages].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count);
    examples[name] = top.slice(0, ERROR_EXAMPLES_PER_CLASS);
  }
  return examples;
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
      ...(details.methodOf ? { method: details.methodOf(i) } : {}),
      url: details.urlOf(i),
      startMs: roundMs(samples.startMs[i]!),
      endMs: done ? roundMs(samples.endMs[i]!) : null,
      ttfbMs: done && !Number.isNaN(ttfb) ? roundMs(ttfb) : null,
      status: samples.status[i]!,
      bytes: samples.bytes[i]!,
      error: done ? samples.error(i) : 'aborted',
      message: !done || samples.error(i) !== null ? failureMessage(samples, i) : null,
      ...(samples.cpuWorkMs !== null && samples.cpuWorkMs[i]! > 0 ? { cpuWorkMs: roundMs(samples.cpuWorkMs[i]!) } : {}),
      ...(samples.thread !== null ? { thread: samples.thread[i]! } : {}),
    });
  }
  return out;
}

/** The durations of a run's completed requests, in input order. */
export function runDurations(run: StrategyRun): Float64Array {
  const { samples } = run;
  // Typed from the start: a million-request run's durations are 8 MB, not a boxed array.
  const out = new Float64Array(samples.count);
  let n = 0;
  for (let i = 0; i < samples.count; i++) if (samples.completed(i)) out[n++] = samples.latencyMs(i);
  return out.subarray(0, n);
}

/** One run's ideal wall time over its own durations (see ideal.ts); null when it has none. */
export function runIdealMs(run: StrategyRun): number | null {
  const { samples } = run;
  const durations = runDurations(run);
  if (durations.length === 0) return null;
  let limits: number[] | undefined;
  if (run.limitTrace) {
    const trace = run.limitTrace;
    limits = [];
    for (let i = 0; i < samples.count; i++) if (samples.completed(i)) limits.push(limitAt(trace, samples.startMs[i]!));
  }
  return idealWallMs({ strategy: run.strategy, concurrency: run.concurrency, ...(limits ? { limits } : {}) }, durations);
}

/** Points of a limit trace kept in the report: enough for a chart, bounded for 100,000 requests. */
export const MAX_TRACE_POINTS = 500;

/** The trace thinned to at most `max` points (every k-th, the last kept), times rounded. */
export function thinTrace(trace: ReadonlyArray<readonly [number, number]>, max = MAX_TRACE_POINTS): Array<[number, number]> {
  const step = Math.max(1, Math.ceil(trace.length / max));
  const kept: Array<[number, number]> = [];
  for (let k = 0; k < trace.length; k += step) kept.push([roundMs(trace[k]![0]), trace[k]![1]]);
  const last = trace[trace.length - 1];
  if (last && (trace.length - 1) % step !== 0) kept.push([roundMs(last[0]), last[1]]);
  return kept;
}

function adaptiveSummary(run: StrategyRun): AdaptiveSummary | undefined {
  if (!run.adaptive || !run.limitTrace) return undefined;
  return { start: run.adaptive.start, max: run.adaptive.max, settledLimit: settledLimit(run.limitTrace, run.wallMs), limitTrace: thinTrace(run.limitTrace) };
}

/** --fail-fast: the rejection of a run, and the fate of what kept running after it. */
function failFastSummary(run: StrategyRun): FailFastSummary | undefined {
  if (!run.failFast) return undefined;
  const { samples, rejection } = run;
  if (!rejection) return { rejectedAtMs: null, request: null, stillRunning: 0, survivors: { ok: 0, failed: 0, lastEndMs: null } };
  let ok = 0;
  let failed = 0;
  let lastEndMs: number | null = null;
  for (const i of rejection.stillRunning) {
    if (!samples.started(i)) continue; // stopped before it was sent
    if (samples.completed(i) && samples.error(i) === null) ok++;
    else failed++;
    if (samples.completed(i)) lastEndMs = Math.max(lastEndMs ?? 0, samples.endMs[i]!);
  }
  const i = rejection.index;
  const request = i >= 0 && samples.completed(i) ? { index: i, error: samples.error(i) ?? 'other', message: failureMessage(samples, i) } : null;
  return { rejectedAtMs: roundMs(rejection.atMs), request, stillRunning: rejection.stillRunning.length, survivors: { ok, failed, lastEndMs: lastEndMs === null ? null : roundMs(lastEndMs) } };
}

/** --cpu-work per run, the mean over runs: responses worked on and the work's measured total; null when none was done. */
function cpuWorkSummary(runs: readonly StrategyRun[]): StrategyResult['cpuWork'] | null {
  let responses = 0;
  let totalMs = 0;
  for (const { samples } of runs) {
    const work = samples.cpuWorkMs;
    if (work === null) continue;
    for (const ms of work) {
      if (ms <= 0) continue;
      responses++;
      totalMs += ms;
    }
  }
  const perResponseMs = runs[0]?.cpuWorkMs;
  if (responses === 0 || perResponseMs === undefined) return null;
  return { perResponseMs, responses: round(responses / runs.length, 2), totalMs: roundMs(totalMs / runs.length) };
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
    if (ratio !== null && !isSequential && walls.length >= 2 && baselineWalls.length >= 2) ratioSd = ratioStddev(ratio, base, spread);
    // Strategies ran in the same rounds, so rounds are resampled as pairs.
    if (ratio !== null && !isSequential && Math.min(walls.length, baselineWalls.length) >= MIN_RUNS_FOR_INTERVAL) {
      ci = bootstrapPairedRatioCI(baselineWalls, walls, random);
    }
  }
  const latency = summarizeSortedLatencies(t.latencies.sorted());
  const okLatency = summarizeSortedLatencies(t.okLatencies.sorted());
  const perRun = t.requests / runs.length;
  const ok = t.requests - t.failed;
  const pools = runs.map((r) => r.pool).filter((p): p is PoolStats => p !== null);
  const transports = runs.map((r) => r.transport ?? null).filter((s): s is TransportStats => s !== null);
  const undeclaredGzip = transports.reduce((sum, s) => sum + s.undeclaredGzip, 0);
  const loopDelays = runs.map((r) => r.eventLoopDelayP99Ms).filter((d): d is number => d !== null);
  const ideals = runs.map(runIdealMs).filter((d): d is number => d !== null);
  const ideal = ideals.length === 0 ? null : summarizeSpread(ideals).median;
  const median = medianRun(runs);
  const result: StrategyResult = {
    strategy: first.strategy,
    concurrency: first.strategy === 'all' ? null : isSequential ? 1 : first.concurrency,
    ...(first.protocol === undefined ? {} : { protocol: first.protocol }),
    wallMs: roundMs(spread.median),
    requests: t.requests,
    ok,
    failed: t.failed,
    failureRate: t.requests > 0 ? round(t.failed / t.requests, 4) : 0,
    reqPerSec: round(throughput(perRun, spread.median), 2),
    okPerSec: round(throughput(ok / runs.length, spread.median), 2),
    latencyMs: roundLatency(latency),
    okLatencyMs: roundLatency(okLatency),
    bytes: t.bytes,
    decodedBytes: t.decodedBytes,
    maxInFlight: maxOf(runs.map((r) => r.maxInFlight)),
    errors: t.errors,
    errorExamples: errorExamples(runs),
    statusCodes: t.statusCodes,
    speedup: ratio === null ? null : round(ratio, 3),
    ttfbMs: roundMs(t.ttfbCount > 0 ? t.ttfbSum / t.ttfbCount : 0),
    runs: runs.map((r, k) => ({ wallMs: roundMs(r.wallMs), ...t.perRun[k]! })),
    wallMsStats: roundSpread(spread),
    speedupStddev: ratioSd === null ? null : round(ratioSd, 3),
    speedupCI95: ci === null ? null : [round(ci[0], 3), round(ci[1], 3)],
    verdict: isSequential || ratio === null ? null : timingVerdict(ratio, ci),
    queueWaitMs: takesLimit(first.strategy) || first.strategy === 'adaptive' ? queueWaitSummary(t.queueWaits) : null,
    pool: pools.length === 0 ? null : summarizePools(pools),
    eventLoopDelayP99Ms: loopDelays.length === 0 ? null : roundMs(maxOf(loopDelays)),
    dns: transports.length === 0 ? null : { lookups: transports.reduce((sum, s) => sum + s.dns.lookups, 0), totalMs: roundMs(transports.reduce((sum, s) => sum + s.dns.totalMs, 0)) },
    retries: {
      // Requests cut off before an answer made one attempt.
      attempts: t.attempts + (t.requests - t.latencies.length),
      retried: t.retried,
      addedMs: roundMs(t.retryAddedMs),
      firstTryMs: firstTrySummary(t.firstTries),
    },
    idealWallMs: ideal === null ? null : roundMs(ideal),
    efficiency: ideal === null || !(spread.median > 0) ? null : round(ideal / spread.median, 3),
    predictedWallMs: null,
  };
  const adaptive = adaptiveSummary(median);
  if (adaptive) result.adaptive = adaptive;
  const failFast = failFastSummary(median);
  if (failFast) result.failFast = failFast;
  if (first.threads !== undefined) result.workers = maxOf(runs.map((r) => r.threads ?? 0));
  const cpuWork = cpuWorkSummary(runs);
  if (cpuWork) result.cpuWork = cpuWork;
  if (details) result.samples = requestSamples(median, details);
  if (undeclaredGzip > 0) result.undeclaredGzip = undeclaredGzip;
  if (runs.some((r) => r.partial)) result.partial = true;
  return result;
}

/** The pool over several runs: the most any run opened, held open, or sent on one connection; stale retries added up. */
function summarizePools(pools: readonly PoolStats[]): PoolStats {
  const pool: PoolStats = { opened: maxOf(pools.map((p) => p.opened)), peak: maxOf(pools.map((p) => p.peak)), staleRetries: pools.reduce((sum, p) => sum + p.staleRetries, 0) };
  const streams = pools.filter((p) => p.peakStreams !== undefined).map((p) => p.peakStreams!);
  if (streams.length > 0) pool.peakStreams = maxOf(streams);
  const h2 = pools.filter((p) => p.h2 !== undefined).map((p) => p.h2!);
  if (h2.length > 0) pool.h2 = maxOf(h2);
  return pool;
}

/** Salted so the bootstrap draws numbers of its own, not the URLs' or the round order's. */
const BOOTSTRAP_SALT = 0x68e31da4;

/** Each result's own random stream: adding a limit to a sweep never changes another's interval. */
export function bootstrapRandom(seed: number, key: string): () => number {
  return createRandom(hashString(key, seed ^ BOOTSTRAP_SALT));
}

/**
 * Results of all strategies, each compared with the complete sequential runs when there are
 * any, then judged like for like: a result that failed more than sequential (or, without
 * sequential, than the least-failing result) is never faster, whatever its time.
 */
export function summarizeGroups(groups: readonly StrategyRuns[], seed: number, details?: DetailOptions): StrategyResult[] {
  // With --protocol h1,h2, each version's results are compared with its own sequential: like for like.
  const baselines = new Map<string | undefined, number[] | null>();
  const sequentialDurations = new Map<string | undefined, Float64Array>();
  for (const g of groups) {
    if (g.spec.strategy !== 'sequential') continue;
    const complete = g.runs.filter((r) => !r.partial);
    baselines.set(g.spec.protocol, complete.length > 0 ? complete.map((r) => r.wallMs) : null);
    if (complete.length > 0) sequentialDurations.set(g.spec.protocol, runDurations(medianRun(complete)));
  }
  const results = groups.map((g) => summarizeGroup(g.runs, baselines.get(g.spec.protocol) ?? null, bootstrapRandom(seed, resultKey(g.spec)), details));
  const byProtocol = new Map<string | undefined, StrategyResult[]>();
  for (const r of results) byProtocol.set(r.protocol, [...(byProtocol.get(r.protocol) ?? []), r]);
  for (const [protocol, same] of byProtocol) {
    const durations = sequentialDurations.get(protocol);
    if (durations) predictFromSequential(same, durations);
    judgeFailures(same);
  }
  return results;
}

/**
 * What all, bounded and batched would take over sequential's request durations (its median
 * run's), with scheduling free: the measurement beside it tells what concurrency added (a
 * server that slows down under load, the event loop) or saved.
 */
export function predictFromSequential(results: StrategyResult[], sequentialDurations: Float64Array): void {
  if (sequentialDurations.length === 0) return;
  for (const r of results) {
    if (r.strategy !== 'all' && !takesLimit(r.strategy)) continue;
    const predicted = idealWallMs({ strategy: r.strategy, concurrency: r.concurrency }, sequentialDurations);
    if (predicted !== null) r.predictedWallMs = roundMs(predicted);
  }
}

/** The failure rule over finished results (of one protocol): more failures than the reference is "more-failures". */
export function judgeFailures(results: StrategyResult[]): StrategyResult[] {
  const sequential = results.find((r) => r.strategy === 'sequential');
  const rate = (r: StrategyResult): number => r.failureRate;
  const reference = sequential ? rate(sequential) : minOf(results.map(rate));
  for (const r of results) {
    if (r.strategy === 'sequential') continue;
    if (rate(r) > reference) r.verdict = 'more-failures';
    // Timing failures against failures compares nothing.
    else if (r.verdict !== null && (r.ok === 0 || sequential?.ok === 0)) r.verdict = 'inconclusive';
  }
  return results;
}
