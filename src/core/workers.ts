/**
 * The workers strategy's arithmetic, pure: how many threads, each one's limit, and how the
 * threads' runs become one run on one clock. The threads themselves are run/workers.ts.
 */
import type { PoolStats, StrategyRun, StrategySpec, TransportStats } from './benchmark.js';
import { Samples, type SamplesData } from './samples.js';
import { maxOf, minOf } from './stats.js';

/** Threads a workers run uses: as asked, but never more than requests allowed in flight, nor than requests. */
export function threadCount(requested: number, limit: number | null, count: number): number {
  return Math.max(1, Math.min(requested, limit ?? count, count));
}

/**
 * Each thread's limit: floor(C/N), and one more for the first C mod N threads, so that the
 * limits add up to C (and each is at least 1, as threadCount never gives more threads than C).
 */
export function splitLimit(limit: number, threads: number): number[] {
  const base = Math.floor(limit / threads);
  const extra = limit % threads;
  return Array.from({ length: threads }, (_, k) => base + (k < extra ? 1 : 0));
}

/** What one thread measured, as it posts it back. */
export interface ThreadRun {
  samples: SamplesData;
  /** When its run started and ended, ms on the timeline every thread shares (performance.timeOrigin + now()). */
  startedAt: number;
  endedAt: number;
  pool: PoolStats | null;
  transport: TransportStats | null;
  /** p99 of its own event loop's delay during the run, ms. */
  eventLoopDelayP99Ms: number | null;
}

/**
 * Most requests in flight at once over the merged samples: a request is in flight from its
 * start to its end (to the end of the run when it was cut off). At equal times an end counts first.
 */
export function peakInFlight(samples: Samples): number {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < samples.count; i++) {
    if (!samples.started(i)) continue;
    starts.push(samples.startMs[i]!);
    ends.push(samples.completed(i) ? samples.endMs[i]! : Number.POSITIVE_INFINITY);
  }
  const byTime = (a: number, b: number): number => a - b;
  starts.sort(byTime);
  ends.sort(byTime);
  let peak = 0;
  let open = 0;
  for (let s = 0, e = 0; s < starts.length; ) {
    if (e < ends.length && ends[e]! <= starts[s]!) {
      open--;
      e++;
    } else {
      if (++open > peak) peak = open;
      s++;
    }
  }
  return peak;
}

function sumPools(pools: ReadonlyArray<PoolStats | null>): PoolStats | null {
  const known = pools.filter((p): p is PoolStats => p !== null);
  if (known.length === 0) return null;
  // Each thread has its own pool: what they opened adds up, and so, at most, do their peaks. A
  // connection's streams are its own: the most on one connection is the most on any.
  const pool: PoolStats = known.reduce((sum, p) => ({ opened: sum.opened + p.opened, peak: sum.peak + p.peak, staleRetries: sum.staleRetries + p.staleRetries }), { opened: 0, peak: 0, staleRetries: 0 });
  const streams = known.filter((p) => p.peakStreams !== undefined).map((p) => p.peakStreams!);
  if (streams.length > 0) pool.peakStreams = maxOf(streams);
  const h2 = known.filter((p) => p.h2 !== undefined).map((p) => p.h2!);
  if (h2.length > 0) pool.h2 = h2.reduce((a, b) => a + b, 0);
  return pool;
}

function sumTransports(stats: ReadonlyArray<TransportStats | null>): TransportStats | null {
  const known = stats.filter((s): s is TransportStats => s !== null);
  if (known.length === 0) return null;
  return known.reduce(
    (sum, s) => ({ dns: { lookups: sum.dns.lookups + s.dns.lookups, totalMs: sum.dns.totalMs + s.dns.totalMs }, undeclaredGzip: sum.undeclaredGzip + s.undeclaredGzip }),
    { dns: { lookups: 0, totalMs: 0 }, undeclaredGzip: 0 },
  );
}

/**
 * The threads' runs as one run: samples on one clock that starts with the earliest thread,
 * wall time from that start to the last thread's end, the pools added up, the worst loop delay.
 */
export function mergeThreadRuns(spec: StrategySpec, count: number, parts: readonly ThreadRun[], interrupted: boolean): StrategyRun {
  const samples = new Samples(count);
  const t0 = minOf(parts.map((p) => p.startedAt));
  const end = maxOf(parts.map((p) => p.endedAt));
  let started = 0;
  parts.forEach((part, k) => {
    started += samples.absorb(part.samples, part.startedAt - t0, k);
  });
  const delays = parts.map((p) => p.eventLoopDelayP99Ms).filter((d): d is number => d !== null);
  return {
    ...spec,
    samples,
    wallMs: end - t0,
    maxInFlight: peakInFlight(samples),
    partial: interrupted || started < count,
    pool: sumPools(parts.map((p) => p.pool)),
    transport: sumTransports(parts.map((p) => p.transport)),
    eventLoopDelayP99Ms: delays.length === 0 ? null : maxOf(delays),
    threads: parts.length,
  };
}
