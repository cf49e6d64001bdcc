/**
 * batched, adaptive and --fail-fast through the CLI: real HTTP on 127.0.0.1, the JSON checked
 * against the schema, and the usage errors of their options (exit 2 before any request). In
 * process (the built CLI's main() in this process) except the adaptive run against the fixture server, which
 * spawns the built CLI: the real process, killed if the limit never settles (on jsonplaceholder's
 * small bodies: what it finds is the server's limit, not the bytes).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { assertBuilt, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { byStrategy, expectCleanStderr, expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
  cleanupCli();
});

// Concurrent: the spawned CLI runs while the in-process cases do.
describe.concurrent('--fail-fast', () => {
  test('all rejects on the first failure; the requests still running keep running and their fate is reported apart (batched beside it is untouched)', async () => {
    // Request 2 is refused at once; the five others take 300 ms at the server.
    const slow = (i: number): string => `${server.url}/delay/300?ff=${i}`;
    const urls = [slow(0), `${server.url}/status/503?ff=1`, slow(2), slow(3), slow(4), slow(5)];
    const result = await runBuiltInProcess([...urls, '-s', 'all,batched', '-c', '3', '--fail-fast', '--json']);
    expect(result.code, describeRun(result)).toBe(0);
    expectCleanStderr(result);
    const doc = parseJsonReport<Report>(result);
    expect(doc.config.failFast).toBe(true);
    const all = byStrategy(doc, 'all');
    expect(all).toMatchObject({ requests: 6, ok: 5, failed: 1 });
    const f = all.failFast!;
    expect(f.request).toEqual({ index: 1, error: 'http5xx', message: '503 Service Unavailable' });
    expect(f.stillRunning).toBe(5);
    expect(f.survivors).toMatchObject({ ok: 5, failed: 0 });
    // It rejected before the survivors ended, and the run waited for them (300 ms at the server).
    expect(f.rejectedAtMs).not.toBeNull();
    expect(f.rejectedAtMs!).toBeLessThan(f.survivors.lastEndMs!);
    expect(f.survivors.lastEndMs!).toBeGreaterThanOrEqual(300);
    expect(all.wallMs).toBeGreaterThanOrEqual(f.survivors.lastEndMs!);
    // batched is untouched by --fail-fast; two chunks of three, each waiting for its slowest.
    const batched = byStrategy(doc, 'batched');
    expect(batched).toMatchObject({ concurrency: 3, requests: 6, ok: 5, failed: 1, maxInFlight: 3 });
    expect(batched.failFast).toBeUndefined();
    expect(batched.idealWallMs!).toBeGreaterThanOrEqual(600);
  });
});

describe.concurrent('adaptive against the fixture server', () => {
  test('--max-inflight 10 (a 503 at once above it): the limit settles within 2 of 10', async () => {
    const result = await run(['jsonplaceholder', '--offline', '-s', 'adaptive', '--max-inflight', '10', '--latency', '80', '-n', '150', '--seed', '3', '--json'], { killAfterMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);
    const doc = parseJsonReport<Report>(result);
    expect(doc.config.adaptive).toEqual({ start: 1, max: 256 });
    const adaptive = byStrategy(doc, 'adaptive');
    expect(adaptive.concurrency).toBeNull();
    expect(adaptive.adaptive!.settledLimit, JSON.stringify(adaptive.adaptive)).toBeGreaterThanOrEqual(8);
    expect(adaptive.adaptive!.settledLimit, JSON.stringify(adaptive.adaptive)).toBeLessThanOrEqual(12);
    expect(Math.max(...adaptive.adaptive!.limitTrace.map(([, l]) => l))).toBeLessThanOrEqual(256);
    // Refusals are failures, counted and classified; they are how it found the limit.
    expect(adaptive.failed).toBe(adaptive.statusCodes['503'] ?? 0);
    expect(adaptive.ok).toBeGreaterThan(150 * 0.7);
    expect(adaptive.idealWallMs).not.toBeNull();
  });
});

describe.concurrent('bad input for the new options: one line, exit 2, no request', () => {
  test.each([
    ['--fail-fast without all', ['-s', 'bounded', '--fail-fast'], /--fail-fast applies to all \(Promise\.all\); add all to --strategy/],
    ['--adaptive-max without adaptive', ['-s', 'bounded', '--adaptive-max', '20'], /--adaptive-start and --adaptive-max apply to adaptive/],
    ['--adaptive-start above --adaptive-max', ['-s', 'adaptive', '--adaptive-start', '30', '--adaptive-max', '20'], /--adaptive-start \(30\) must be at most --adaptive-max \(20\)/],
    ['--adaptive-max 0', ['-s', 'adaptive', '--adaptive-max', '0'], /--adaptive-max must be at least 1/],
    ['--adaptive-start not a number', ['-s', 'adaptive', '--adaptive-start', 'x'], /--adaptive-start must be a whole number/],
    ['-c auto with batched', ['-s', 'bounded,batched', '-c', 'auto'], /give batched its limits with -c/],
    ['a threshold on a batched limit not run', ['-s', 'batched', '-c', '5', '--threshold', 'batched@8.p95<300'], /names batched@8, but -c is 5/],
    ['an unknown strategy', ['-s', 'bached'], /unknown strategy 'bached' \(did you mean 'batched'\?\)/],
  ])('%s', async (label, extra, message) => {
    const tag = label.replace(/\W+/g, '-');
    expectUsageError(await runBuiltInProcess([`${server.url}/ok?bad=${tag}`, ...extra]), message);
    expect(server.count(`bad=${tag}`)).toBe(0);
  });
});
