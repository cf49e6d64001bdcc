import { describe, expect, it } from 'vitest';
import { colorLevel } from '../../src/cli/color.js';
import { formatBytes, formatMs, formatRate, formatSeconds, formatSpeedup, strategyLabel } from '../../src/export/format.js';

describe('colorLevel', () => {
  it('--no-color wins over everything', () => {
    expect(colorLevel(false, { FORCE_COLOR: '3' }, true)).toBe(0);
    expect(colorLevel(false, {}, true)).toBe(0);
  });

  it('FORCE_COLOR comes next, even without a terminal and over NO_COLOR', () => {
    expect(colorLevel(true, { FORCE_COLOR: '1' }, false)).toBe(1);
    expect(colorLevel(true, { FORCE_COLOR: '2' }, false)).toBe(2);
    expect(colorLevel(true, { FORCE_COLOR: '3' }, false)).toBe(3);
    expect(colorLevel(true, { FORCE_COLOR: 'true' }, false)).toBe(1);
    expect(colorLevel(true, { FORCE_COLOR: '' }, false)).toBe(1);
    expect(colorLevel(true, { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(1);
    expect(colorLevel(true, { FORCE_COLOR: '2', TERM: 'dumb' }, true)).toBe(2);
  });

  it('FORCE_COLOR=0 or false turns colour off on a terminal', () => {
    expect(colorLevel(true, { FORCE_COLOR: '0' }, true)).toBe(0);
    expect(colorLevel(true, { FORCE_COLOR: 'false' }, true)).toBe(0);
  });

  it('NO_COLOR (non-empty) turns colour off on a terminal; empty NO_COLOR is ignored', () => {
    expect(colorLevel(true, { NO_COLOR: '1' }, true)).toBe(0);
    expect(colorLevel(true, { NO_COLOR: '' }, true)).toBe(1);
  });

  it('otherwise colour only on a terminal that is not dumb', () => {
    expect(colorLevel(true, {}, true)).toBe(1);
    expect(colorLevel(true, {}, false)).toBe(0);
    expect(colorLevel(true, { TERM: 'dumb' }, true)).toBe(0);
    expect(colorLevel(true, { TERM: 'xterm-256color' }, true)).toBe(1);
  });
});

describe('formatters', () => {
  it('strategyLabel', () => {
    expect(strategyLabel('sequential', 1)).toBe('sequential');
    expect(strategyLabel('all', null)).toBe('all (Promise.all)');
    expect(strategyLabel('bounded', 5)).toBe('bounded (C=5)');
    expect(strategyLabel('bounded', null)).toBe('bounded (C=?)');
  });

  it('formatSeconds: three decimals', () => {
    expect(formatSeconds(2483)).toBe('2.483 s');
    expect(formatSeconds(411)).toBe('0.411 s');
    expect(formatSeconds(512.4)).toBe('0.512 s');
    expect(formatSeconds(0)).toBe('0.000 s');
  });

  it('formatMs: precision that fits the size', () => {
    expect(formatMs(312.4)).toBe('312 ms');
    expect(formatMs(100)).toBe('100 ms');
    expect(formatMs(42.34)).toBe('42.3 ms');
    expect(formatMs(10)).toBe('10.0 ms');
    expect(formatMs(0.42)).toBe('0.42 ms');
    expect(formatMs(0)).toBe('0.00 ms');
  });

  it('formatRate', () => {
    expect(formatRate(19.52)).toBe('19.5');
    expect(formatRate(4.03)).toBe('4.0');
    expect(formatRate(100)).toBe('100');
    expect(formatRate(1234.6)).toBe('1235');
  });

  it('formatSpeedup', () => {
    expect(formatSpeedup(6.041)).toBe('6.04x');
    expect(formatSpeedup(1)).toBe('1.00x');
    expect(formatSpeedup(null)).toBe('–');
  });

  it('formatBytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(10240)).toBe('10.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1024 * 1024)).toBe('1.0 MiB');
    expect(formatBytes(5.25 * 1024 * 1024)).toBe('5.3 MiB');
  });
});
