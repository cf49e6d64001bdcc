import { createRandom, randomInt } from '../core/random.js';
import { cleanServerText } from '../core/sanitize.js';
import type { SetupResult } from '../core/report.js';
import type { LatencyModel, RequestOutcome } from '../core/types.js';

export interface BuildUrlsInput {
  count: number;
  seed: number;
  /** The live base URL, or the fixture server's with --offline. */
  baseUrl: string;
}

export interface PlanInput extends BuildUrlsInput {
  /** The preset's API key or token when it needs one (a placeholder offline). */
  apiKey: string | null;
  /** Response language for APIs that have one (tmdb), e.g. "en-US". */
  language: string;
  /** GETs one URL with the run's client settings and keeps its body: for a setup stage. */
  fetchText(url: string, headers: Record<string, string>): Promise<RequestOutcome>;
}

/** A stage that runs once before the strategies (tmdb's now-playing list). */
export type SetupStage = SetupResult;

export interface PresetPlan {
  /** The URLs each strategy requests, in order (empty when the setup stage failed). */
  urls: string[];
  /** Headers the preset needs on every request (e.g. Authorization). */
  headers: Record<string, string>;
  setup?: SetupStage;
}

/** A named, ready-made workload: where it lives, what it fetches, how the offline server models it. */
export interface Preset {
  name: string;
  liveBaseUrl: string;
  /** What it fetches, in a few words. */
  description: string;
  /** The environment variable holding its key, when it needs one. */
  keyVariable: string | null;
  /** The fixture server's delay model when --latency is not given. */
  defaultLatency: LatencyModel;
  /** How many response bodies (the first ones of the first strategy) the sample line reads. */
  sampleSize: number;
  /** Everything the strategies will request, found before they start. */
  plan(input: PlanInput): Promise<PresetPlan>;
  /** One line about what came back, from the kept response bodies; null when none could be read. */
  sample(bodies: readonly string[]): string | null;
  /** One hint line for a 401 from this API. */
  unauthorizedHint?: string;
  /**
   * For -X with a method other than GET/HEAD: the URLs to send it to and a body template
   * (placeholders allowed) when -d gives none. Presets without it send the method to their URLs.
   */
  writes?(method: string, input: BuildUrlsInput): PresetWrites;
}

export interface PresetWrites {
  urls: string[];
  body: string | null;
  contentType: string | null;
}

/** A preset whose URLs follow from count and seed alone, with no setup stage. */
export interface SimplePreset extends Preset {
  buildUrls(input: BuildUrlsInput): string[];
}

/** `count` ids drawn uniformly from 1..max, the same for the same seed. */
export function randomIds(count: number, seed: number, max: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => randomInt(random, 1, max));
}

export function simplePreset(definition: Omit<SimplePreset, 'plan'>): SimplePreset {
  return { ...definition, plan: async (input) => ({ urls: definition.buildUrls(input), headers: {} }) };
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

/** A string field of a server's JSON, safe to print (no control characters); undefined when it is not a string. */
export function serverText(value: unknown): string | undefined {
  return typeof value === 'string' ? cleanServerText(value) : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text cut to at most `max` characters, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
