/**
 * `async-bench tour`, run in process (main() in the test process): --list, a bad --only, and
 * two cheap lessons with --json. The whole tour (about half a minute) runs in
 * `npm run bench -- --quick` (bench/rows/tour.js), which checks every lesson is present.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { LESSONS } from '../../src/tour/lessons.js';
import { runBuiltInProcess } from '../helpers/in-process.js';

interface TourDocument {
  schemaVersion: number;
  lessons: Array<{ name: string; title: string; takeaway: string; runs: Array<{ command: string; report: Report }> }>;
  partial?: true;
}

describe('tour', () => {
  it('--list names every lesson, one line each', async () => {
    const { code, stdout, stderr } = await runBuiltInProcess(['tour', '--list']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.trimEnd().split('\n').map((line) => line.split(' ')[0])).toEqual(LESSONS.map((l) => l.name));
  });

  it('an unknown --only is one async-bench: line naming the lessons, exit 2, nothing run', async () => {
    const { code, stdout, stderr } = await runBuiltInProcess(['tour', '--only', 'bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`async-bench: unknown lesson 'bogus'; lessons are ${LESSONS.map((l) => l.name).join(', ')}\n`);
  });

  it('--json --only: the lesson with the command that ran, its Report and a takeaway from it', async () => {
    for (const name of ['eager', 'fail-fast']) {
      const { code, stdout } = await runBuiltInProcess(['tour', '--json', '--only', name]);
      expect(code).toBe(0);
      const doc = JSON.parse(stdout) as TourDocument;
      expect(doc.schemaVersion).toBe(1);
      expect(doc.partial).toBeUndefined();
      expect(doc.lessons.map((l) => l.name)).toEqual([name]);
      const [lesson] = doc.lessons;
      const { runs } = LESSONS.find((l) => l.name === name)!;
      expect(lesson!.runs.map((r) => r.command)).toEqual(runs.map((args) => `npx async-bench ${args.join(' ')}`));
      for (const run of lesson!.runs) {
        expect(run.report.schemaVersion).toBe(1);
        expect(run.report.results.length).toBeGreaterThan(0);
      }
      expect(lesson!.takeaway).not.toMatch(/^no takeaway/);
    }
  });

  it('a lesson in text: paragraph, numbers, the command and the takeaway', async () => {
    const { code, stdout } = await runBuiltInProcess(['tour', '--only', 'eager']);
    expect(code).toBe(0);
    expect(stdout).toContain('[1/1] eager · Promises start eagerly\n');
    expect(stdout).toMatch(/\n {2}all \(Promise\.all\) +\d+\.\d{3} s {2}10 ok/);
    expect(stdout).toContain('  $ npx async-bench pokemon --offline -n 10 --latency 100 -s all --details --seed 1\n');
    expect(stdout).toMatch(/\n→ all (sent|'s) /);
  });
});
