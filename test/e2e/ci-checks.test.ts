/**
 * End to end, the checks a CI job relies on: repeated runs with their spread, --threshold and
 * --min-speedup, --baseline with --max-regression, the concurrency sweep's recommendation, and
 * the output formats (--format, -o). The built CLI runs against the offline fixture server with
 * a fixed latency, small counts and jsonplaceholder's small bodies; timings are never asserted
 * tightly (generous ratios only).
 *
 * Most runs are the built CLI's main() in this process (runBuiltInProcess, the usage errors
 * too). Two spawn the built CLI: --min-speedup 1000, whose exit code 1 is what a CI job
 * reads from the real process, and the concurrency sweep, which waits on the server's latency
 * for seconds with little work, beside the runs in process.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ANSI, assertBuilt, cleanupCli, describeRun, run, type RunResult } from '../helpers/cli.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { expectValidReport } from '../helpers/schema.js';
import { parseJsonReport } from '../helpers/expectations.js';

// The parts of the JSON document these tests read (written out here: the test checks the interface).
interface Spread {
  median: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
}
interface Result {
  strategy: 'sequential' | 'all' | 'bounded';
  concurrency: number | null;
  wallMs: number;
  requests: number;
  ok: number;
  failed: number;
  reqPerSec: number;
  speedup: number | null;
  runs: Array<{ wallMs: number; ok: number; failed: number }>;
  wallMsStats: Spread;
  speedupStddev: number | null;
  speedupCI95: [number, number] | null;
  verdict: 'faster' | 'slower' | 'same' | 'inconclusive' | 'more-failures' | null;
  partial?: boolean;
}
interface Doc {
  schemaVersion: number;
  startedAt: string;
  config: { runs: number; warmup: number; count: number };
  results: Result[];
  recommendation?: { concurrency: number; reqPerSec: number; reason: string };
  thresholds?: Array<{ expr: string; strategy: string; actual: number | null; pass: boolean }>;
  baseline?: {
    startedAt: string;
    maxRegressionPct: number;
    comparisons: Array<{ strategy: string; baselineWallMs: number; wallMs: number; changePct: number; favourableChangePct: number; ci95: [number, number] | null; pass: boolean }>;
  };
}

/** Time per test, queueing for one of the two CLI slots included (never asserted on). */
const SPAWN = { timeout: 90_000 };

/** The repeated-runs benchmark: 10 requests, 5 measured rounds after 1 warm-up, 20 ms latency. */
const REPEATED = ['jsonplaceholder', '--offline', '--count', '10', '--runs', '5', '--warmup', '1', '--latency', '20'];
/** A quick single run, for the usage errors and output formats. */
const QUICK = ['jsonplaceholder', '--offline', '-n', '5', '--latency', '0', '--seed', '7'];

let tmp: string;
beforeAll(() => {
  assertBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'async-bench-ci-checks-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  cleanupCli();
});

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** The keyed name of a result: sequential, all, bounded@C. */
const key = (r: Result): string => (r.strategy === 'bounded' ? `bounded@${r.concurrency}` : r.strategy);

/** The one --json run of the repeated benchmark (shared: it is also the saved baseline). */
let repeatedJson: Promise<RunResult> | undefined;
const runRepeatedJson = (): Promise<RunResult> => (repeatedJson ??= runBuiltInProcess([...REPEATED, '--min-speedup', '1.5', '--json']));

describe.concurrent('repeated runs with checks', SPAWN, () => {
  test('--min-speedup 1.5 passes (10x in theory: the margin is for a busy machine): exit 0, speedups with their spread, a pass line per concurrent strategy', async () => {
    const result = await runBuiltInProcess([...REPEATED, '--min-speedup', '1.5']);
    const context = describeRun(result);
    expect(result.code, context).toBe(0);
    expect(result.stderr, context).toBe('');
    expect(result.stdout, context).not.toMatch(ANSI);
    expect(result.stdout, context).toContain('5 runs, 1 warm-up');
    // From 5 runs, speedups of the concurrent strategies carry their 95% interval: "16.75x (15.90–17.40)".
    expect(result.stdout.match(/\d+\.\d\dx \(\d+\.\d\d–\d+\.\d\d\)/g)?.length ?? 0, context).toBeGreaterThanOrEqual(2);
    // Wall times are medians with their range, never ± a standard deviation.
    expect(result.stdout, context).toMatch(/\d\.\d{3} s \(\d\.\d{3}–\d\.\d{3}\)/);
    expect(result.stdout, context).not.toContain('±');
    expect(result.stdout, context).toMatch(/^pass {2}speedup>=1\.5 {2}all: \d/m);
    expect(result.stdout, context).toMatch(/^pass {2}speedup>=1\.5 {2}bounded@5: \d/m);
    expect(result.stdout, context).not.toContain('FAIL');
  });

  test('--min-speedup 1000 fails: exit 1, a FAIL line per concurrent strategy, one line on stderr', async () => {
    // Spawned: the exit code a CI job sees is the process's own.
    const result = await run([...REPEATED, '--min-speedup', '1000']);
    const context = describeRun(result);
    expect(result.code, context).toBe(1);
    const fails = lines(result.stdout).filter((l) => l.startsWith('FAIL'));
    expect(fails, context).toHaveLength(2);
    expect(fails[0], context).toMatch(/^FAIL {2}speedup>=1000 {2}all: \d/);
    expect(fails[1], context).toMatch(/^FAIL {2}speedup>=1000 {2}bounded@5: \d/);
    // The table is still printed.
    expect(result.stdout, context).toContain('sequential');
    expect(lines(result.stderr), context).toHaveLength(1);
    expect(result.stderr, context).toMatch(/^async-bench: 2 checks failed/);
  });

  test('--json: every run, the spread, the speedup interval and the thresholds', async () => {
    const result = await runRepeatedJson();
    const context = describeRun(result);
    expect(result.code, context).toBe(0);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.config).toMatchObject({ runs: 5, warmup: 1, count: 10 });
    expect(doc.results.map(key)).toEqual(['sequential', 'all', 'bounded@5']);
    for (const r of doc.results) {
      const where = key(r);
      // Five measured runs of 10 requests each; the warm-up is not among them.
      expect(r.runs, where).toHaveLength(5);
      for (const one of r.runs) expect(one, where).toMatchObject({ ok: 10, failed: 0 });
      expect(r.requests, where).toBe(50);
      expect(r.ok + r.failed, where).toBe(r.requests);
      const s = r.wallMsStats;
      expect(Object.keys(s).sort(), where).toEqual(['max', 'mean', 'median', 'min', 'stddev']);
      expect(s.min, where).toBeLessThanOrEqual(s.median);
      expect(s.median, where).toBeLessThanOrEqual(s.max);
      expect(s.stddev, where).toBeGreaterThanOrEqual(0);
      expect(r.wallMs, where).toBe(s.median);
      const walls = r.runs.map((x) => x.wallMs).sort((a, b) => a - b);
      expect([walls[0], walls[2], walls[4]], where).toEqual([s.min, s.median, s.max]);
      if (r.strategy === 'sequential') {
        expect(r.speedup, where).toBe(1);
        expect(r.speedupStddev, where).toBeNull();
        expect(r.speedupCI95, where).toBeNull();
        // 10 requests of 20 ms one after another: at least 0.2 s.
        expect(r.wallMs, where).toBeGreaterThanOrEqual(200);
      } else {
        expect(typeof r.speedupStddev, where).toBe('number');
        expect(r.speedupStddev!, where).toBeGreaterThanOrEqual(0);
        expect(r.speedupCI95, where).toHaveLength(2);
        const [lo, hi] = r.speedupCI95!;
        expect(lo, where).toBeLessThanOrEqual(hi);
        expect(lo, where).toBeGreaterThan(1);
        expect(r.verdict, where).toBe('faster');
        expect(r.speedup!, where).toBeGreaterThan(1.5);
      }
    }
    expect(doc.thresholds, context).toHaveLength(2);
    expect(doc.thresholds!.map((t) => [t.expr, t.strategy, t.pass])).toEqual([
      ['speedup>=1.5', 'all', true],
      ['speedup>=1.5', 'bounded@5', true],
    ]);
    for (const t of doc.thresholds!) expect(t.actual).toBe(doc.results.find((r) => key(r) === t.strategy)!.speedup);
  });

  test('--baseline: the same run again passes --max-regression 50; a 10x faster baseline fails', async () => {
    const saved = await runRepeatedJson();
    expect(saved.code, describeRun(saved)).toBe(0);
    const savedDoc = parseJsonReport<Doc>(saved);
    const savedPath = join(tmp, 'baseline.json');
    writeFileSync(savedPath, saved.stdout);
    // The same results ten times as fast: this run is ~10x slower, far beyond any noise.
    const fast = JSON.parse(saved.stdout) as Doc;
    for (const r of fast.results) {
      r.wallMs /= 10;
      for (const k of ['median', 'mean', 'stddev', 'min', 'max'] as const) r.wallMsStats[k] /= 10;
      for (const one of r.runs) one.wallMs /= 10;
    }
    const fastPath = join(tmp, 'fast-baseline.json');
    writeFileSync(fastPath, JSON.stringify(fast));

    const [same, slower] = await Promise.all([
      runBuiltInProcess([...REPEATED, '--baseline', savedPath, '--max-regression', '50', '--json']),
      runBuiltInProcess([...REPEATED, '--baseline', fastPath, '--json']),
    ]);

    expect(same.code, describeRun(same)).toBe(0);
    const sameDoc = parseJsonReport<Doc>(same);
    expect(sameDoc.baseline?.startedAt).toBe(savedDoc.startedAt);
    expect(sameDoc.baseline?.maxRegressionPct).toBe(50);
    expect(sameDoc.baseline?.comparisons.map((c) => [c.strategy, c.pass])).toEqual([
      ['sequential', true],
      ['all', true],
      ['bounded@5', true],
    ]);
    for (const c of sameDoc.baseline!.comparisons) {
      const old = savedDoc.results.find((r) => key(r) === c.strategy)!;
      expect(c.baselineWallMs).toBe(old.wallMs);
      // Five runs each side: judged on the lower end of the bootstrap interval of new/old.
      expect(c.ci95).toHaveLength(2);
      expect(c.favourableChangePct).toBe(c.ci95![0]);
      expect(c.favourableChangePct).toBeLessThanOrEqual(c.changePct);
    }

    const context = describeRun(slower);
    expect(slower.code, context).toBe(1);
    const slowerDoc = parseJsonReport<Doc>(slower);
    expect(slowerDoc.baseline?.maxRegressionPct).toBe(10); // the default limit
    expect(slowerDoc.baseline?.comparisons.map((c) => [c.strategy, c.pass])).toEqual([
      ['sequential', false],
      ['all', false],
      ['bounded@5', false],
    ]);
    for (const c of slowerDoc.baseline!.comparisons) expect(c.changePct).toBeGreaterThan(100);
    expect(lines(slower.stderr), context).toHaveLength(1);
    expect(slower.stderr, context).toMatch(/^async-bench: 3 checks failed/);
  });

  test('a sweep against a server that refuses above 10 in flight recommends a limit it accepts', async () => {
    // Spawned: seconds of waiting on the server's latency, beside the runs in process.
    const result = await run(['jsonplaceholder', '--offline', '-n', '60', '-c', '1,2,4,8,16,32', '--max-inflight', '10', '--latency', '50', '-s', 'bounded', '--json']);
    const context = describeRun(result);
    expect(result.code, context).toBe(0);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.results.map(key)).toEqual(['bounded@1', 'bounded@2', 'bounded@4', 'bounded@8', 'bounded@16', 'bounded@32']);
    // Above 10 in flight the server answers 503: some limit above 10 met it (on a starved CPU a
    // limit may never get more than 10 to the server at once, so not necessarily every one).
    expect(doc.results.filter((x) => x.concurrency! > 10).some((r) => r.failed > 0), context).toBe(true);
    const rec = doc.recommendation;
    expect(rec, context).toBeDefined();
    expect(rec!.concurrency).toBeLessThanOrEqual(10);
    const picked = doc.results.find((r) => r.concurrency === rec!.concurrency)!;
    expect(picked.failed).toBe(0);
    expect(rec!.reqPerSec).toBe(picked.reqPerSec);
    expect(rec!.reason).toContain(`C=${rec!.concurrency}`);
  });
});

describe.concurrent('output formats', SPAWN, () => {
  /** Runs with -o FILE and returns the file's text; stdout must still carry the table. */
  async function writeTo(name: string): Promise<string> {
    const path = join(tmp, name);
    const result = await runBuiltInProcess([...QUICK, '-o', path]);
    const context = describeRun(result);
    expect(result.code, context).toBe(0);
    expect(result.stdout, context).toMatch(/Strategy[\s\S]*sequential[\s\S]*all \(Promise\.all\)[\s\S]*bounded \(C=5\)/);
    expect(result.stdout, context).toContain('┌');
    expect(existsSync(path), `${name} was not written`).toBe(true);
    return readFileSync(path, 'utf8');
  }

  const isJson = (text: string): boolean => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  test('-o out.json writes the JSON document', async () => {
    const text = await writeTo('out.json');
    const doc = JSON.parse(text) as Doc;
    expectValidReport(doc);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.results.map(key)).toEqual(['sequential', 'all', 'bounded@5']);
    expect(text).not.toMatch(ANSI);
  });

  test('-o out.md writes a Markdown table', async () => {
    const text = await writeTo('out.md');
    expect(isJson(text), text.slice(0, 200)).toBe(false);
    expect(text).not.toMatch(ANSI);
    expect(text).not.toContain('┌');
    expect(text).toMatch(/^\|.*\|\s*$/m);
    expect(text).toMatch(/^\|\s*:?-{3,}/m);
    for (const name of ['sequential', 'all', 'bounded']) expect(text).toContain(name);
  });

  test('-o out.csv writes a header and one row per result', async () => {
    const text = await writeTo('out.csv');
    expect(isJson(text), text.slice(0, 200)).toBe(false);
    expect(text).not.toMatch(ANSI);
    const rows = lines(text);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/^strategy,/i);
    const columns = rows[0]!.split(',').length;
    expect(columns).toBeGreaterThan(3);
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['sequential', 'all', 'bounded']);
  });

  test('-o out.xml writes a JUnit report', async () => {
    const text = await writeTo('out.xml');
    expect(isJson(text), text.slice(0, 200)).toBe(false);
    expect(text.trimStart()).toMatch(/^<\?xml /);
    expect(text).toMatch(/<testsuites?[\s>]/);
    expect(text).toContain('</testsuite');
  });

  test('--format csv prints CSV on stdout and nothing else there', async () => {
    const result = await runBuiltInProcess([...QUICK, '--format', 'csv']);
    const context = describeRun(result);
    expect(result.code, context).toBe(0);
    expect(isJson(result.stdout), context).toBe(false);
    expect(result.stdout, context).not.toContain('┌');
    const rows = lines(result.stdout);
    expect(rows, context).toHaveLength(4);
    expect(rows[0], context).toMatch(/^strategy,/i);
    expect(rows.slice(1).map((r) => r.split(',')[0]), context).toEqual(['sequential', 'all', 'bounded']);
  });
});

describe.concurrent('bad checks and outputs exit 2 before any request', SPAWN, () => {
  const files = (): { notJson: string; notReport: string; missing: string } => {
    const notJson = join(tmp, 'not-json.json');
    const notReport = join(tmp, 'not-a-report.json');
    writeFileSync(notJson, 'sequential 2.4 s\nall 0.4 s\n');
    writeFileSync(notReport, JSON.stringify({ name: 'some-package', version: '1.0.0' }));
    return { notJson, notReport, missing: join(tmp, 'no-such-baseline.json') };
  };

  const cases: Array<[string, () => string[], RegExp]> = [
    ['a threshold that does not parse', () => ['--threshold', 'speedup>>3'], /--threshold 'speedup>>3' does not parse/],
    ['an unknown metric', () => ['--threshold', 'p96<300'], /unknown metric 'p96' \(did you mean 'p90'\?\)/],
    ['an unknown strategy', () => ['--threshold', 'parallel.p95<300'], /unknown strategy 'parallel'/],
    ['a strategy not run (-s)', () => ['-s', 'sequential,all', '--threshold', 'bounded.p95<300'], /names bounded, which is not among the strategies run/],
    ['bounded@3 with -c 5', () => ['-c', '5', '--threshold', 'bounded@3.p95<300'], /names bounded@3, but -c is 5/],
    ['--max-regression without --baseline', () => ['--max-regression', '20'], /--max-regression needs --baseline/],
    ['--baseline that does not exist', () => ['--baseline', files().missing], /cannot read --baseline .*no such file/],
    ['--baseline that is not JSON', () => ['--baseline', files().notJson], /--baseline .* is not JSON/],
    ['--baseline JSON that is not a report', () => ['--baseline', files().notReport], /is not an async-bench JSON result/],
    ['--format nope', () => ['--format', 'nope'], /--format must be one of/],
    ['-o with an unknown extension', () => ['-o', join(tmp, 'result.unknown')], /cannot tell the format of/],
    ['-o into a missing directory', () => ['-o', join(tmp, 'missing-dir', 'result.json')], /cannot write .*no directory/],
    ['--json with --format csv', () => ['--json', '--format', 'csv'], /--json and --format csv ask for two formats/],
  ];

  test.each(cases)('%s', async (_name, args, message) => {
    const result = await runBuiltInProcess([...QUICK, ...args()]);
    const context = describeRun(result);
    expect(result.code, context).toBe(2);
    expect(result.stdout, context).toBe('');
    expect(result.stderr, context).toMatch(/^async-bench: [^\n]+\n$/);
    expect(result.stderr, context).toMatch(message);
  });
});

describe('after the usage errors', () => {
  test('the refused outputs left no file behind', () => {
    expect(existsSync(join(tmp, 'result.unknown'))).toBe(false);
    expect(existsSync(join(tmp, 'missing-dir'))).toBe(false);
  });
});
