/**
 * The pictures from the outside: --waterfall on stdout, --report writing the HTML file, the
 * samples they draw from staying out of the JSON without --details, and no secret in the page.
 * The page itself is opened in Chromium by test/browser/report.test.ts.
 *
 * The built CLI's main() runs in this process, one run at a time, but for the first --waterfall
 * case, which spawns bin/async-bench.js: the drawing goes into a real pipe, off a terminal.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ANSI, assertBuilt, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

interface Doc {
  results: Array<{ strategy: string; concurrency: number | null; requests: number; samples?: unknown[] }>;
}

let dir: string;
let server: TestServer;
beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'async-bench-pictures-'));
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  cleanupCli();
});

const FAST = ['pokemon', '--offline', '-n', '6', '--latency', '20', '--seed', '5'];

describe('--waterfall', () => {
  test('draws the three shapes above the table, in plain characters into a pipe', async () => {
    const result = await run([...FAST, '--waterfall'], { env: { COLUMNS: undefined } });
    expect(result.code, describeRun(result)).toBe(0);
    const out = result.stdout;
    expect(out).not.toMatch(ANSI);
    expect(out).toMatch(/^waterfall: one row per request/m);
    for (const title of ['sequential · 6 requests', 'all (Promise.all) · 6 requests', 'bounded (C=5) · 6 requests']) expect(out).toContain(title);
    expect(out.match(/^ *\d+ +=+$/gm)).toHaveLength(18);
    expect(out.indexOf('waterfall:')).toBeLessThan(out.indexOf('Time taken'));
    // 80 columns off a terminal (COLUMNS unset): the rulers are 80 wide.
    for (const ruler of out.match(/^ +\+[-+]+$/gm) ?? []) expect(ruler.length).toBe(80);
  });

  test('is off by default when stdout is no terminal, and --no-waterfall keeps it off', async () => {
    const [plain, off] = [await runBuiltInProcess(FAST), await runBuiltInProcess([...FAST, '--no-waterfall'])];
    for (const r of [plain, off]) {
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stdout).not.toContain('waterfall');
      expect(r.stdout).toContain('Time taken');
    }
  });

  test('with --json on stdout is a usage error, before any request', async () => {
    expectUsageError(await runBuiltInProcess([...FAST, '--waterfall', '--json']), /--waterfall draws with the table; stdout carries json/);
  });
});

describe('--report', () => {
  test('writes the page; the JSON on stdout carries samples only with --details', async () => {
    const page = join(dir, 'report.html');
    const plain = await runBuiltInProcess([...FAST, '--json', '--report', page]);
    const doc = parseJsonReport<Doc>(plain);
    for (const r of doc.results) expect(r).not.toHaveProperty('samples');
    expect(existsSync(page)).toBe(true);
    const html = readFileSync(page, 'utf8');
    expect(html.match(/<svg class="waterfall"/g)).toHaveLength(3);
    expect(html.match(/<rect class="bar /g)).toHaveLength(18);

    const detailed = parseJsonReport<Doc>(await runBuiltInProcess([...FAST, '--json', '--details', '--report', join(dir, 'detailed.html')]));
    for (const r of detailed.results) expect(r.samples).toHaveLength(6);
  });

  test('-o keeps its own format and leaves samples out; the page goes to its own file', async () => {
    const page = join(dir, 'with-o.html');
    const json = join(dir, 'with-o.json');
    const result = await runBuiltInProcess([...FAST, '-o', json, '--report', page]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toContain('Time taken');
    const saved = JSON.parse(readFileSync(json, 'utf8')) as Doc;
    for (const r of saved.results) expect(r).not.toHaveProperty('samples');
    expect(readFileSync(page, 'utf8')).toMatch(/^<!doctype html>/);
  });

  test('never writes a secret: query keys and credential headers are ***', async () => {
    const page = join(dir, 'secret.html');
    const urls = [`${server.url}/ok?api_key=topsecret1234&page=1`, `${server.url}/ok?token=othersecret5678`];
    const result = await runBuiltInProcess([...urls, '-H', 'X-Api-Key: hdrsecret9012', '-H', 'Authorization: Bearer bearersecret3456', '--report', page, '--waterfall']);
    expect(result.code, describeRun(result)).toBe(0);
    const html = readFileSync(page, 'utf8');
    for (const secret of ['topsecret1234', 'othersecret5678', 'hdrsecret9012', 'bearersecret3456']) {
      expect(html).not.toContain(secret);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
    expect(html).toContain('api_key=***');
    expect(html).toContain('x-api-key: ***');
  });

  test('a name that cannot be written is a usage error, before any request', async () => {
    expectUsageError(await runBuiltInProcess([...FAST, '--report', '-']), /--report needs a file name/);
    expectUsageError(await runBuiltInProcess([...FAST, '--report', join(dir, 'missing', 'r.html')]), /no directory/);
  });

  test('--help lists the picture options', async () => {
    const help = await runBuiltInProcess(['--help']);
    for (const option of ['--waterfall', '--no-waterfall', '--report <file.html>']) expect(help.stdout).toContain(option);
  });
});
