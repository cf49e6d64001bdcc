// Row 6: peak RSS of the async-bench process over 100,000 URLs read from a file (bounded -c 100,
// zero latency). The reference is raw undici behind the same semaphore, for scale.
import { boundedAgainstRawSemaphore } from '../lib/measure.js';
import { makeRow } from '../lib/row.js';
import { resourceMethod } from '../lib/resources.js';

export const id = 'memory';
export const title = 'peak RSS over 100,000 URLs, bounded -c 100';

const MAX_MB = 150;

export async function run(ctx) {
  const count = ctx.quick ? 2000 : 100_000;
  const concurrency = 100;
  const [abs, refs] = await boundedAgainstRawSemaphore(ctx, id, count, concurrency);
  return [
    makeRow({
      id,
      measurement: `${id} ${count} URLs peak RSS`,
      unit: 'MB',
      asyncBench: abs.map((r) => r.peakRssMB),
      reference: { label: 'raw undici semaphore', repeats: refs.map((r) => r.peakRssMB) },
      ratio: { definition: 'async-bench peak RSS / raw undici peak RSS (for scale; the target is absolute)', of: (ab, ref) => ab / ref },
      target: { text: `<= ${MAX_MB} MB`, spec: { maxMB: MAX_MB }, check: ({ ab }) => ab <= MAX_MB },
      failedRequests: [...abs, ...refs].reduce((s, r) => s + r.failed, 0),
      details: {
        urls: count,
        concurrency,
        method: resourceMethod(),
        mbIs: '10^6 bytes',
        reqPerSec: { asyncBench: abs.map((r) => r.reqPerSec), reference: refs.map((r) => r.reqPerSec) },
      },
    }),
  ];
}
