/** The workload fingerprint a baseline is checked against: exact fields, secrets never in it. */
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_FIELDS, fingerprintDifferences, hashUrlList, workloadFingerprint } from '../../src/core/fingerprint.js';
import { makeConfig } from '../helpers/report-fixtures.js';

const { count: _count, ...CONFIG } = makeConfig({ headers: ['authorization: ***', 'X-Trace: abc'] });

describe('workloadFingerprint', () => {
  it('records target, count, strategies, limits, latency, faults, method and header names, never values', () => {
    expect(workloadFingerprint(CONFIG, 10, null)).toEqual({
      target: 'pokemon',
      urls: null,
      count: 10,
      strategies: ['sequential', 'all', 'bounded'],
      concurrency: [5],
      latency: 'default',
      faults: null,
      method: 'GET',
      headers: ['authorization', 'x-trace'],
    });
    expect(JSON.stringify(workloadFingerprint(CONFIG, 10, null))).not.toMatch(/abc|\*\*\*/);
  });

  it('hashes a URL list: the same list, the same 16 hex digits; order and content both count', () => {
    const urls = ['http://a/1', 'http://a/2'];
    expect(hashUrlList(urls)).toMatch(/^[0-9a-f]{16}$/);
    expect(hashUrlList([...urls])).toBe(hashUrlList(urls));
    expect(hashUrlList([...urls].reverse())).not.toBe(hashUrlList(urls));
    expect(hashUrlList(['http://a/1', 'http://a/3'])).not.toBe(hashUrlList(urls));
    expect(workloadFingerprint(CONFIG, 2, urls).urls).toBe(hashUrlList(urls));
  });
});

describe('fingerprintDifferences', () => {
  const base = workloadFingerprint(CONFIG, 10, null);

  it('names exactly the fields that differ, in the fingerprint order', () => {
    expect(fingerprintDifferences(base, base)).toEqual([]);
    const other = workloadFingerprint({ ...CONFIG, latency: '100', concurrency: [5, 10] }, 20, null, 'POST');
    expect(fingerprintDifferences(base, other)).toEqual(['count', 'concurrency', 'latency', 'method']);
  });

  it('leaves out the fields the user chose to ignore', () => {
    const other = workloadFingerprint({ ...CONFIG, latency: '100' }, 20, null);
    expect(fingerprintDifferences(base, other, ['latency'])).toEqual(['count']);
    expect(fingerprintDifferences(base, other, ['latency', 'count'])).toEqual([]);
  });

  it('compares every field it records', () => {
    const full = workloadFingerprint({ ...CONFIG, strategies: ['all', 'workers'], workers: 2, cpuWorkMs: 20, transport: { ...CONFIG.transport, protocol: 'h2' } }, 10, null);
    expect([...FINGERPRINT_FIELDS].sort()).toEqual(Object.keys(full).sort());
  });

  it('records the HTTP versions offered, except HTTP/1.1 alone (as fingerprints made before it)', () => {
    const compared = workloadFingerprint({ ...CONFIG, transport: { ...CONFIG.transport, protocol: 'h1,h2' } }, 10, null);
    expect(base).not.toHaveProperty('protocol');
    expect(compared.protocol).toBe('h1,h2');
    expect(fingerprintDifferences(base, compared)).toEqual(['protocol']);
    expect(fingerprintDifferences(base, compared, ['protocol'])).toEqual([]);
  });

  it('records workers and --cpu-work only when used: a baseline from before them still matches', () => {
    expect(base).not.toHaveProperty('workers');
    expect(base).not.toHaveProperty('cpuWorkMs');
    const working = workloadFingerprint({ ...CONFIG, cpuWorkMs: 20 }, 10, null);
    expect(fingerprintDifferences(base, working)).toEqual(['cpuWorkMs']);
    expect(fingerprintDifferences(working, workloadFingerprint({ ...CONFIG, cpuWorkMs: 5 }, 10, null))).toEqual(['cpuWorkMs']);
  });
});
