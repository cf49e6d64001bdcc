import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { StrategyRun } from '../../src/core/benchmark.js';
import { emptyErrorCounts, type Report, type StrategyResult } from '../../src/core/report.js';
import { summarizeRuns } from '../helpers/single-run.js';
import { Samples } from '../../src/core/samples.js';
import { renderJson } from '../../src/export/json.js';
import { renderTable } from '../../src/export/table.js';
import { describeFailures, verdictLines } from '../../src/export/prose.js';
import { makeReport, makeResult, plainRun } from '../helpers/report-fixtures.js';

const plain = new Chalk({ level: 0 });
const ESC = '\u001b';

function result(overrides: Partial<StrategyResult>): StrategyResult {
  return makeResult({ statusCodes: { '200': 10 }, ...overrides });
}

const PLAIN = plainRun();
const SEQUENTIAL = PLAIN.sequential;
const ALL = PLAIN.all;
const BOUNDED = PLAIN.bounded;

function report(results: StrategyResult[], partial = false): Report {
  return makeReport(results, partial ? { partial: true } : {});
}

/** The lines below the table's bottom border. */
const afterTable = (lines: string[]): string[] => lines.slice(lines.findIndex((l) => l.startsWith('└')) + 1);

const HEADING = 'pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42';

describe('renderTable', () => {
  it('renders the golden table without colour', () => {
    const out = renderTable(report([SEQUENTIAL, ALL, BOUNDED]), { heading: HEADING, sample: 'Pokémon: #25 pikachu, #1 bulbasaur', chalk: plain });
    expect(out.split('\n')).toEqual([
      'pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42',
      '┌───────────────────┬──────────┬────┬────────┬────────────┬───────┬────────┬────────┬────────┬─────────┬─────────┬──────────┬──────┐',
      '│ Strategy          │ Requests │ OK │ Failed │ Time taken │ Req/s │    p50 │    p95 │    max │ Speedup │ Sockets │ Loop p99 │ Eff. │',
      '├───────────────────┼──────────┼────┼────────┼────────────┼───────┼────────┼────────┼────────┼─────────┼─────────┼──────────┼──────┤',
      '│ sequential        │       10 │ 10 │      0 │    2.483 s │   4.0 │ 252 ms │ 392 ms │ 400 ms │   1.00x │       – │        – │    – │',
      '│ all (Promise.all) │       10 │ 10 │      0 │    0.411 s │  24.3 │ 250 ms │ 401 ms │ 411 ms │   6.04x │       – │        – │    – │',
      '│ bounded (C=5)     │       10 │ 10 │      0 │    0.512 s │  19.5 │ 249 ms │ 385 ms │ 398 ms │   4.85x │       – │        – │    – │',
      '└───────────────────┴──────────┴────┴────────┴────────────┴───────┴────────┴────────┴────────┴─────────┴─────────┴──────────┴──────┘',
      'all: 6.04x faster than sequential (0.411 s vs 2.483 s)',
      'bounded (C=5): 4.85x faster than sequential (0.512 s vs 2.483 s)',
      '1 run: indicative; --runs 5 for an interval',
      'Pokémon: #25 pikachu, #1 bulbasaur',
      '',
    ]);
    expect(out).not.toContain(ESC);
  });

  it('colours with a colour level, and marks the best speedup', () => {
    const colour = new Chalk({ level: 1 });
    const out = renderTable(report([SEQUENTIAL, ALL, BOUNDED]), { heading: HEADING, sample: null, chalk: colour });
    expect(out).toContain(ESC);
    expect(out).toContain(colour.green.bold('6.04x'));
    expect(out).not.toContain(colour.green.bold('4.85x'));
    expect(out).toContain(colour.cyan('all: 6.04x faster than sequential (0.411 s vs 2.483 s)'));
  });

  it('shows no sample line when there is none, and a dash for a missing speedup', () => {
    const out = renderTable(report([{ ...ALL, speedup: null }]), { heading: 'h', sample: null, chalk: plain });
    const lines = out.split('\n');
    expect(lines[0]).toBe('h');
    expect(lines.at(-2)).toMatch(/^└/);
    expect(lines.find((l) => l.includes('all (Promise.all)'))).toMatch(/│\s+– │\s+– │\s+– │$/);
  });

  it('marks partial results and tells failures no verdict told', () => {
    const failedSequential = {
      ...SEQUENTIAL, ok: 8, failed: 2, errors: { ...emptyErrorCounts(), timeout: 1, http5xx: 1 },
      statusCodes: { '200': 8, '503': 1 }, partial: true as const,
    };
    const failedBounded = { ...BOUNDED, ok: 9, failed: 1, errors: { ...emptyErrorCounts(), reset: 1 }, statusCodes: { '200': 9 } };
    const out = renderTable(report([failedSequential, ALL, failedBounded], true), { heading: HEADING, sample: null, chalk: plain });
    const lines = out.split('\n');
    expect(lines.find((l) => l.includes('sequential (partial)'))).toMatch(/│\s+10 │\s+8 │\s+2 │/);
    // A partial sequential run is no baseline: no verdicts, so each failure gets its own line.
    expect(out).not.toContain('faster than');
    expect(afterTable(lines)).toEqual([
      'sequential: 2 failed: 1 timeout, 1 http5xx (503)',
      'bounded (C=5): 1 failed: 1 reset',
      'interrupted: partial results (requests cut off in flight count as aborted)',
      '',
    ]);
  });

  it('does not repeat a failure a verdict line already told', () => {
    const failedAll = { ...ALL, ok: 9, failed: 1, errors: { ...emptyErrorCounts(), http4xx: 1 }, statusCodes: { '200': 9, '404': 1 } };
    const out = renderTable(report([SEQUENTIAL, failedAll]), { heading: HEADING, sample: null, chalk: plain });
    expect(afterTable(out.split('\n'))).toEqual([
      'all: 6.04x faster than sequential (0.411 s vs 2.483 s); 1 failed: 1 http4xx (404)',
      '1 run: indicative; --runs 5 for an interval',
      '',
    ]);
  });
});

describe('verdictLines', () => {
  it('says how many times faster, with both wall times', () => {
    expect(verdictLines([SEQUENTIAL, ALL, BOUNDED])).toEqual([
      'all: 6.04x faster than sequential (0.411 s vs 2.483 s)',
      'bounded (C=5): 4.85x faster than sequential (0.512 s vs 2.483 s)',
    ]);
  });

  it('says slower when it is', () => {
    const seq = result({ wallMs: 100, speedup: 1 });
    const all = result({ strategy: 'all', concurrency: null, wallMs: 200, speedup: 0.5 });
    expect(verdictLines([seq, all])).toEqual(['all: 2.00x slower than sequential (0.200 s vs 0.100 s)']);
  });

  it('adds the failures of the concurrent strategy', () => {
    const all = { ...ALL, ok: 8, failed: 2, errors: { ...emptyErrorCounts(), timeout: 1, http5xx: 1 }, statusCodes: { '200': 8, '503': 1 } };
    expect(verdictLines([SEQUENTIAL, all])).toEqual([
      'all: 6.04x faster than sequential (0.411 s vs 2.483 s); 2 failed: 1 timeout, 1 http5xx (503)',
    ]);
  });

  it('refuses to compare failures', () => {
    const allFailed = { ...ALL, ok: 0, failed: 10, errors: { ...emptyErrorCounts(), connect: 10 }, statusCodes: {} };
    expect(verdictLines([SEQUENTIAL, allFailed])).toEqual(['all: no comparison, every request failed (10 failed: 10 connect)']);
    const seqFailed = { ...SEQUENTIAL, ok: 0, failed: 10, errors: { ...emptyErrorCounts(), dns: 10 }, statusCodes: {} };
    expect(verdictLines([seqFailed, BOUNDED])).toEqual([
      'bounded (C=5): no comparison, every sequential request failed (10 failed: 10 dns)',
    ]);
  });

  it('is empty without a complete sequential run', () => {
    expect(verdictLines([ALL, BOUNDED])).toEqual([]);
    expect(verdictLines([{ ...SEQUENTIAL, partial: true }, ALL])).toEqual([]);
  });

  it('skips results without a speedup', () => {
    expect(verdictLines([SEQUENTIAL, { ...ALL, speedup: null }, BOUNDED])).toHaveLength(1);
  });
});

describe('describeFailures', () => {
  it('lists the classes in contract order', () => {
    const r = result({ failed: 6, errors: { ...emptyErrorCounts(), other: 1, timeout: 2, aborted: 3 }, statusCodes: {} });
    expect(describeFailures(r)).toBe('6 failed: 2 timeout, 3 aborted, 1 other');
  });

  it('names the HTTP statuses behind http4xx and http5xx', () => {
    const r = result({
      failed: 4,
      errors: { ...emptyErrorCounts(), http4xx: 3, http5xx: 1 },
      statusCodes: { '200': 6, '429': 2, '404': 1, '502': 1 },
    });
    expect(describeFailures(r)).toBe('4 failed: 3 http4xx (404, 429), 1 http5xx (502)');
  });
});

describe('renderJson', () => {
  it('round-trips the report, pretty-printed with one trailing newline', () => {
    const r = report([SEQUENTIAL, ALL, BOUNDED]);
    const text = renderJson(r);
    expect(JSON.parse(text)).toEqual(r);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "async-bench"')).toBe(true);
  });

  it('keeps partial and null fields', () => {
    const r = report([{ ...ALL, speedup: null, partial: true }], true);
    const parsed = JSON.parse(renderJson(r)) as Report;
    expect(parsed.partial).toBe(true);
    expect(parsed.results[0]!.concurrency).toBe(null);
    expect(parsed.results[0]!.speedup).toBe(null);
    expect(parsed.results[0]!.partial).toBe(true);
  });

  it('round-trips results summarised from runs (no NaN turned into null)', () => {
    const samples = new Samples(2);
    samples.markStart(0, 0);
    samples.record(0, 5, { status: 0, bytes: 0, ttfbMs: Number.NaN, error: 'connect' });
    samples.markStart(1, 0);
    const run: StrategyRun = { strategy: 'all', concurrency: null, samples, wallMs: 5, maxInFlight: 2, partial: true, pool: null, eventLoopDelayP99Ms: null };
    const r = report(summarizeRuns([run]), true);
    expect(JSON.parse(renderJson(r))).toEqual(r);
  });
});
