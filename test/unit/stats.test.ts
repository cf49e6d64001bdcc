import { describe, expect, it } from 'vitest';
import { mean, percentile, speedup, summarizeLatencies, throughput } from '../../src/core/stats.js';

const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('percentile (linear interpolation between closest ranks)', () => {
  it('gives the exact values for 1..10', () => {
    expect(percentile(oneToTen, 50)).toBe(5.5);
    expect(percentile(oneToTen, 90)).toBe(9.1);
    expect(percentile(oneToTen, 95)).toBeCloseTo(9.55, 12);
    expect(percentile(oneToTen, 99)).toBe(9.91);
    expect(percentile(oneToTen, 25)).toBe(3.25);
    expect(percentile(oneToTen, 75)).toBe(7.75);
  });

  it('interpolates between two ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20], 30)).toBe(13);
  });

  it('p0 is the minimum and p100 the maximum', () => {
    expect(percentile(oneToTen, 0)).toBe(1);
    expect(percentile(oneToTen, 100)).toBe(10);
    expect(percentile([3, 8, 13], 0)).toBe(3);
    expect(percentile([3, 8, 13], 100)).toBe(13);
  });

  it('one element is every percentile', () => {
    for (const p of [0, 1, 50, 99, 100]) expect(percentile([42], p)).toBe(42);
  });

  it('no elements give NaN', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile(new Float64Array(0), 0)).toBeNaN();
  });

  it('hits exact ranks without interpolation', () => {
    expect(percentile([0, 10, 20, 30, 40], 25)).toBe(10);
    expect(percentile([0, 10, 20, 30, 40], 50)).toBe(20);
  });

  it('works on typed arrays', () => {
    expect(percentile(Float64Array.from(oneToTen), 50)).toBe(5.5);
  });
});

describe('mean', () => {
  it('averages', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean(Float64Array.from([10]))).toBe(10);
    expect(mean([-1, 1])).toBe(0);
  });

  it('is NaN for no values', () => {
    expect(mean([])).toBeNaN();
  });
});

describe('summarizeLatencies', () => {
  it('sorts numerically (not as strings) before taking percentiles', () => {
    // Sorted: 3, 9, 25, 100, 1000 (as strings it would be 1000, 100, 25, 3, 9).
    const s = summarizeLatencies(Float64Array.from([100, 9, 25, 3, 1000]));
    expect(s.min).toBe(3);
    expect(s.max).toBe(1000);
    expect(s.mean).toBe(227.4);
    expect(s.p50).toBe(25);
    expect(s.p90).toBeCloseTo(640, 9); // rank 3.6: 100 + 0.6 * 900
    expect(s.p95).toBeCloseTo(820, 9);
    expect(s.p99).toBeCloseTo(964, 9);
  });

  it('gives the exact summary of shuffled 1..10', () => {
    const s = summarizeLatencies(Float64Array.from([7, 3, 10, 1, 9, 2, 8, 4, 6, 5]));
    expect(s.min).toBe(1);
    expect(s.max).toBe(10);
    expect(s.mean).toBe(5.5);
    expect(s.p50).toBe(5.5);
    expect(s.p90).toBe(9.1);
    expect(s.p95).toBeCloseTo(9.55, 12);
    expect(s.p99).toBe(9.91);
  });

  it('does not reorder its input', () => {
    const input = Float64Array.from([3, 1, 2]);
    summarizeLatencies(input);
    expect(Array.from(input)).toEqual([3, 1, 2]);
  });

  it('is all zeros when there are no latencies', () => {
    expect(summarizeLatencies(new Float64Array(0))).toEqual({ min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });
  });
});

describe('speedup', () => {
  it('is baseline over wall time', () => {
    expect(speedup(2483, 411)).toBe(2483 / 411);
    expect(speedup(1000, 250)).toBe(4);
    expect(speedup(100, 200)).toBe(0.5);
  });

  it('is null without a baseline', () => {
    expect(speedup(null, 100)).toBe(null);
    expect(speedup(undefined, 100)).toBe(null);
  });

  it('is null when either time is zero, negative or NaN', () => {
    expect(speedup(1000, 0)).toBe(null);
    expect(speedup(0, 100)).toBe(null);
    expect(speedup(1000, -5)).toBe(null);
    expect(speedup(1000, Number.NaN)).toBe(null);
  });
});

describe('throughput', () => {
  it('is requests per second', () => {
    expect(throughput(10, 512.4)).toBe(10_000 / 512.4);
    expect(throughput(10, 2000)).toBe(5);
    expect(throughput(0, 100)).toBe(0);
  });

  it('is 0 when no time passed', () => {
    expect(throughput(10, 0)).toBe(0);
  });
});
