import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/core/defaults.js';
import {
  LIMITS,
  parseConcurrency,
  parseCount,
  parseHeader,
  parseLatency,
  parseSeed,
  parseStrategies,
  parseTimeout,
} from '../../src/cli/options.js';
import { usageMessage } from '../helpers/expectations.js';

describe('whole-number options', () => {
  it.each(['-1', '1.5', 'NaN', 'abc', '', ' ', '1e3', '0x10', '+5', '5abc', 'Infinity', '99999999999999999999'])(
    '--count rejects %j as not a whole number',
    (text) => {
      expect(usageMessage(() => parseCount(text))).toBe(`--count must be a whole number, got '${text}'`);
    },
  );

  it('--count rejects 0 with the lower bound', () => {
    expect(usageMessage(() => parseCount('0'))).toBe('--count must be at least 1, got 0');
  });

  it('--count rejects values above its limit, naming the limit', () => {
    expect(usageMessage(() => parseCount(String(LIMITS.count + 1)))).toBe('--count must be at most 1,000,000, got 1000001');
  });

  it('--count parses good values exactly', () => {
    expect(parseCount('1')).toBe(1);
    expect(parseCount('10')).toBe(10);
    expect(parseCount(' 25 ')).toBe(25);
    expect(parseCount('007')).toBe(7);
    expect(parseCount(String(LIMITS.count))).toBe(LIMITS.count);
  });

  it('--timeout has its own name and limit', () => {
    expect(parseTimeout('10000')).toBe(10_000);
    expect(usageMessage(() => parseTimeout('0'))).toBe('--timeout must be at least 1, got 0');
    expect(usageMessage(() => parseTimeout('3600001'))).toBe('--timeout must be at most 3,600,000, got 3600001');
    expect(usageMessage(() => parseTimeout('1.5'))).toMatch(/^--timeout must be a whole number/);
  });

  it('--seed accepts 0 and 2^32-1, nothing above', () => {
    expect(parseSeed('0')).toBe(0);
    expect(parseSeed('4294967295')).toBe(LIMITS.seed);
    expect(usageMessage(() => parseSeed('4294967296'))).toMatch(/^--seed must be at most 4,294,967,295/);
    expect(usageMessage(() => parseSeed('-1'))).toMatch(/^--seed must be a whole number/);
  });
});

describe('--concurrency', () => {
  it('parses one limit or a list, duplicates dropped, order kept', () => {
    expect(parseConcurrency('5')).toEqual([5]);
    expect(parseConcurrency('1,2,2,4')).toEqual([1, 2, 4]);
    expect(parseConcurrency('8, 2 ,8')).toEqual([8, 2]);
  });

  it.each([
    ['0', '--concurrency must be at least 1, got 0'],
    ['-1', "--concurrency must be a whole number, got '-1'"],
    ['1.5', "--concurrency must be a whole number, got '1.5'"],
    ['abc', "--concurrency must be a whole number, got 'abc'"],
    ['', "--concurrency must be a whole number, got ''"],
    ['1,,2', "--concurrency must be a whole number, got ''"],
    ['1,2,', "--concurrency must be a whole number, got ''"],
    ['1,0', '--concurrency must be at least 1, got 0'],
    ['100001', '--concurrency must be at most 100,000, got 100001'],
  ])('rejects %j', (text, message) => {
    expect(usageMessage(() => parseConcurrency(text))).toBe(message);
  });
});

describe('--strategy', () => {
  it('normalises the order to sequential, all, bounded', () => {
    expect(parseStrategies('bounded,sequential')).toEqual(['sequential', 'bounded']);
    expect(parseStrategies('bounded,all,sequential')).toEqual(['sequential', 'all', 'bounded']);
    expect(parseStrategies(' ALL ')).toEqual(['all']);
    expect(parseStrategies('all,all')).toEqual(['all']);
    expect(parseStrategies('sequential,,bounded')).toEqual(['sequential', 'bounded']);
  });

  it('rejects an empty list', () => {
    expect(usageMessage(() => parseStrategies(''))).toBe('--strategy needs at least one of sequential, all, bounded, batched, adaptive, workers');
    expect(usageMessage(() => parseStrategies(' , '))).toMatch(/needs at least one/);
  });

  it('suggests the strategy meant', () => {
    expect(usageMessage(() => parseStrategies('seq'))).toBe(
      "unknown strategy 'seq' (did you mean 'sequential'?); choose from sequential, all, bounded, batched, adaptive, workers",
    );
    expect(usageMessage(() => parseStrategies('all,bonded'))).toMatch(/unknown strategy 'bonded' \(did you mean 'bounded'\?\)/);
  });

  it('lists the choices without a guess for nonsense', () => {
    expect(usageMessage(() => parseStrategies('zzz'))).toBe("unknown strategy 'zzz'; choose from sequential, all, bounded, batched, adaptive, workers");
  });

  it('defaults to sequential, all and bounded (workers only when asked)', () => {
    expect(DEFAULTS.strategies).toEqual(['sequential', 'all', 'bounded']);
    expect(DEFAULTS.concurrency).toEqual([5]);
    expect(DEFAULTS.count).toBe(10);
    expect(DEFAULTS.timeoutMs).toBe(10_000);
  });
});

describe('--latency', () => {
  it('parses a fixed delay or a range exactly', () => {
    expect(parseLatency('0')).toEqual({ minMs: 0, maxMs: 0 });
    expect(parseLatency('250')).toEqual({ minMs: 250, maxMs: 250 });
    expect(parseLatency('100-400')).toEqual({ minMs: 100, maxMs: 400 });
    expect(parseLatency(' 100 - 400 ms')).toEqual({ minMs: 100, maxMs: 400 });
    expect(parseLatency('2.5')).toEqual({ minMs: 2.5, maxMs: 2.5 });
    expect(parseLatency('60000')).toEqual({ minMs: 60_000, maxMs: 60_000 });
  });

  it('rejects a range going downwards', () => {
    expect(usageMessage(() => parseLatency('400-100'))).toBe("--latency range must go from low to high, got '400-100'");
  });

  it.each(['abc', '', '-5', '1,2', '100-', '-100', '100-400-500', 'NaN'])('rejects %j', (text) => {
    expect(usageMessage(() => parseLatency(text))).toBe(
      `--latency must be milliseconds or a range like 100-400, got '${text}'`,
    );
  });

  it('rejects delays above its limit', () => {
    expect(usageMessage(() => parseLatency('60001'))).toBe("--latency must be at most 60000 ms, got '60001'");
    expect(usageMessage(() => parseLatency('0-60001'))).toMatch(/at most 60000 ms/);
  });
});

describe('--header', () => {
  it('parses "Name: value", lower-casing the name and keeping colons in the value', () => {
    expect(parseHeader('X-Test: hello')).toEqual({ 'x-test': 'hello' });
    expect(parseHeader('Accept:application/json')).toEqual({ accept: 'application/json' });
    expect(parseHeader('X-Time: 12:30:00')).toEqual({ 'x-time': '12:30:00' });
    expect(parseHeader('X-Empty:')).toEqual({ 'x-empty': '' });
  });

  it('adds to the headers so far (repeatable), without changing them', () => {
    const first = parseHeader('A: 1');
    const both = parseHeader('B: 2', first);
    expect(both).toEqual({ a: '1', b: '2' });
    expect(first).toEqual({ a: '1' });
    expect(parseHeader('a: 3', both)).toEqual({ a: '3', b: '2' });
  });

  it('rejects a header without a colon', () => {
    expect(usageMessage(() => parseHeader('X-Test hello'))).toMatch(/^--header must look like "Name: value"/);
  });

  it('rejects an empty or invalid name', () => {
    expect(usageMessage(() => parseHeader(': value'))).toMatch(/must look like "Name: value"/);
    expect(usageMessage(() => parseHeader('Bad Name: value'))).toMatch(/must look like "Name: value"/);
    expect(usageMessage(() => parseHeader('X\r\nEvil: value'))).toMatch(/must look like "Name: value"/);
  });

  it.each(['X-A: b\r\nInjected: c', 'X-A: b\nc', 'X-A: b\rc', 'X-A: b\0c'])('rejects a line break or NUL in the value: %j', (text) => {
    expect(usageMessage(() => parseHeader(text))).toBe("--header 'X-A' has a line break or NUL in its value");
  });

  it('does not echo a secret value when an Authorization header is mistyped', () => {
    // The contract: Authorization values never appear in anything the tool prints (main prints this message).
    const secret = 'sk-live-7f3a9c1e5b';
    expect(usageMessage(() => parseHeader(`Authorization Bearer ${secret}`))).not.toContain(secret);
    expect(usageMessage(() => parseHeader(`Authorization=Bearer ${secret}`))).not.toContain(secret);
  });
});
