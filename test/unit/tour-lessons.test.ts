/**
 * The tour's lessons: every takeaway on hand-made Reports (exact strings, the expected case, the
 * case the numbers cannot tell, and a run that did not finish), every lesson's runs accepted by
 * the run command's parser, and the list and the lesson as the terminal shows them.
 */
import { Chalk } from 'chalk';
import { maxOf } from '../../src/core/stats.js';
import { describe, expect, it } from 'vitest';
import { parseRunArguments } from '../../src/cli/parse-run.js';
import { measuredLines, renderLesson, renderLessonList, selectLessons } from '../../src/cli/tour-command.js';
import type { Report, StrategyResult } from '../../src/core/report.js';
import { compareWall } from '../../src/export/prose.js';
import { LESSONS, NO_TAKEAWAY } from '../../src/tour/lessons.js';
import { makeReport, makeResult } from '../helpers/report-fixtures.js';

const lesson = (name: string) => LESSONS.find((l) => l.name === name)!;
const takeaway = (name: string, ...reports: Report[]): string => lesson(name).takeaway(reports);
const seq = (wallMs: number, extra: Partial<StrategyResult> = {}): StrategyResult => makeResult({ strategy: 'sequential', concurrency: 1, wallMs, ...extra });
const all = (wallMs: number, extra: Partial<StrategyResult> = {}): StrategyResult => makeResult({ strategy: 'all', concurrency: null, wallMs, ...extra });
const latency = (mean: number, max = mean) => ({ min: 0, mean, p50: mean, p90: max, p95: max, p99: max, max });
const pool = (opened: number) => ({ opened, peak: opened, staleRetries: 0 });

describe('compareWall', () => {
  it('says faster, slower, or about the same within 10%', () => {
    expect(compareWall(all(411), seq(2483)).text).toBe('6.0x faster than sequential (0.411 s vs 2.483 s)');
    expect(compareWall(all(1300), seq(1000), 'x').text).toBe('1.3x slower than x (1.300 s vs 1.000 s)');
    expect(compareWall(all(1050), seq(1000)).text).toBe('about the same as sequential (1.050 s vs 1.000 s)');
  });

  it('never calls a run that failed more faster, however short its time', () => {
    const failing = all(100, { ok: 7, failed: 3, failureRate: 0.3 });
    expect(compareWall(failing, seq(2000))).toEqual({ relation: 'more-failures', text: 'failed 3 of 10 against 0 for sequential (0.100 s vs 2.000 s)' });
    expect(takeaway('pokemon', makeReport([seq(2000), failing]))).toBe(
      'all failed 3 of 10 against 0 for sequential (0.100 s vs 2.000 s): it failed more, so it is not faster, whatever its time',
    );
  });
});

describe('takeaways', () => {
  it('two-tasks', () => {
    expect(takeaway('two-tasks', makeReport([seq(4007), all(2019)]))).toBe(
      'together 2.0x faster than one after another (2.019 s vs 4.007 s): the two waits overlap, so two tasks take as long as one',
    );
    expect(takeaway('two-tasks', makeReport([seq(4007), all(3900)]))).toBe('together about the same as one after another (3.900 s vs 4.007 s): the waits did not overlap here');
    expect(takeaway('two-tasks', makeReport([seq(4007)]))).toBe(NO_TAKEAWAY);
  });

  it('pokemon', () => {
    expect(takeaway('pokemon', makeReport([seq(2329), all(363, { latencyMs: latency(250, 362) })]))).toBe(
      'all 6.4x faster than sequential (0.363 s vs 2.329 s): 10 waits overlap, so the run takes about its slowest request (362 ms), not their sum',
    );
    expect(takeaway('pokemon', makeReport([seq(2329), all(2300)]))).toBe('all about the same as sequential (2.300 s vs 2.329 s): the waits did not overlap here');
  });

  it('semaphore', () => {
    const bounded = makeResult({ strategy: 'bounded', concurrency: 5, wallMs: 488, maxInFlight: 5, requests: 20 });
    expect(takeaway('semaphore', makeReport([seq(2110, { requests: 20 }), bounded]))).toBe(
      'bounded (C=5) 4.3x faster than sequential (0.488 s vs 2.110 s), never more than 5 in flight (peak 5): a semaphore keeps most of the gain and caps the load',
    );
    expect(takeaway('semaphore', makeReport([seq(2110), { ...bounded, wallMs: 2000 }]))).toBe(
      'bounded (C=5) about the same as sequential (2.000 s vs 2.110 s), never more than 5 in flight (peak 5)',
    );
  });

  it('tmdb', () => {
    const setup = { name: 'now_playing', requests: 1, ok: 1, failed: 0, wallMs: 140, items: 20, errors: makeResult().errors, statusCodes: { '200': 1 } };
    expect(takeaway('tmdb', makeReport([seq(1930, { requests: 20 }), all(153, { requests: 20 })], { setup }))).toBe(
      'the list came first (1 request, 20 movies in 0.140 s), since the details need its ids; then all fetched the 20 details 12.6x faster than sequential (0.153 s vs 1.930 s)',
    );
    expect(takeaway('tmdb', makeReport([seq(1930), all(153)]))).toBe(NO_TAKEAWAY);
  });

  it('await-loop', () => {
    expect(takeaway('await-loop', makeReport([seq(1036, { latencyMs: latency(103.6) }), all(164)]))).toBe(
      'await in a loop took 1.036 s, about 10 × its 104 ms mean (1.036 s): each request waited for the one before; all took 0.164 s',
    );
  });

  it('eager: from the samples, when the requests started and the first answer came', () => {
    const sample = (startMs: number, endMs: number) => ({ url: 'u', startMs, endMs, ttfbMs: null, status: 200, bytes: 1, error: null });
    const eager = all(139, { requests: 3, samples: [sample(0, 104), sample(0.3, 110), sample(0.58, 120)] });
    expect(takeaway('eager', makeReport([eager]))).toBe(
      'all sent its 3 requests within 0.58 ms, before the first answer at 104 ms: a promise runs from the moment it is made; a Python coroutine waits for an await or a task',
    );
    const late = all(300, { requests: 2, samples: [sample(0, 100), sample(150, 250)] });
    expect(takeaway('eager', makeReport([late]))).toBe("all's 2 requests started over 150 ms, after the first answer at 100 ms: the event loop was too busy to send them at once");
    expect(takeaway('eager', makeReport([all(139)]))).toBe('no takeaway: the run kept no per-request samples (--details)');
  });

  it('session: two runs, sockets and time', () => {
    const kept = makeReport([seq(46, { pool: pool(1), requests: 50 })]);
    const fresh = makeReport([seq(74, { pool: pool(50), requests: 50 })]);
    expect(takeaway('session', kept, fresh)).toBe(
      'one session is 1.6x faster than a new connection each time (0.046 s vs 0.074 s), 1 socket against 50: each new connection costs a handshake; over TLS to a real API, a round trip or more',
    );
    const close = makeReport([seq(72, { pool: pool(50) })]);
    expect(takeaway('session', kept, close)).toMatch(/^one session is 1\.6x/);
    expect(takeaway('session', makeReport([seq(70, { pool: pool(1) })]), fresh)).toBe(
      'one session is about the same as a new connection each time (0.070 s vs 0.074 s), 1 socket against 50: on loopback a connection costs little; over TLS to a real API it costs a round trip or more',
    );
    expect(takeaway('session', kept)).toBe(NO_TAKEAWAY);
  });

  it('blocking', () => {
    const blocked = all(523, { requests: 20, eventLoopDelayP99Ms: 40.1, cpuWork: { perResponseMs: 20, responses: 20, totalMs: 410 } });
    expect(takeaway('blocking', makeReport([blocked]))).toBe(
      "all took 0.523 s: 20 × 20.0 ms of CPU (0.400 s) ran one callback at a time on the one event loop (the loop's delay p99 40.1 ms); concurrency overlaps the waits, not the work",
    );
    expect(takeaway('blocking', makeReport([all(120)]))).toBe('no takeaway: the run did no CPU work (--cpu-work)');
  });

  it('threads', () => {
    const workers = makeResult({ strategy: 'workers', concurrency: null, wallMs: 589, workers: 2 });
    expect(takeaway('threads', makeReport([all(960), workers]))).toBe(
      'workers (2 threads) 1.6x faster than all (0.589 s vs 0.960 s): the CPU work ran on 2 threads at once, while all did it on its one event loop',
    );
    expect(takeaway('threads', makeReport([all(600), workers]))).toBe(
      'workers (2 threads) about the same as all (0.589 s vs 0.600 s): threads pay off when CPU work, not waiting, is what the run is made of (and when cores are free)',
    );
  });

  it('fail-fast', () => {
    const failFast = { rejectedAtMs: 86, request: { index: 6, error: 'http5xx' as const, message: '500 Internal Server Error' }, stillRunning: 17, survivors: { ok: 11, failed: 6, lastEndMs: 159 } };
    expect(takeaway('fail-fast', makeReport([all(159, { failFast })]))).toBe(
      'Promise.all rejected at 0.086 s, yet its 17 other requests kept running until 0.159 s (11 ok): rejecting stops the waiting, not the requests; allSettled (or gather(return_exceptions=True)) keeps every result',
    );
    const resolved = { rejectedAtMs: null, request: null, stillRunning: 0, survivors: { ok: 0, failed: 0, lastEndMs: null } };
    expect(takeaway('fail-fast', makeReport([all(159, { failFast: resolved })]))).toBe(
      'nothing failed this time, so Promise.all resolved as allSettled would: raise --error-rate or change --seed to see it reject',
    );
  });

  it('batched', () => {
    const bounded = makeResult({ strategy: 'bounded', concurrency: 5, wallMs: 1177, idealWallMs: 1177 });
    const batched = makeResult({ strategy: 'batched', concurrency: 5, wallMs: 1394, idealWallMs: 1393 });
    expect(takeaway('batched', makeReport([bounded, batched]))).toBe(
      'batched (C=5) 1.2x slower than bounded (C=5) (1.394 s vs 1.177 s); ideal 1.393 s vs 1.177 s from their own request times: each batch waits for its slowest request, while a semaphore starts the next request at once',
    );
    expect(takeaway('batched', makeReport([bounded, { ...batched, wallMs: 1200, idealWallMs: 1190 }]))).toBe(
      'batched (C=5) about the same as bounded (C=5) (1.200 s vs 1.177 s); ideal 1.190 s vs 1.177 s from their own request times: requests this even leave a batch little to wait for',
    );
  });

  it('too-many', () => {
    const adaptive = makeResult({ strategy: 'adaptive', concurrency: null, wallMs: 1278, requests: 100, failed: 8, adaptive: { start: 1, max: 256, settledLimit: 10, limitTrace: [[0, 1]] } });
    const faults = { errorRate: 0, rateLimitPerSec: null, maxInflight: 10, capacity: null };
    expect(takeaway('too-many', makeReport([all(127, { requests: 100, failed: 90 }), adaptive], {}, { faults }))).toBe(
      'all failed 90 of 100 against a server that takes 10 at once; adaptive backed off and settled at 10, with 8 failed: a limiter finds what the server tolerates from its refusals',
    );
  });

  it('capacity', () => {
    const bounded = (c: number, wallMs: number, p50: number) => makeResult({ strategy: 'bounded', concurrency: c, wallMs, latencyMs: latency(p50) });
    const faults = { errorRate: 0, rateLimitPerSec: null, maxInflight: null, capacity: 40 };
    expect(takeaway('capacity', makeReport([bounded(20, 250, 57.8), bounded(40, 163, 67), bounded(80, 228, 149)], {}, { faults }))).toBe(
      'C=80 is 1.4x slower than C=40 (0.228 s vs 0.163 s); C=20 took 0.250 s: the server serves 40 at once, like a pool of 40 threads; past 40, more in flight only waits in its queue (p50 149 ms against 67.0 ms)',
    );
    expect(takeaway('capacity', makeReport([bounded(40, 163, 67), bounded(80, 100, 50)], {}, { faults }))).toBe(
      'C=80 is 1.6x faster than C=40 (0.100 s vs 0.163 s): the server serves 40 at once, like a pool of 40 threads; this time more in flight still helped',
    );
    expect(takeaway('capacity', makeReport([bounded(40, 163, 67)]))).toBe(NO_TAKEAWAY);
  });

  it('one-request', () => {
    const many = makeReport([all(228, { requests: 100, bytes: 21_810, decodedBytes: 25_684 })]);
    const list = (wallMs: number, bytes: number, decodedBytes = bytes) => makeReport([seq(wallMs, { requests: 1, bytes, decodedBytes })]);
    expect(takeaway('one-request', many, list(96, 6_916, 27_520))).toBe(
      'one request for the list is 2.4x faster than 100 requests at once (0.096 s vs 0.228 s), 6.8 KiB (26.9 KiB unpacked) against 21.3 KiB over the wire: the fastest request is the one not made',
    );
    expect(takeaway('one-request', many, list(220, 27_520))).toBe(
      'one request for the list is about the same as 100 requests at once (0.220 s vs 0.228 s), 26.9 KiB against 21.3 KiB over the wire: on loopback a request costs little; over a real network each one pays its own round trip',
    );
    expect(takeaway('one-request', many)).toBe(NO_TAKEAWAY);
  });

  it('a result cut off by Ctrl-C gives no takeaway', () => {
    expect(takeaway('pokemon', makeReport([seq(2329), all(100, { partial: true })]))).toBe(NO_TAKEAWAY);
  });
});

describe('the lessons', () => {
  it('have unique names, and every run is accepted by the run command, offline, with a fixed seed', async () => {
    expect(new Set(LESSONS.map((l) => l.name)).size).toBe(LESSONS.length);
    for (const l of LESSONS) {
      for (const args of l.runs) {
        const options = await parseRunArguments(args, '0.0.0');
        expect(options.offline, l.name).toBe(true);
        expect(options.seed, l.name).not.toBeNull();
      }
    }
  });

  it('--list names each with its title; --only picks one or names them all', () => {
    const list = renderLessonList();
    expect(list.split('\n')).toHaveLength(LESSONS.length + 1);
    expect(list).toContain('batched      Batches against a semaphore\n');
    expect(selectLessons('eager').map((l) => l.name)).toEqual(['eager']);
    expect(() => selectLessons('batch')).toThrow("unknown lesson 'batch' (did you mean 'batched'?); lessons are two-tasks, pokemon,");
  });

  it('a lesson as the terminal shows it: paragraph, numbers, command, takeaway', () => {
    const report = makeReport([seq(4007, { requests: 2, ok: 2, latencyMs: latency(2004), pool: pool(1) }), all(2019, { requests: 2, maxInFlight: 2, latencyMs: latency(2018), pool: pool(2) })]);
    expect(measuredLines(report)).toEqual([
      'sequential          4.007 s  2 ok  p50 2004 ms  peak 1 in flight  1 socket',
      'all (Promise.all)   2.019 s  2 ok  p50 2018 ms  peak 2 in flight  2 sockets',
    ]);
    const text = renderLesson({ name: 'two-tasks', title: 'Two tasks of 2 s', runs: [{ command: 'npx async-bench pokemon', report }], takeaway: 'together 2.0x faster' }, 'Two requests.', '[1/13]', new Chalk({ level: 0 }), 80);
    expect(text).toBe(
      '[1/13] two-tasks · Two tasks of 2 s\nTwo requests.\n\n' +
        '  sequential          4.007 s  2 ok  p50 2004 ms  peak 1 in flight  1 socket\n' +
        '  all (Promise.all)   2.019 s  2 ok  p50 2018 ms  peak 2 in flight  2 sockets\n' +
        '  $ npx async-bench pokemon\n→ together 2.0x faster\n\n',
    );
    // The prose fits the width given; a takeaway's next lines are indented under its arrow.
    const long = renderLesson({ name: 'x', title: 'X', runs: [], takeaway: 'word '.repeat(30).trim() }, 'word '.repeat(30).trim(), '[1/1]', new Chalk({ level: 0 }), 40);
    const lines = long.split('\n');
    expect(maxOf(lines.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(lines.filter((l) => l.startsWith('  word')).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.startsWith('word')).length).toBeGreaterThan(1);
  });
});
