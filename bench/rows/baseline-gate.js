// Row: does the baseline gate (--baseline with --runs 5) flap, and does it go blind? A baseline
// of pokemon --offline at a fixed 100 ms is saved, then the same workload is gated against it N
// times (every failure is a false alarm), and N times at 130 ms, 30% slower (every pass is a
// miss; --baseline-ignore latency accepts the deliberate difference). The delay dwarfs the
// per-request overhead, so 30% more delay is about 30% more wall time. Figures, never a CI gate.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, run as runChild } from '../lib/proc.js';
import { makeRow } from '../lib/row.js';

export const id = 'baseline-gate';
export const title = 'the baseline gate: false alarms on identical runs, catches of a 30% slowdown';

const TARGET_CATCH_SHARE = 1;

const BASE_MS = { quick: 50, full: 100 };

function workload(quick, slower) {
  const base = quick ? BASE_MS.quick : BASE_MS.full;
  const latency = slower ? Math.round(base * 1.3) : base;
  return ['pokemon', '--offline', '-n', quick ? '5' : '10', '--latency', String(latency), '--runs', quick ? '3' : '5', '-s', 'sequential,bounded', '-c', '5', '--seed', '7', '-q'];
}

export async function run(ctx) {
  const trials = ctx.quick ? 2 : 10;
  const saved = join(ctx.tmpDir, 'gate-baseline.json');
  const first = await runChild(process.execPath, [CLI, ...workload(ctx.quick, false), '--json']);
  if (first.code !== 0) throw new Error(`saving the baseline: exit ${first.code}\n${first.stderr}`);
  writeFileSync(saved, first.stdout);
  let falseAlarms = 0;
  let caught = 0;
  for (let i = 0; i < trials; i++) {
    ctx.log(`${id}: trial ${i + 1}/${trials}`);
    const same = await runChild(process.execPath, [CLI, ...workload(ctx.quick, false), '--baseline', saved]);
    if (same.code === 1) falseAlarms++;
    else if (same.code !== 0) throw new Error(`identical run: exit ${same.code}\n${same.stderr}`);
    const slow = await runChild(process.execPath, [CLI, ...workload(ctx.quick, true), '--baseline', saved, '--baseline-ignore', 'latency']);
    if (slow.code === 1) caught++;
    else if (slow.code !== 0) throw new Error(`slower run: exit ${slow.code}\n${slow.stderr}`);
  }
  return [
    makeRow({
      id,
      measurement: `${id} ${trials} identical + ${trials} 30% slower runs (--runs ${ctx.quick ? 3 : 5})`,
      unit: 'count',
      asyncBench: [caught],
      reference: { label: `${trials} slower runs`, value: trials },
      ratio: { definition: 'slowdowns caught / slower runs', of: (ab, ref) => ab / ref },
      target: { text: `all caught, no false alarm`, spec: { ratioMin: TARGET_CATCH_SHARE }, check: ({ ratio }) => ratio >= TARGET_CATCH_SHARE && falseAlarms === 0 },
      notes: [`false alarms: ${falseAlarms} of ${trials} identical runs; caught: ${caught} of ${trials} runs 30% slower`],
      details: { trials, falseAlarms, caught },
    }),
  ];
}
