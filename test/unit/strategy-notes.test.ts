/**
 * What the report says about batched, adaptive and the ideal: labels and keys, the sentences
 * (batched against bounded with their ideals, adaptive's settled limit, a sweep's predictions),
 * the Eff. column (wide-only on a terminal, always in markdown), and the failure rule, which
 * holds for the new strategies as for the others.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { resultKey } from '../../src/core/result-label.js';
import { judgeFailures, summarizeGroups } from '../../src/core/summarize.js';
import { checkThresholdsApply, parseThreshold } from '../../src/core/thresholds.js';
import { strategyLabel } from '../../src/export/format.js';
import { renderHtml } from '../../src/export/html.js';
import { renderMarkdown } from '../../src/export/markdown.js';
import { adaptiveLines, batchedLines, predictionLine, strategyNotes, verdictLines } from '../../src/export/prose.js';
import { renderTable } from '../../src/export/table.js';
import { fittedTable, humanTable } from '../../src/export/table-model.js';
import { makeReport, makeResult } from '../helpers/report-fixtures.js';
import { makeRun } from '../helpers/runs.js';

const ADAPTIVE = makeResult({
  strategy: 'adaptive',
  concurrency: null,
  wallMs: 2201,
  requests: 200,
  failed: 18,
  errors: { ...makeResult().errors, http5xx: 18 },
  statusCodes: { '200': 182, '503': 18 },
  adaptive: { start: 1, max: 256, settledLimit: 10, limitTrace: [[0, 1], [110, 2], [430, 10]] },
});
const BOUNDED = makeResult({ strategy: 'bounded', concurrency: 5, wallMs: 2250, idealWallMs: 2249, efficiency: 0.9996 });
const BATCHED = makeResult({ strategy: 'batched', concurrency: 5, wallMs: 2838, idealWallMs: 2836, efficiency: 0.9993 });

describe('labels and keys', () => {
  it('batched carries its C; adaptive the limit it settled at, once known', () => {
    expect(strategyLabel('batched', 5)).toBe('batched (C=5)');
    expect(strategyLabel('adaptive', null)).toBe('adaptive');
    expect(strategyLabel('adaptive', null, { settledLimit: 9 })).toBe('adaptive (→9)');
    expect(resultKey({ strategy: 'batched', concurrency: 5 })).toBe('batched@5');
    expect(resultKey({ strategy: 'adaptive', concurrency: null })).toBe('adaptive');
    expect(humanTable({ results: [ADAPTIVE, BATCHED] }).rows.map((r) => r[0]!.text)).toEqual(['adaptive (→10)', 'batched (C=5)']);
  });

  it('thresholds name batched@C and adaptive', () => {
    expect(parseThreshold('batched@5.p95<300')).toMatchObject({ strategy: 'batched', concurrency: 5 });
    expect(parseThreshold('adaptive.errorRate<0.2')).toMatchObject({ strategy: 'adaptive', concurrency: null });
    expect(() => checkThresholdsApply([parseThreshold('batched@5.p95<300')], ['batched'], [5])).not.toThrow();
    expect(() => checkThresholdsApply([parseThreshold('batched@8.p95<300')], ['batched'], [5])).toThrow(/names batched@8, but -c is 5/);
  });
});

describe('the sentences', () => {
  it('batched against bounded at the same C, with the ideals that explain the gap', () => {
    expect(batchedLines([BOUNDED, BATCHED])).toEqual([
      'batched (C=5): 1.26x slower than bounded (C=5) (2.838 s vs 2.250 s); ideal 2.836 s vs 2.249 s over their own request times: each chunk waits for its slowest request, so the schedule itself costs the difference',
    ]);
    const even = { ...BATCHED, wallMs: 2300, idealWallMs: 2290 };
    expect(batchedLines([BOUNDED, even])).toEqual([
      'batched (C=5): about the same as bounded (C=5) (2.300 s vs 2.250 s); ideal 2.290 s vs 2.249 s over their own request times: requests this even leave a chunk little to wait for',
    ]);
    // Quicker, but it failed more: never "faster".
    const failing = { ...BATCHED, wallMs: 400, requests: 20, failed: 12, ok: 8, failureRate: 0.6 };
    expect(batchedLines([BOUNDED, failing])).toEqual([
      'batched (C=5): failed 12 of 20 against 0 for bounded (C=5) (0.400 s vs 2.250 s); it failed more, so it is not faster, whatever its time',
    ]);
    // Nothing to compare with: no line.
    expect(batchedLines([BATCHED])).toEqual([]);
    expect(batchedLines([{ ...BOUNDED, concurrency: 4 }, BATCHED])).toEqual([]);
  });

  it('adaptive: where its limit settled, and what told it', () => {
    expect(adaptiveLines([ADAPTIVE])).toEqual([
      "adaptive (→10): its limit settled at 10 (from 1, at most 256); 18 refusals (429, 503) or timeouts told it where the server's limit is",
    ]);
    const calm = { ...ADAPTIVE, failed: 0, errors: makeResult().errors, statusCodes: { '200': 200 } };
    expect(adaptiveLines([calm])).toEqual(['adaptive (→10): its limit settled at 10 (from 1, at most 256); nothing was refused: the latency gradient alone set it']);
  });

  it('a sweep shows each limit\'s prediction from sequential\'s request times beside its measurement', () => {
    const sweep = [1, 2, 4].map((c) => makeResult({ strategy: 'bounded', concurrency: c, wallMs: 2500 / c + 20, predictedWallMs: 2480 / c }));
    expect(predictionLine(sweep)).toBe("predicted from sequential's request times: C=1 2.480 s (measured 2.520 s), C=2 1.240 s (measured 1.270 s), C=4 0.620 s (measured 0.645 s)");
    expect(predictionLine(sweep.slice(0, 1))).toBeNull();
    expect(strategyNotes([...sweep, BOUNDED, BATCHED]).length).toBe(2);
  });
});

describe('the Eff. column', () => {
  const report = makeReport([makeResult(), BOUNDED, BATCHED]);

  it('is in the full model, not in a fitted table however wide, and shows efficiency as a percentage', () => {
    const model = humanTable(report);
    const eff = model.headers.indexOf('Eff.');
    expect(model.rows.map((r) => r[eff]!.text)).toEqual(['–', '100%', '100%']);
    expect(fittedTable(report, 400).headers).not.toContain('Eff.');
  });

  it('the terminal table leaves it out unless --wide; markdown keeps it', () => {
    expect(renderTable(report, { heading: 'h', sample: null, chalk: new Chalk({ level: 0 }), width: 200 })).not.toContain('Eff.');
    expect(renderTable(report, { heading: 'h', sample: null, chalk: new Chalk({ level: 0 }) })).toContain('Eff.');
    expect(renderMarkdown(report, { heading: 'h', sample: null, chalk: new Chalk({ level: 0 }) })).toContain('| Eff. |');
  });
});

describe('the HTML report', () => {
  it('draws adaptive\'s limit over time as an inline SVG step line, with the settled limit', () => {
    const html = renderHtml(makeReport([ADAPTIVE]), { heading: 'h', sample: null });
    const section = /<section id="limit">.*?<\/section>/s.exec(html)?.[0] ?? '';
    expect(section).toContain('<svg class="limit-trace" data-result="adaptive"');
    expect(section).toContain('settled at 10');
    // Three points, each held until the next change and the last until the end, with a riser
    // between each two: five segments.
    expect(section.match(/<line class="curve"/g)).toHaveLength(5);
    expect(section).not.toContain('<script');
    expect(renderHtml(makeReport([BOUNDED]), { heading: 'h', sample: null })).not.toContain('id="limit"');
  });
});

describe('the failure rule holds for the new strategies', () => {
  it('batched and adaptive that failed more than sequential are never faster, whatever their time', () => {
    const results = summarizeGroups(
      [
        { spec: { strategy: 'sequential', concurrency: 1 }, runs: [makeRun('sequential', 1, 4000)] },
        { spec: { strategy: 'batched', concurrency: 2 }, runs: [makeRun('batched', 2, 100, { failedAt: [1] })] },
        { spec: { strategy: 'adaptive', concurrency: null }, runs: [makeRun('adaptive', null, 100, { failedAt: [2] })] },
        { spec: { strategy: 'bounded', concurrency: 2 }, runs: [makeRun('bounded', 2, 1000)] },
      ],
      1,
    );
    expect(results.map((r) => r.verdict)).toEqual([null, 'more-failures', 'more-failures', 'faster']);
    expect(verdictLines(results)[0]).toMatch(/^batched \(C=2\): not faster, it failed more: 1 of 4 \(25%\) where sequential failed 0%/);
    expect(judgeFailures([{ ...ADAPTIVE, verdict: 'faster' }, { ...BATCHED, verdict: 'faster' }]).map((r) => r.verdict)).toEqual(['more-failures', 'faster']);
  });
});
