import type { LatencyModel } from '../core/types.js';

export interface BuildUrlsInput {
  count: number;
  seed: number;
  /** The live base URL, or the fixture server's with --offline. */
  baseUrl: string;
}

/** A named, ready-made workload: where it lives, what it fetches, how the offline server models it. */
export interface Preset {
  name: string;
  liveBaseUrl: string;
  /** What it fetches, in a few words. */
  description: string;
  needsKey: boolean;
  /** The fixture server's delay model when --latency is not given. */
  defaultLatency: LatencyModel;
  /** The URLs each strategy requests, in order. */
  buildUrls(input: BuildUrlsInput): string[];
  /** One line about what came back, from the first response bodies; null when none could be read. */
  sample(bodies: readonly string[]): string | null;
}

/** Parses each body as JSON and keeps what `pick` returns, skipping bodies that do not parse. */
export function pickFromBodies<T>(bodies: readonly string[], pick: (value: unknown) => T | undefined): T[] {
  const picked: T[] = [];
  for (const body of bodies) {
    try {
      const value = pick(JSON.parse(body) as unknown);
      if (value !== undefined) picked.push(value);
    } catch {
      // A body that is not JSON has nothing to show; the request's status already tells its story.
    }
  }
  return picked;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text cut to at most `max` characters, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
