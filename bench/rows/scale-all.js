// Rows: `all` over 100,000 URLs against the zero-delay loopback server. One run to the end gives
// the wall time, the smallest request latency and the largest delay of the CLI's event loop
// (sampled in the child by bench/lib/loop-delay-preload.js); a second run gets Ctrl-C a second
// into its requests and gives the time from SIGINT to exit, seen from here. Information only:
// it shows the loop stays responsive while 100,000 requests start (sends are paced per loop
// turn). It runs in --quick mode too, and never fails the bench: a run that cannot be measured
// is a skipped row with the reason.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { resultOf } from '../lib/measure.js';
import { CLI, ROOT, withServer, writeUrlFile } from '../lib/proc.js';
import { runWithResources } from '../lib/resources.js';
import { makeRow, skippedRow } from '../lib/row.js';

export const id = 'scale-all';
export const title = '`all` over 100,000 URLs: wall, min latency, loop delay, SIGINT to exit';

const COUNT = 100_000;
const SIGNAL_AFTER_START_MS = 1000;
const LOOP_PRELOAD = fileURLToPath(new URL('../lib/loop-delay-preload.js', import.meta.url));
const CHILD_TIMEOUT_MS = 90_000;

/** The run to the end: its `all` result and the loop's delays. */
async function fullRun(ctx, file) {
  const loopFile = join(ctx.tmpDir, `loop-${process.pid}.json`);
  rmSync(loopFile, { force: true });
  const { result, peakRssMB } = await runWithResources(['--import', LOOP_PRELOAD, CLI, '--file', file, '-s', 'all', '--json', '-q'], ctx.tmpDir, {
    timeoutMs: CHILD_TIMEOUT_MS,
    env: { BENCH_LOOP_DELAY_FILE: loopFile, CI: '1' },
  });
  if (result.code !== 0) throw new Error(`async-bench -s all: ${result.timedOut ? 'timed out' : `exit ${result.code ?? result.signal}`} ${result.stderr.trim().slice(-300)}`);
  const report = JSON.parse(result.stdout);
  const loop = JSON.parse(readFileSync(loopFile, 'utf8'));
  return { all: resultOf(report, 'all'), loop, peakRssMB };
}

/** The interrupted run: ms from SIGINT to the child's exit, and how it ended. */
function interruptedRun(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--file', file, '-s', 'all', '--json', '-q'], { cwd: ROOT, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let stderr = '';
    let sentAt = null;
    let exitAt = null;
    let timer = null;
    child.stdout.on('data', (c) => out.push(c));
    // The fan-out warning is printed just before the requests start: the signal comes a second later.
    child.stderr.on('data', (c) => {
      stderr += c.toString();
      if (timer === null && stderr.includes('warning: all starts')) {
        timer = setTimeout(() => {
          sentAt = performance.now();
          child.kill('SIGINT');
        }, SIGNAL_AFTER_START_MS);
      }
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', () => (exitAt = performance.now()));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      if (sentAt === null) return reject(new Error(`ended before the signal (exit ${code ?? signal})`));
      let partial = null;
      let aborted = null;
      try {
        const report = JSON.parse(Buffer.concat(out).toString('utf8'));
        partial = report.partial === true;
        aborted = report.results.reduce((sum, r) => sum + r.errors.aborted, 0);
      } catch {
        // reported below as not JSON
      }
      resolve({ ms: exitAt - sentAt, code, partial, aborted });
    });
  });
}

export async function run(ctx) {
  let full;
  let stop;
  try {
    [full, stop] = await withServer({ delayMs: 0, maxSeconds: 240 }, async (server) => {
      const file = writeUrlFile(ctx.tmpDir, server, COUNT);
      ctx.log(`${id}: ${COUNT.toLocaleString('en-US')} URLs, -s all, to the end`);
      const f = await fullRun(ctx, file);
      ctx.log(`${id}: ${COUNT.toLocaleString('en-US')} URLs, -s all, Ctrl-C ${SIGNAL_AFTER_START_MS} ms in`);
      const s = await interruptedRun(file);
      return [f, s];
    });
  } catch (err) {
    ctx.log(`${id}: not measured: ${err.message.split('\n')[0]}`);
    return [skippedRow(id, `${id} ${COUNT} URLs`, `not measured: ${err.message.split('\n')[0].slice(0, 200)}`)];
  }
  const info = { text: '(info)' };
  const none = { label: 'none', value: null };
  const ratio = { definition: 'none (information only)', of: () => null };
  const { all, loop } = full;
  const details = { urls: COUNT, serverDelayMs: 0, ok: all.ok, failed: all.failed, errors: all.errors, pool: all.pool, maxInFlight: all.maxInFlight, peakRssMB: full.peakRssMB, loopDelayP99Ms: loop.p99Ms };
  const stopNotes = [];
  if (stop.code !== 130) stopNotes.push(`after SIGINT the exit code was ${stop.code}, not 130`);
  if (stop.partial !== true) stopNotes.push('after SIGINT the JSON was missing or not marked partial');
  return [
    makeRow({ id, measurement: `${id} ${COUNT} URLs wall`, unit: 'ms', asyncBench: [all.wallMs], reference: none, ratio, target: info, notes: all.failed > 0 ? [`${all.failed} requests failed: ${JSON.stringify(all.errors)}`] : [], details }),
    makeRow({ id, measurement: `${id} ${COUNT} URLs min latency`, unit: 'ms', asyncBench: [all.latencyMs.min], reference: none, ratio, target: info, details: { latencyMs: all.latencyMs } }),
    makeRow({ id, measurement: `${id} ${COUNT} URLs loop max delay`, unit: 'ms', asyncBench: [loop.maxMs], reference: none, ratio, target: info, details: { loopDelayP99Ms: loop.p99Ms, method: 'monitorEventLoopDelay in the child (bench/lib/loop-delay-preload.js), whole process' } }),
    makeRow({ id, measurement: `${id} ${COUNT} URLs SIGINT to exit`, unit: 'ms', asyncBench: [stop.ms], reference: none, ratio, target: info, notes: stopNotes, details: { signalAfterStartMs: SIGNAL_AFTER_START_MS, exitCode: stop.code, partial: stop.partial, abortedRequests: stop.aborted } }),
  ];
}
