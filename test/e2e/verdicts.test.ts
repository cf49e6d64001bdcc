/**
 * End to end on the fixture server: a strategy that fails more is never faster, -c auto finds a
 * server's limit, and a baseline is only compared with the same workload.
 *
 * Most runs are the built CLI's main() in this process (one at a time). The two -c auto searches
 * spawn the built CLI: each waits some ten seconds on the server's delays with little CPU, so
 * the two run side by side, next to the in-process runs, and the real process is checked too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { assertBuilt, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';

const SPAWN = { timeout: 90_000 };
let dir = '';

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'async-bench-verdicts-'));
});
afterAll(() => {
  cleanupCli();
  rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('failures never count as speed', SPAWN, () => {
  test('--max-inflight 5 --min-speedup 3: all fails its check, naming its failures, and the run exits 1', async () => {
    // A delay long enough that all's requests overlap at the server even on a starved CPU. One
    // run: the table on stdout, the same run's JSON document written with -o.
    const jsonPath = join(dir, 'more-failures.json');
    const table = await runBuiltInProcess(['pokemon', '--offline', '-n', '20', '--latency', '150', '--max-inflight', '5', '--min-speedup', '3', '--seed', '1', '-o', jsonPath]);
    expect(table.code, describeRun(table)).toBe(1);
    expect(table.stdout).toMatch(/^all: not faster, it failed more: \d+ of 20 \(\d+%\) where sequential failed 0%; \d+ failed: \d+ http5xx \(503\)$/m);
    expect(table.stdout).toMatch(/^FAIL {2}speedup>=3 {2}all: [\d.]+ \(all failed more than sequential: \d+ of 20 failed\)$/m);
    expect(table.stdout).toMatch(/│ all \(Promise\.all\) .*│ more failures │/);
    expect(table.stdout).not.toMatch(/all: [\d.]+x faster/);
    const doc = parseJsonReport<Report>({ ...table, stdout: readFileSync(jsonPath, 'utf8') });
    const all = doc.results.find((r) => r.strategy === 'all')!;
    expect(all.verdict).toBe('more-failures');
    expect(all.speedup).toBeGreaterThan(1); // the ratio keeps its meaning for scripts
    expect(all.okPerSec).toBeLessThan(all.reqPerSec);
    expect(doc.thresholds!.find((t) => t.strategy === 'all')).toMatchObject({ pass: false, reason: expect.stringMatching(/failed more than sequential/) });
    expect(doc.results.find((r) => r.strategy === 'bounded')!.verdict).toBe('faster');
  });

  test('markdown and HTML never bold the strategy that failed more', async () => {
    const report = join(dir, 'more-failures.html');
    const r = await runBuiltInProcess(['pokemon', '--offline', '-n', '10', '--latency', '200', '--max-inflight', '3', '-s', 'sequential,all', '--format', 'markdown', '--report', report, '--seed', '2']);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/\| all \(Promise\.all\) \|.*\| more failures \|/);
    expect(r.stdout).not.toContain('**');
    expect(readFileSync(report, 'utf8')).not.toMatch(/<strong>[\d.]+x/);
  });
});

describe.concurrent('-c auto', SPAWN, () => {
  test('finds the limit of a server that refuses above 10: recommends 8 to 10', async () => {
    // Small bodies, as below: on a busy machine the client's CPU per Pokémon blurred the steps.
    const r = await run(['jsonplaceholder', '--offline', '-n', '40', '--latency', '100', '--max-inflight', '10', '-s', 'bounded', '-c', 'auto', '--seed', '3', '--json']);
    expect(r.code, describeRun(r)).toBe(0);
    const doc = parseJsonReport<Report>(r);
    expect(doc.recommendation!.method).toBe('auto');
    expect(doc.recommendation!.concurrency).toBeGreaterThanOrEqual(8);
    expect(doc.recommendation!.concurrency).toBeLessThanOrEqual(10);
    // One result per visited limit, each step printed on stderr as it went.
    const visited = doc.recommendation!.steps!.map((s) => s.concurrency);
    expect(doc.results.map((x) => x.concurrency).sort((a, b) => a! - b!)).toEqual([...visited].sort((a, b) => a - b));
    expect(r.stderr.match(/^auto: C=\d+ → /gm)).toHaveLength(visited.length);
    expect(visited.slice(0, 4)).toEqual([1, 2, 4, 8]);
  });

  test('finds the limit of a server that queues beyond 10 (--capacity 10): recommends 8 to 12', async () => {
    // Small bodies: the client's own CPU per request stays out of the search's steps on a busy machine.
    const r = await run(['jsonplaceholder', '--offline', '-n', '40', '--latency', '100', '--capacity', '10', '-s', 'bounded', '-c', 'auto', '--seed', '3', '--json']);
    expect(r.code, describeRun(r)).toBe(0);
    const doc = parseJsonReport<Report>(r);
    expect(doc.recommendation!.method).toBe('auto');
    expect(doc.recommendation!.concurrency).toBeGreaterThanOrEqual(8);
    expect(doc.recommendation!.concurrency).toBeLessThanOrEqual(12);
    // A queue refuses nothing: every visited limit is failure-free.
    for (const x of doc.results) expect(x.failed).toBe(0);
  });

  test('refuses -c auto without bounded, and stops at its ceiling', async () => {
    expectUsageError(await runBuiltInProcess(['pokemon', '--offline', '-s', 'all', '-c', 'auto']), /-c auto searches for the limit of bounded/);
    expectUsageError(await runBuiltInProcess(['pokemon', '--offline', '-c', 'auto:1']), /--concurrency auto: must be at least 2/);
    const r = await runBuiltInProcess(['jsonplaceholder', '--offline', '-n', '8', '--latency', '5', '-s', 'bounded', '-c', 'auto:4', '--seed', '4', '--json']);
    expect(r.code, describeRun(r)).toBe(0);
    const doc = parseJsonReport<Report>(r);
    expect(Math.max(...doc.recommendation!.steps!.map((s) => s.concurrency))).toBeLessThanOrEqual(4);
  });
});

describe.concurrent('a baseline compares like with like', SPAWN, () => {
  test('another latency is refused with exit 2, naming the field; --baseline-ignore accepts it', async () => {
    const saved = join(dir, 'baseline.json');
    // JSONPlaceholder's small bodies: what is compared is the workload, not the bytes.
    const first = await runBuiltInProcess(['jsonplaceholder', '--offline', '-n', '5', '--latency', '5', '-s', 'sequential,all', '--seed', '5', '--json']);
    expect(first.code, describeRun(first)).toBe(0);
    writeFileSync(saved, first.stdout);
    const refused = await runBuiltInProcess(['jsonplaceholder', '--offline', '-n', '5', '--latency', '6', '-s', 'sequential,all', '--seed', '5', '--baseline', saved]);
    expectUsageError(refused, /measured another workload \(latency "5" → "6"\).*--baseline-ignore latency/);
    const accepted = await runBuiltInProcess(['jsonplaceholder', '--offline', '-n', '5', '--latency', '6', '-s', 'sequential,all', '--seed', '5', '--baseline', saved, '--baseline-ignore', 'latency', '--max-regression', '1000', '--json']);
    expect(accepted.code, describeRun(accepted)).toBe(0);
    const doc = parseJsonReport<Report>(accepted);
    expect(doc.baseline!.comparisons.map((c) => c.strategy)).toEqual(['sequential', 'all']);
    expect(doc.baseline!.warnings).toEqual(['baseline has 1 run: a gate needs --runs 3 or more on both sides; comparing medians']);
    expectUsageError(await runBuiltInProcess(['pokemon', '--offline', '--baseline-ignore', 'latncy', '--baseline', saved]), /unknown field 'latncy' \(did you mean 'latency'\?\)/);
    expectUsageError(await runBuiltInProcess(['pokemon', '--offline', '--baseline-ignore', 'latency']), /--baseline-ignore needs --baseline/);
  });
});
