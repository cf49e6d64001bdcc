/** Like-for-like verdicts: goodput, the failure rule, "same", and each result's own random stream. */
import { describe, expect, it } from 'vitest';
import type { StrategyRuns, StrategySpec } from '../../src/core/benchmark.js';
import { createRandom } from '../../src/core/random.js';
import { bootstrapPairedRatioCI } from '../../src/core/stats.js';
import { bootstrapRandom, summarizeGroup, summarizeGroups, timingVerdict } from '../../src/core/summarize.js';
import { evaluateThresholds, minSpeedupThreshold } from '../../src/core/thresholds.js';
import { verdictLines } from '../../src/export/prose.js';
import { humanTable } from '../../src/export/table-model.js';
import { makeRun, walls } from '../helpers/runs.js';

const group = (spec: StrategySpec, runs: StrategyRuns['runs']): StrategyRuns => ({ spec, runs });
const SEQ: StrategySpec = { strategy: 'sequential', concurrency: 1 };
const ALL: StrategySpec = { strategy: 'all', concurrency: null };
const bounded = (c: number): StrategySpec => ({ strategy: 'bounded', concurrency: c });

describe('goodput and failure rate', () => {
  it('okPerSec counts ok responses only over the median wall; reqPerSec counts every response', () => {
    // 4 requests per run, 1 failed (a 503), walls 400/500/600 ms: median 500.
    const r = summarizeGroup(walls('all', null, [400, 600, 500], { failedAt: [2] }), null, createRandom(1));
    expect(r.reqPerSec).toBe(8); // 4 / 0.5 s
    expect(r.okPerSec).toBe(6); // 3 / 0.5 s
    expect(r.failureRate).toBe(0.25);
    expect(r.okLatencyMs).toEqual({ min: 10, mean: 10, p50: 10, p90: 10, p95: 10, p99: 10, max: 10 });
  });

  it('is zero goodput and rate 1 when everything failed, with all-zero ok latencies', () => {
    const r = summarizeGroup([makeRun('all', null, 100, { failedAt: [0, 1, 2, 3] })], null, createRandom(1));
    expect(r.okPerSec).toBe(0);
    expect(r.reqPerSec).toBe(40);
    expect(r.failureRate).toBe(1);
    expect(r.okLatencyMs.p50).toBe(0);
  });
});

describe('the failure rule', () => {
  it('a result that failed more than sequential is more-failures, never faster, however quick', () => {
    const results = summarizeGroups(
      [
        group(SEQ, [makeRun('sequential', 1, 4000)]),
        group(ALL, [makeRun('all', null, 100, { failedAt: [1, 2, 3] })]),
        group(bounded(2), [makeRun('bounded', 2, 2000)]),
      ],
      1,
    );
    expect(results.map((r) => [r.speedup, r.verdict])).toEqual([
      [1, null],
      [40, 'more-failures'], // speedup keeps its contract meaning for scripts
      [2, 'faster'],
    ]);
    expect(verdictLines(results)[0]).toBe('all: not faster, it failed more: 3 of 4 (75%) where sequential failed 0%; 3 failed: 3 http5xx (503)');
    // The table says so in the speedup column, and marks bounded, not all, as best.
    const cells = humanTable({ results }).rows.map((row) => row[9]);
    expect(cells.map((c) => [c!.text, c!.tone])).toEqual([
      ['1.00x', 'plain'],
      ['more failures', 'bad'],
      ['2.00x', 'best'],
    ]);
  });

  it('equal failure rates are like for like: both strategies failing 1 in 4 keep their timing verdict', () => {
    const results = summarizeGroups(
      [group(SEQ, [makeRun('sequential', 1, 1000, { failedAt: [0] })]), group(ALL, [makeRun('all', null, 100, { failedAt: [3] })])],
      1,
    );
    expect(results[1]!.verdict).toBe('faster');
  });

  it('without sequential, the least-failing result is the reference', () => {
    const results = summarizeGroups(
      [group(bounded(2), [makeRun('bounded', 2, 500, { failedAt: [0] })]), group(bounded(8), [makeRun('bounded', 8, 100, { failedAt: [0, 1] })]), group(ALL, [makeRun('all', null, 50, { failedAt: [0] })])],
      1,
    );
    expect(results.map((r) => r.verdict)).toEqual([null, 'more-failures', null]);
    expect(verdictLines(results)).toEqual(['bounded (C=8): not faster, it failed more: 2 of 4 (50%) where bounded (C=2) failed 25%; 2 failed: 2 http5xx (503)']);
  });

  it('nothing ok on either side compares nothing: inconclusive and no speedup in the table', () => {
    const everything = [0, 1, 2, 3];
    const results = summarizeGroups(
      [group(SEQ, [makeRun('sequential', 1, 1000, { failedAt: everything })]), group(ALL, [makeRun('all', null, 100, { failedAt: everything })])],
      1,
    );
    expect(results[1]!.verdict).toBe('inconclusive');
    expect(humanTable({ results }).rows[1]![9]!.text).toBe('–');
  });

  it('fails every speedup check on a more-failures result, naming the failures', () => {
    const results = summarizeGroups(
      [group(SEQ, [makeRun('sequential', 1, 4000)]), group(ALL, [makeRun('all', null, 100, { failedAt: [1, 2, 3] })]), group(bounded(2), [makeRun('bounded', 2, 1000)])],
      1,
    );
    expect(evaluateThresholds([minSpeedupThreshold(3)], results)).toEqual([
      { expr: 'speedup>=3', strategy: 'all', actual: 40, pass: false, reason: 'all failed more than sequential: 3 of 4 failed' },
      { expr: 'speedup>=3', strategy: 'bounded@2', actual: 4, pass: true },
    ]);
  });
});

describe('"same" and the interval', () => {
  it('timingVerdict: the ±10% band, with and without an interval', () => {
    expect(timingVerdict(1.0, null)).toBe('same');
    expect(timingVerdict(1.1, null)).toBe('faster');
    expect(timingVerdict(1 / 1.1, null)).toBe('slower');
    expect(timingVerdict(1.05, [1.02, 1.08])).toBe('same');
    expect(timingVerdict(1.2, [1.05, 1.3])).toBe('faster');
    expect(timingVerdict(0.5, [0.4, 0.6])).toBe('slower');
    expect(timingVerdict(1.1, [0.8, 1.4])).toBe('inconclusive');
  });

  it('the paired bootstrap is exact for a generator that always picks the first round', () => {
    // Every resample is round 0 five times: the ratio is 1000 / 400.
    expect(bootstrapPairedRatioCI([1000, 2000, 3000, 4000, 5000], [400, 100, 100, 100, 100], () => 0)).toEqual([2.5, 2.5]);
    expect(bootstrapPairedRatioCI([1000], [500], () => 0)).toBeNull();
  });

  it("each result has its own stream: adding a limit never changes another result's interval", () => {
    const seq = group(SEQ, walls('sequential', 1, [1000, 1100, 900, 1200, 1050]));
    const b4 = group(bounded(4), walls('bounded', 4, [300, 260, 280, 350, 240]));
    const b8 = group(bounded(8), walls('bounded', 8, [200, 190, 230, 210, 180]));
    const alone = summarizeGroups([seq, b4], 42);
    const withAnother = summarizeGroups([seq, b8, b4], 42);
    expect(withAnother[2]!.speedupCI95).toEqual(alone[1]!.speedupCI95);
    expect(alone[1]!.speedupCI95).not.toBeNull();
    // Streams differ by seed and by key, and repeat for the same pair.
    expect(bootstrapRandom(42, 'bounded@4')()).toBe(bootstrapRandom(42, 'bounded@4')());
    expect(bootstrapRandom(43, 'bounded@4')()).not.toBe(bootstrapRandom(42, 'bounded@4')());
    expect(bootstrapRandom(42, 'bounded@8')()).not.toBe(bootstrapRandom(42, 'bounded@4')());
  });
});
