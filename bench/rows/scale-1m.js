// Row: 1,000,000 URLs from a file, `-s bounded -c 100`, against the zero-delay loopback server:
// the process's peak RSS and the run's wall time. Information only (no target): it shows that the
// limit of a URL list is memory, not the call stack (125,000 URLs once overflowed it). Runs in
// --quick mode too, at full size; it never fails the bench: a run that cannot finish is a note.
import { resultOf, runAsyncBench } from '../lib/measure.js';
import { withServer, writeUrlFile } from '../lib/proc.js';
import { resourceMethod } from '../lib/resources.js';
import { makeRow, skippedRow } from '../lib/row.js';

export const id = 'scale-1m';
export const title = '1,000,000 URLs, bounded -c 100: peak RSS and wall time';

const COUNT = 1_000_000;
const CONCURRENCY = 100;

export async function run(ctx) {
  let measured;
  try {
    measured = await withServer({ delayMs: 0 }, async (server) => {
      const file = writeUrlFile(ctx.tmpDir, server, COUNT);
      ctx.log(`${id}: ${COUNT.toLocaleString('en-US')} URLs, bounded -c ${CONCURRENCY}`);
      const { report, peakRssMB, cpuMs } = await runAsyncBench({ ...ctx, childTimeoutMs: Math.max(ctx.childTimeoutMs, 180_000) }, ['--file', file, '-s', 'bounded', '-c', String(CONCURRENCY)]);
      return { ...resultOf(report, 'bounded', CONCURRENCY), peakRssMB, cpuMs };
    });
  } catch (err) {
    ctx.log(`${id}: not measured: ${err.message.split('\n')[0]}`);
    return [skippedRow(id, `${id} ${COUNT} URLs`, `not measured: ${err.message.split('\n')[0].slice(0, 200)}`)];
  }
  const info = { text: '(info)' };
  const details = { urls: COUNT, concurrency: CONCURRENCY, serverDelayMs: 0, ok: measured.ok, failed: measured.failed, cpuMs: measured.cpuMs, method: resourceMethod(), mbIs: '10^6 bytes' };
  const notes = measured.failed > 0 ? [`${measured.failed} of ${COUNT} requests failed`] : [];
  return [
    makeRow({ id, measurement: `${id} ${COUNT} URLs peak RSS`, unit: 'MB', asyncBench: [measured.peakRssMB], reference: { label: 'none', value: null }, ratio: { definition: 'none (information only)', of: () => null }, target: info, notes, details }),
    makeRow({ id, measurement: `${id} ${COUNT} URLs wall`, unit: 'ms', asyncBench: [measured.wallMs], reference: { label: 'none', value: null }, ratio: { definition: 'none (information only)', of: () => null }, target: info, details: { ...details, reqPerSec: measured.reqPerSec } }),
  ];
}
