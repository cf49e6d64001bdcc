/** Spread of repeated runs: median, sample stddev, ratio uncertainty and the bootstrap interval. */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { bootstrapRatioCI, maxOf, median, minOf, ratioStddev, stddev, summarizeSpread } from '../../src/core/stats.js';

describe('median', () => {
  it('takes the middle value of an odd count', () => {
    expect(median([7])).toBe(7);
    expect(median([1, 2, 3])).toBe(2);
    expect(median([5, 1, 9, 3, 7])).toBe(5);
  });

  it('takes the mean of the two middle values of an even count', () => {
    expect(median([1, 2])).toBe(1.5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 40, 20, 30, 60, 50])).toBe(35);
  });

  it('sorts unsorted input numerically, not as strings', () => {
    // As strings 10 < 100 < 9, which would give 100.
    expect(median([100, 9, 10])).toBe(10);
    expect(median([1000, 2, 30, 400])).toBe(215);
  });

  it('leaves its input as it was and reads typed arrays', () => {
    const values = [3, 1, 2];
    expect(median(values)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
    expect(median(Float64Array.from([9, 1, 5]))).toBe(5);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});

describe('stddev (sample, n - 1)', () => {
  it('gives the exact sample standard deviation', () => {
    // Mean 5, squared deviations sum to 32, 32 / 7 under the root.
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2.138089935299395);
    expect(stddev([1, 3])).toBe(Math.SQRT2);
    expect(stddev([10, 20, 30])).toBe(10);
  });

  it('is not the population standard deviation (n)', () => {
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).not.toBe(2);
  });

  it('is 0 for fewer than two values and for equal values', () => {
    expect(stddev([])).toBe(0);
    expect(stddev([42])).toBe(0);
    expect(stddev([5, 5, 5, 5])).toBe(0);
  });
});

describe('summarizeSpread', () => {
  it('gives median, mean, sample stddev, min and max exactly', () => {
    // Deviations from 4: -1, -3, -2, 6 → 50 / 3 under the root.
    expect(summarizeSpread([3, 1, 2, 10])).toEqual({ median: 2.5, mean: 4, stddev: 4.08248290463863, min: 1, max: 10 });
    expect(summarizeSpread([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ median: 4.5, mean: 5, stddev: 2.138089935299395, min: 2, max: 9 });
  });

  it('one value has no spread', () => {
    expect(summarizeSpread([12.5])).toEqual({ median: 12.5, mean: 12.5, stddev: 0, min: 12.5, max: 12.5 });
  });

  it('is all zeros for no values', () => {
    expect(summarizeSpread([])).toEqual({ median: 0, mean: 0, stddev: 0, min: 0, max: 0 });
  });
});

describe('ratioStddev (relative errors in quadrature)', () => {
  it('propagates both spreads exactly', () => {
    // Relative errors 24 / 2400 = 0.01 and 8 / 400 = 0.02.
    const sd = ratioStddev(6, { mean: 2400, stddev: 24 }, { mean: 400, stddev: 8 });
    expect(sd).toBe(6 * Math.sqrt(0.01 ** 2 + 0.02 ** 2));
    expect(sd).toBeCloseTo(0.1341640786499874, 14);
  });

  it('is 0 without spread and scales with the ratio', () => {
    expect(ratioStddev(4, { mean: 100, stddev: 0 }, { mean: 25, stddev: 0 })).toBe(0);
    expect(ratioStddev(2, { mean: 100, stddev: 3 }, { mean: 50, stddev: 2 })).toBeCloseTo(0.1, 12); // 2 × √(0.03² + 0.04²)
  });

  it('is 0 when a mean is not positive (no ratio to qualify)', () => {
    expect(ratioStddev(1, { mean: 0, stddev: 1 }, { mean: 10, stddev: 1 })).toBe(0);
    expect(ratioStddev(1, { mean: 10, stddev: 1 }, { mean: 0, stddev: 1 })).toBe(0);
  });
});

describe('bootstrapRatioCI', () => {
  it('is null when either sample has fewer than two values', () => {
    const random = createRandom(1);
    expect(bootstrapRatioCI([100], [50, 51], random)).toBeNull();
    expect(bootstrapRatioCI([100, 101], [50], random)).toBeNull();
    expect(bootstrapRatioCI([], [], random)).toBeNull();
  });

  it('is the same interval for the same seeded generator', () => {
    const baseline = [2400, 2450, 2380, 2510, 2420];
    const candidate = [400, 430, 390, 410, 415];
    const a = bootstrapRatioCI(baseline, candidate, createRandom(42));
    const b = bootstrapRatioCI(baseline, candidate, createRandom(42));
    expect(a).not.toBeNull();
    expect(a).toEqual(b);
    // With few rounds the percentiles fall on different resamples for another seed.
    expect(bootstrapRatioCI(baseline, candidate, createRandom(42), 20)).toEqual(bootstrapRatioCI(baseline, candidate, createRandom(42), 20));
    expect(bootstrapRatioCI(baseline, candidate, createRandom(43), 20)).not.toEqual(bootstrapRatioCI(baseline, candidate, createRandom(42), 20));
  });

  it('draws one number per resampled value, rounds times', () => {
    let draws = 0;
    const random = createRandom(5);
    bootstrapRatioCI([1, 2, 3], [4, 5], () => {
      draws++;
      return random();
    }, 100);
    expect(draws).toBe(100 * (3 + 2));
  });

  it('resamples with replacement: always drawing index 0 gives baseline[0] / candidate[0]', () => {
    expect(bootstrapRatioCI([10, 20, 30], [5, 1, 2], () => 0, 50)).toEqual([2, 2]);
  });

  it('contains the true ratio for tight samples, with a narrow ordered interval', () => {
    const ci = bootstrapRatioCI([1000, 1001, 999, 1000.5, 999.5], [250, 250.2, 249.8, 250.1, 249.9], createRandom(7));
    expect(ci).not.toBeNull();
    const [lo, hi] = ci!;
    expect(lo).toBeLessThanOrEqual(4);
    expect(hi).toBeGreaterThanOrEqual(4);
    expect(lo).toBeLessThanOrEqual(hi);
    expect(hi - lo).toBeLessThan(0.02);
  });

  it('is [r, r] for samples without spread', () => {
    expect(bootstrapRatioCI([300, 300, 300], [75, 75, 75, 75], createRandom(3))).toEqual([4, 4]);
    expect(bootstrapRatioCI([90, 90], [100, 100], createRandom(3))).toEqual([0.9, 0.9]);
  });
});

describe('maxOf and minOf', () => {
  it('agree with Math.max and Math.min, NaN included, and give the fallback for no values', () => {
    expect(maxOf([3, 9, -1])).toBe(9);
    expect(minOf([3, 9, -1])).toBe(-1);
    expect(maxOf([1, Number.NaN, 2])).toBeNaN();
    expect(minOf([Number.NaN, 1])).toBeNaN();
    expect(maxOf([])).toBe(0);
    expect(minOf([], 7)).toBe(7);
  });

  // 1,000,000 values are 8 MB of arguments: past the stack of the main thread (about 1 MB)
  // and of a worker thread (4 MB), where the unit tests run.
  it('take 1,000,000 values, where a spread into Math.max overflows the stack', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(maxOf(values)).toBe(values.reduce((a, b) => (b > a ? b : a)));
    expect(minOf(values)).toBe(0);
    expect(summarizeSpread(values).max).toBe(maxOf(values));
  });
});
