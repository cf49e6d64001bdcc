// One measured run of async-bench or of a reference script, as plain numbers.
import { join } from 'node:path';
import { CLI, ROOT, withServer, writeUrlFile } from './proc.js';
import { runWithResources } from './resources.js';

function parseJson(stdout, what) {
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error(`${what}: stdout is not JSON: ${stdout.slice(0, 200)}`);
  }
}

async function runNode(args, what, ctx) {
  const { result, cpuMs, peakRssMB } = await runWithResources(args, ctx.tmpDir, { timeoutMs: ctx.childTimeoutMs });
  if (result.code !== 0) {
    const why = result.timedOut ? 'timed out' : result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
    throw new Error(`${what}: ${why}${result.stderr ? `\n${result.stderr.trim().slice(-2000)}` : ''}`);
  }
  return { json: parseJson(result.stdout, what), cpuMs, peakRssMB };
}

/**
 * Runs `async-bench <args> --json -q` and returns { report, cpuMs, peakRssMB }: its JSON document
 * (CONTRACT.md) and the kernel's accounting of the whole process.
 */
export async function runAsyncBench(ctx, args) {
  const { json, cpuMs, peakRssMB } = await runNode([CLI, ...args, '--json', '-q'], `async-bench ${args.join(' ')}`, ctx);
  if (!Array.isArray(json.results)) throw new Error(`async-bench ${args.join(' ')}: no results in its JSON`);
  return { report: json, cpuMs, peakRssMB };
}

/** The result of one strategy (and limit) in an async-bench report. */
export function resultOf(report, strategy, concurrency = null) {
  const found = report.results.find((r) => r.strategy === strategy && (concurrency === null || r.concurrency === concurrency));
  if (!found) throw new Error(`async-bench report has no ${strategy}${concurrency ? ` -c ${concurrency}` : ''} result`);
  return found;
}

/** Runs bench/raw/<script> <args>; returns { result: {wallMs, reqPerSec, requests, ok, failed}, cpuMs, peakRssMB }. */
export async function runReference(ctx, script, args) {
  const { json, cpuMs, peakRssMB } = await runNode([join(ROOT, 'bench', 'raw', script), ...args], `bench/raw/${script}`, ctx);
  return { result: json, cpuMs, peakRssMB };
}

/** Runs a and b once per repeat, alternating which goes first so neither always gets a warm machine. */
export async function alternate(ctx, label, a, b) {
  const as = [];
  const bs = [];
  for (let i = 0; i < ctx.repeats; i++) {
    ctx.log(`${label}: repeat ${i + 1}/${ctx.repeats}`);
    if (i % 2 === 0) {
      as.push(await a(i));
      bs.push(await b(i));
    } else {
      bs.push(await b(i));
      as.push(await a(i));
    }
  }
  return [as, bs];
}

/**
 * async-bench `-s bounded -c C` against raw undici behind a C-slot semaphore, over `count` URLs
 * on a zero-delay server, alternating repeats. Each repeat keeps the result's fields plus the
 * process's CPU time and peak RSS: the overhead and memory rows read different ones.
 */
export async function boundedAgainstRawSemaphore(ctx, id, count, concurrency) {
  return withServer({ delayMs: 0 }, async (server) => {
    const file = writeUrlFile(ctx.tmpDir, server, count);
    return alternate(
      ctx,
      id,
      async () => {
        const { report, cpuMs, peakRssMB } = await runAsyncBench(ctx, ['--file', file, '-s', 'bounded', '-c', String(concurrency)]);
        return { ...resultOf(report, 'bounded', concurrency), cpuMs, peakRssMB };
      },
      async () => {
        const { result, cpuMs, peakRssMB } = await runReference(ctx, 'undici-semaphore.js', [file, String(concurrency)]);
        return { ...result, cpuMs, peakRssMB };
      },
    );
  });
}
