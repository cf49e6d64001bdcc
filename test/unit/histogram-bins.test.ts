/** The latency histograms' bins: round widths fitted to the data, one axis when the ranges are alike. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MANY_VALUES, MIN_BINS_FOR_MANY, binIndex, histogramBins, niceFloor, targetBins } from '../../src/export/histogram-bins.js';

const spread = (count: number, from: number, to: number): number[] => Array.from({ length: count }, (_, i) => from + ((to - from) * i) / Math.max(1, count - 1));

describe('targetBins and niceFloor', () => {
  it('asks about 2√n bins, at least 10 from 30 values, at most 30', () => {
    expect([1, 4, 10, 20, 29, 30, 100, 225, 10_000].map(targetBins)).toEqual([2, 4, 6, 9, 11, 11, 20, 30, 30]);
    expect(targetBins(0)).toBe(0);
    expect(targetBins(25)).toBe(10);
  });

  it('rounds down to 1, 2 or 5 × 10^k, never below a microsecond', () => {
    expect([0.3, 1, 1.99, 2, 4.99, 5, 9.99, 12, 250, 7000].map(niceFloor)).toEqual([0.2, 1, 1, 2, 2, 5, 5, 10, 200, 5000]);
    expect(niceFloor(0)).toBe(0.001);
    expect(niceFloor(0.0004)).toBe(0.001);
  });
});

describe('histogramBins', () => {
  it('20 requests of 40-160 ms: bins of 10 ms from 40', () => {
    // 120 ms / 9 bins = 13.3, rounded down to 10.
    expect(histogramBins([spread(20, 40, 160)])).toEqual({ axis: { from: 40, to: 170 }, bins: [{ start: 40, width: 10, count: 13 }] });
  });

  it('starts at the data, not at zero, on a multiple of the width', () => {
    // 100 values of 803-897 ms: 20 bins asked, 94 / 20 = 4.7 rounded down to 2.
    expect(histogramBins([spread(100, 803, 897)]).bins).toEqual([{ start: 802, width: 2, count: 48 }]);
    expect(histogramBins([spread(30, 803, 897)]).bins).toEqual([{ start: 800, width: 5, count: 20 }]);
  });

  it('fits each list\'s bins to its own data, on one axis over them all', () => {
    // all's requests ran together: a narrow range, narrow bars, on sequential's axis.
    const { axis, bins } = histogramBins([spread(20, 40, 160), spread(20, 62, 84), []]);
    expect(axis).toEqual({ from: 40, to: 170 });
    expect(bins).toEqual([{ start: 40, width: 10, count: 13 }, { start: 62, width: 2, count: 12 }, null]);
    // Far apart is still one axis: where each lies is the point.
    expect(histogramBins([spread(20, 40, 160), spread(20, 500, 640)]).axis).toEqual({ from: 40, to: 650 });
  });

  it('gives each its own axis when one range is a sliver of the whole', () => {
    const { axis, bins } = histogramBins([spread(20, 40, 1000), spread(20, 100, 110)]);
    expect(axis).toBeNull();
    expect(bins).toEqual([{ start: 0, width: 100, count: 11 }, { start: 100, width: 1, count: 11 }]);
  });

  it('one bar when every value is the same (it squeezes no axis); nothing for no values', () => {
    expect(histogramBins([[120, 120, 120]])).toEqual({ axis: { from: 120, to: 130 }, bins: [{ start: 120, width: 10, count: 1 }] });
    expect(histogramBins([spread(20, 40, 1000), [500]]).axis).toEqual({ from: 0, to: 1100 });
    expect(histogramBins([[]])).toEqual({ axis: null, bins: [null] });
  });

  it('property: every value falls in a bin; from 30 distinct values on, at least 10 bins span each list', () => {
    const list = fc.array(fc.double({ min: 0, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 5 }), (lists) => {
        const { bins } = histogramBins(lists);
        lists.forEach((values, i) => {
          const b = bins[i]!;
          expect(b.count).toBeGreaterThanOrEqual(1);
          expect(b.count).toBeLessThanOrEqual(500);
          const lo = Math.min(...values);
          const hi = Math.max(...values);
          expect(b.start).toBeLessThanOrEqual(lo + 1e-9 * lo);
          expect(b.start + b.count * b.width).toBeGreaterThan(hi - 1e-6);
          for (const v of values) {
            const k = binIndex(b, v);
            expect(v).toBeGreaterThanOrEqual(b.start + k * b.width - 1e-6 * Math.max(1, v));
            expect(v).toBeLessThanOrEqual(b.start + (k + 1) * b.width + 1e-6 * Math.max(1, v));
          }
          // Bins across the list's own range: from its first value's bin to its last value's.
          if (values.length >= MANY_VALUES && hi - lo > 0.01) expect(binIndex(b, hi) - binIndex(b, lo) + 1).toBeGreaterThanOrEqual(MIN_BINS_FOR_MANY);
        });
      }),
      { numRuns: 300 },
    );
  });
});
