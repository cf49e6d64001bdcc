import { describe, expect, it } from 'vitest';
import { createRandom, hashString, newSeed, randomInt } from '../../src/core/random.js';

const draw = (random: () => number, n: number): number[] => Array.from({ length: n }, () => random());

describe('createRandom', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(createRandom(42), 50)).toEqual(draw(createRandom(42), 50));
    expect(draw(createRandom(0), 5)).toEqual(draw(createRandom(0), 5));
  });

  it('gives a different sequence for a different seed', () => {
    expect(draw(createRandom(42), 5)).not.toEqual(draw(createRandom(43), 5));
  });

  it('is pinned for seed 42 (Mulberry32), so reports stay reproducible across versions', () => {
    expect(draw(createRandom(42), 3)).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('stays in [0, 1)', () => {
    const values = draw(createRandom(7), 10_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('randomInt', () => {
  it('is inclusive at both ends', () => {
    expect(randomInt(() => 0, 1, 6)).toBe(1);
    expect(randomInt(() => 0.999999999, 1, 6)).toBe(6);
    expect(randomInt(() => 0.5, 1, 6)).toBe(4);
    expect(randomInt(() => 0.3, 5, 5)).toBe(5);
  });

  it('hits every value of a small range and nothing outside it', () => {
    const random = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(randomInt(random, 1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('hashString', () => {
  it('is pinned (computed once) and stable', () => {
    expect(hashString('')).toBe(2872998923);
    expect(hashString('pokemon')).toBe(1466173165);
    expect(hashString('pokemon', 42)).toBe(2154816934);
    expect(hashString('pokemon')).toBe(hashString('pokemon'));
  });

  it('depends on the text and the seed', () => {
    expect(hashString('pokemon')).not.toBe(hashString('pokemoN'));
    expect(hashString('pokemon', 1)).not.toBe(hashString('pokemon', 2));
  });

  it('is an unsigned 32-bit integer', () => {
    for (const text of ['', 'a', 'pokemon', 'ü€😀', 'x'.repeat(1000)]) {
      const h = hashString(text);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });
});

describe('newSeed', () => {
  it('is a whole number below 2^31', () => {
    const seed = newSeed();
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31).toBe(true);
  });
});
