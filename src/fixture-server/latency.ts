import { hashString } from '../core/random.js';
import type { LatencyModel } from '../core/types.js';

export type { LatencyModel };

/**
 * The delay for one request. It depends only on the seed and the request's path, so every
 * strategy meets the same delay for the same URL: the comparison is like for like, and
 * the same --seed reproduces the run.
 */
export function delayFor(model: LatencyModel, seed: number, path: string): number {
  if (model.maxMs <= model.minMs) return model.minMs;
  const unit = hashString(path, seed) / 4294967296;
  return model.minMs + unit * (model.maxMs - model.minMs);
}

export function formatLatency(model: LatencyModel): string {
  return model.minMs === model.maxMs ? `${model.minMs} ms` : `${model.minMs}-${model.maxMs} ms`;
}
