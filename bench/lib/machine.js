// What the numbers were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT } from './proc.js';

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function gitDirty() {
  try {
    return execFileSync('git', ['status', '--porcelain', '--', 'src', 'bin', 'package.json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    return null;
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  let undici = null;
  try {
    undici = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'undici', 'package.json'), 'utf8')).version;
  } catch {
    // not installed: the run will say so soon enough
  }
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? null,
    totalMemMB: Math.round(os.totalmem() / 1e6),
    hostname: os.hostname(),
    asyncBenchVersion: pkg.version,
    undiciVersion: undici,
    gitCommit: gitCommit(),
    gitDirty: gitDirty(),
  };
}

/** 1, 5 and 15 minute load averages: other work on the machine skews every number. */
export function loadAverage() {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}
