// Row 1, the v0 acceptance check: on a fixed-delay server, sequential takes N×delay and bounded
// takes ceil(N/C)×delay, each within 10% and within 150 ms; all finishes within 1.5×delay
// (0.15 s at 100 ms).
import { resultOf, runAsyncBench } from '../lib/measure.js';
import { makeRow } from '../lib/row.js';
import { withServer, writeUrlFile } from '../lib/proc.js';

export const id = 'efficiency-40';
export const title = 'sequential, all and bounded -c 5, -c 10 against their ideal times';

const LIMITS = [5, 10];
const TOLERANCE = 0.1;
const MAX_ABS_MS = 150;

export async function run(ctx) {
  const count = 40;
  const delayMs = ctx.quick ? 10 : 100;
  const runs = await withServer({ delayMs }, async (server) => {
    const file = writeUrlFile(ctx.tmpDir, server, count);
    const out = [];
    for (let i = 0; i < ctx.repeats; i++) {
      ctx.log(`${id}: repeat ${i + 1}/${ctx.repeats}`);
      out.push((await runAsyncBench(ctx, ['--file', file, '-s', 'sequential,all,bounded', '-c', LIMITS.join(',')])).report);
    }
    return out;
  });

  const specs = [
    { label: 'sequential', strategy: 'sequential', concurrency: 1 },
    ...LIMITS.map((c) => ({ label: `bounded -c ${c}`, strategy: 'bounded', concurrency: c })),
  ];
  const allResults = runs.map((report) => resultOf(report, 'all'));
  const allRow = makeRow({
    id,
    measurement: `${id} all`,
    unit: 'ms',
    asyncBench: allResults.map((r) => r.wallMs),
    reference: { label: `ideal 1×${delayMs} ms`, value: delayMs },
    ratio: { definition: 'async-bench wall / ideal wall', of: (ab, ideal) => ab / ideal },
    target: { text: `<= ${1.5 * delayMs} ms`, spec: { maxMs: 1.5 * delayMs }, check: ({ ab }) => ab <= 1.5 * delayMs },
    failedRequests: allResults.reduce((s, r) => s + r.failed, 0),
    details: { urls: count, serverDelayMs: delayMs, maxInFlight: allResults.map((r) => r.maxInFlight) },
  });
  const rows = specs.map(({ label, strategy, concurrency }) => {
    const results = runs.map((report) => resultOf(report, strategy, concurrency));
    const idealMs = Math.ceil(count / concurrency) * delayMs;
    return makeRow({
      id,
      measurement: `${id} ${label}`,
      unit: 'ms',
      asyncBench: results.map((r) => r.wallMs),
      reference: { label: `ideal ${Math.ceil(count / concurrency)}×${delayMs} ms`, value: idealMs },
      ratio: { definition: 'async-bench wall / ideal wall', of: (ab, ideal) => ab / ideal },
      target: {
        text: `±${TOLERANCE * 100}% and ±${MAX_ABS_MS} ms`,
        spec: { ratioMin: 1 - TOLERANCE, ratioMax: 1 + TOLERANCE, maxAbsDiffMs: MAX_ABS_MS },
        check: ({ ab, ref, ratio }) => Math.abs(ratio - 1) <= TOLERANCE && Math.abs(ab - ref) <= MAX_ABS_MS,
      },
      failedRequests: results.reduce((s, r) => s + r.failed, 0),
      details: { urls: count, serverDelayMs: delayMs, maxInFlight: results.map((r) => r.maxInFlight), p50LatencyMs: results.map((r) => r.latencyMs?.p50) },
    });
  });
  return [rows[0], allRow, ...rows.slice(1)];
}
