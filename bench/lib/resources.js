// Peak RSS and CPU time of a node child, read from the kernel's accounting of that process:
// GNU time (%U %S %M) when /usr/bin/time works, else a preload that reports
// process.resourceUsage() at exit. Neither adds work to the measured event loop.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './proc.js';

const TIME = '/usr/bin/time';
const PRELOAD = fileURLToPath(new URL('./usage-preload.js', import.meta.url));
let method = null;

export function resourceMethod() {
  if (method === null) {
    const works = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
    method = works ? '/usr/bin/time -f "%U %S %M"' : 'node --import bench/lib/usage-preload.js (process.resourceUsage())';
  }
  return method;
}

let seq = 0;

/**
 * Runs `node <args>` (or `options.command <args>`), behind `options.prefix` (a command such as
 * `taskset -c 1` that execs the rest); resolves with { result: run()'s result, peakRssMB, cpuMs }
 * (null where the child died before it could be measured, or for a command other than node
 * without GNU time).
 */
export async function runWithResources(args, tmpDir, options = {}) {
  const { command = process.execPath, prefix = [], ...runOptions } = options;
  const file = join(tmpDir, `usage-${process.pid}-${++seq}.txt`);
  rmSync(file, { force: true });
  const viaTime = resourceMethod().startsWith(TIME);
  const withPrefix = (cmd, rest) => (prefix.length > 0 ? [prefix[0], [...prefix.slice(1), cmd, ...rest]] : [cmd, rest]);
  let result;
  if (viaTime) result = await run(...withPrefix(TIME, ['-f', '%U %S %M', '-o', file, command, ...args]), runOptions);
  else if (command === process.execPath) result = await run(...withPrefix(command, ['--import', PRELOAD, ...args]), { ...runOptions, env: { ...runOptions.env, BENCH_USAGE_FILE: file } });
  else result = await run(...withPrefix(command, args), runOptions);
  let userS = Number.NaN;
  let sysS = Number.NaN;
  let rssKiB = Number.NaN;
  try {
    // GNU time may write "Command exited with non-zero status" first: the numbers are the last line.
    [userS, sysS, rssKiB] = readFileSync(file, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
  } catch {
    // no file: the caller sees the exit code
  }
  return {
    result,
    peakRssMB: Number.isFinite(rssKiB) ? (rssKiB * 1024) / 1e6 : null,
    cpuMs: Number.isFinite(userS + sysS) ? Math.round((userS + sysS) * 1000) : null,
  };
}
