// Row: a 100,000-line --file with -s bounded -c 100 against a zero-delay loopback server, from
// spawn to exit (reading and validating the list included). Quick mode runs it too, at full
// size: it is the one large-list figure. No target: the figure is printed, never judged (it was
// once a test's "under 40 s", which timed the machine more than the tool). Every request must
// still succeed, or the row says how many failed.
import { performance } from 'node:perf_hooks';
import { resultOf, runAsyncBench } from '../lib/measure.js';
import { makeRow } from '../lib/row.js';
import { withServer, writeUrlFile } from '../lib/proc.js';

export const id = 'url-list-100k';
export const title = '100,000 URLs from a file, bounded -c 100';

const COUNT = 100_000;
const CONCURRENCY = 100;

export async function run(ctx) {
  const runs = await withServer({ delayMs: 0 }, async (server) => {
    const file = writeUrlFile(ctx.tmpDir, server, COUNT);
    const out = [];
    for (let i = 0; i < ctx.repeats; i++) {
      ctx.log(`${id}: repeat ${i + 1}/${ctx.repeats}`);
      const t0 = performance.now();
      const { report, cpuMs, peakRssMB } = await runAsyncBench(ctx, ['--file', file, '-s', 'bounded', '-c', String(CONCURRENCY)]);
      const processMs = performance.now() - t0;
      const r = resultOf(report, 'bounded', CONCURRENCY);
      if (report.config.count !== COUNT || r.requests !== COUNT) throw new Error(`expected ${COUNT} requests, the report counts ${r.requests} (config.count ${report.config.count})`);
      out.push({ processMs, wallMs: r.wallMs, reqPerSec: r.reqPerSec, failed: r.failed, cpuMs, peakRssMB });
    }
    return out;
  });
  return [
    makeRow({
      id,
      measurement: `${id} bounded -c ${CONCURRENCY}, spawn to exit`,
      unit: 'ms',
      asyncBench: runs.map((r) => r.processMs),
      reference: { label: 'strategy wall', repeats: runs.map((r) => r.wallMs) },
      ratio: { definition: 'spawn-to-exit time / the strategy\'s own wall time', of: (ab, ref) => ab / ref },
      target: { text: '(info)' },
      failedRequests: runs.reduce((s, r) => s + r.failed, 0),
      notes: [`${Math.round(runs[0].reqPerSec)} req/s; peak RSS ${runs.map((r) => r.peakRssMB).join(', ')} MB; process CPU ${runs.map((r) => r.cpuMs).join(', ')} ms`],
      details: { urls: COUNT, concurrency: CONCURRENCY, runs },
    }),
  ];
}
