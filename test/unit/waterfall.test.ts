/**
 * The terminal waterfall as a pure function: golden strings without colour for the three shapes
 * (a staircase, C lanes, a wall on a shared axis), and a property check over random bounded
 * schedules that no column ever holds more than C bars.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { RequestSample, StrategyResult } from '../../src/core/report.js';
import { createRandom } from '../../src/core/random.js';
import { WATERFALL_AUTO_MAX_REQUESTS, checkWaterfall, waterfallWanted } from '../../src/cli/outputs.js';
import { renderTable } from '../../src/export/table.js';
import { axisLabel, axisStep, renderWaterfall } from '../../src/export/waterfall.js';
import { usageMessage } from '../helpers/expectations.js';
import { makeReport, makeResult } from '../helpers/report-fixtures.js';

const plain = new Chalk({ level: 0 });
const ESC = '\u001b';

function sample(startMs: number, endMs: number | null, extra: Partial<RequestSample> = {}): RequestSample {
  return { url: 'http://127.0.0.1/x', startMs, endMs, ttfbMs: endMs === null ? null : (endMs - startMs) / 2, status: 200, bytes: 100, error: null, ...extra };
}

function withSamples(overrides: Partial<StrategyResult>, samples: RequestSample[]): StrategyResult {
  const failed = samples.filter((s) => s.error !== null).length;
  return makeResult({ requests: samples.length, failed, ...overrides, samples });
}

/** Four requests of 100 ms, one after the other. */
const STAIRCASE = withSamples({ strategy: 'sequential', concurrency: 1, wallMs: 400, maxInFlight: 1 }, [
  sample(0, 100),
  sample(100, 200),
  sample(200, 300),
  sample(300, 400),
]);

/** C = 2: a new request starts the moment either slot frees; the fifth one times out. */
const LANES = withSamples({ strategy: 'bounded', concurrency: 2, wallMs: 300, maxInFlight: 2 }, [
  sample(0, 100),
  sample(0, 150),
  sample(100, 250),
  sample(150, 200),
  sample(200, 300, { error: 'timeout', status: 0, ttfbMs: null }),
  sample(250, 300),
]);

/** Four requests started together. */
const WALL = withSamples({ strategy: 'all', concurrency: null, wallMs: 100, maxInFlight: 4 }, [
  sample(0, 100),
  sample(0, 60),
  sample(0, 80),
  sample(0, 40),
]);

describe('renderWaterfall: golden outputs (colour off)', () => {
  it('draws sequential as a staircase', () => {
    expect(renderWaterfall([STAIRCASE], { columns: 43, chalk: plain }).split('\n')).toEqual([
      'waterfall: one row per request, sent to last byte, on one time axis',
      '(= ok, x failed)',
      '',
      'sequential · 4 requests · 0.400 s · at most 1 in flight',
      ' 1 ==========',
      ' 2           ==========',
      ' 3                     ==========',
      ' 4                               ==========',
      '   +---------+---------+---------+--------+',
      '   0 ms      100 ms    200 ms        400 ms',
    ]);
  });

  it('draws bounded as C lanes, failures marked with x and their class', () => {
    // Plot 32 wide (43 − label 3 − " timeout" 8): 100 ms is 10.67 columns.
    expect(renderWaterfall([LANES], { columns: 43, chalk: plain }).split('\n')).toEqual([
      'waterfall: one row per request, sent to last byte, on one time axis',
      '(= ok, x failed)',
      '',
      'bounded (C=2) · 6 requests · 0.300 s · at most 2 in flight · 1 failed',
      ' 1 ===========',
      ' 2 ================',
      ' 3            ================',
      ' 4                 =====',
      ' 5                      xxxxxxxxxxx timeout',
      ' 6                            =====',
      '   +----------+---------+---------+',
      '   0 ms       100 ms         300 ms', // 200 ms gives way to the end of the axis
    ]);
  });

  it('puts every strategy on one time axis: the wall of all is a quarter of the staircase', () => {
    const lines = renderWaterfall([STAIRCASE, WALL], { columns: 43, chalk: plain }).split('\n');
    expect(lines.slice(lines.indexOf('all (Promise.all) · 4 requests · 0.100 s · at most 4 in flight'))).toEqual([
      'all (Promise.all) · 4 requests · 0.100 s · at most 4 in flight',
      ' 1 ==========',
      ' 2 ======',
      ' 3 ========',
      ' 4 ====',
      '   +---------+---------+---------+--------+',
      '   0 ms      100 ms    200 ms        400 ms',
    ]);
  });

  it('draws a request shorter than a column as a tick, and says so', () => {
    const fast = withSamples({ strategy: 'sequential', wallMs: 100 }, [sample(0, 0.2), sample(0.2, 100)]);
    expect(renderWaterfall([fast], { columns: 23, chalk: plain }).split('\n')).toEqual([
      'waterfall: one row per request, sent to last byte, on one time axis',
      '(= ok, x failed, | shorter than a column)',
      '',
      'sequential · 2 requests · 0.100 s · at most 1 in flight',
      ' 1 |',
      ' 2 ====================',
      '   +---------+--------+',
      '   0 ms          100 ms',
    ]);
  });

  it('draws a request cut off in flight to the end of its run, marked aborted', () => {
    const cut = withSamples({ strategy: 'all', concurrency: null, wallMs: 200, partial: true }, [sample(0, 100), sample(0, null, { error: 'aborted', status: 0 })]);
    const lines = renderWaterfall([cut], { columns: 31, chalk: plain }).split('\n');
    expect(lines.slice(3, 6)).toEqual(['all (Promise.all) · 2 requests · 0.200 s · at most 1 in flight · 1 failed (partial)', ' 1 ==========', ' 2 xxxxxxxxxxxxxxxxxxxx aborted']);
  });
});

describe('renderWaterfall: fitting and limits', () => {
  it('keeps every line within the terminal width, and the plot at least 10 wide', () => {
    for (const columns of [30, 43, 80, 120, 200]) {
      const out = renderWaterfall([STAIRCASE, WALL, LANES], { columns, chalk: plain });
      for (const line of out.split('\n').filter((l) => /^ *(\d+ |\+)/.test(l))) {
        expect(line.length, `${columns} columns: '${line}'`).toBeLessThanOrEqual(columns);
      }
    }
    const narrow = renderWaterfall([STAIRCASE], { columns: 5, chalk: plain }).split('\n');
    expect(narrow.slice(-2)).toEqual(['   +---------', '   0 ms']);
  });

  it('draws with blocks and colour when colour is on, and never with ANSI when it is off', () => {
    const colour = renderWaterfall([LANES], { columns: 60, chalk: new Chalk({ level: 1 }) });
    expect(colour).toContain(`${ESC}[31m`); // the failed request in red
    expect(colour).toContain('█');
    const off = renderWaterfall([STAIRCASE, WALL, LANES], { columns: 60, chalk: plain });
    expect(off).not.toContain(ESC);
    expect(off).not.toMatch(/[^\x20-\x7e\n·…]/); // plain characters only
  });

  it('draws at most maxRows rows per strategy and counts the rest', () => {
    const many = withSamples({ strategy: 'sequential', wallMs: 1000 }, Array.from({ length: 50 }, (_, i) => sample(i * 20, i * 20 + 20)));
    const lines = renderWaterfall([many], { columns: 80, chalk: plain, maxRows: 10 }).split('\n');
    expect(lines.filter((l) => /^ *\d+ +[=|]/.test(l))).toHaveLength(10);
    expect(lines).toContain('   … 40 more requests (--report draws every one)');
  });

  it('says when the rows are the median run, and draws nothing without samples', () => {
    expect(renderWaterfall([STAIRCASE], { columns: 60, chalk: plain, runs: 5 }).split('\n')[1]).toBe("(each strategy's median run; = ok, x failed)");
    expect(renderWaterfall([makeResult()], { columns: 80, chalk: plain })).toBe('');
    expect(renderWaterfall([], { columns: 80, chalk: plain })).toBe('');
  });

  it('labels the axis in ms below a second and in s above, at 1-2-5 steps', () => {
    expect(axisStep(400, 40)).toBe(100);
    expect(axisStep(5005, 77)).toBe(1000);
    expect(axisStep(3, 60)).toBe(0.5);
    expect(axisLabel(250, false)).toBe('250 ms');
    expect(axisLabel(1500, true)).toBe('1.5 s');
    expect(axisLabel(0.5, false)).toBe('0.5 ms');
  });
});

/** A semaphore of C over requests of the given durations: each starts when the earliest slot frees. */
function boundedSchedule(durations: readonly number[], c: number): RequestSample[] {
  const free = new Array<number>(c).fill(0);
  return durations.map((d) => {
    let slot = 0;
    for (let i = 1; i < c; i++) if (free[i]! < free[slot]!) slot = i;
    const start = free[slot]!;
    free[slot] = start + d;
    return sample(start, start + d);
  });
}

/** The plot cells of each request row of the one block drawn. */
function plotRows(out: string): { rows: string[]; plot: number } {
  const lines = out.split('\n');
  const title = lines.findIndex((l) => l.startsWith('bounded'));
  const ruler = lines.findIndex((l) => /^ +\+/.test(l));
  const indent = lines[ruler]!.indexOf('+');
  const plot = lines[ruler]!.length - indent;
  return { rows: lines.slice(title + 1, ruler).map((l) => l.slice(indent, indent + plot).padEnd(plot)), plot };
}

describe('renderWaterfall: bounded lanes are never more than C deep', () => {
  it('holds for random schedules: no column has more than C bars', () => {
    const random = createRandom(20261122);
    for (let trial = 0; trial < 300; trial++) {
      const c = 1 + Math.floor(random() * 6);
      const count = 1 + Math.floor(random() * 40);
      // Durations on a 10 ms grid (back-to-back ends and starts meet exactly), some of them tiny.
      const durations = Array.from({ length: count }, () => (random() < 0.1 ? random() * 2 : 10 * (1 + Math.floor(random() * 30))));
      const samples = boundedSchedule(durations, c);
      const wallMs = Math.max(...samples.map((s) => s.endMs!));
      const result = withSamples({ strategy: 'bounded', concurrency: c, wallMs, maxInFlight: Math.min(c, count) }, samples);
      const columns = 20 + Math.floor(random() * 120);
      const { rows, plot } = plotRows(renderWaterfall([result], { columns, chalk: plain }));
      expect(rows).toHaveLength(count);
      for (let x = 0; x < plot; x++) {
        const depth = rows.filter((row) => row[x] === '=').length;
        expect(depth, `trial ${trial}: C=${c}, ${count} requests, ${columns} columns, column ${x}`).toBeLessThanOrEqual(c);
      }
    }
  });

  it('holds for every mark when each request lasts at least one column: no ticks, at most C marks', () => {
    const random = createRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const c = 1 + Math.floor(random() * 5);
      const count = 2 + Math.floor(random() * 30);
      const columns = 40 + Math.floor(random() * 80);
      const durations = Array.from({ length: count }, () => 50 + random() * 250);
      const samples = boundedSchedule(durations, c);
      const wallMs = Math.max(...samples.map((s) => s.endMs!));
      // A column is at most wallMs / (columns − 3) ms; every request here lasts longer.
      if (Math.min(...durations) < wallMs / 10) continue;
      const result = withSamples({ strategy: 'bounded', concurrency: c, wallMs }, samples);
      const { rows, plot } = plotRows(renderWaterfall([result], { columns, chalk: plain }));
      for (const row of rows) expect(row).not.toContain('|');
      for (let x = 0; x < plot; x++) expect(rows.filter((row) => row[x] !== ' ').length).toBeLessThanOrEqual(c);
    }
  });

  it('draws the real semaphore of the golden case two deep at most, and sequential one deep', () => {
    const lanes = plotRows(renderWaterfall([LANES], { columns: 43, chalk: plain }));
    for (let x = 0; x < lanes.plot; x++) expect(lanes.rows.filter((r) => r[x] === '=' || r[x] === 'x').length).toBeLessThanOrEqual(2);
    const stairs = renderWaterfall([STAIRCASE], { columns: 80, chalk: plain }).split('\n').filter((l) => /^ *\d+ =/.test(l));
    for (let x = 3; x < 80; x++) expect(stairs.filter((r) => r[x] === '=').length).toBeLessThanOrEqual(1);
  });
});

describe('the waterfall in the table, and when it is drawn', () => {
  const report = makeReport([STAIRCASE, WALL]);
  const view = { heading: 'pokemon · offline · 4 requests per strategy', sample: null, chalk: plain };

  it('sits between the heading and the table when asked for, with 80 columns off a terminal', () => {
    const lines = renderTable(report, { ...view, waterfall: true }).split('\n');
    expect(lines[0]).toBe(view.heading);
    expect(lines[2]).toMatch(/^waterfall: /);
    const table = lines.findIndex((l) => l.startsWith('┌'));
    expect(lines.indexOf('sequential · 4 requests · 0.400 s · at most 1 in flight')).toBeLessThan(table);
    expect(lines.filter((l) => /^ +\+-/.test(l)).every((l) => l.length === 80)).toBe(true);
  });

  it('is left out unless asked for', () => {
    expect(renderTable(report, view)).not.toContain('waterfall');
    expect(renderTable(report, { ...view, waterfall: false })).toBe(renderTable(report, view));
  });

  it(`is on by default for a table on a terminal and up to ${WATERFALL_AUTO_MAX_REQUESTS} requests; the flags decide otherwise`, () => {
    expect(waterfallWanted(undefined, 'table', true, 20)).toBe(true);
    expect(waterfallWanted(undefined, 'table', true, WATERFALL_AUTO_MAX_REQUESTS)).toBe(true);
    expect(waterfallWanted(undefined, 'table', true, WATERFALL_AUTO_MAX_REQUESTS + 1)).toBe(false);
    expect(waterfallWanted(undefined, 'table', false, 20)).toBe(false); // a pipe
    expect(waterfallWanted(undefined, 'json', true, 20)).toBe(false);
    expect(waterfallWanted(undefined, 'markdown', true, 20)).toBe(false);
    expect(waterfallWanted(true, 'table', false, 1000)).toBe(true);
    expect(waterfallWanted(false, 'table', true, 5)).toBe(false);
  });

  it('--waterfall with another format on stdout is a usage error', () => {
    expect(usageMessage(() => checkWaterfall(true, { stdout: 'json', file: null }))).toMatch(/--waterfall draws with the table; stdout carries json/);
    expect(() => checkWaterfall(true, { stdout: 'table', file: null })).not.toThrow();
    expect(() => checkWaterfall(false, { stdout: 'json', file: null })).not.toThrow();
    expect(() => checkWaterfall(undefined, { stdout: 'csv', file: null })).not.toThrow();
  });
});
