// Row 5: `--version`, `--help` and a 1-request offline run should cost little more than starting
// node itself. Each command is timed from spawn to exit, interleaved, RUNS times per repeat; a
// repeat's value is the median of its runs.
import { makeRow } from '../lib/row.js';
import { CLI, run as runProcess } from '../lib/proc.js';
import { median } from '../lib/stats.js';

export const id = 'start-up';
export const title = '--version, --help and a 1-request offline run against `node -e 0`';

// Targets of issue 17 for --version and the 1-request run; --help keeps its earlier one.
const COMMANDS = [
  { key: 'node', args: ['-e', '0'] },
  { key: '--version', args: [CLI, '--version'], maxRatio: 1.3 },
  { key: '--help', args: [CLI, '--help'], maxRatio: 2 },
  { key: '1-request offline run', args: [CLI, 'pokemon', '--offline', '-n', '1', '--latency', '0', '-s', 'sequential', '-q'], maxRatio: 2.5 },
];

async function timeOnce(args, what) {
  const r = await runProcess(process.execPath, args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${what}: exit code ${r.code}\n${r.stderr.trim()}`);
  if (args[0] === CLI && r.stdout.trim() === '') throw new Error(`${what}: printed nothing`);
  return r.wallMs;
}

export async function run(ctx) {
  const runs = ctx.quick ? 2 : 10;
  const keys = COMMANDS.map((c) => c.key);
  const perRepeat = Object.fromEntries(keys.map((k) => [k, []]));
  const all = Object.fromEntries(keys.map((k) => [k, []]));
  // One untimed round first: the first spawn pays for a cold page cache.
  if (!ctx.quick) for (const c of COMMANDS) await timeOnce(c.args, c.key);
  for (let i = 0; i < ctx.repeats; i++) {
    ctx.log(`${id}: repeat ${i + 1}/${ctx.repeats} (${runs} runs of each command)`);
    const times = Object.fromEntries(keys.map((k) => [k, []]));
    for (let k = 0; k < runs; k++) {
      for (const c of COMMANDS) times[c.key].push(await timeOnce(c.args, c.key));
    }
    for (const key of keys) {
      perRepeat[key].push(median(times[key]));
      all[key].push(...times[key].map((t) => Math.round(t * 10) / 10));
    }
  }
  return COMMANDS.filter((c) => c.key !== 'node').map((c) =>
    makeRow({
      id,
      measurement: `${id} ${c.key}`,
      unit: 'ms',
      asyncBench: perRepeat[c.key],
      reference: { label: 'node -e 0', repeats: perRepeat.node },
      ratio: { definition: 'async-bench start-to-exit / node -e 0 start-to-exit', of: (ab, ref) => ab / ref },
      target: { text: `<= ${c.maxRatio.toFixed(2)}`, spec: { ratioMax: c.maxRatio }, check: ({ ratio }) => ratio <= c.maxRatio },
      details: { runsPerRepeat: runs, command: `node bin/async-bench.js ${c.args.slice(1).join(' ')}`, allRunsMs: { asyncBench: all[c.key], reference: all.node } },
    }),
  );
}
