#!/usr/bin/env node
// Before and after one change: two builds of async-bench measured in the same run, taking turns,
// so that a busy machine slows both alike. Writes a document shaped like bench/run.js's (each row's
// asyncBench is the build after, its reference the build before) and prints the table.
//
//   node bench/compare.js --before <root> --after <root> [--rounds <n>] [--micro <script>]... [--out <file>]
//
// A root is a checkout with dist/ built and node_modules/ (a link will do), e.g.
//   mkdir /tmp/before && git archive <commit> | tar -x -C /tmp/before
//   ln -s "$PWD/node_modules" /tmp/before/node_modules && (cd /tmp/before && node scripts/build.mjs)
// Rows: the 1-request offline run and --version (spawn to exit, and their CPU time), and CPU per request and peak RSS
// of `--file <urls> -s bounded -c 100` at 20,000 and 100,000 URLs (req/s too at 100,000), the
// server and the client pinned to different CPUs as in the peers rows. A --micro script is run as
// `node <script> <root>` and prints one JSON object of figures; each becomes a row (unit from its
// name's suffix: Ms, Us, MB).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage, machineInfo } from './lib/machine.js';
import { resultOf } from './lib/measure.js';
import { pinning } from './lib/pin.js';
import { runNodeJson, withServer, writeUrlFile } from './lib/proc.js';
import { runWithResources } from './lib/resources.js';
import { makeRow } from './lib/row.js';
import { median } from './lib/stats.js';
import { renderTable } from './lib/table.js';

const USAGE = 'usage: node bench/compare.js --before <root> --after <root> [--rounds <n>] [--micro <script>]... [--out <file>] [--quick]';

function usageError(message) {
  process.stderr.write(`bench/compare: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      before: { type: 'string' },
      after: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      micro: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  }).values;
} catch (err) {
  usageError(err.message);
}
if (!parsed.before || !parsed.after) usageError('--before and --after are required');
const rounds = Number(parsed.rounds);
if (!Number.isInteger(rounds) || rounds < 1) usageError(`--rounds must be a positive integer, got '${parsed.rounds}'`);
const builds = { before: resolve(parsed.before), after: resolve(parsed.after) };
const cli = (root) => join(root, 'bin', 'async-bench.js');
const tmpDir = mkdtempSync(join(tmpdir(), 'async-bench-compare-'));
const log = (message) => process.stderr.write(`[compare] ${message}\n`);
const pin = pinning();
const sizes = parsed.quick ? [2000, 5000] : [20_000, 100_000];
const STARTS_PER_ROUND = parsed.quick ? 2 : 5;

/** Figures of one build for one round: { name: value }. */
async function measureBuild(root, servers) {
  const figures = {};
  const startArgs = {
    '1-request offline run': ['pokemon', '--offline', '-n', '1', '--latency', '0', '-s', 'sequential', '-q'],
    '--version': ['--version'],
  };
  for (const [name, args] of Object.entries(startArgs)) {
    const times = [];
    const cpu = [];
    for (let k = 0; k < STARTS_PER_ROUND; k++) {
      // Wall time is what a user waits; CPU time moves less on a busy machine.
      const { result, cpuMs } = await runWithResources([cli(root), ...args], tmpDir, { timeoutMs: 30_000 });
      if (result.code !== 0) throw new Error(`${root}: ${name}: exit code ${result.code}\n${result.stderr}`);
      times.push(result.wallMs);
      cpu.push(cpuMs);
    }
    figures[`start-up ${name}, wall|ms`] = median(times);
    figures[`start-up ${name}, CPU|ms`] = median(cpu);
  }
  for (const { count, file } of servers) {
    const { result, cpuMs, peakRssMB } = await runWithResources([cli(root), '--file', file, '-s', 'bounded', '-c', '100', '--json', '-q'], tmpDir, { prefix: pin.client, timeoutMs: 300_000 });
    if (result.code !== 0) throw new Error(`${root}: ${count} URLs: exit code ${result.code}\n${result.stderr.slice(-2000)}`);
    const r = resultOf(JSON.parse(result.stdout), 'bounded', 100);
    if (r.failed > 0) throw new Error(`${root}: ${count} URLs: ${r.failed} requests failed`);
    figures[`CPU/request 0 ms, ${count} req -c 100|µs`] = (cpuMs * 1000) / count;
    figures[`peak RSS 0 ms, ${count} req -c 100|MB`] = peakRssMB;
    if (count === sizes[1]) figures[`req/s 0 ms, ${count} req -c 100|req/s`] = r.reqPerSec;
  }
  for (const script of parsed.micro) {
    const json = await runNodeJson([resolve(script), root], `${script} ${root}`, { timeoutMs: 300_000 });
    for (const [key, value] of Object.entries(json)) {
      const unit = key.endsWith('Ms') ? 'ms' : key.endsWith('Us') ? 'µs' : key.endsWith('MB') ? 'MB' : 'count';
      figures[`${script.replace(/^.*\//, '').replace(/\.js$/, '')} ${key}|${unit}`] = value;
    }
  }
  return figures;
}

async function main() {
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  const perBuild = { before: [], after: [] };
  await withServer({ delayMs: 0, prefix: pin.server, maxSeconds: 3600 }, async (server) => {
    const servers = sizes.map((count) => ({ count, file: writeUrlFile(tmpDir, server, count) }));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      log(`round ${round + 1}/${rounds}: ${order.join(', ')}`);
      for (const which of order) perBuild[which].push(await measureBuild(builds[which], servers));
    }
  });
  rmSync(tmpDir, { recursive: true, force: true });
  const keys = Object.keys(perBuild.before[0]);
  const rows = keys.map((key) => {
    const [measurement, unit] = key.split('|');
    return makeRow({
      id: 'compare',
      measurement,
      unit,
      asyncBench: perBuild.after.map((f) => f[key]),
      reference: { label: 'before', repeats: perBuild.before.map((f) => f[key]) },
      ratio: { definition: 'after / before, medians over interleaved rounds', of: (after, before) => after / before },
      target: { text: '(info)' },
    });
  });
  const document = {
    schemaVersion: 1,
    tool: 'async-bench bench/compare.js',
    date: startedAt,
    mode: parsed.quick ? 'quick' : 'full',
    repeats: rounds,
    builds,
    machine: { ...machineInfo(), loadAverageBefore: loadBefore, loadAverageAfter: loadAverage() },
    pinning: pin.note,
    rows,
  };
  if (parsed.out) {
    mkdirSync(dirname(resolve(parsed.out)), { recursive: true });
    writeFileSync(resolve(parsed.out), JSON.stringify(document, null, 2) + '\n');
  }
  process.stdout.write(`after (${builds.after}) against before (${builds.before}) · ${rounds} interleaved round(s), medians · ${pin.note} · load ${loadBefore.join(' ')} → ${loadAverage().join(' ')}\n\n`);
  process.stdout.write(renderTable(rows, { 'async-bench': 'after', reference: 'before' }));
}

main().catch((err) => {
  rmSync(tmpDir, { recursive: true, force: true });
  process.stderr.write(`bench/compare: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
