import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The event-loop probe's sampling interval, ms: fine enough to see a stall, cheap when idle. */
const LOOP_SAMPLE_MS = 2;

/**
 * Starts watching the event loop's delay; the returned function stops and gives its p99, ms.
 * The histogram records whole sampling intervals, so the interval itself is taken off.
 */
export function startLoopDelay(): () => number {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  histogram.enable();
  return () => {
    histogram.disable();
    return histogram.count > 0 ? Math.max(0, histogram.percentile(99) / 1e6 - LOOP_SAMPLE_MS) : 0;
  };
}
