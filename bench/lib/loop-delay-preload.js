// Loaded with `node --import` by the scale rows: at exit, writes the largest and the p99 delay of
// the child's event loop, in ms, as JSON to the file in BENCH_LOOP_DELAY_FILE. The histogram is
// sampled by libuv in the child itself; it adds no work to the measured loop beyond its timer.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_DELAY_FILE;
if (file) {
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  process.on('exit', () => {
    histogram.disable();
    const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    writeFileSync(file, JSON.stringify({ maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)) }) + '\n');
  });
}
