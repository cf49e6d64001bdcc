#!/usr/bin/env node
// The post-run summary of one 100,000-request run (summarizeGroups), in the build at <root>:
// its time, and what it allocates (JS heap and typed arrays), measured with a young generation
// large enough that no collection runs during the call.
//   node bench/micro/summarize.js <root>      prints {"summaryMs":…,"allocatedMB":…}
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const COUNT = 100_000;
const root = resolve(process.argv[2] ?? '.');

if (process.env.BENCH_MICRO_CHILD !== '1') {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=512', process.argv[1], root], { env: { ...process.env, BENCH_MICRO_CHILD: '1' }, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}

const { Samples } = await import(pathToFileURL(join(root, 'dist', 'core', 'samples.js')).href);
const { summarizeGroups } = await import(pathToFileURL(join(root, 'dist', 'core', 'summarize.js')).href);

function run() {
  const samples = new Samples(COUNT);
  for (let i = 0; i < COUNT; i++) {
    const start = i / 30 + ((i * 7919) % 13) / 10;
    samples.markStart(i, start);
    samples.record(i, start + 2 + ((i * 104729) % 97) / 50, { status: 200, bytes: 256, ttfbMs: 1.5, error: null });
  }
  return [{ spec: { strategy: 'bounded', concurrency: 100 }, runs: [{ strategy: 'bounded', concurrency: 100, samples, wallMs: 3400, maxInFlight: 100, partial: false, pool: null, eventLoopDelayP99Ms: null }] }];
}

const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const times = [];
let allocated = 0;
for (let k = 0; k < 5; k++) {
  const groups = run();
  globalThis.gc();
  const before = used();
  const t0 = performance.now();
  summarizeGroups(groups, 42);
  times.push(performance.now() - t0);
  allocated = used() - before;
}
times.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ summaryMs: times[2], allocatedMB: allocated / 1e6 }) + '\n');
