/** Every setting's default, in one place: the help text, the parsers and the library read these. */
import type { StrategyName } from './types.js';

export const DEFAULTS = {
  count: 10,
  concurrency: [5],
  /** workers is chosen with -s, never by default. */
  strategies: ['sequential', 'all', 'bounded'] as StrategyName[],
  timeoutMs: 10_000,
  language: 'en-US',
  runs: 1,
  warmup: 0,
  retries: 0,
  maxRedirects: 5,
  /** -c auto: requests the whole search may make. */
  maxRequests: 2_000,
  /** --max-regression left out: a baseline fails beyond this slowdown, %. */
  maxRegressionPct: 10,
} as const;
