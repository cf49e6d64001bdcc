import { describe, expect, it } from 'vitest';
import { UsageError, closestMatch, editDistance } from '../../src/core/errors.js';
import { STRATEGIES } from '../../src/core/types.js';

const PRESETS = ['pokemon', 'jsonplaceholder', 'tmdb'];

describe('editDistance', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['pokemn', 'pokemon', 1],
    ['flaw', 'lawn', 2],
    ['ab', 'ba', 2],
  ])('%s -> %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closestMatch', () => {
  it('suggests a near typo', () => {
    expect(closestMatch('pokemn', PRESETS)).toBe('pokemon');
    expect(closestMatch('jsonplaceholdr', PRESETS)).toBe('jsonplaceholder');
    expect(closestMatch('bounde', STRATEGIES)).toBe('bounded');
    expect(closestMatch('POKEMON', PRESETS)).toBe('pokemon');
  });

  it('completes an unambiguous prefix', () => {
    expect(closestMatch('seq', STRATEGIES)).toBe('sequential');
    expect(closestMatch('json', PRESETS)).toBe('jsonplaceholder');
  });

  it('suggests nothing for something unrelated', () => {
    expect(closestMatch('zzz', STRATEGIES)).toBeUndefined();
    expect(closestMatch('zzz', PRESETS)).toBeUndefined();
    expect(closestMatch('anything', [])).toBeUndefined();
  });
});

describe('UsageError', () => {
  it('is an Error named UsageError', () => {
    const err = new UsageError('bad');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('UsageError');
    expect(err.message).toBe('bad');
  });
});
