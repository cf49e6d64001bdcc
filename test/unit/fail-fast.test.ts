/**
 * --fail-fast on the fake clock: all with Promise.all's rejection at the first failure. The
 * rejection is recorded (when, which request, what was still running), the other requests keep
 * running and are waited for, and their fate is reported apart.
 */
import { describe, expect, it } from 'vitest';
import { planStrategies, runStrategy, type StrategySpec } from '../../src/core/benchmark.js';
import { summarizeGroups } from '../../src/core/summarize.js';
import type { RequestOutcome } from '../../src/core/types.js';
import { failFastLines } from '../../src/export/prose.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { fakeRequests, ok } from '../helpers/fake-requests.js';

const FAIL_FAST: StrategySpec = { strategy: 'all', concurrency: null, failFast: true };
const refused: RequestOutcome = { status: 503, bytes: 0, ttfbMs: 1, error: 'http5xx', cause: '503 Service Unavailable' };

/** r0 50 ms, r1 10 ms (fails), r2 30, r3 70, r4 20 (fails unless `oneFailure`). */
async function failFastRun(spec: StrategySpec, failing: ReadonlySet<number>) {
  const clock = new FakeClock();
  const { client, observed } = fakeRequests(clock, [50, 10, 30, 70, 20], { outcome: (i) => (failing.has(i) ? refused : ok(i)) });
  const run = await clock.runAll(runStrategy(spec, 5, client, clock.now));
  const [result] = summarizeGroups([{ spec, runs: [run] }], 1);
  return { run, result: result!, observed };
}

describe('--fail-fast', () => {
  it('planStrategies marks all, and only all, as fail-fast', () => {
    expect(planStrategies(['sequential', 'all', 'bounded'], [2], [], { failFast: true })).toEqual([
      { strategy: 'sequential', concurrency: 1 },
      { strategy: 'all', concurrency: null, failFast: true },
      { strategy: 'bounded', concurrency: 2 },
    ]);
  });

  it('rejects when the first request fails; the others keep running, are waited for and reported apart', async () => {
    const { run, result, observed } = await failFastRun(FAIL_FAST, new Set([1, 4]));
    expect(run.rejection).toEqual({ atMs: 10, index: 1, stillRunning: [0, 2, 3, 4] });
    // Every request was sent and ran to its end: the wall time is still the last response's.
    expect(observed.calls).toEqual([0, 1, 2, 3, 4]);
    expect(run.wallMs).toBe(70);
    expect(result).toMatchObject({ requests: 5, ok: 3, failed: 2 });
    expect(result.failFast).toEqual({
      rejectedAtMs: 10,
      request: { index: 1, error: 'http5xx', message: '503 Service Unavailable' },
      stillRunning: 4,
      survivors: { ok: 3, failed: 1, lastEndMs: 70 },
    });
    expect(failFastLines([result])).toEqual([
      'all (--fail-fast): Promise.all rejected at 0.010 s on request #2 (http5xx: 503 Service Unavailable); 4 requests were still running and kept running: 3 ok, 1 failed, the last ended at 0.070 s',
    ]);
  });

  it('resolves like allSettled when nothing fails', async () => {
    const { run, result } = await failFastRun(FAIL_FAST, new Set());
    expect(run.rejection).toBeUndefined();
    expect(result.failFast).toEqual({ rejectedAtMs: null, request: null, stillRunning: 0, survivors: { ok: 0, failed: 0, lastEndMs: null } });
    expect(failFastLines([result])).toEqual(['all (--fail-fast): nothing failed, so Promise.all resolved, as allSettled would']);
  });

  it('without --fail-fast, all is allSettled: no rejection, no failFast field', async () => {
    const { run, result } = await failFastRun({ strategy: 'all', concurrency: null }, new Set([1]));
    expect(run.rejection).toBeUndefined();
    expect(result.failFast).toBeUndefined();
    expect(result).toMatchObject({ requests: 5, ok: 4, failed: 1 });
  });
});
