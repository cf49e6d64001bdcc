// Row 5: `--version` and `--help` should cost little more than starting node itself.
// Each command is timed from spawn to exit, interleaved, RUNS times per repeat; a repeat's value
// is the median of its runs.
import { makeRow } from '../lib/row.js';
import { CLI, run as runProcess } from '../lib/proc.js';
import { median } from '../lib/stats.js';

export const id = 'start-up';
export const title = '--version and --help against `node -e 0`';

const MAX_RATIO = 2;

async function timeOnce(args, what) {
  const r = await runProcess(process.execPath, args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${what}: exit code ${r.code}\n${r.stderr.trim()}`);
  if (args[0] === CLI && r.stdout.trim() === '') throw new Error(`${what}: printed nothing`);
  return r.wallMs;
}

export async function run(ctx) {
  const runs = ctx.quick ? 2 : 10;
  const commands = [
    { key: 'node', args: ['-e', '0'] },
    { key: '--version', args: [CLI, '--version'] },
    { key: '--help', args: [CLI, '--help'] },
  ];
  const perRepeat = { node: [], '--version': [], '--help': [] };
  const all = { node: [], '--version': [], '--help': [] };
  // One untimed round first: the first spawn pays for a cold page cache.
  if (!ctx.quick) for (const c of commands) await timeOnce(c.args, c.key);
  for (let i = 0; i < ctx.repeats; i++) {
    ctx.log(`${id}: repeat ${i + 1}/${ctx.repeats} (${runs} runs of each command)`);
    const times = { node: [], '--version': [], '--help': [] };
    for (let k = 0; k < runs; k++) {
      for (const c of commands) times[c.key].push(await timeOnce(c.args, c.key));
    }
    for (const key of Object.keys(times)) {
      perRepeat[key].push(median(times[key]));
      all[key].push(...times[key].map((t) => Math.round(t * 10) / 10));
    }
  }
  return ['--version', '--help'].map((key) =>
    makeRow({
      id,
      measurement: `${id} ${key}`,
      unit: 'ms',
      asyncBench: perRepeat[key],
      reference: { label: 'node -e 0', repeats: perRepeat.node },
      ratio: { definition: 'async-bench start-to-exit / node -e 0 start-to-exit', of: (ab, ref) => ab / ref },
      target: { text: `<= ${MAX_RATIO.toFixed(2)}`, spec: { ratioMax: MAX_RATIO }, check: ({ ratio }) => ratio <= MAX_RATIO },
      details: { runsPerRepeat: runs, command: `node bin/async-bench.js ${key}`, allRunsMs: { asyncBench: all[key], reference: all.node } },
    }),
  );
}
