/**
 * The verdict banner the HTML report opens with (prose.verdictBanner): the fastest strategy like
 * for like, the limit to use, PASS or FAIL of the checks, the failures, exactly as worded.
 */
import { describe, expect, it } from 'vitest';
import { emptyErrorCounts, type Recommendation, type StrategyResult, type ThresholdResult } from '../../src/core/report.js';
import { verdictBanner } from '../../src/export/prose.js';
import { makeReport, makeResult, plainRun } from '../helpers/report-fixtures.js';

const rec: Recommendation = { concurrency: 8, reqPerSec: 40, okPerSec: 40, reason: 'C=8 has the best goodput (40 ok/s)', littleEstimate: null, bracket: null, method: 'grid' };
const threshold = (expr: string, strategy: string, actual: number | null, pass: boolean): ThresholdResult => ({ expr, strategy, actual, pass });

function failing(overrides: Partial<StrategyResult>, failed: number, cls: 'timeout' | 'http5xx' = 'timeout'): StrategyResult {
  const message = cls === 'timeout' ? 'no response within 1000 ms' : '503 Service Unavailable';
  return makeResult({ failed, errors: { ...emptyErrorCounts(), [cls]: failed }, errorExamples: { [cls]: [{ message, count: failed }] }, ...overrides });
}

describe('verdictBanner', () => {
  it('a plain run: the highest speedup judged faster, the sweep that would find a limit, no checks', () => {
    const { sequential, all, bounded } = plainRun();
    expect(verdictBanner(makeReport([sequential, all, bounded]))).toEqual({
      state: 'plain',
      items: [
        { label: 'Fastest like for like', value: 'all: 6.04x faster than sequential (0.411 s vs 2.483 s)', tone: 'good' },
        { label: 'Recommended limit', value: 'not measured', detail: 'one limit ran (C=5); a sweep such as -c 2,5,10,20 finds the best', tone: 'plain' },
        { label: 'Checks', value: 'none', detail: 'add --threshold, --min-speedup or --baseline to gate a run', tone: 'plain' },
      ],
    });
  });

  it('a sweep whose checks passed: the recommended limit and PASS', () => {
    const { sequential, all, bounded } = plainRun();
    const report = makeReport([sequential, all, bounded], { recommendation: rec, thresholds: [threshold('speedup>=3', 'all', 6.04, true), threshold('speedup>=3', 'bounded@5', 4.85, true)] });
    const banner = verdictBanner(report);
    expect(banner.state).toBe('pass');
    expect(banner.items.slice(1)).toEqual([
      { label: 'Recommended limit', value: '-c 8', detail: 'C=8 has the best goodput (40 ok/s)', tone: 'good' },
      { label: 'Checks', value: 'PASS', detail: 'all 2 checks passed', tone: 'good' },
    ]);
  });

  it('FAIL names the failed checks (three at most) and wins over everything else', () => {
    const { sequential, all } = plainRun();
    const thresholds = [
      threshold('speedup>=3', 'all', 6.04, true),
      ...[1, 2, 3, 4].map((c) => threshold('bounded.p95<100', `bounded@${c}`, 150 + c, false)),
      { ...threshold('speedup>=2', 'all', 6.04, false), reason: 'all failed more than sequential' },
    ];
    const baseline = { startedAt: '2026-11-20T10:00:00.000Z', maxRegressionPct: 10, comparisons: [{ strategy: 'all', baselineWallMs: 300, wallMs: 411, changePct: 37, favourableChangePct: 21.5, ci95: null, pass: false }] };
    const banner = verdictBanner(makeReport([sequential, failing({ strategy: 'all', concurrency: null, wallMs: 411, speedup: 6.04, verdict: 'more-failures' }, 2)], { thresholds, baseline }));
    expect(banner.state).toBe('fail');
    expect(banner.items.find((i) => i.label === 'Checks')).toEqual({ label: 'Checks', value: 'FAIL', detail: '6 of 7 checks failed: bounded.p95<100 on bounded@1: 151; bounded.p95<100 on bounded@2: 152; 4 more', tone: 'bad' });
    const one = verdictBanner(makeReport([sequential, all], { baseline }));
    expect(one.items.find((i) => i.label === 'Checks')?.detail).toBe('1 of 1 check failed: baseline all: +21.5% at best, over the +10% limit');
  });

  it('a result that failed more is never the fastest; the failures are counted with their main cause', () => {
    const { sequential } = plainRun();
    const all = failing({ strategy: 'all', concurrency: null, requests: 10, wallMs: 100, speedup: 24.83, verdict: 'more-failures' }, 4);
    const bounded = makeResult({ strategy: 'bounded', concurrency: 5, wallMs: 512.4, speedup: 4.846, verdict: 'faster' });
    const banner = verdictBanner(makeReport([sequential, all, bounded]));
    expect(banner.state).toBe('warn');
    expect(banner.items[0]).toEqual({ label: 'Fastest like for like', value: 'bounded (C=5): 4.85x faster than sequential (0.512 s vs 2.483 s)', tone: 'good' });
    expect(banner.items.at(-1)).toEqual({ label: 'Failures', value: '4 of 30 requests failed', detail: 'timeout: 4 × no response within 1000 ms (raise --timeout or lower -c)', tone: 'bad' });
  });

  it('when none was faster, says so with the quickest one\'s verdict', () => {
    const { sequential } = plainRun();
    const same = makeResult({ strategy: 'all', concurrency: null, wallMs: 2400, speedup: 1.035, verdict: 'same' });
    const worse = failing({ strategy: 'bounded', concurrency: 5, wallMs: 2000, speedup: 1.24, verdict: 'more-failures' }, 1, 'http5xx');
    expect(verdictBanner(makeReport([sequential, same])).items[0]).toEqual({
      label: 'Fastest like for like', value: 'none beat sequential', detail: 'all: about the same as sequential, 1.03x (2.400 s vs 2.483 s)', tone: 'plain',
    });
    expect(verdictBanner(makeReport([sequential, same, worse])).items[0]).toEqual({
      label: 'Fastest like for like',
      value: 'none beat sequential',
      detail: 'bounded (C=5): not faster, it failed more: 1 of 10 (10%) where sequential failed 0%; 1 failed: 1 http5xx',
      tone: 'bad',
    });
  });

  it('without sequential: the quickest of the results that failed least, and no speedup', () => {
    const all = failing({ strategy: 'all', concurrency: null, wallMs: 300 }, 3);
    const bounded = makeResult({ strategy: 'bounded', concurrency: 5, wallMs: 512.4 });
    const slower = makeResult({ strategy: 'bounded', concurrency: 2, wallMs: 900 });
    expect(verdictBanner(makeReport([all, bounded, slower])).items[0]).toEqual({
      label: 'Fastest like for like', value: 'bounded (C=5): 0.512 s', detail: 'the quickest among the results with the fewest failures; sequential did not run, so there is no speedup', tone: 'plain',
    });
    expect(verdictBanner(makeReport([bounded, slower])).items[0]!.detail).toBe('the quickest; sequential did not run, so there is no speedup');
  });

  it('no verdict when every request failed on one side', () => {
    const sequential = failing({ strategy: 'sequential', ok: 0 }, 10);
    const all = failing({ strategy: 'all', concurrency: null, wallMs: 100, ok: 0, speedup: 10, verdict: 'inconclusive' }, 10);
    expect(verdictBanner(makeReport([sequential, all])).items[0]).toEqual({
      label: 'Fastest like for like', value: 'no verdict', detail: 'all: no comparison, every request failed (10 failed: 10 timeout)', tone: 'warn',
    });
  });

  it('sequential alone, nothing run, an interrupted run', () => {
    const { sequential } = plainRun();
    expect(verdictBanner(makeReport([sequential])).items[0]).toEqual({ label: 'Fastest like for like', value: 'sequential alone: 2.483 s', detail: 'no concurrent strategy ran to compare with', tone: 'plain' });
    const empty = verdictBanner(makeReport([], { partial: true }));
    expect(empty.state).toBe('warn');
    expect(empty.items.slice(0, 2)).toEqual([
      { label: 'Run', value: 'Interrupted before any strategy started: no results.', tone: 'warn' },
      { label: 'Fastest like for like', value: 'none: no strategy ran', tone: 'warn' },
    ]);
    const cut = makeResult({ strategy: 'sequential', partial: true });
    const all = makeResult({ strategy: 'all', concurrency: null, wallMs: 100, speedup: 10, verdict: 'faster' });
    expect(verdictBanner(makeReport([cut, all], { partial: true })).items[1]).toEqual({ label: 'Fastest like for like', value: 'no verdict', detail: 'sequential was cut off before it finished', tone: 'warn' });
  });
});
