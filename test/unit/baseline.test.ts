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
function result(strategy: StrategyName, concurrency: number | null, wallMs: number, walls: readonly number[] = []): StrategyResult {
  return makeResult({ strategy, concurrency, wallMs, reqPerSec: 10_000 / wallMs, speedup: null, runs: walls.map((w) => ({ wallMs: w, ok: 10, failed: 0 })) });
}

const FP = { target: 'pokemon', urls: null, count: 10, strategies: ['all'], concurrency: [5], latency: '100', faults: null, method: 'GET', headers: [] };
const saved = (...results: SavedReport['results']): SavedReport => ({ startedAt: '2026-01-02T03:04:05.000Z', results, fingerprint: FP });
const runsOf = (walls: readonly number[]): Array<{ wallMs: number }> => walls.map((wallMs) => ({ wallMs }));

describe('compareWithBaseline with 1 run: medians, and a warning', () => {
  it('reports the change of the median wall time in %, exactly, and says a gate needs 3 runs', () => {
    const c = compareWithBaseline([result('all', null, 1100)], saved({ strategy: 'all', concurrency: null, wallMs: 1000 }), 50);
    expect(c).toEqual({
      startedAt: '2026-01-02T03:04:05.000Z',
      maxRegressionPct: 50,
      comparisons: [{ strategy: 'all', baselineWallMs: 1000, wallMs: 1100, changePct: 10, favourableChangePct: 10, ci95: null, pass: true }],
      warnings: ['baseline has 1 run: a gate needs --runs 3 or more on both sides; comparing medians'],
    });
    const faster = compareWithBaseline([result('all', null, 750)], saved({ strategy: 'all', concurrency: null, wallMs: 1000 }), 0);
    expect(faster.comparisons[0]).toMatchObject({ changePct: -25, favourableChangePct: -25, pass: true });
    // Rounded to 3 decimals: 1/3 slower.
    const third = compareWithBaseline([result('all', null, 400)], saved({ strategy: 'all', concurrency: null, wallMs: 300 }), 50);
    expect(third.comparisons[0]!.changePct).toBe(33.333);
  });

  it('passes at the limit and fails only beyond it', () => {
    const old = saved({ strategy: 'all', concurrency: null, wallMs: 1000 });
    expect(compareWithBaseline([result('all', null, 1100)], old, 10).comparisons[0]!.pass).toBe(true);
    expect(compareWithBaseline([result('all', null, 1101)], old, 10).comparisons[0]!.pass).toBe(false);
    expect(compareWithBaseline([result('all', null, 1100)], old, 9.99).comparisons[0]!.pass).toBe(false);
  });

  it('names the side that has too few runs', () => {
    const c = compareWithBaseline([result('all', null, 1000, [1000, 1000])], saved({ strategy: 'all', concurrency: null, wallMs: 1000, runs: runsOf([1000, 1000, 1000]) }), 10);
    expect(c.warnings).toEqual(['this run has 2 runs: a gate needs --runs 3 or more on both sides; comparing medians']);
  });

  it('warns when the baseline has no fingerprint', () => {
    const c = compareWithBaseline([result('all', null, 1000)], { startedAt: '', results: [{ strategy: 'all', concurrency: null, wallMs: 1000 }] }, 10);
    expect(c.warnings).toContain('the baseline has no workload fingerprint (saved by an older version): it may not be the same workload');
  });
});

describe('compareWithBaseline from 3 runs: the bootstrap interval of new/old', () => {
  it('with 3 identical runs each side, the interval is exact and the gate passes', () => {
    const c = compareWithBaseline([result('all', null, 1000, [1000, 1000, 1000])], saved({ strategy: 'all', concurrency: null, wallMs: 1000, runs: runsOf([1000, 1000, 1000]) }), 10);
    expect(c.comparisons[0]).toEqual({ strategy: 'all', baselineWallMs: 1000, wallMs: 1000, changePct: 0, favourableChangePct: 0, ci95: [0, 0], pass: true });
    expect(c.warnings).toBeUndefined();
  });

  it('fails when even the lower end of the interval is beyond the limit: 3 runs, 30% slower', () => {
    const c = compareWithBaseline([result('all', null, 1300, [1290, 1300, 1310])], saved({ strategy: 'all', concurrency: null, wallMs: 1000, runs: runsOf([990, 1000, 1010]) }), 10);
    // Lowest resampled ratio: 1290 / 1010.
    expect(c.comparisons[0]!.ci95![0]).toBe(27.723);
    expect(c.comparisons[0]!.pass).toBe(false);
  });

  it('a noisy baseline still catches a 30% slowdown with enough runs', () => {
    const old = [1000, 1050, 950, 1100, 900, 1000, 1020, 980];
    const slow = old.map((w) => w * 1.3).reverse();
    const c = compareWithBaseline([result('all', null, 1300, slow)], saved({ strategy: 'all', concurrency: null, wallMs: 1000, runs: runsOf(old) }), 10);
    expect(c.comparisons[0]!.ci95![0]).toBeGreaterThan(10);
    expect(c.comparisons[0]!.pass).toBe(false);
  });

  it('noise alone does not fail: the same noisy runs, reordered, pass', () => {
    const old = [1000, 1050, 950, 1100, 900];
    const c = compareWithBaseline([result('all', null, 1000, [1100, 900, 1000, 950, 1050])], saved({ strategy: 'all', concurrency: null, wallMs: 1000, runs: runsOf(old) }), 10);
    expect(c.comparisons[0]!.ci95![0]).toBeLessThan(0);
    expect(c.comparisons[0]!.pass).toBe(true);
  });

  it('is the same for the same seed', () => {
    const args = [[result('all', null, 1000, [1100, 900, 1000])], saved({ strategy: 'all', concurrency: null, wallMs: 1000, runs: runsOf([1000, 1050, 950]) }), 10, 7] as const;
    expect(compareWithBaseline(...args)).toEqual(compareWithBaseline(...args));
  });
});

describe('compareWithBaseline: matching', () => {
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
