import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'async-bench-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface BenchRow {
  id: string;
  measurement: string;
  pass: boolean | null;
  skipped?: unknown;
  error?: unknown;
}

/** The bench's figures are not asserted (timing is no test here): only that it runs end to end. */
describe('npm run bench -- --quick', () => {
  test('runs every row and writes a well-formed results file', async () => {
    const out = join(dir, 'quick.json');
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      // The scale rows (1,000,000 URLs; `all` over 100,000) take a minute: `npm run bench -- --quick` runs them, not npm test.
      const child = spawn(process.execPath, ['bench/run.js', '--quick', '--skip', 'scale-1m,scale-all', '--out', out], { cwd: ROOT, env: { ...process.env, CI: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (c) => done({ code: c, stdout, stderr }));
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/\| measurement\s+\| async-bench\s+\| reference/);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { schemaVersion: number; mode: string; machine: { node: string }; rows: BenchRow[] };
    expect(results.schemaVersion).toBe(1);
    expect(results.mode).toBe('quick');
    expect(results.machine.node).toBe(process.version);
    const ids = new Set(results.rows.map((r) => r.id));
    for (const id of ['efficiency-40', 'latency-bound', 'fan-out', 'overhead', 'start-up', 'memory']) expect(ids).toContain(id);
    for (const row of results.rows) {
      expect(row.error ?? null, `${row.measurement} could not be measured`).toBeNull();
      if (!row.skipped) expect(typeof row.pass).toBe('boolean');
    }
  }, 120_000);
});
