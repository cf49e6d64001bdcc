/**
 * Output that fits the terminal: the table fitted to a width (and every column with --wide),
 * prose wrapped, the presets list, the help, the progress line's clock and ETA. Pure: exact
 * strings, and a property over random results that no line of the table outgrows its width.
 */
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { renderPresets } from '../../src/cli/presets-command.js';
import { DEFAULT_WIDTH, outputWidth } from '../../src/cli/outputs.js';
import { ProgressLine, formatClock } from '../../src/cli/progress.js';
import type { StrategyResult } from '../../src/core/report.js';
import { displayWidth, formatFileSize, wrapText } from '../../src/export/format.js';
import { renderTable } from '../../src/export/table.js';
import { fittedTable, humanTable } from '../../src/export/table-model.js';
import { makeReport, makeResult, plainRun } from '../helpers/report-fixtures.js';

const plain = new Chalk({ level: 0 });
const HEADING = 'pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42';
const { sequential, all, bounded } = plainRun();
const widest = (text: string): number => Math.max(...text.split('\n').map(displayWidth));

/** The same three results measured over five rounds: ranges and intervals in the cells. */
function fiveRuns(): StrategyResult[] {
  const runs = (ms: number): StrategyResult['runs'] => Array.from({ length: 5 }, () => ({ wallMs: ms, ok: 10, failed: 0 }));
  const stats = (median: number, min: number, max: number): StrategyResult['wallMsStats'] => ({ median, mean: median, stddev: 1, min, max });
  return [
    { ...sequential, requests: 50, ok: 50, wallMs: 12923, runs: runs(12923), wallMsStats: stats(12923, 12799, 13225) },
    { ...all, requests: 50, ok: 50, wallMs: 422, speedup: 30.63, speedupCI95: [28.71, 32.23], runs: runs(422), wallMsStats: stats(422, 407, 450) },
    { ...bounded, requests: 50, ok: 50, wallMs: 2695, speedup: 4.79, speedupCI95: [4.64, 4.8], runs: runs(2695), wallMsStats: stats(2695, 2667, 2807) },
  ];
}

describe('the table fitted to the terminal', () => {
  it('at 80 columns: strategy, ok/requests, time taken, p50, p95, speedup, and Req/s that still fits', () => {
    const out = renderTable(makeReport([sequential, all, bounded]), { heading: HEADING, sample: null, chalk: plain, width: 80 });
    expect(out.split('\n')).toEqual([
      HEADING,
      '┌───────────────────┬───────┬────────────┬───────┬────────┬────────┬─────────┐',
      '│ Strategy          │    OK │ Time taken │ Req/s │    p50 │    p95 │ Speedup │',
      '├───────────────────┼───────┼────────────┼───────┼────────┼────────┼─────────┤',
      '│ sequential        │ 10/10 │    2.483 s │   4.0 │ 252 ms │ 392 ms │   1.00x │',
      '│ all (Promise.all) │ 10/10 │    0.411 s │  24.3 │ 250 ms │ 401 ms │   6.04x │',
      '│ bounded (C=5)     │ 10/10 │    0.512 s │  19.5 │ 249 ms │ 385 ms │   4.85x │',
      '└───────────────────┴───────┴────────────┴───────┴────────┴────────┴─────────┘',
      'all: 6.04x faster than sequential (0.411 s vs 2.483 s)',
      'bounded (C=5): 4.85x faster than sequential (0.512 s vs 2.483 s)',
      '1 run: indicative; --runs 5 for an interval',
      '',
    ]);
  });

  it('adds the other columns by rank as the width allows, and shows every one without a width (--wide)', () => {
    const report = makeReport([sequential, all, bounded]);
    expect(fittedTable(report, 100).headers).toEqual(['Strategy', 'OK', 'Time taken', 'Req/s', 'p50', 'p95', 'max', 'Speedup', 'Sockets']);
    expect(fittedTable(report, 200).headers).toEqual(['Strategy', 'OK', 'Time taken', 'Req/s', 'p50', 'p95', 'max', 'Speedup', 'Sockets', 'Loop p99']);
    // The full view: markdown, HTML and --wide count requests, ok and failed apart.
    expect(humanTable(report).headers).toEqual(['Strategy', 'Requests', 'OK', 'Failed', 'Time taken', 'Req/s', 'p50', 'p95', 'max', 'Speedup', 'Sockets', 'Loop p99', 'Eff.']);
    const wide = renderTable(report, { heading: HEADING, sample: null, chalk: plain });
    expect(wide).toContain('│ Strategy          │ Requests │ OK │ Failed │ Time taken │');
    expect(widest(wide)).toBe(132);
  });

  it('drops ranges and intervals from the cells when the first columns would not fit otherwise', () => {
    const report = makeReport(fiveRuns(), {}, { runs: 5 });
    const narrow = renderTable(report, { heading: HEADING, sample: null, chalk: plain, width: 80 });
    expect(narrow.split('\n').slice(2, 9)).toEqual([
      '┌───────────────┬───────┬────────────┬───────┬────────┬────────┬─────────┐',
      '│ Strategy      │    OK │ Time taken │ Req/s │    p50 │    p95 │ Speedup │',
      '├───────────────┼───────┼────────────┼───────┼────────┼────────┼─────────┤',
      '│ sequential    │ 50/50 │   12.923 s │   4.0 │ 252 ms │ 392 ms │   1.00x │',
      '│ all           │ 50/50 │    0.422 s │  24.3 │ 250 ms │ 401 ms │  30.63x │',
      '│ bounded (C=5) │ 50/50 │    2.695 s │  19.5 │ 249 ms │ 385 ms │   4.79x │',
      '└───────────────┴───────┴────────────┴───────┴────────┴────────┴─────────┘',
    ]);
    expect(narrow).not.toContain('(28.71–32.23)');
    expect(narrow).toContain('95% CI 28.71–32.23x'); // the verdict line keeps the interval
    expect(widest(narrow)).toBeLessThanOrEqual(80);
    const roomy = renderTable(report, { heading: HEADING, sample: null, chalk: plain, width: 140 });
    expect(roomy).toContain('12.923 s (12.799–13.225)');
    expect(roomy).toContain('30.63x (28.71–32.23)');
    expect(widest(roomy)).toBeLessThanOrEqual(140);
  });

  it('never outgrows the width, and never wraps a cell (property)', () => {
    const latency = fc.double({ min: 0, max: 9999, noNaN: true });
    const resultArb = fc.record({
      strategy: fc.constantFrom<'sequential' | 'all' | 'bounded'>('sequential', 'all', 'bounded'),
      concurrency: fc.integer({ min: 1, max: 999 }),
      requests: fc.integer({ min: 1, max: 9999 }),
      failedShare: fc.double({ min: 0, max: 1, noNaN: true }),
      wallMs: fc.double({ min: 0.1, max: 999_000, noNaN: true }),
      p50: latency,
      p95: latency,
      speedup: fc.option(fc.double({ min: 0.01, max: 999, noNaN: true })),
      verdict: fc.constantFrom<StrategyResult['verdict']>(null, 'faster', 'slower', 'same', 'inconclusive', 'more-failures'),
      runs: fc.integer({ min: 1, max: 9 }),
    });
    fc.assert(
      fc.property(fc.array(resultArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 80, max: 220 }), (specs, width) => {
        const results = specs.map((s) => {
          const failed = Math.floor(s.requests * s.failedShare);
          const ci: [number, number] | null = s.runs >= 5 && s.speedup !== null ? [s.speedup * 0.9, s.speedup * 1.1] : null;
          return makeResult({
            strategy: s.strategy, concurrency: s.strategy === 'all' ? null : s.strategy === 'sequential' ? 1 : s.concurrency,
            requests: s.requests, failed, ok: s.requests - failed, wallMs: s.wallMs, reqPerSec: (s.requests / s.wallMs) * 1000,
            latencyMs: { min: 0, mean: s.p50, p50: s.p50, p90: s.p95, p95: s.p95, p99: s.p95, max: s.p95 },
            speedup: s.speedup, speedupCI95: ci, verdict: s.verdict,
            runs: Array.from({ length: s.runs }, () => ({ wallMs: s.wallMs, ok: s.requests - failed, failed })),
            wallMsStats: { median: s.wallMs, mean: s.wallMs, stddev: 0, min: s.wallMs * 0.9, max: s.wallMs * 1.2 },
            pool: { opened: s.concurrency, peak: s.concurrency, staleRetries: 0 }, eventLoopDelayP99Ms: s.p50 / 10,
          });
        });
        const out = renderTable(makeReport(results), { heading: 'h', sample: null, chalk: plain, width });
        const lines = out.split('\n').filter((l) => /^[┌│├└]/.test(l));
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        // A wrapped cell would add a row line: one per result, plus the heading.
        expect(lines.filter((l) => l.startsWith('│'))).toHaveLength(results.length + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('wraps every line of prose to the width, and paints after wrapping', () => {
    const failing = { ...all, verdict: 'more-failures' as const, ok: 2, failed: 8, failureRate: 0.8, errors: { ...all.errors, http5xx: 8 }, statusCodes: { '200': 2, '503': 8 } };
    const report = makeReport([sequential, failing, { ...bounded, queueWaitMs: { mean: 146, p50: 120, p95: 375, max: 390 } }], {
      thresholds: [{ expr: 'speedup>=3', strategy: 'all', actual: 6.04, pass: false, reason: 'all failed more than sequential: 8 of 10 failed' }],
    }, { runs: 1, warmup: 1 });
    const sample = 'Pokémon: #617 accelgor, #460 abomasnow, #874 stonjourner, #687 malamar, #180 flaaffy';
    const out = renderTable(report, { heading: HEADING, sample, chalk: plain, width: 80 });
    expect(widest(out)).toBeLessThanOrEqual(80);
    const lines = out.split('\n');
    expect(lines.slice(0, 2)).toEqual([HEADING, '  · 1 runs, 1 warm-up']);
    expect(lines).toContain('bounded (C=5): waited 146 ms for a slot (mean; p95 375 ms), then 249 ms on the');
    expect(lines).toContain('  wire (p50)');
    expect(lines.slice(-3)).toEqual(['Pokémon: #617 accelgor, #460 abomasnow, #874 stonjourner, #687 malamar, #180', '  flaaffy', '']);
    const colour = new Chalk({ level: 1 });
    const painted = renderTable(report, { heading: HEADING, sample: null, chalk: colour, width: 80 });
    expect(painted).toContain(`${colour.red.bold('FAIL')}  speedup>=3  all: 6.04 (all failed more than sequential: 8 of`);
    expect(widest(painted)).toBeLessThanOrEqual(80);
  });
});

describe('wrapText', () => {
  it('leaves a line that fits, and breaks a longer one between words with a hanging indent', () => {
    expect(wrapText('short line', 80)).toEqual(['short line']);
    expect(wrapText('one two three four five', 10)).toEqual(['one two', '  three', '  four', '  five']);
    expect(wrapText('a-very-long-word-that-cannot-break and more', 10)).toEqual(['a-very-long-word-that-cannot-break', '  and more']);
  });

  it('breaks at a separator when given one, starting the next line with it', () => {
    expect(wrapText('pokemon · offline (100-400 ms) · 10 requests · seed 42', 36, { separator: ' · ' })).toEqual([
      'pokemon · offline (100-400 ms)',
      '  · 10 requests · seed 42',
    ]);
  });

  it('measures what a terminal shows: colour codes take no column', () => {
    expect(displayWidth(`${'\u001b'}[31mred${'\u001b'}[39m–é`)).toBe(5);
  });
});

describe('sizes, clocks and widths', () => {
  it('formatFileSize', () => {
    expect(formatFileSize(512)).toBe('512 B');
    expect(formatFileSize(36 * 1024 + 300)).toBe('36 KB');
    expect(formatFileSize(1.4 * 1024 * 1024)).toBe('1.4 MB');
  });

  it('formatClock', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(7_400)).toBe('0:07');
    expect(formatClock(96_000)).toBe('1:36');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });

  it('outputWidth: a terminal its own width; a pipe COLUMNS, or 80', () => {
    expect(outputWidth({ isTTY: true, columns: 132 }, { COLUMNS: '90' })).toBe(132);
    expect(outputWidth({ isTTY: true, columns: 0 }, {})).toBe(DEFAULT_WIDTH); // a pty with no size
    expect(outputWidth({ isTTY: false }, { COLUMNS: '100' })).toBe(100);
    expect(outputWidth({}, { COLUMNS: 'wide' })).toBe(80);
    expect(outputWidth({}, {})).toBe(80);
  });
});

describe('the progress line', () => {
  const SEQ = { strategy: 'sequential' as const, concurrency: 1 };
  const ALL = { strategy: 'all' as const, concurrency: null };

  it('gives the round, strategy, done/total and elapsed time, and an ETA once every strategy has run', () => {
    let now = 1000;
    const line = new ProgressLine({ strategies: 2, rounds: 3 }, () => now);
    line.strategy(SEQ, 20, { round: 1, rounds: 3, warmup: false });
    now += 4000;
    line.request(10, 20);
    expect(line.text()).toBe('round 1/3 · sequential 10/20 · 0:04');
    now += 6000; // sequential took 10 s
    line.strategy(ALL, 20, { round: 1, rounds: 3, warmup: false });
    now += 1000; // all takes 1 s
    expect(line.remainingMs()).toBeNull(); // all has not finished a run yet
    line.strategy(ALL, 20, { round: 2, rounds: 3, warmup: false });
    now += 500;
    // Left: all's 0.5 s in this run, sequential twice (20 s), all once more (1 s).
    expect(line.remainingMs()).toBe(21_500);
    expect(line.text()).toBe('round 2/3 · all (Promise.all) 0/20 · 0:12 · ETA 0:22');
  });

  it('says nothing of rounds for a single run, and has no ETA beyond the plan (-c auto)', () => {
    let now = 0;
    const line = new ProgressLine({ strategies: 1, rounds: 1 }, () => now);
    line.strategy(SEQ, 5, { round: 1, rounds: 1, warmup: false });
    now += 2000;
    line.request(5, 5);
    expect(line.text()).toBe('sequential 5/5 · 0:02');
    line.strategy({ strategy: 'bounded', concurrency: 2 }, 5, { round: 1, rounds: 1, warmup: false });
    expect(line.remainingMs()).toBeNull();
    expect(line.text()).toBe('bounded (C=2) 0/5 · 0:02');
  });

  it('counts warm-up rounds in the ETA', () => {
    let now = 0;
    const line = new ProgressLine({ strategies: 1, rounds: 3 }, () => now);
    line.strategy(SEQ, 5, { round: 1, rounds: 1, warmup: true });
    now += 3000;
    line.strategy(SEQ, 5, { round: 1, rounds: 2, warmup: false });
    expect(line.text()).toBe('round 1/2 · sequential 0/5 · 0:03 · ETA 0:06');
  });
});

describe('presets', () => {
  it('is a two-column list with details under each, every line within the width', () => {
    for (const width of [80, 60]) {
      const out = renderPresets(width);
      expect(widest(out), out).toBeLessThanOrEqual(width);
    }
    const lines = renderPresets(80).split('\n');
    expect(lines.filter((l) => /^\S/.test(l))).toEqual([
      'pokemon           live https://pokeapi.co',
      'jsonplaceholder   live https://jsonplaceholder.typicode.com',
      'tmdb              live https://api.themoviedb.org',
      'Run one offline: async-bench <preset> --offline',
    ]);
    expect(lines).toContain('    needs    TMDB_API_KEY live (offline: no key)');
  });
});

describe('help', () => {
  const noop = async (): Promise<void> => {};
  const program = buildProgram('0.0.0', { run: noop, serve: noop, presets: noop, export: noop, tour: noop });
  /** A command's whole help, its examples and notes (addHelpText) included. */
  const helpOf = (command: typeof program): string => {
    let text = '';
    command.configureOutput({ writeOut: (s) => (text += s) });
    command.outputHelp();
    return text;
  };
  const help = helpOf(program);

  it('keeps every line within 80 columns, for every command', () => {
    for (const text of [help, ...program.commands.map((c) => helpOf(c as typeof program))]) {
      for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    }
  });

  it('groups the options under headings, in the order a user needs them', () => {
    const headings = help.split('\n').filter((l) => /^[A-Z][a-z ]+:$/.test(l));
    expect(headings).toEqual(['Arguments:', 'Targets:', 'Strategies:', 'Requests:', 'Offline server:', 'Repeats and statistics:', 'Checks:', 'Output:', 'Commands:', 'Examples:']);
    const group = (name: string): string => help.split(`\n${name}:\n`)[1]!.split('\n\n')[0]!;
    expect(group('Strategies')).toMatch(/-s, --strategy[\s\S]*-c, --concurrency[\s\S]*-n, --count/);
    expect(group('Offline server')).toMatch(/--offline[\s\S]*--latency[\s\S]*--max-inflight[\s\S]*--capacity/);
    expect(group('Output')).toMatch(/--json[\s\S]*--wide[\s\S]*-q, --quiet[\s\S]*-V, --version[\s\S]*-h, --help/);
    expect(help).toMatch(/^ {2}presets /m);
    expect(help).toMatch(/^ {2}serve \[options\] \[preset\]/m);
  });

  it('ends with five examples, from the first offline run to a CI job', () => {
    const examples = help.split('\nExamples:\n')[1]!;
    const commands = examples.split('\n').filter((l) => l.trimStart().startsWith('$ '));
    expect(commands).toHaveLength(5);
    expect(commands[0]!.trim()).toBe('$ async-bench pokemon --count 10 --offline');
    expect(examples).toMatch(/CI: [\s\S]*--format markdown -o summary\.md/);
  });

  it('gives presets and serve a help of their own', () => {
    const command = (name: string): typeof program => program.commands.find((c) => c.name() === name)! as typeof program;
    expect(helpOf(command('presets'))).toMatch(/^Usage: async-bench presets[\s\S]*Examples:/);
    const serve = helpOf(command('serve'));
    expect(serve).toMatch(/^Usage: async-bench serve \[options\] \[preset\]/);
    for (const option of ['--port', '--seed', '--latency', '--max-inflight', '--capacity']) expect(serve).toContain(option);
  });
});
