/**
 * --http2 and --protocol through main(), in process: the fixture server with http2 (in this
 * process, reached with --base-url and trusted with --cacert), and an https server that offers
 * HTTP/1.1 alone. Both run on 127.0.0.1 under certificates made at start-up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { listenFixtureServer, type RunningFixtureServer } from '../../src/fixture-server/server.js';
import { createSelfSignedCertificate } from '../../src/http/self-signed.js';
import { describeRun } from '../helpers/cli.js';
import { expectCleanStderr, expectOk, parseJsonReport } from '../helpers/expectations.js';
import { runInProcess } from '../helpers/in-process.js';

let dir: string;
let fixture: RunningFixtureServer;
let fixtureCa: string;
let h1Only: Server;
let h1OnlyUrl: string;
let h1OnlyCa: string;
let h1Connections = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'async-bench-h2-'));
  fixture = await listenFixtureServer({ latency: { minMs: 10, maxMs: 10 }, seed: 1, http2: true });
  fixtureCa = join(dir, 'fixture.pem');
  writeFileSync(fixtureCa, fixture.caPem!);
  const { certPem, keyPem } = createSelfSignedCertificate();
  h1OnlyCa = join(dir, 'h1.pem');
  writeFileSync(h1OnlyCa, certPem);
  h1Only = createHttpsServer({ cert: certPem, key: keyPem }, (_req, res) => setTimeout(() => res.end('ok'), 10));
  h1Only.on('secureConnection', () => h1Connections++);
  await new Promise<void>((resolve) => h1Only.listen(0, '127.0.0.1', resolve));
  h1OnlyUrl = `https://127.0.0.1:${(h1Only.address() as AddressInfo).port}/ok`;
});

afterAll(async () => {
  await fixture?.close();
  h1Only?.closeAllConnections();
  await new Promise<void>((resolve) => (h1Only ? h1Only.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--protocol h1,h2', () => {
  it('runs every strategy under both, each compared with its own sequential; over h2, 20 requests of all are streams of one connection', async () => {
    const sessions = fixture.sessions();
    const result = await runInProcess(['jsonplaceholder', '--base-url', fixture.baseUrl, '-n', '20', '--protocol', 'h1,h2', '--cacert', fixtureCa, '--seed', '1', '--json']);
    expectOk(result);
    expectCleanStderr(result);
    const doc = parseJsonReport<Report>(result);
    const context = describeRun(result);
    expect(doc.results.map((r) => `${r.strategy}/${r.protocol}`), context).toEqual(['sequential/h1', 'all/h1', 'bounded/h1', 'sequential/h2', 'all/h2', 'bounded/h2']);
    for (const r of doc.results) {
      expect(r.ok, context).toBe(20);
      const sequential = doc.results.find((o) => o.strategy === 'sequential' && o.protocol === r.protocol)!;
      expect(r.speedup, `${r.strategy}/${r.protocol} against its own sequential`).toBeCloseTo(sequential.wallMs / r.wallMs, 2);
    }
    const [, allH1, boundedH1, sequentialH2, allH2, boundedH2] = doc.results;
    // HTTP/1.1 as ever: a connection per request in flight, nothing said of HTTP/2.
    expect(allH1!.pool).toEqual({ opened: 20, peak: 20, staleRetries: 0, peakStreams: 1 });
    expect(boundedH1!.pool).toMatchObject({ opened: 5, peakStreams: 1 });
    // HTTP/2: one connection a run, as many streams at once as the strategy has requests in flight.
    expect(sequentialH2!.pool).toMatchObject({ opened: 1, h2: 1, peakStreams: 1 });
    expect(allH2!.pool, context).toMatchObject({ opened: 1, h2: 1 });
    expect(allH2!.pool!.peakStreams).toBeGreaterThan(1);
    expect(allH2!.pool!.peakStreams).toBeLessThanOrEqual(20);
    expect(boundedH2!.pool).toMatchObject({ opened: 1, h2: 1 });
    expect(boundedH2!.pool!.peakStreams).toBeLessThanOrEqual(5);
    // The server saw one HTTP/2 session per h2 run (its h1 connections are no sessions).
    expect(fixture.sessions() - sessions).toBe(3);
    expect(doc.config.transport).toMatchObject({ protocol: 'h1,h2', negotiated: { h1: ['h1'], h2: ['h2'] } });
    expect(doc.fingerprint?.protocol).toBe('h1,h2');
  });

  it('the table shows both sets of rows, streams in the Sockets cell, and what h2 did to the answer', async () => {
    const result = await runInProcess(['jsonplaceholder', '--base-url', fixture.baseUrl, '-n', '4', '--protocol', 'h1,h2', '-s', 'all', '--cacert', fixtureCa, '--seed', '1', '--no-color']);
    expectOk(result);
    const context = describeRun(result);
    expect(result.stdout, context).toMatch(/each strategy over h1 and h2/);
    expect(result.stdout, context).toMatch(/│ all \(Promise\.all\) · h1 │.*│\s+4 │/);
    expect(result.stdout, context).toMatch(/│ all \(Promise\.all\) · h2 │.*│ 1 \(\d streams?\) │/);
    expect(result.stdout, context).toMatch(/^h2 against h1, strategy by strategy \(h1 time \/ h2 time\): all \d+\.\d\dx$/m);
    expect(result.stdout, context).toMatch(/^HTTP\/2 does not change the answer: all is the fastest over h1/m);
  });
});

describe('--http2 against a server that offers HTTP/1.1 alone', () => {
  it('falls back: the requests go over HTTP/1.1, a connection per request in flight, and the report says what was spoken', async () => {
    const before = h1Connections;
    const result = await runInProcess([h1OnlyUrl, '-n', '6', '--http2', '--cacert', h1OnlyCa, '-s', 'sequential,all', '--json']);
    expectOk(result);
    const doc = parseJsonReport<Report>(result);
    expect(doc.results.map((r) => r.ok)).toEqual([6, 6]);
    expect(doc.results.map((r) => r.pool)).toEqual([
      { opened: 1, peak: 1, staleRetries: 0, peakStreams: 1, h2: 0 },
      { opened: 6, peak: 6, staleRetries: 0, peakStreams: 1, h2: 0 },
    ]);
    expect(h1Connections - before).toBe(7);
    expect(doc.config.transport).toMatchObject({ protocol: 'h2', negotiated: { h2: ['h1'] } });
    expect(doc.results[0]).not.toHaveProperty('protocol');
  });

  it('--no-keep-alive combines with --protocol h1: a connection per request', async () => {
    const result = await runInProcess([h1OnlyUrl, '-n', '3', '--protocol', 'h1', '--no-keep-alive', '--cacert', h1OnlyCa, '-s', 'sequential', '--json']);
    expectOk(result);
    const doc = parseJsonReport<Report>(result);
    expect(doc.results[0]!.pool).toMatchObject({ opened: 3 });
    expect(doc.config.transport).toEqual({ protocol: 'h1', proxy: 'env', compression: true, keepAlive: false, insecure: false, cacert: h1OnlyCa });
    expect(doc.fingerprint).not.toHaveProperty('protocol');
  });
});
