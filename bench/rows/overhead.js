// Row 4: on a zero-delay server only the client's own work is left: requests per second of
// bounded -c 100 against raw undici behind a 100-slot semaphore.
import { boundedAgainstRawSemaphore } from '../lib/measure.js';
import { makeRow } from '../lib/row.js';
import { median } from '../lib/stats.js';

export const id = 'overhead';
export const title = 'req/s of bounded -c 100 on a zero-latency server against raw undici';

const MIN_RATIO = 0.9;

export async function run(ctx) {
  const count = ctx.quick ? 1000 : 20_000;
  const concurrency = 100;
  const [abs, refs] = await boundedAgainstRawSemaphore(ctx, id, count, concurrency);
  const perRequestUs = (rs) => rs.map((r) => (r.cpuMs === null ? null : Math.round((r.cpuMs * 1000) / count)));
  const cpuAb = median(perRequestUs(abs));
  const cpuRef = median(perRequestUs(refs));
  return [
    makeRow({
      id,
      measurement: `${id} ${count} URLs -c ${concurrency}`,
      unit: 'req/s',
      asyncBench: abs.map((r) => r.reqPerSec),
      reference: { label: 'raw undici semaphore', repeats: refs.map((r) => r.reqPerSec) },
      ratio: { definition: 'async-bench req/s / raw undici req/s', of: (ab, ref) => ab / ref },
      target: { text: `>= ${MIN_RATIO.toFixed(2)}`, spec: { ratioMin: MIN_RATIO }, check: ({ ratio }) => ratio >= MIN_RATIO },
      failedRequests: [...abs, ...refs].reduce((s, r) => s + r.failed, 0),
      notes: cpuAb !== null && cpuRef !== null ? [`whole-process CPU per request (start-up included; steadier than req/s on a busy machine): async-bench ${cpuAb} µs, raw undici ${cpuRef} µs`] : [],
      details: {
        urls: count,
        serverDelayMs: 0,
        concurrency,
        wallMs: { asyncBench: abs.map((r) => r.wallMs), reference: refs.map((r) => r.wallMs) },
        // Whole-process CPU (start-up included) per request: less sensitive to a busy machine than req/s.
        processCpuUsPerRequest: { asyncBench: perRequestUs(abs), reference: perRequestUs(refs) },
      },
    }),
  ];
}
