/**
 * The workers strategy's pure parts and --cpu-work: the thread count and limits (exact, and as
 * properties), the merge of the threads' samples onto one clock, one queue shared by several
 * schedules, the busy work, the request recipe a thread rebuilds, and the sentences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planStrategies, runStrategy, type StrategyClient } from '../../src/core/benchmark.js';
import { busyWork } from '../../src/core/cpu-work.js';
import { sourceFromRecipe, specListSource, urlListSource } from '../../src/core/request.js';
import { resultKey } from '../../src/core/result-label.js';
import { Samples } from '../../src/core/samples.js';
import { runSchedule } from '../../src/core/strategies.js';
import { summarizeGroup } from '../../src/core/summarize.js';
import type { RequestOutcome } from '../../src/core/types.js';
import { mergeThreadRuns, peakInFlight, splitLimit, threadCount, type ThreadRun } from '../../src/core/workers.js';
import { strategyLabel } from '../../src/export/format.js';
import { cpuWorkLine, verdictLines } from '../../src/export/prose.js';
import { makeConfig, makeResult } from '../helpers/report-fixtures.js';
import { expectValidReport } from '../helpers/schema.js';

const OK: RequestOutcome = { status: 200, bytes: 10, ttfbMs: 1, error: null };

describe('threads and their limits', () => {
  it('uses the threads asked for, but never more than C nor than the requests', () => {
    expect(threadCount(2, 5, 40)).toBe(2);
    expect(threadCount(4, 2, 40)).toBe(2); // each thread needs a slot of its own
    expect(threadCount(4, null, 3)).toBe(3); // no limit: one request each at most
    expect(threadCount(8, null, 40)).toBe(8);
    expect(threadCount(1, 1, 1)).toBe(1);
  });

  it('splits C as floor(C/N), the remainder one each to the first threads', () => {
    expect(splitLimit(5, 2)).toEqual([3, 2]);
    expect(splitLimit(10, 4)).toEqual([3, 3, 2, 2]);
    expect(splitLimit(40, 2)).toEqual([20, 20]);
    expect(splitLimit(3, 3)).toEqual([1, 1, 1]);
  });

  it('keeps the total in flight at C, every thread at least 1, none two more than another', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (asked, c, count) => {
        const limits = splitLimit(c, threadCount(asked, c, count));
        expect(limits.reduce((a, b) => a + b, 0)).toBe(c);
        expect(Math.min(...limits)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...limits) - Math.min(...limits)).toBeLessThanOrEqual(1);
        expect(limits.length).toBeLessThanOrEqual(Math.min(asked, count));
      }),
    );
  });

  it('plans workers after the others, at each -c limit, or once without a limit', () => {
    expect(planStrategies(['workers', 'all'], [5], [], { workers: { threads: 2, limits: [null] } })).toEqual([
      { strategy: 'all', concurrency: null },
      { strategy: 'workers', concurrency: null, threads: 2 },
    ]);
    expect(planStrategies(['workers'], [4, 8], [], { workers: { threads: 3, limits: [4, 8] } }).map((s) => s.concurrency)).toEqual([4, 8]);
  });
});

describe('one queue shared by several schedules (the threads)', () => {
  it('hands every index out once, each schedule keeping its own limit', async () => {
    let next = 0;
    const take = (): number => next++;
    const seen: number[] = [];
    const peaks = [0, 0];
    const live = [0, 0];
    const schedule = (k: number, limit: number) =>
      runSchedule(
        'bounded',
        20,
        async (i) => {
          seen.push(i);
          peaks[k] = Math.max(peaks[k]!, ++live[k]!);
          await new Promise((resolve) => setImmediate(resolve));
          live[k]!--;
        },
        { concurrency: limit, next: take },
      );
    const [a, b] = await Promise.all([schedule(0, 3), schedule(1, 2)]);
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(a.started + b.started).toBe(20);
    expect(peaks).toEqual([3, 2]);
  });
});

/** A thread's samples: request i of `indexes` from starts[i] to starts[i] + 10 ms on its own clock. */
function threadPart(count: number, indexes: readonly number[], starts: readonly number[], startedAt: number, extra: Partial<ThreadRun> = {}): ThreadRun {
  const samples = new Samples(count);
  indexes.forEach((index, k) => {
    samples.markStart(index, starts[k]!);
    samples.record(index, starts[k]! + 10, OK);
  });
  const end = Math.max(...starts) + 10;
  return { samples: samples.toData(), startedAt, endedAt: startedAt + end, pool: { opened: 2, peak: 2, staleRetries: 0 }, transport: null, eventLoopDelayP99Ms: 3, ...extra };
}

describe('mergeThreadRuns', () => {
  const spec = { strategy: 'workers' as const, concurrency: 4, threads: 2 };

  it('puts every thread on the clock of the first one to start, each request once, with its thread', () => {
    // Thread 1 started 5 ms after thread 0 (on the shared timeline): its times move by 5.
    const parts = [threadPart(4, [0, 2], [0, 10], 1000, { eventLoopDelayP99Ms: 7 }), threadPart(4, [1, 3], [0, 12], 1005)];
    const run = mergeThreadRuns(spec, 4, parts, false);
    expect(Array.from(run.samples.startMs)).toEqual([0, 5, 10, 17]);
    expect(Array.from(run.samples.endMs)).toEqual([10, 15, 20, 27]);
    expect(Array.from(run.samples.thread!)).toEqual([0, 1, 0, 1]);
    expect(run.wallMs).toBe(27); // 1005 + 22 - 1000
    expect(run.maxInFlight).toBe(2);
    expect(run.partial).toBe(false);
    expect(run.threads).toBe(2);
    expect(run.pool).toEqual({ opened: 4, peak: 4, staleRetries: 0 });
    expect(run.eventLoopDelayP99Ms).toBe(7);
  });

  it("over HTTP/2, the threads' h2 connections add up, and the most streams on one connection is the most of any", () => {
    const h2 = (peakStreams: number): Partial<ThreadRun> => ({ pool: { opened: 1, peak: 1, staleRetries: 0, peakStreams, h2: 1 } });
    const parts = [threadPart(4, [0, 2], [0, 0], 1000, h2(2)), threadPart(4, [1, 3], [0, 0], 1000, h2(1))];
    expect(mergeThreadRuns(spec, 4, parts, false).pool).toEqual({ opened: 2, peak: 2, staleRetries: 0, peakStreams: 2, h2: 2 });
  });

  it('is partial when interrupted or when requests were never started; a request sent twice is a bug', () => {
    const parts = [threadPart(4, [0], [0], 0), threadPart(4, [1], [0], 0)];
    expect(mergeThreadRuns(spec, 4, parts, false).partial).toBe(true);
    expect(mergeThreadRuns(spec, 2, [threadPart(2, [0, 1], [0, 0], 0)], true).partial).toBe(true);
    expect(() => mergeThreadRuns(spec, 2, [threadPart(2, [0], [0], 0), threadPart(2, [0, 1], [0, 0], 0)], false)).toThrow(/request 0 was sent by two threads/);
  });

  it('peakInFlight counts overlaps; an end at the very moment of a start frees its slot first; a cut-off request stays in flight', () => {
    const samples = new Samples(4);
    samples.markStart(0, 0);
    samples.record(0, 10, OK);
    samples.markStart(1, 10);
    samples.record(1, 20, OK);
    expect(peakInFlight(samples)).toBe(1);
    samples.markStart(2, 5);
    samples.markStart(3, 15); // never ended
    expect(peakInFlight(samples)).toBe(3);
  });
});

describe('--cpu-work', () => {
  it('busyWork holds the thread for the time asked, reading the clock until it has passed', () => {
    let t = 0;
    let readings = 0;
    const clock = (): number => {
      readings++;
      return (t += 1);
    };
    expect(typeof busyWork('{"name":"pikachu"}', 10, clock)).toBe('number');
    expect(readings).toBe(11); // the start, then one reading per 1 ms tick until 10 have passed
    expect(busyWork('', 0, () => 0)).toBeGreaterThanOrEqual(0); // no body and no time: one pass, no loop forever
  });

  it('runs after each successful response, before its lane goes on, and is kept out of latency', async () => {
    const outcomes: RequestOutcome[] = [{ ...OK, body: 'x'.repeat(100) }, { status: 503, bytes: 0, ttfbMs: 1, error: 'http5xx' }, { ...OK, body: 'y' }];
    const client: StrategyClient = { request: (i) => Promise.resolve({ ...outcomes[i]! }), close: async () => undefined };
    const clock = (): number => performance.now();
    const run = await runStrategy({ strategy: 'sequential', concurrency: 1 }, 3, client, clock, { cpuWorkMs: 5 });
    const work = run.samples.cpuWorkMs!;
    expect(work[0]).toBeGreaterThanOrEqual(5);
    expect(work[1]).toBe(0); // a failed response is not worked on
    expect(work[2]).toBeGreaterThanOrEqual(5);
    // The next request starts only after the work; the work is not in the request's own time.
    expect(run.samples.startMs[1]! - run.samples.endMs[0]!).toBeGreaterThanOrEqual(work[0]!);
    expect(run.wallMs).toBeGreaterThanOrEqual(10);
    expect(run.cpuWorkMs).toBe(5);
    const result = summarizeGroup([run], null);
    expect(result.cpuWork?.perResponseMs).toBe(5);
    expect(result.cpuWork?.responses).toBe(2);
    expect(result.cpuWork!.totalMs).toBeGreaterThanOrEqual(10);
  });

  it('says what the work costs on one thread, and shared among threads', () => {
    const all = makeResult({ strategy: 'all', concurrency: null, wallMs: 512, cpuWork: { perResponseMs: 20, responses: 20, totalMs: 401.2 } });
    const workers = makeResult({ strategy: 'workers', concurrency: null, workers: 2, wallMs: 260, cpuWork: { perResponseMs: 20, responses: 20, totalMs: 402 } });
    expect(cpuWorkLine(all)).toBe('all is capped by 20 × 20 ms of CPU on one thread (0.401 s measured, of its 0.512 s): concurrency is not parallelism');
    expect(cpuWorkLine(workers)).toBe('workers (N=2) shares 20 × 20 ms of CPU among 2 threads (0.201 s each, of its 0.260 s): threads run it in parallel');
    expect(cpuWorkLine(makeResult({ cpuWork: { perResponseMs: 20, responses: 20, totalMs: 400 } }))).toBeNull(); // sequential
    expect(cpuWorkLine(makeResult({ strategy: 'all', concurrency: null }))).toBeNull();
    expect(verdictLines([all, workers])).toEqual([cpuWorkLine(all), cpuWorkLine(workers)]);
  });
});

describe('naming and the document', () => {
  it('labels and keys workers by its threads and its limit, when it has one', () => {
    expect(strategyLabel('workers', null, { threads: 2 })).toBe('workers (N=2)');
    expect(strategyLabel('workers', 5, { threads: 2 })).toBe('workers (N=2, C=5)');
    expect(strategyLabel('workers', null)).toBe('workers');
    expect(resultKey({ strategy: 'workers', concurrency: null })).toBe('workers');
    expect(resultKey({ strategy: 'workers', concurrency: 8 })).toBe('workers@8');
  });

  it('the schema takes a workers result with --cpu-work, and refuses workers on another strategy', () => {
    const sample = { url: 'http://127.0.0.1/1', startMs: 0, endMs: 10, ttfbMs: 1, status: 200, bytes: 10, error: null, message: null, cpuWorkMs: 20.01, thread: 1 };
    const workers = makeResult({ strategy: 'workers', concurrency: null, workers: 2, cpuWork: { perResponseMs: 20, responses: 10, totalMs: 200.5 }, samples: [sample] });
    const doc = { schemaVersion: 1, tool: { name: 'async-bench', version: '0.1.0' }, startedAt: '2026-11-21T22:00:00.000Z', environment: { node: 'v20.20.2', platform: 'linux', arch: 'x64', cpus: 2 }, config: makeConfig({ strategies: ['workers'], workers: 2, cpuWorkMs: 20 }), results: [workers] };
    expectValidReport(doc);
    expect(() => expectValidReport({ ...doc, results: [makeResult({ strategy: 'all', concurrency: null, workers: 2 })] })).toThrow(/workers/);
  });
});

describe('the recipe a thread rebuilds its requests from', () => {
  it('gives the same request at every index after a structured clone, placeholders and binary bodies included', () => {
    const urls = urlListSource(['http://127.0.0.1/a?i={{seq}}', 'http://127.0.0.1/b/{{rand:1-1000}}'], { method: 'POST', headers: { 'x-id': '{{uuid}}' }, body: Buffer.from([0, 1, 2, 255]) }, 6, 42);
    const specs = specListSource([{ method: 'PUT', url: 'http://127.0.0.1/c/{{seq}}', headers: null, body: '{"n":{{seq}}}' }], 4, 7, false);
    for (const source of [urls, specs]) {
      const copy = sourceFromRecipe(structuredClone(source.recipe!));
      expect(copy.count).toBe(source.count);
      for (let i = 0; i < source.count; i++) expect(copy.at(i)).toEqual(source.at(i));
    }
    expect(Buffer.isBuffer(sourceFromRecipe(structuredClone(urls.recipe!)).at(0).body)).toBe(true);
  });
});
