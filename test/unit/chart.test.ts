/** The sweep chart: goodput (ok/s) per bounded limit, as plain text fitted to the terminal's width. */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { emptyErrorCounts, type Recommendation, type StrategyResult } from '../../src/core/report.js';
import type { StrategyName } from '../../src/core/types.js';
import { renderSweepChart } from '../../src/export/chart.js';
import { makeResult } from '../helpers/report-fixtures.js';

const plain = new Chalk({ level: 0 });

function result(strategy: StrategyName, concurrency: number | null, okPerSec: number, failed = 0): StrategyResult {
  return makeResult({
    strategy, concurrency, requests: 100, failed, reqPerSec: okPerSec, okPerSec, errors: { ...emptyErrorCounts(), http5xx: failed },
    runs: [], wallMsStats: { median: 0, mean: 0, stddev: 0, min: 0, max: 0 },
  });
}

const bar = (filled: number, width: number): string => '#'.repeat(filled) + ' '.repeat(width - filled);
const rec = (concurrency: number, reqPerSec: number): Recommendation => ({ concurrency, reqPerSec, okPerSec: reqPerSec, reason: 'test', littleEstimate: null, bracket: null, method: 'grid' });

const SWEEP = [result('sequential', 1, 12.5), result('all', null, 900), result('bounded', 1, 25), result('bounded', 2, 50), result('bounded', 4, 100), result('bounded', 8, 100)];

describe('renderSweepChart', () => {
  it('draws one bar per bounded limit, scaled to the best, exactly', () => {
    // Labels 3 wide, values up to 9 ("25.0 ok/s"): bars of 60 − 3 − 9 − 6 = 42.
    const chart = renderSweepChart(SWEEP, 60, plain, rec(4, 100));
    expect(chart.split('\n')).toEqual([
      'ok/s by concurrency limit',
      `C=1 |${bar(11, 42)}| 25.0 ok/s`, // 25 / 100 × 42 = 10.5 rounds up
      `C=2 |${bar(21, 42)}| 50.0 ok/s`,
      `C=4 |${bar(42, 42)}| 100 ok/s <`,
      `C=8 |${bar(42, 42)}| 100 ok/s`,
    ]);
  });

  it('keeps every line within the width it was given', () => {
    for (const columns of [40, 60, 80, 100]) {
      const lines = renderSweepChart(SWEEP, columns, plain, rec(1, 25)).split('\n');
      for (const line of lines) expect(line.length, `${columns} columns: '${line}'`).toBeLessThanOrEqual(columns);
      // The marked line with the widest value fills the width exactly, until bars reach their 60 maximum.
      expect(lines[1]!.length).toBe(Math.min(columns, 3 + 2 + 60 + 2 + 9 + 2));
    }
  });

  it('keeps bars between 10 and 60 characters', () => {
    const narrow = renderSweepChart(SWEEP, 20, plain).split('\n');
    expect(narrow[1]).toBe(`C=1 |${bar(3, 10)}| 25.0 ok/s`); // 2.5 rounds up to 3
    expect(narrow[3]).toBe(`C=4 |${bar(10, 10)}| 100 ok/s`);
    const wide = renderSweepChart(SWEEP, 300, plain).split('\n');
    expect(wide[3]).toBe(`C=4 |${bar(60, 60)}| 100 ok/s`);
    expect(wide[1]).toBe(`C=1 |${bar(15, 60)}| 25.0 ok/s`);
  });

  it('marks only the recommended limit, and none without a recommendation', () => {
    const marked = renderSweepChart(SWEEP, 60, plain, rec(2, 50)).split('\n');
    expect(marked.filter((l) => l.endsWith(' <'))).toEqual([`C=2 |${bar(21, 42)}| 50.0 ok/s <`]);
    expect(renderSweepChart(SWEEP, 60, plain)).not.toContain(' <');
  });

  it('tells failures next to the rate, pads labels, and draws at least one # per limit', () => {
    const chart = renderSweepChart([result('bounded', 8, 141.47), result('bounded', 16, 1118.94, 50), result('bounded', 1, 0)], 80, plain, rec(8, 141.47));
    // Labels 4 wide, values up to 20 ("1119 ok/s, 50 failed"): bars of 80 − 4 − 20 − 6 = 50.
    expect(chart.split('\n')).toEqual([
      'ok/s by concurrency limit',
      ` C=8 |${bar(6, 50)}| 141 ok/s <`, // 141.47 / 1118.94 × 50 = 6.3
      `C=16 |${bar(50, 50)}| 1119 ok/s, 50 failed`,
      ` C=1 |${bar(1, 50)}| 0.0 ok/s`,
    ]);
  });

  it('is empty without a sweep', () => {
    expect(renderSweepChart([], 80, plain)).toBe('');
    expect(renderSweepChart([result('sequential', 1, 10), result('all', null, 50), result('bounded', 5, 40)], 80, plain)).toBe('');
  });

  it('reads without colour; with colour, failing bars are red and the recommended one green', () => {
    const chart = renderSweepChart(SWEEP, 60, plain, rec(4, 100));
     
    expect(chart).not.toMatch(/\u001b\[/);
    const coloured = renderSweepChart([result('bounded', 2, 50), result('bounded', 4, 100), result('bounded', 8, 120, 3)], 60, new Chalk({ level: 1 }), rec(4, 100)).split('\n');
    expect(coloured[1]).toContain('\u001b[36m'); // cyan
    expect(coloured[2]).toContain('\u001b[32m'); // green: recommended
    expect(coloured[3]).toContain('\u001b[31m'); // red: failures
  });
});
