/**
 * HTTP/2 and --protocol h1,h2 in the pure core and the exporters: the plan (every strategy under
 * each version), like-for-like speedups and failure verdicts, what was negotiated, the labels,
 * the Sockets cell, CSV's columns, the sentences, the option's parser, and the certificate made
 * at start-up.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { planStrategies, type StrategyRuns } from '../../src/core/benchmark.js';
import { negotiatedProtocols } from '../../src/core/build-report.js';
import { recommendConcurrency } from '../../src/core/recommend.js';
import type { StrategyResult } from '../../src/core/report.js';
import { resultKey } from '../../src/core/result-label.js';
import { summarizeGroups } from '../../src/core/summarize.js';
import { parseProtocols } from '../../src/cli/options.js';
import { renderCsv } from '../../src/export/csv.js';
import { resultLabel } from '../../src/export/format.js';
import { protocolLines, verdictLines } from '../../src/export/prose.js';
import { humanTable } from '../../src/export/table-model.js';
import { createSelfSignedCertificate } from '../../src/http/self-signed.js';
import { usageMessage } from '../helpers/expectations.js';
import { makeReport, makeResult } from '../helpers/report-fixtures.js';
import { makeRun } from '../helpers/runs.js';

describe('planStrategies with HTTP versions', () => {
  it('runs every strategy under each version, in the order given; one version adds nothing', () => {
    expect(planStrategies(['sequential', 'all', 'bounded'], [5], ['h1', 'h2'])).toEqual([
      { strategy: 'sequential', concurrency: 1, protocol: 'h1' },
      { strategy: 'all', concurrency: null, protocol: 'h1' },
      { strategy: 'bounded', concurrency: 5, protocol: 'h1' },
      { strategy: 'sequential', concurrency: 1, protocol: 'h2' },
      { strategy: 'all', concurrency: null, protocol: 'h2' },
      { strategy: 'bounded', concurrency: 5, protocol: 'h2' },
    ]);
    expect(planStrategies(['all'], [5], ['h2'])).toEqual([{ strategy: 'all', concurrency: null }]);
    expect(planStrategies(['all'], [5], ['h2', 'h1']).map((s) => s.protocol)).toEqual(['h2', 'h1']);
  });
});

describe('summaries compare like with like', () => {
  const group = (strategy: 'sequential' | 'all', protocol: 'h1' | 'h2', wallMs: number, failedAt: number[] = []): StrategyRuns => ({
    spec: { strategy, concurrency: strategy === 'all' ? null : 1, protocol },
    runs: [{ ...makeRun(strategy, strategy === 'all' ? null : 1, wallMs, { failedAt }), protocol }],
  });

  it("each version's speedup is against its own sequential, and the result says its version", () => {
    const results = summarizeGroups([group('sequential', 'h1', 400), group('all', 'h1', 100), group('sequential', 'h2', 300), group('all', 'h2', 50)], 1);
    expect(results.map((r) => [r.strategy, r.protocol, r.speedup, r.verdict])).toEqual([
      ['sequential', 'h1', 1, null],
      ['all', 'h1', 4, 'faster'],
      ['sequential', 'h2', 1, null],
      ['all', 'h2', 6, 'faster'],
    ]);
  });

  it('failures are judged within a version: h2 failing where h1 did not is not "more failures" for h1', () => {
    const results = summarizeGroups([group('sequential', 'h1', 400, [0]), group('all', 'h1', 100, [0]), group('sequential', 'h2', 300), group('all', 'h2', 50, [1])], 1);
    expect(results.map((r) => r.verdict)).toEqual([null, 'faster', null, 'more-failures']);
  });

  it('one limit under two versions is no sweep: no recommendation', () => {
    const bounded = (protocol: 'h1' | 'h2'): StrategyResult => makeResult({ strategy: 'bounded', concurrency: 5, protocol, okPerSec: 10 });
    expect(recommendConcurrency([bounded('h1'), bounded('h2')])).toBeNull();
  });

  it('keys name the version only when the run compared versions', () => {
    expect(resultKey({ strategy: 'bounded', concurrency: 8 })).toBe('bounded@8');
    expect(resultKey({ strategy: 'bounded', concurrency: 8, protocol: 'h2' })).toBe('bounded@8/h2');
    expect(resultKey({ strategy: 'all', concurrency: null, protocol: 'h1' })).toBe('all/h1');
  });
});

describe('negotiatedProtocols', () => {
  const pooled = (opened: number, h2: number | undefined, protocol?: 'h1' | 'h2'): StrategyResult =>
    makeResult({ ...(protocol ? { protocol } : {}), pool: { opened, peak: opened, staleRetries: 0, peakStreams: 1, ...(h2 === undefined ? {} : { h2 }) } });

  it('tells, per version asked, what the connections spoke', () => {
    expect(negotiatedProtocols([pooled(1, 1), pooled(1, 1)], ['h2'])).toEqual({ h2: ['h2'] });
    expect(negotiatedProtocols([pooled(20, 0)], ['h2'])).toEqual({ h2: ['h1'] });
    expect(negotiatedProtocols([pooled(3, 1)], ['h2'])).toEqual({ h2: ['h1', 'h2'] });
    expect(negotiatedProtocols([pooled(20, undefined, 'h1'), pooled(1, 1, 'h2')], ['h1', 'h2'])).toEqual({ h1: ['h1'], h2: ['h2'] });
    expect(negotiatedProtocols([makeResult({ protocol: 'h2' })], ['h1', 'h2'])).toEqual({ h1: [], h2: [] });
  });
});

/** An h1,h2 report: walls in ms per version, for sequential, all and bounded C=5. */
function comparedReport(h1: [number, number, number], h2: [number, number, number]) {
  const rows = (protocol: 'h1' | 'h2', [seq, all, bounded]: [number, number, number], streams: number): StrategyResult[] => {
    const pool = (opened: number, peakStreams: number) => ({ opened, peak: opened, staleRetries: 0, peakStreams, ...(protocol === 'h2' ? { h2: opened } : {}) });
    return [
      makeResult({ strategy: 'sequential', concurrency: 1, protocol, wallMs: seq, okPerSec: 20_000 / seq, speedup: 1, pool: pool(1, 1) }),
      makeResult({ strategy: 'all', concurrency: null, protocol, wallMs: all, okPerSec: 20_000 / all, speedup: seq / all, verdict: 'faster', pool: protocol === 'h2' ? pool(1, streams) : pool(20, 1) }),
      makeResult({ strategy: 'bounded', concurrency: 5, protocol, wallMs: bounded, okPerSec: 20_000 / bounded, speedup: seq / bounded, verdict: 'faster', pool: protocol === 'h2' ? pool(1, 5) : pool(5, 1) }),
    ];
  };
  const transport = { protocol: 'h1,h2', proxy: 'none', compression: true, keepAlive: true, insecure: false, cacert: null, negotiated: { h1: ['h1' as const], h2: ['h2' as const] } };
  return makeReport([...rows('h1', h1, 20), ...rows('h2', h2, 20)], {}, { transport });
}

describe('what the exporters say about HTTP versions', () => {
  it('labels each row with its version and shows streams in the Sockets cell of HTTP/2 rows only', () => {
    const table = humanTable(comparedReport([4000, 400, 1000], [4000, 200, 1000]));
    const column = (name: string) => table.rows.map((row) => row[table.headers.indexOf(name)]!.text);
    expect(column('Strategy')).toEqual([
      'sequential · h1', 'all (Promise.all) · h1', 'bounded (C=5) · h1',
      'sequential · h2', 'all (Promise.all) · h2', 'bounded (C=5) · h2',
    ]);
    expect(column('Sockets')).toEqual(['1', '20', '5', '1 (1 stream)', '1 (20 streams)', '1 (5 streams)']);
    expect(resultLabel({ strategy: 'all', concurrency: null })).toBe('all (Promise.all)');
  });

  it('marks the best speedup within each version', () => {
    const table = humanTable(comparedReport([4000, 400, 1000], [4000, 200, 1000]));
    const speedups = table.rows.map((row) => row[table.headers.indexOf('Speedup')]!);
    expect(speedups.map((c) => c.tone)).toEqual(['plain', 'best', 'plain', 'plain', 'best', 'plain']);
  });

  it('verdicts name the sequential they compare with', () => {
    expect(verdictLines(comparedReport([4000, 400, 1000], [4000, 200, 1000]).results)).toEqual([
      'all · h1: 10.00x faster than sequential · h1 (0.400 s vs 4.000 s)',
      'bounded (C=5) · h1: 4.00x faster than sequential · h1 (1.000 s vs 4.000 s)',
      'all · h2: 20.00x faster than sequential · h2 (0.200 s vs 4.000 s)',
      'bounded (C=5) · h2: 4.00x faster than sequential · h2 (1.000 s vs 4.000 s)',
    ]);
  });

  it('says strategy by strategy what h2 did, and whether it changes the answer', () => {
    expect(protocolLines(comparedReport([4000, 400, 1000], [4000, 200, 1000]))).toEqual([
      'h2 against h1, strategy by strategy (h1 time / h2 time): sequential 1.00x, all 2.00x, bounded (C=5) 1.00x',
      'HTTP/2 does not change the answer: all is the fastest over h1 (0.400 s) and over h2 (0.200 s)',
    ]);
    expect(protocolLines(comparedReport([4000, 1000, 400], [4000, 200, 800]))[1]).toBe(
      'HTTP/2 changes the answer: the fastest over h1 is bounded (C=5) (0.400 s), over h2 all (0.200 s)',
    );
    // Within 10% is a tie, not a change of answer.
    expect(protocolLines(comparedReport([4000, 420, 400], [4000, 200, 800]))[1]).toMatch(/^HTTP\/2 does not change the answer: all is the fastest over h1 \(0.420 s\)/);
  });

  it('says when HTTP/2 was offered and not taken; says nothing for a plain HTTP/1.1 run', () => {
    const fellBack = makeReport([makeResult()], {}, { transport: { protocol: 'h2', proxy: 'env', compression: true, keepAlive: true, insecure: false, cacert: null, negotiated: { h2: ['h1'] } } });
    expect(protocolLines(fellBack)).toEqual([expect.stringMatching(/^h2: offered, but every connection spoke HTTP\/1\.1/)]);
    expect(protocolLines(makeReport([makeResult()]))).toEqual([]);
  });

  it('CSV adds protocol and peak_streams after verdict when HTTP/2 was offered, and only then', () => {
    const [header, , h1all, , , h2all] = renderCsv(comparedReport([4000, 400, 1000], [4000, 200, 1000])).trimEnd().split('\n');
    expect(header!.split(',').slice(-3)).toEqual(['verdict', 'protocol', 'peak_streams']);
    expect(h1all!.split(',').slice(-3)).toEqual(['faster', 'h1', '1']);
    expect(h2all!.split(',').slice(-3)).toEqual(['faster', 'h2', '20']);
    expect(renderCsv(makeReport([makeResult()])).split('\n')[0]!.split(',').at(-1)).toBe('verdict');
  });
});

describe('--protocol', () => {
  it('takes h1, h2 or both, in order', () => {
    expect(parseProtocols('h1,h2')).toEqual(['h1', 'h2']);
    expect(parseProtocols(' H2 , h1 ')).toEqual(['h2', 'h1']);
    expect(parseProtocols('h2')).toEqual(['h2']);
  });

  it('refuses anything else with one line', () => {
    expect(usageMessage(() => parseProtocols('h3'))).toMatch(/^--protocol: unknown HTTP version 'h3' .*choose from h1, h2$/);
    expect(usageMessage(() => parseProtocols(','))).toMatch(/^--protocol needs one or more of h1, h2/);
    expect(usageMessage(() => parseProtocols('h2,h2'))).toBe('--protocol names h2 twice');
  });
});

describe('the certificate made at start-up', () => {
  it('names 127.0.0.1 and localhost, is its own CA, and is valid from an hour ago for a week', () => {
    const now = new Date('2026-11-21T22:00:00Z');
    const { certPem, keyPem } = createSelfSignedCertificate(now);
    const cert = new X509Certificate(certPem);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-11-21T21:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2026-11-28T22:00:00.000Z');
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createSelfSignedCertificate(now).certPem).not.toBe(certPem);
  });
});
