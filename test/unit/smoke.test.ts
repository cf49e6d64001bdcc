import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/core/stats.js';

describe('percentile', () => {
  it('interpolates between ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
  });
});
