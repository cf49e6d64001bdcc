/** --baseline: reading a saved report, and comparing wall times with it. */
import { describe, expect, it } from 'vitest';
import { asSavedReport, compareWithBaseline, type SavedReport } from '../../src/core/baseline.js';
import { UsageError } from '../../src/core/errors.js';
import type { StrategyResult } from '../../src/core/report.js';
import type { StrategyName } from '../../src/core/types.js';
import { makeResult } from '../helpers/report-fixtures.js';

describe('asSavedReport', () => {
  const valid = {
    schemaVersion: 1,
    startedAt: '2026-11-21T22:00:00.000Z',
    tool: { name: 'async-bench', version: '0.1.0' },
    results: [
      { strategy: 'sequential', concurrency: 1, wallMs: 2400, wallMsStats: { stddev: 12 } },
      { strategy: 'bounded', concurrency: 8, wallMs: 400 },
    ],
  };

  it('accepts a saved report and keeps startedAt and the results', () => {
    const saved = asSavedReport(valid, 'saved.json');
    expect(saved.startedAt).toBe('2026-11-21T22:00:00.000Z');
    expect(saved.results).toEqual(valid.results);
  });

  it('accepts a report without startedAt (as an empty string) and one with no results', () => {
    expect(asSavedReport({ schemaVersion: 1, results: [] }, 'x.json')).toEqual({ startedAt: '', results: [] });
  });

  it('refuses what is not an async-bench report, naming the file', () => {
    const notReports: unknown[] = [
      null,
      42,
      'text',
      [],
      [{ schemaVersion: 1, results: [] }],
      {},
      { results: [] },
      { schemaVersion: 2, results: [] },
      { schemaVersion: '1', results: [] },
      { schemaVersion: 1 },
      { schemaVersion: 1, results: {} },
      { name: 'some-package', version: '1.0.0' },
    ];
    for (const value of notReports) {
      expect(() => asSavedReport(value, 'saved.json'), JSON.stringify(value)).toThrow(UsageError);
      expect(() => asSavedReport(value, 'saved.json')).toThrow(/'saved\.json' is not an async-bench JSON result/);
    }
  });

  it('refuses results without strategy or wallMs', () => {
    for (const bad of [{ strategy: 'all' }, { wallMs: 100 }, { strategy: 'all', wallMs: '100' }, { strategy: 3, wallMs: 100 }, null, 7]) {
      expect(() => asSavedReport({ schemaVersion: 1, results: [bad] }, 'b.json'), JSON.stringify(bad)).toThrow(UsageError);
      expect(() => asSavedReport({ schemaVersion: 1, results: [bad] }, 'b.json')).toThrow(/'b\.json' has a result without strategy and wallMs/);
    }
  });
});

/** A result whose wall time is `wallMs` with the given spread (stddev 0 and min = wallMs by default). */
function result(strategy: StrategyName, concurrency: number | null, wallMs: number, stddev = 0, min = wallMs): StrategyResult {
  return makeResult({ strategy, concurrency, wallMs, reqPerSec: 10_000 / wallMs, speedup: null, runs: [], wallMsStats: { median: wallMs, mean: wallMs, stddev, min, max: wallMs + stddev } });
}

const saved = (...results: SavedReport['results']): SavedReport => ({ startedAt: '2026-01-02T03:04:05.000Z', results });

describe('compareWithBaseline', () => {
  it('reports the change of the median wall time in %, exactly', () => {
    const c = compareWithBaseline([result('all', null, 1100)], saved({ strategy: 'all', concurrency: null, wallMs: 1000 }), 50);
    expect(c).toEqual({
      startedAt: '2026-01-02T03:04:05.000Z',
      maxRegressionPct: 50,
      comparisons: [{ strategy: 'all', baselineWallMs: 1000, wallMs: 1100, changePct: 10, favourableChangePct: 10, pass: true }],
    });
    const faster = compareWithBaseline([result('all', null, 750)], saved({ strategy: 'all', concurrency: null, wallMs: 1000 }), 0);
    expect(faster.comparisons[0]).toMatchObject({ changePct: -25, favourableChangePct: -25, pass: true });
    // Rounded to 3 decimals: 1/3 slower.
    const third = compareWithBaseline([result('all', null, 400)], saved({ strategy: 'all', concurrency: null, wallMs: 300 }), 50);
    expect(third.comparisons[0]!.changePct).toBe(33.333);
  });

  it('the favourable end is new median − its stddev against old median + its stddev', () => {
    // New 1200 ± 100 (min 1000): 1100 against old 1000 + 50 → +4.762%, while the medians differ by +20%.
    const c = compareWithBaseline([result('all', null, 1200, 100, 1000)], saved({ strategy: 'all', concurrency: null, wallMs: 1000, wallMsStats: { stddev: 50 } }), 10);
    expect(c.comparisons[0]).toEqual({ strategy: 'all', baselineWallMs: 1000, wallMs: 1200, changePct: 20, favourableChangePct: 4.762, pass: true });
  });

  it('does not take the new end below the fastest run (min)', () => {
    // 1200 − 100 = 1100 is below no run; with min 1150 the favourable end is 1150 → 1150 / 1050.
    const c = compareWithBaseline([result('all', null, 1200, 100, 1150)], saved({ strategy: 'all', concurrency: null, wallMs: 1000, wallMsStats: { stddev: 50 } }), 10);
    expect(c.comparisons[0]!.favourableChangePct).toBe(9.524);
    expect(c.comparisons[0]!.pass).toBe(true);
    const tighter = compareWithBaseline([result('all', null, 1200, 100, 1170)], saved({ strategy: 'all', concurrency: null, wallMs: 1000, wallMsStats: { stddev: 50 } }), 10);
    expect(tighter.comparisons[0]!.favourableChangePct).toBe(11.429); // 1170 / 1050
    expect(tighter.comparisons[0]!.pass).toBe(false);
  });

  it('uses no old spread when the saved report has none', () => {
    const c = compareWithBaseline([result('all', null, 1200, 100, 1000)], saved({ strategy: 'all', concurrency: null, wallMs: 1000 }), 10);
    expect(c.comparisons[0]!.favourableChangePct).toBe(10); // 1100 / 1000
    expect(c.comparisons[0]!.pass).toBe(true);
  });

  it('passes at the limit and fails only beyond it', () => {
    const old = saved({ strategy: 'all', concurrency: null, wallMs: 1000 });
    expect(compareWithBaseline([result('all', null, 1100)], old, 10).comparisons[0]!.pass).toBe(true);
    expect(compareWithBaseline([result('all', null, 1101)], old, 10).comparisons[0]!.pass).toBe(false);
    expect(compareWithBaseline([result('all', null, 1100)], old, 9.99).comparisons[0]!.pass).toBe(false);
    // 40 % slower with a small spread on both sides: fails a 10 % limit.
    const slow = compareWithBaseline([result('all', null, 1500, 20, 1480)], saved({ strategy: 'all', concurrency: null, wallMs: 1000, wallMsStats: { stddev: 50 } }), 10);
    expect(slow.comparisons[0]).toMatchObject({ changePct: 50, favourableChangePct: 40.952, pass: false });
  });

  it('matches results by strategy and limit', () => {
    const c = compareWithBaseline(
      [result('sequential', 1, 2000), result('bounded', 8, 100), result('bounded', 16, 100)],
      saved(
        { strategy: 'bounded', concurrency: 16, wallMs: 200 },
        { strategy: 'sequential', concurrency: 1, wallMs: 2000 },
        { strategy: 'bounded', concurrency: 8, wallMs: 80 },
      ),
      10,
    );
    expect(c.comparisons.map((x) => [x.strategy, x.baselineWallMs, x.changePct, x.pass])).toEqual([
      ['sequential', 2000, 0, true],
      ['bounded@8', 80, 25, false],
      ['bounded@16', 200, -50, true],
    ]);
  });

  it('skips results the baseline does not have (and saved results with no time)', () => {
    const c = compareWithBaseline(
      [result('sequential', 1, 2000), result('all', null, 300), result('bounded', 4, 500), result('bounded', 32, 100)],
      saved({ strategy: 'bounded', concurrency: 8, wallMs: 400 }, { strategy: 'sequential', concurrency: 1, wallMs: 0 }, { strategy: 'all', concurrency: null, wallMs: 290 }),
      10,
    );
    expect(c.comparisons.map((x) => x.strategy)).toEqual(['all']);
    expect(compareWithBaseline([result('all', null, 300)], saved(), 10).comparisons).toEqual([]);
  });
});
