/**
 * The workers strategy and --cpu-work on loopback, for real: threads (the built thread module)
 * share one queue (every request once, both threads used, never more than C at the server),
 * stop at once when aborted, and CPU work after each response holds the one event loop.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategySpec } from '../../src/core/benchmark.js';
import type { Report } from '../../src/core/report.js';
import { urlListSource } from '../../src/core/request.js';
import { summarizeGroup } from '../../src/core/summarize.js';
import { runOnThreads, type ThreadsSetup } from '../../src/run/workers.js';
import { assertBuilt, describeRun } from '../helpers/cli.js';
import { byStrategy, parseJsonReport } from '../helpers/expectations.js';
import { runInProcess } from '../helpers/in-process.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

function setup(url: string, count: number, signal: AbortSignal): ThreadsSetup {
  return {
    recipe: urlListSource([url], { method: 'GET', headers: null, body: null }, count, 1).recipe!,
    client: { headers: {}, timeoutMs: 30_000, maxRedirects: 5, transport: { compression: true, keepAlive: true, insecure: false, http2: false, proxy: { kind: 'none' } }, retries: 0, retryAll: false, ratePerSec: null, seed: 1, ownServer: false },
    cpuWorkMs: 0,
    prime: null,
    signal,
  };
}

describe('workers: threads sharing one queue', () => {
  it('merges the samples of every thread: each request once, both threads used, at most C in flight', async () => {
    const spec: StrategySpec = { strategy: 'workers', concurrency: 4, threads: 2 };
    const run = await runOnThreads(spec, 40, setup(`${server.url}/delay/30?case=share&i={{seq}}`, 40, new AbortController().signal));
    const { samples } = run;
    expect(run.threads).toBe(2);
    expect(run.partial).toBe(false);
    for (let i = 0; i < 40; i++) expect(samples.completed(i), `request ${i}`).toBe(true);
    const threads = new Set(samples.thread);
    expect([...threads].sort()).toEqual([0, 1]);
    // The server saw each index exactly once, and never more than C at a time.
    const seen = server.log.filter((r) => r.path.includes('case=share')).map((r) => Number(new URL(r.path, server.url).searchParams.get('i')));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(server.stats.peakConcurrent).toBeLessThanOrEqual(4);
    expect(run.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(run.maxInFlight).toBeLessThanOrEqual(4);
    // On one clock: every request starts after the run's zero and ends within its wall time.
    for (let i = 0; i < 40; i++) {
      expect(samples.startMs[i]).toBeGreaterThanOrEqual(0);
      expect(samples.endMs[i]).toBeLessThanOrEqual(run.wallMs + 1e-6);
    }
    const result = summarizeGroup([run], null);
    expect(result).toMatchObject({ strategy: 'workers', concurrency: 4, workers: 2, requests: 40, ok: 40, failed: 0 });
  });

  it('stops every thread at once when aborted: what was in flight fails as aborted, the rest is never sent', async () => {
    const controller = new AbortController();
    const spec: StrategySpec = { strategy: 'workers', concurrency: 4, threads: 2 };
    const running = runOnThreads(spec, 10, setup(`${server.url}/hang?case=abort&i={{seq}}`, 10, controller.signal));
    await server.waitFor('case=abort', 4);
    const abortedAt = performance.now();
    controller.abort();
    const run = await running;
    expect(performance.now() - abortedAt).toBeLessThan(5_000); // it waits for no timeout (30 s)
    expect(run.partial).toBe(true);
    const result = summarizeGroup([run], null);
    expect(result).toMatchObject({ requests: 4, ok: 0, failed: 4 });
    expect(result.errors.aborted).toBe(4);
    expect(server.count('case=abort')).toBe(4);
  });
});

describe('--cpu-work on one event loop', () => {
  it('20 ms after each of 20 responses: all takes at least 400 ms, the work kept apart per response', async () => {
    const result = await runInProcess([`${server.url}/ok?case=cpu&i={{seq}}`, '-n', '20', '-s', 'all', '--cpu-work', '20', '--json', '-q']);
    expect(result.code, describeRun(result)).toBe(0);
    const doc = parseJsonReport<Report>(result);
    expect(doc.config.cpuWorkMs).toBe(20);
    const all = byStrategy(doc, 'all');
    expect(all.ok).toBe(20);
    expect(all.cpuWork).toMatchObject({ perResponseMs: 20, responses: 20 });
    expect(all.cpuWork!.totalMs).toBeGreaterThanOrEqual(400);
    // Concurrency is not parallelism: twenty 20 ms pieces of work on one thread take 400 ms.
    expect(all.wallMs).toBeGreaterThanOrEqual(400);
  });
});
