// Row 2: with 100 ms per response, bounded -c 50 over 1,000 URLs should take ceil(N/C)×100 ms.
import { alternate, resultOf, runAsyncBench, runReference } from '../lib/measure.js';
import { median } from '../lib/stats.js';
import { makeRow } from '../lib/row.js';
import { withServer, writeUrlFile } from '../lib/proc.js';

export const id = 'latency-bound';
export const title = 'bounded -c 50 against the ideal ceil(N/C)×delay';

const MIN_EFFICIENCY = 0.95;

export async function run(ctx) {
  const count = ctx.quick ? 200 : 1000;
  const delayMs = ctx.quick ? 10 : 100;
  const concurrency = 50;
  // Raw undici behind the same semaphore runs too: when it also falls short of the ideal, the
  // machine (a busy CPU delaying timers and reads), not async-bench, is what the row measured.
  const [results, raws] = await withServer({ delayMs }, async (server) => {
    const file = writeUrlFile(ctx.tmpDir, server, count);
    return alternate(
      ctx,
      id,
      async () => resultOf((await runAsyncBench(ctx, ['--file', file, '-s', 'bounded', '-c', String(concurrency)])).report, 'bounded', concurrency),
      async () => (await runReference(ctx, 'undici-semaphore.js', [file, String(concurrency)])).result,
    );
  });
  const rounds = Math.ceil(count / concurrency);
  const idealMs = rounds * delayMs;
  const rawEfficiency = idealMs / median(raws.map((r) => r.wallMs));
  return [
    makeRow({
      id,
      measurement: `${id} ${count} URLs -c ${concurrency}`,
      unit: 'ms',
      asyncBench: results.map((r) => r.wallMs),
      reference: { label: `ideal ${rounds}×${delayMs} ms`, value: idealMs },
      ratio: { definition: 'ideal wall / async-bench wall (efficiency)', of: (ab, ideal) => ideal / ab },
      target: { text: `>= ${MIN_EFFICIENCY}`, spec: { ratioMin: MIN_EFFICIENCY }, check: ({ ratio }) => ratio >= MIN_EFFICIENCY },
      failedRequests: [...results, ...raws].reduce((s, r) => s + r.failed, 0),
      notes: [`raw undici behind the same -c ${concurrency} semaphore reaches ${rawEfficiency.toFixed(3)} of the ideal on this machine (async-bench ${(idealMs / median(results.map((r) => r.wallMs))).toFixed(3)})`],
      details: { rawUndiciSemaphore: { wallMs: raws.map((r) => r.wallMs), efficiency: rawEfficiency }, urls: count, serverDelayMs: delayMs, concurrency, maxInFlight: results.map((r) => r.maxInFlight), p50LatencyMs: results.map((r) => r.latencyMs?.p50), p99LatencyMs: results.map((r) => r.latencyMs?.p99) },
    }),
  ];
}
