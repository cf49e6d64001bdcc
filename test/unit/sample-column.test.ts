import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StrategyRun } from '../../src/core/benchmark.js';
import { SampleColumn, Samples } from '../../src/core/samples.js';
import { percentile, summarizeLatencies, summarizeSortedLatencies } from '../../src/core/stats.js';
import { summarizeGroup } from '../../src/core/summarize.js';

describe('SampleColumn', () => {
  it('holds what was pushed and sorts it in place, as a view of its own array', () => {
    const column = new SampleColumn(5);
    for (const v of [30, 10, 20]) column.push(v);
    expect(column.length).toBe(3);
    const sorted = column.sorted();
    expect([...sorted]).toEqual([10, 20, 30]);
    expect(sorted.length).toBe(3);
    expect(column.sorted().buffer).toBe(sorted.buffer);
  });

  it('refuses more values than its capacity instead of dropping them', () => {
    const column = new SampleColumn(1);
    column.push(1);
    expect(() => column.push(2)).toThrow(RangeError);
  });

  it('an empty column sorts to no values', () => {
    expect(new SampleColumn(0).sorted().length).toBe(0);
    expect(summarizeSortedLatencies(new SampleColumn(4).sorted())).toEqual({ min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });
  });
});

describe('summarizeSortedLatencies', () => {
  it('gives the exact figures of sorted values, as summarizeLatencies gives of unsorted ones', () => {
    const sorted = Float64Array.from([3, 9, 25, 100, 1000]);
    const s = summarizeSortedLatencies(sorted);
    expect([s.min, s.mean, s.p50, s.max]).toEqual([3, 227.4, 25, 1000]);
    expect(s.p90).toBeCloseTo(640, 9);
    expect(s.p95).toBeCloseTo(820, 9);
    expect(s.p99).toBeCloseTo(964, 9);
    expect(summarizeLatencies(Float64Array.from([100, 9, 25, 3, 1000]))).toEqual(summarizeSortedLatencies(sorted));
  });
});

/** The summary as it was computed before: plain arrays of the started, completed requests, sorted copies. */
function plainArraySummary(samples: Samples): { latencies: number[]; okLatencies: number[]; queueWaits: number[]; firstTries: number[] } {
  const out = { latencies: [] as number[], okLatencies: [] as number[], queueWaits: [] as number[], firstTries: [] as number[] };
  for (let i = 0; i < samples.count; i++) {
    if (!samples.started(i)) continue;
    out.queueWaits.push(samples.startMs[i]!);
    if (!samples.completed(i)) continue;
    out.latencies.push(samples.latencyMs(i));
    if (samples.error(i) === null) out.okLatencies.push(samples.latencyMs(i));
    out.firstTries.push(samples.firstTryMs[i]!);
  }
  return out;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

describe('summarizeGroup from the samples in place', () => {
  it('gives the figures the plain-array summary gave, over random runs', () => {
    // Each request: [start, duration, state 0 never started | 1 in flight | 2 ok | 3 failed].
    const request = fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(
      fc.property(fc.array(fc.array(request, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 3 }), (shapes) => {
        const runs: StrategyRun[] = shapes.map((shape) => {
          const samples = new Samples(shape.length);
          shape.forEach(([start, duration, state], i) => {
            if (state === 0) return;
            samples.markStart(i, start / 10);
            if (state === 1) return;
            samples.record(i, (start + duration) / 10, state === 2 ? { status: 200, bytes: 1, ttfbMs: 1, error: null } : { status: 503, bytes: 0, ttfbMs: 1, error: 'http5xx' });
          });
          return { strategy: 'bounded', concurrency: 2, samples, wallMs: 1000, maxInFlight: 2, partial: false, pool: null, eventLoopDelayP99Ms: null };
        });
        const r = summarizeGroup(runs, null, () => 0.5);
        const plain = { latencies: [] as number[], okLatencies: [] as number[], queueWaits: [] as number[], firstTries: [] as number[] };
        for (const run of runs) {
          const p = plainArraySummary(run.samples);
          for (const key of Object.keys(plain) as Array<keyof typeof plain>) for (const v of p[key]) plain[key].push(v);
        }
        const expected = (values: number[]): ReturnType<typeof summarizeLatencies> => {
          const s = summarizeLatencies(Float64Array.from(values));
          return { min: round3(s.min), mean: round3(s.mean), p50: round3(s.p50), p90: round3(s.p90), p95: round3(s.p95), p99: round3(s.p99), max: round3(s.max) };
        };
        expect(r.latencyMs).toEqual(expected(plain.latencies));
        expect(r.okLatencyMs).toEqual(expected(plain.okLatencies));
        const waits = Float64Array.from(plain.queueWaits).sort();
        expect(r.queueWaitMs?.p50).toBe(waits.length === 0 ? 0 : round3(percentile(waits, 50)));
        expect(r.queueWaitMs?.max).toBe(waits.length === 0 ? 0 : round3(waits[waits.length - 1]!));
        const firstTries = Float64Array.from(plain.firstTries).sort();
        expect(r.retries.firstTryMs.p95).toBe(firstTries.length === 0 ? 0 : round3(percentile(firstTries, 95)));
        expect(r.retries.attempts).toBe(plain.queueWaits.length);
      }),
      { numRuns: 200 },
    );
  });
});
