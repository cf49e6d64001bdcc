/** --threshold / --min-speedup: parsing, the run-time applicability check, and evaluation. */
import { resultKey } from '../../src/core/result-label.js';
import { describe, expect, it } from 'vitest';
import type { StrategyResult } from '../../src/core/report.js';
import {
  THRESHOLD_METRICS,
  checkThresholdsApply,
  evaluateThresholds,
  minSpeedupThreshold,
  parseThreshold,
  type Threshold,
} from '../../src/core/thresholds.js';
import type { StrategyName } from '../../src/core/types.js';
import { makeResult } from '../helpers/report-fixtures.js';
import { usageMessage } from '../helpers/expectations.js';

describe('parseThreshold', () => {
  it('parses every operator', () => {
    const ops = ['<', '<=', '>', '>=', '=='] as const;
    for (const op of ops) {
      expect(parseThreshold(`p95${op}300`)).toEqual({ expr: `p95${op}300`, strategy: null, concurrency: null, metric: 'p95', op, value: 300 });
    }
  });

  it('parses every metric', () => {
    for (const metric of THRESHOLD_METRICS) {
      const t = parseThreshold(`${metric}>=1.5`);
      expect(t.metric).toBe(metric);
      expect(t.op).toBe('>=');
      expect(t.value).toBe(1.5);
    }
    expect([...THRESHOLD_METRICS].sort()).toEqual(['errorRate', 'failed', 'p50', 'p90', 'p95', 'p99', 'reqPerSec', 'speedup', 'wallMs']);
  });

  it('takes a metric in any case and returns its canonical name', () => {
    expect(parseThreshold('WALLMS<1000').metric).toBe('wallMs');
    expect(parseThreshold('reqpersec>10').metric).toBe('reqPerSec');
    expect(parseThreshold('ERRORRATE==0').metric).toBe('errorRate');
    expect(parseThreshold('P95<3').metric).toBe('p95');
    expect(parseThreshold('SpeedUp>=3').metric).toBe('speedup');
  });

  it('parses a strategy prefix (any case), a bounded limit, decimals, negatives and spaces', () => {
    expect(parseThreshold('bounded.p95<300')).toEqual({ expr: 'bounded.p95<300', strategy: 'bounded', concurrency: null, metric: 'p95', op: '<', value: 300 });
    expect(parseThreshold('bounded@8.reqPerSec>=100.25')).toEqual({
      expr: 'bounded@8.reqPerSec>=100.25',
      strategy: 'bounded',
      concurrency: 8,
      metric: 'reqPerSec',
      op: '>=',
      value: 100.25,
    });
    expect(parseThreshold('All.errorRate==0').strategy).toBe('all');
    expect(parseThreshold('SEQUENTIAL.wallMs<5000').strategy).toBe('sequential');
    expect(parseThreshold('  all . p99 <= 12.5  ')).toEqual({ expr: 'all . p99 <= 12.5', strategy: 'all', concurrency: null, metric: 'p99', op: '<=', value: 12.5 });
    expect(parseThreshold('speedup>-1').value).toBe(-1);
  });

  it('refuses what does not parse, with the expected shape in the message', () => {
    for (const garbage of ['garbage', '', 'p95', 'p95<', '<300', 'p95=300', 'p95=<300', 'p95<abc', 'p95<3e2', 'bounded.@8.p95<3', 'bounded@x.p95<3', 'p95<300ms', 'a.b.p95<3']) {
      expect(usageMessage(() => parseThreshold(garbage)), garbage).toContain('does not parse');
    }
  });

  it('refuses an unknown metric, suggesting the closest', () => {
    const message = usageMessage(() => parseThreshold('p96<300'));
    expect(message).toContain("unknown metric 'p96'");
    expect(message).toContain("did you mean 'p90'?");
    expect(usageMessage(() => parseThreshold('wallms2<3'))).toContain("did you mean 'wallMs'?");
    expect(usageMessage(() => parseThreshold('spedup>=3'))).toContain("did you mean 'speedup'?");
    expect(usageMessage(() => parseThreshold('latency<3'))).not.toContain('did you mean');
  });

  it('refuses an unknown strategy, suggesting the closest', () => {
    const message = usageMessage(() => parseThreshold('bounde.p95<300'));
    expect(message).toContain("unknown strategy 'bounde'");
    expect(message).toContain("did you mean 'bounded'?");
    expect(usageMessage(() => parseThreshold('parallel.p95<300'))).toContain("unknown strategy 'parallel'");
  });

  it('refuses a limit on anything but bounded', () => {
    expect(usageMessage(() => parseThreshold('all@8.p95<300'))).toContain('only bounded, batched and workers take a limit');
    expect(usageMessage(() => parseThreshold('sequential@1.wallMs<300'))).toContain('only bounded, batched and workers take a limit');
    // As its results are keyed with -c (resultKey): workers@8.
    expect(parseThreshold('workers@8.p95<300')).toMatchObject({ strategy: 'workers', concurrency: 8 });
    expect(resultKey({ strategy: 'workers', concurrency: 8 })).toBe('workers@8');
  });
});

describe('checkThresholdsApply', () => {
  const ALL3: StrategyName[] = ['sequential', 'all', 'bounded'];
  const apply = (exprs: string[], strategies: StrategyName[], concurrency: number[]): void =>
    checkThresholdsApply(exprs.map(parseThreshold), strategies, concurrency);

  it('accepts thresholds that can be checked', () => {
    expect(() => apply(['speedup>=3', 'bounded@8.p95<300', 'all.errorRate==0', 'sequential.wallMs<9000', 'p95<1'], ALL3, [4, 8])).not.toThrow();
    expect(() => apply(['p95<300'], ['all'], [5])).not.toThrow();
    expect(() => apply(['bounded.speedup>=2'], ['sequential', 'bounded'], [5])).not.toThrow();
    expect(() => checkThresholdsApply([minSpeedupThreshold(2)], ['sequential', 'all'], [5])).not.toThrow();
  });

  it('refuses a strategy that does not run', () => {
    expect(usageMessage(() => apply(['bounded.p95<300'], ['sequential', 'all'], [5]))).toContain('names bounded, which is not among the strategies run (sequential, all)');
  });

  it('refuses a limit outside the sweep', () => {
    expect(usageMessage(() => apply(['bounded@3.p95<300'], ALL3, [5]))).toContain('names bounded@3, but -c is 5');
    expect(usageMessage(() => apply(['bounded@16.p95<300'], ALL3, [2, 4, 8]))).toContain('-c is 2,4,8');
  });

  it('refuses a speedup without sequential to compare with', () => {
    expect(usageMessage(() => apply(['speedup>=2'], ['all', 'bounded'], [5]))).toContain('speedup is measured against sequential');
    expect(usageMessage(() => apply(['all.speedup>=2'], ['all'], [5]))).toContain('speedup is measured against sequential');
    expect(usageMessage(() => checkThresholdsApply([minSpeedupThreshold(2)], ['all', 'bounded'], [5]))).toContain('against sequential');
  });

  it("refuses sequential's own speedup", () => {
    expect(usageMessage(() => apply(['sequential.speedup>=1'], ALL3, [5]))).toContain("sequential's speedup is 1 by definition");
  });

  it('refuses a speedup (or --min-speedup) when only sequential runs', () => {
    expect(usageMessage(() => apply(['speedup>=2'], ['sequential'], [5]))).toContain('none is among the strategies run');
    expect(usageMessage(() => checkThresholdsApply([minSpeedupThreshold(2)], ['sequential'], [5]))).toContain('none is among the strategies run');
  });
});

/** A result with the given metric values (everything else zero). */
function result(strategy: StrategyName, concurrency: number | null, values: Partial<StrategyResult> = {}): StrategyResult {
  return makeResult({
    strategy, concurrency, latencyMs: { min: 1, mean: 5, p50: 4, p90: 8, p95: 9, p99: 10, max: 11 },
    speedup: strategy === 'sequential' ? 1 : 2, runs: [], ...values,
  });
}

const RESULTS: StrategyResult[] = [
  result('sequential', 1, { wallMs: 2400, reqPerSec: 4.17, speedup: 1, latencyMs: { min: 200, mean: 240, p50: 238, p90: 280, p95: 290, p99: 299, max: 300 } }),
  result('all', null, { wallMs: 400, reqPerSec: 25, speedup: 6, failed: 1, ok: 9, latencyMs: { min: 210, mean: 300, p50: 310, p90: 380, p95: 390, p99: 398.5, max: 399 } }),
  result('bounded', 4, { wallMs: 800, reqPerSec: 12.5, speedup: 3, latencyMs: { min: 200, mean: 230, p50: 231, p90: 260, p95: 270, p99: 279, max: 280 } }),
  result('bounded', 8, { wallMs: 500, reqPerSec: 20, speedup: 4.8, failed: 3, ok: 7, latencyMs: { min: 205, mean: 250, p50: 251, p90: 290, p95: 295, p99: 299.9, max: 300 } }),
];

const evaluate = (...exprs: string[]) => evaluateThresholds(exprs.map(parseThreshold), RESULTS);

describe('evaluateThresholds', () => {
  it('checks speedup on the concurrent results only', () => {
    expect(evaluate('speedup>=4')).toEqual([
      { expr: 'speedup>=4', strategy: 'all', actual: 6, pass: true },
      { expr: 'speedup>=4', strategy: 'bounded@4', actual: 3, pass: false },
      { expr: 'speedup>=4', strategy: 'bounded@8', actual: 4.8, pass: true },
    ]);
  });

  it('checks wallMs, reqPerSec and every latency percentile with their actual values', () => {
    expect(evaluate('sequential.wallMs<2400', 'all.wallMs<=400', 'all.reqPerSec>24.99', 'bounded@8.reqPerSec>20')).toEqual([
      { expr: 'sequential.wallMs<2400', strategy: 'sequential', actual: 2400, pass: false },
      { expr: 'all.wallMs<=400', strategy: 'all', actual: 400, pass: true },
      { expr: 'all.reqPerSec>24.99', strategy: 'all', actual: 25, pass: true },
      { expr: 'bounded@8.reqPerSec>20', strategy: 'bounded@8', actual: 20, pass: false },
    ]);
    expect(evaluate('all.p50<=310', 'all.p90<380', 'all.p95>=390', 'all.p99<398.5')).toEqual([
      { expr: 'all.p50<=310', strategy: 'all', actual: 310, pass: true },
      { expr: 'all.p90<380', strategy: 'all', actual: 380, pass: false },
      { expr: 'all.p95>=390', strategy: 'all', actual: 390, pass: true },
      { expr: 'all.p99<398.5', strategy: 'all', actual: 398.5, pass: false },
    ]);
  });

  it('checks failed and errorRate = failed / requests', () => {
    expect(evaluate('failed==0')).toEqual([
      { expr: 'failed==0', strategy: 'sequential', actual: 0, pass: true },
      { expr: 'failed==0', strategy: 'all', actual: 1, pass: false },
      { expr: 'failed==0', strategy: 'bounded@4', actual: 0, pass: true },
      { expr: 'failed==0', strategy: 'bounded@8', actual: 3, pass: false },
    ]);
    expect(evaluate('errorRate<=0.1')).toEqual([
      { expr: 'errorRate<=0.1', strategy: 'sequential', actual: 0, pass: true },
      { expr: 'errorRate<=0.1', strategy: 'all', actual: 0.1, pass: true },
      { expr: 'errorRate<=0.1', strategy: 'bounded@4', actual: 0, pass: true },
      { expr: 'errorRate<=0.1', strategy: 'bounded@8', actual: 0.3, pass: false },
    ]);
    // No requests: an error rate of 0, not NaN.
    expect(evaluateThresholds([parseThreshold('errorRate==0')], [result('all', null, { requests: 0, ok: 0, failed: 0 })])).toEqual([
      { expr: 'errorRate==0', strategy: 'all', actual: 0, pass: true },
    ]);
  });

  it('selects by strategy, and bounded@C by its limit', () => {
    expect(evaluate('bounded.wallMs<600').map((t) => [t.strategy, t.pass])).toEqual([
      ['bounded@4', false],
      ['bounded@8', true],
    ]);
    expect(evaluate('bounded@8.wallMs<600')).toEqual([{ expr: 'bounded@8.wallMs<600', strategy: 'bounded@8', actual: 500, pass: true }]);
    expect(evaluate('bounded@4.wallMs<600')).toEqual([{ expr: 'bounded@4.wallMs<600', strategy: 'bounded@4', actual: 800, pass: false }]);
  });

  it('distinguishes < from <= and > from >= at the boundary', () => {
    expect(evaluate('all.wallMs<400', 'all.wallMs<=400', 'all.wallMs>400', 'all.wallMs>=400').map((t) => t.pass)).toEqual([false, true, false, true]);
  });

  it("'==' is exact", () => {
    expect(evaluate('all.speedup==6')[0]!.pass).toBe(true);
    expect(evaluate('all.speedup==6.0')[0]!.pass).toBe(true);
    expect(evaluate('all.speedup==6.001')[0]!.pass).toBe(false);
    expect(evaluate('bounded@8.speedup==4.8')[0]!.pass).toBe(true);
    expect(evaluate('bounded@8.speedup==4.79')[0]!.pass).toBe(false);
  });

  it('fails a threshold with no result to check (an interrupted run), with no actual value', () => {
    const partial = RESULTS.filter((r) => r.strategy === 'sequential');
    expect(evaluateThresholds([parseThreshold('all.p95<1000')], partial)).toEqual([{ expr: 'all.p95<1000', strategy: 'all', actual: null, pass: false }]);
    expect(evaluateThresholds([parseThreshold('speedup>=1')], partial)).toEqual([{ expr: 'speedup>=1', strategy: 'any', actual: null, pass: false }]);
    const missingLimit = evaluateThresholds([parseThreshold('bounded@16.p95<1000')], RESULTS);
    expect(missingLimit).toHaveLength(1);
    expect(missingLimit[0]).toMatchObject({ expr: 'bounded@16.p95<1000', actual: null, pass: false });
  });

  it('fails a speedup that is null (sequential did not finish)', () => {
    expect(evaluateThresholds([parseThreshold('all.speedup>=0')], [result('all', null, { speedup: null })])).toEqual([
      { expr: 'all.speedup>=0', strategy: 'all', actual: null, pass: false },
    ]);
  });

  it('rounds the reported actual value to 6 decimals but compares the exact one', () => {
    const r = result('all', null, { requests: 3, failed: 1, ok: 2 });
    expect(evaluateThresholds([parseThreshold('errorRate<0.333334')], [r])).toEqual([{ expr: 'errorRate<0.333334', strategy: 'all', actual: 0.333333, pass: true }]);
    expect(evaluateThresholds([parseThreshold('errorRate<=0.333333')], [r])[0]!.pass).toBe(false); // 1/3 > 0.333333
  });

  it('returns one entry per threshold and result, in order', () => {
    expect(evaluate('p95<1000', 'all.failed<1').map((t) => `${t.expr} ${t.strategy}`)).toEqual([
      'p95<1000 sequential',
      'p95<1000 all',
      'p95<1000 bounded@4',
      'p95<1000 bounded@8',
      'all.failed<1 all',
    ]);
  });
});

describe('minSpeedupThreshold', () => {
  it('is speedup >= x on every concurrent strategy', () => {
    const t: Threshold = minSpeedupThreshold(4.5);
    expect(t).toEqual({ expr: 'speedup>=4.5', strategy: null, concurrency: null, metric: 'speedup', op: '>=', value: 4.5 });
    expect(t).toEqual(parseThreshold('speedup>=4.5'));
    expect(evaluateThresholds([t], RESULTS).map((r) => [r.strategy, r.pass])).toEqual([
      ['all', true],
      ['bounded@4', false],
      ['bounded@8', true],
    ]);
  });
});
