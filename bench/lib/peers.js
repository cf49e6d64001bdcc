// The peers: other HTTP load generators, run against the same bench server the same way as
// async-bench, each in its own process measured by the kernel (CPU time, peak RSS). autocannon is
// a dev dependency; hey and wrk are Debian packages, used when installed and skipped otherwise.
//
// A tool's run() resolves with { requests, failed, reqPerSec, p50Ms, cpuMs, peakRssMB }:
// `reqPerSec` over the tool's own measured window (start-up excluded, as async-bench's), the rest
// over the whole process.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultOf } from './measure.js';
import { CLI, ROOT } from './proc.js';
import { runWithResources } from './resources.js';

export const AUTOCANNON = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');

/** Runs one measured child; throws with its stderr when it fails. */
async function measured(ctx, what, command, args, prefix) {
  const { result, cpuMs, peakRssMB } = await runWithResources(args, ctx.tmpDir, { command, prefix, timeoutMs: ctx.childTimeoutMs });
  if (result.code !== 0) {
    const why = result.timedOut ? 'timed out' : result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
    throw new Error(`${what}: ${why}${result.stderr ? `\n${result.stderr.trim().slice(-2000)}` : ''}`);
  }
  return { stdout: result.stdout, cpuMs, peakRssMB };
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: stdout is not JSON: ${text.slice(0, 200)}`);
  }
}

/** The first number a pattern captures in a tool's text output, or an error naming what is missing. */
function captured(text, pattern, what) {
  const m = pattern.exec(text);
  if (!m) throw new Error(`${what}: no ${pattern} in its output: ${text.slice(0, 300)}`);
  return m;
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000 };

/** async-bench `--file <urls> -s bounded -c C`: the tool under test, one URL per request. */
export const asyncBench = {
  name: 'async-bench',
  async run(ctx, { urlFile, concurrency }, prefix) {
    const { stdout, cpuMs, peakRssMB } = await measured(ctx, 'async-bench', process.execPath, [CLI, '--file', urlFile, '-s', 'bounded', '-c', String(concurrency), '--json', '-q'], prefix);
    const r = resultOf(parseJson(stdout, 'async-bench'), 'bounded', concurrency);
    return { requests: r.requests, failed: r.failed, reqPerSec: r.reqPerSec, p50Ms: r.latencyMs.p50, cpuMs, peakRssMB };
  },
};

/** autocannon -c C -a N: N requests over C connections (its latencies are whole milliseconds). */
const autocannon = {
  name: 'autocannon',
  version: () => JSON.parse(readFileSync(join(ROOT, 'node_modules', 'autocannon', 'package.json'), 'utf8')).version,
  async run(ctx, { url, count, concurrency }, prefix) {
    const { stdout, cpuMs, peakRssMB } = await measured(ctx, 'autocannon', process.execPath, [AUTOCANNON, '-c', String(concurrency), '-a', String(count), '-j', url], prefix);
    const j = parseJson(stdout, 'autocannon');
    const failed = j.errors + j.non2xx;
    return { requests: j.requests.total + j.errors, failed, reqPerSec: j.requests.total / j.duration, p50Ms: j.latency.p50, cpuMs, peakRssMB };
  },
};

/** hey -n N -c C (Go; latencies to 0.1 ms). */
const hey = {
  name: 'hey',
  install: 'apt-get install hey',
  async run(ctx, { url, count, concurrency }, prefix) {
    const { stdout, cpuMs, peakRssMB } = await measured(ctx, 'hey', 'hey', ['-n', String(count), '-c', String(concurrency), url], prefix);
    const reqPerSec = Number(captured(stdout, /Requests\/sec:\s+([\d.]+)/, 'hey')[1]);
    const p50Ms = Number(captured(stdout, /50% in ([\d.]+) secs/, 'hey')[1]) * 1000;
    let ok = 0;
    for (const m of stdout.matchAll(/\[(\d{3})\]\s+(\d+) responses/g)) if (Number(m[1]) < 400) ok += Number(m[2]);
    return { requests: count, failed: count - ok, reqPerSec, p50Ms, cpuMs, peakRssMB };
  },
};

/** wrk -t1 -c C -d <s>: runs for a time, not a count (one thread, as async-bench has one loop). */
const wrk = {
  name: 'wrk',
  install: 'apt-get install wrk',
  byDuration: true,
  async run(ctx, { url, concurrency, durationS }, prefix) {
    const { stdout, cpuMs, peakRssMB } = await measured(ctx, 'wrk', 'wrk', ['-t1', `-c${concurrency}`, `-d${durationS}s`, '--latency', url], prefix);
    const requests = Number(captured(stdout, /(\d+) requests in/, 'wrk')[1]);
    const reqPerSec = Number(captured(stdout, /Requests\/sec:\s+([\d.]+)/, 'wrk')[1]);
    const [, value, unit] = captured(stdout, /50%\s+([\d.]+)(us|ms|s)\b/, 'wrk');
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
    const failed = non2xx + (socketErrors ? socketErrors.slice(1).reduce((s, n) => s + Number(n), 0) : 0);
    return { requests, failed, reqPerSec, p50Ms: Number(value) * UNIT_MS[unit], cpuMs, peakRssMB };
  },
};

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The Debian package's version of a command (hey has no --version), or 'installed'. */
function packageVersion(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : 'installed';
}

/** Every peer, with `available` and, when not, why. */
export function peers() {
  return [autocannon, hey, wrk].map((tool) => {
    if (tool === autocannon) {
      try {
        return { ...tool, available: true, version: tool.version() };
      } catch {
        return { ...tool, available: false, why: 'autocannon not installed (npm ci installs it)' };
      }
    }
    return onPath(tool.name) ? { ...tool, available: true, version: packageVersion(tool.name) } : { ...tool, available: false, why: `${tool.name} not installed (${tool.install})` };
  });
}
