/**
 * Output that fits an 80-column terminal, end to end: the built CLI in a real pseudo-terminal
 * (`script` from util-linux, sized with stty) for the table, the waterfall, the sweep chart and
 * the progress line; then main() in this process for --wide, the lines on stderr and the
 * `wrote` lines, into a pipe with COLUMNS unset.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { displayWidth, formatFileSize } from '../../src/export/format.js';
import { ANSI, BIN, NODE_ARGS, assertBuilt, cliEnv } from '../helpers/cli.js';
import { runBuiltInProcess } from '../helpers/in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'async-bench-terminal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = '/usr/bin/script';
const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
const ANSI_ALL = new RegExp(ANSI.source, 'g');

/**
 * What a terminal shows, line by line: a carriage return or a jump to column 1 (the spinner's
 * redraw) starts the line afresh, so each part is a line of its own as wide as it was drawn.
 */
function screenLines(raw: string): string[] {
  return raw
    .replace(/\u001b\[1G/g, '\r')
    .replace(ANSI_ALL, '')
    .split(/\r?\n/)
    .flatMap((line) => line.split('\r'));
}

/** Runs the built CLI in a pseudo-terminal `columns` wide; gives everything it drew. */
function inTerminal(args: readonly string[], columns: number): Promise<{ code: number | null; raw: string }> {
  assertBuilt();
  const command = `stty cols ${columns} rows 50; exec ${[process.execPath, ...NODE_ARGS, BIN, ...args].map(quote).join(' ')}`;
  // A terminal, not CI: the CLI sees the pty's own width.
  const env = cliEnv({ CI: undefined, COLUMNS: undefined, TERM: 'xterm-256color' });
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let raw = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, raw });
    });
  });
}

describe.skipIf(!existsSync(SCRIPT))('in an 80-column terminal', () => {
  test('the table, the waterfall, the sweep chart, the lines under them and the progress line all fit', async () => {
    // Two rounds, so that the progress line has an ETA; a sweep, so that the chart is drawn.
    const { code, raw } = await inTerminal(['pokemon', '--offline', '-n', '10', '--latency', '20-40', '--seed', '3', '-c', '2,5', '--runs', '2'], 80);
    const lines = screenLines(raw);
    const text = lines.join('\n');
    expect(code, raw).toBe(0);
    const widest = lines.reduce((a, b) => (displayWidth(b) > displayWidth(a) ? b : a), '');
    expect(displayWidth(widest), `the widest line:\n${widest}\n\n${text}`).toBeLessThanOrEqual(80);
    // On a terminal of at most 30 requests a strategy: the waterfall, and a sweep's chart.
    expect(text).toContain('waterfall: one row per request');
    expect(text).toContain('ok/s by concurrency limit');
    expect(text).toMatch(/^│ Strategy +│ +OK │ Time taken │/m);
    // The spinner told the round, the strategy, done/total, the time and, in round 2, an ETA.
    expect(text).toMatch(/round 1\/2 · (sequential|all \(Promise\.all\)|bounded \(C=\d\)) \d+\/10 · 0:\d\d/);
    expect(text).toMatch(/round 2\/2 · .* \d+\/10 · 0:\d\d · ETA 0:\d\d/);
  });
});

describe('into a pipe, COLUMNS unset', () => {
  const FAST = ['pokemon', '--offline', '-n', '8', '--latency', '5', '--seed', '4'];

  test('--wide shows every column; without it the table and every line fit 80 columns', async () => {
    const [fitted, wide] = [await runBuiltInProcess([...FAST, '-s', 'sequential,all'], { env: { COLUMNS: undefined } }), await runBuiltInProcess([...FAST, '-s', 'sequential,all', '--wide'], { env: { COLUMNS: undefined } })];
    expect(fitted.code, fitted.output).toBe(0);
    expect(wide.code, wide.output).toBe(0);
    expect(wide.stdout).toMatch(/^│ Strategy +│ Requests │ OK │ Failed │ Time taken │ Req\/s │ +p50 │ +p95 │ +max │ Speedup │ Sockets │ Loop p99 │ Eff\. │$/m);
    expect(fitted.stdout).toMatch(/^│ Strategy +│ +OK │ Time taken │/m);
    for (const line of fitted.output.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
  });

  test('hints fit 80 columns, and each file written is said on stderr with its size, unless -q', async () => {
    const csv = join(dir, 'result.csv');
    const html = join(dir, 'report.html');
    const args = ['pokemon', '--offline', '-n', '12', '--latency', '30', '--max-inflight', '3', '-s', 'all', '--seed', '1', '-o', csv, '--report', html];
    const loud = await runBuiltInProcess(args, { env: { COLUMNS: undefined } });
    expect(loud.code, loud.output).toBe(0);
    const stderr = loud.stderr.split('\n');
    for (const line of loud.output.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    // The 503 hint is longer than 80 columns: wrapped at a word, the rest indented.
    expect(stderr).toContain('hint: the fixture server answered 503 (over --max-inflight): compare with');
    expect(stderr).toContain('  bounded at a limit below it');
    expect(stderr).toContain(`wrote ${csv} (${formatFileSize(statSync(csv).size)})`);
    expect(stderr).toContain(`wrote ${html} (${formatFileSize(statSync(html).size)})`);
    expect(statSync(html).size).toBeGreaterThan(1024); // said in KB
    const quiet = await runBuiltInProcess([...args, '-q'], { env: { COLUMNS: undefined } });
    expect(quiet.code, quiet.output).toBe(0);
    expect(quiet.stderr).not.toContain('wrote ');
  });
});
