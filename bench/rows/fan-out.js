// Row 3: `all` over 1,000 URLs against the least code that does the same with undici.
import { alternate, resultOf, runAsyncBench, runReference } from '../lib/measure.js';
import { makeRow } from '../lib/row.js';
import { median } from '../lib/stats.js';
import { withServer, writeUrlFile } from '../lib/proc.js';

export const id = 'fan-out';
export const title = '`all` against a raw undici Promise.all script';

export async function run(ctx) {
  const count = ctx.quick ? 200 : 1000;
  const delayMs = ctx.quick ? 10 : 100;
  const [abs, refs] = await withServer({ delayMs }, async (server) => {
    const file = writeUrlFile(ctx.tmpDir, server, count);
    return alternate(
      ctx,
      id,
      async () => {
        const { report, cpuMs } = await runAsyncBench(ctx, ['--file', file, '-s', 'all']);
        return { ...resultOf(report, 'all'), cpuMs };
      },
      async () => {
        const { result, cpuMs } = await runReference(ctx, 'undici-all.js', [file]);
        return { ...result, cpuMs };
      },
    );
  });
  return [
    makeRow({
      id,
      measurement: `${id} ${count} URLs all`,
      unit: 'ms',
      asyncBench: abs.map((r) => r.wallMs),
      reference: { label: 'raw undici all', repeats: refs.map((r) => r.wallMs) },
      ratio: { definition: 'async-bench wall / raw undici wall', of: (ab, ref) => ab / ref },
      target: { text: '<= 1.00', spec: { ratioMax: 1 }, check: ({ ratio }) => ratio <= 1 },
      failedRequests: [...abs, ...refs].reduce((s, r) => s + r.failed, 0),
      notes: [`whole-process CPU (start-up included): async-bench ${median(abs.map((r) => r.cpuMs))} ms, raw undici ${median(refs.map((r) => r.cpuMs))} ms`],
      details: {
        urls: count,
        serverDelayMs: delayMs,
        processCpuMs: { asyncBench: abs.map((r) => r.cpuMs), reference: refs.map((r) => r.cpuMs) },
      },
    }),
  ];
}
