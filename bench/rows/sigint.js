// Row: time from Ctrl-C to exit. async-bench runs an offline preset whose every response takes
// 2 s (`pokemon --offline --latency 2000`), so a SIGINT sent 600 ms after spawn finds sequential's
// first request in flight; the row times the signal to the process's exit, as seen from here
// (the one timing this process takes itself: a child cannot see its own exit). Each run must end
// as the contract says (exit 130, one JSON document marked partial) or the row cannot be measured.
// A repeat's value is the median of its runs.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { CLI, ROOT } from '../lib/proc.js';
import { makeRow } from '../lib/row.js';
import { median } from '../lib/stats.js';

export const id = 'sigint';
export const title = 'time from SIGINT to exit, mid-flight';

const TARGET_MS = 1000;
const SIGNAL_AFTER_MS = 600;
const ARGS = ['pokemon', '--offline', '--latency', '2000', '-n', '10', '--seed', '1', '--json', '-q'];

/** One interrupted run: { ms, midFlight } or a thrown error saying what went wrong. */
function interruptOnce(ctx, signalAfterMs = SIGNAL_AFTER_MS) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...ARGS], { cwd: ROOT, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    let sentAt = null;
    let exitAt = null;
    let exit = null;
    const signal = setTimeout(() => {
      sentAt = performance.now();
      child.kill('SIGINT');
    }, signalAfterMs);
    const killer = setTimeout(() => child.kill('SIGKILL'), ctx.childTimeoutMs);
    child.once('error', (e) => {
      clearTimeout(signal);
      clearTimeout(killer);
      reject(e);
    });
    child.once('exit', (code, sig) => {
      exitAt = performance.now();
      exit = { code, sig };
    });
    child.once('close', () => {
      clearTimeout(signal);
      clearTimeout(killer);
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (sentAt === null) return reject(new Error(`async-bench ended before the signal (exit ${exit.code}): ${stderr.slice(-500)}`));
      // Killed by the signal itself: it came before the CLI installed its handler (a start-up
      // slower than the delay, on a loaded machine). That is no measurement; the caller retries later.
      if (exit.sig === 'SIGINT') return resolve({ tooEarly: true });
      if (exit.code !== 130) return reject(new Error(`after SIGINT: ${exit.sig ? `killed by ${exit.sig}` : `exit code ${exit.code}`}, expected 130${stderr ? `\n${stderr.slice(-1000)}` : ''}`));
      let report;
      try {
        report = JSON.parse(Buffer.concat(out).toString('utf8'));
      } catch {
        return reject(new Error('after SIGINT: stdout is not one JSON document'));
      }
      if (report.partial !== true) return reject(new Error('after SIGINT: the JSON is not marked "partial": true'));
      const aborted = report.results.reduce((sum, r) => sum + r.errors.aborted, 0);
      resolve({ ms: exitAt - sentAt, midFlight: aborted > 0 });
    });
  });
}

export async function run(ctx) {
  const runs = ctx.quick ? 3 : 5;
  const perRepeat = [];
  const all = [];
  let notMidFlight = 0;
  for (let i = 0; i < ctx.repeats; i++) {
    ctx.log(`${id}: repeat ${i + 1}/${ctx.repeats} (${runs} interrupted runs)`);
    const times = [];
    for (let k = 0; k < runs; k++) {
      let outcome = await interruptOnce(ctx);
      for (let delay = SIGNAL_AFTER_MS * 2; outcome.tooEarly && delay <= SIGNAL_AFTER_MS * 8; delay *= 2) {
        ctx.log(`${id}: the signal came before start-up ended; again with ${delay} ms`);
        outcome = await interruptOnce(ctx, delay);
      }
      if (outcome.tooEarly) throw new Error(`after SIGINT: killed by SIGINT even ${SIGNAL_AFTER_MS * 8} ms after spawn: no handler installed`);
      const { ms, midFlight } = outcome;
      times.push(ms);
      if (!midFlight) notMidFlight++;
    }
    perRepeat.push(median(times));
    all.push(...times.map((t) => Math.round(t * 10) / 10));
  }
  const notes = notMidFlight > 0 ? [`${notMidFlight} run(s) had no request in flight when the signal came (start-up slower than ${SIGNAL_AFTER_MS} ms)`] : [];
  return [
    makeRow({
      id,
      measurement: 'SIGINT to exit (mid-flight)',
      unit: 'ms',
      asyncBench: perRepeat,
      reference: { label: 'target', value: TARGET_MS },
      ratio: { definition: 'SIGINT-to-exit time / the 1 s the issue allows', of: (ab, ref) => ab / ref },
      target: { text: `<= ${TARGET_MS} ms`, spec: { maxMs: TARGET_MS }, check: ({ ab }) => ab <= TARGET_MS },
      notes,
      details: {
        command: `node bin/async-bench.js ${ARGS.join(' ')}`,
        signalAfterMs: SIGNAL_AFTER_MS,
        runsPerRepeat: runs,
        allRunsMs: all,
        runsWithoutRequestInFlight: notMidFlight,
      },
    }),
  ];
}
