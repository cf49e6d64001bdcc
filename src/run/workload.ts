import { UsageError } from '../core/errors.js';
import type { RequestOutcome } from '../core/types.js';
import { describeFaults, hasFaults } from '../fixture-server/faults.js';
import { formatLatency } from '../fixture-server/latency.js';
import { startFixtureServer, type FixtureServerHandle } from '../fixture-server/start.js';
import { createHttpClient } from '../http/client.js';
import type { Preset, SetupStage } from '../targets/preset.js';
import type { Target } from '../targets/resolve.js';
import { isScrubbable, secretsInHeaders, secretsInUrl, type RedactionPolicy } from '../core/redact.js';
import { readApiKey } from './api-key.js';
import { transportSettings, type RunOptions } from './settings.js';

/** What the strategies will fetch, decided before the first of them starts. */
export interface Workload {
  urls: string[];
  /** Headers for every request: the preset's (auth) and the user's. */
  headers: Record<string, string>;
  /** Where the requests go, for the heading: "offline (100-400 ms)" or "live pokeapi.co". */
  where: string;
  setup?: SetupStage;
  /** Secret strings (keys, tokens) that must never be printed. */
  secrets: string[];
  server: FixtureServerHandle | null;
}

/** Combinations that make no sense, refused before anything starts. */
export function checkCombination(options: RunOptions, target: Target): void {
  if (target.kind === 'urls') {
    if (options.offline) throw new UsageError('--offline serves a preset from the built-in server; it does not apply to URLs');
    if (options.countGiven) throw new UsageError('--count applies to presets; a URL list is used as given');
  }
  if (!options.offline) {
    if (options.latency !== null) throw new UsageError("--latency sets the built-in server's delay and needs --offline");
    if (options.faultsGiven) throw new UsageError('--error-rate, --rate-limit, --max-inflight and --capacity shape the built-in server and need --offline');
  }
  if (options.languageGiven && !(target.kind === 'preset' && target.preset.name === 'tmdb')) {
    throw new UsageError('--language applies to the tmdb preset only');
  }
}

/** The preset's key, or a usage error that says how to set it (never needed offline). */
export function presetKey(preset: Preset, offline: boolean): string | null {
  if (preset.keyVariable === null) return null;
  const key = readApiKey(preset.keyVariable);
  if (key === null && !offline) {
    throw new UsageError(
      `${preset.name} needs an API key: set ${preset.keyVariable} (export ${preset.keyVariable}=… or a line in .env), or add --offline to use the built-in server`,
    );
  }
  return key;
}

/** "a.example, b.example, …": the first three hosts of a URL list (validated, so cheap to slice). */
function describeHosts(urls: readonly string[]): string {
  const hosts = new Set<string>();
  for (const url of urls) {
    const start = url.indexOf('//') + 2;
    const end = url.indexOf('/', start);
    hosts.add(url.slice(start, end === -1 ? undefined : end).replace(/^.*@/, ''));
    if (hosts.size > 3) break;
  }
  const list = [...hosts];
  return list.slice(0, 3).join(', ') + (list.length > 3 ? ', …' : '');
}

/**
 * Every secret string the requests carry, to scrub from whatever is printed: the key, the
 * values of secret headers (the preset's and the user's), and the user info and secret
 * parameter values of the URLs. A URL list may carry a token per line: the set keeps each once.
 */
function collectSecrets(urls: readonly string[], headers: Record<string, string>, apiKey: string | null, redaction: RedactionPolicy): string[] {
  const secrets = new Set<string>(secretsInHeaders(headers, redaction));
  if (apiKey !== null) secrets.add(apiKey);
  for (const url of urls) {
    // Most URLs carry nothing secret; only these characters start user info or a parameter.
    if (/[@?#;]/.test(url)) for (const secret of secretsInUrl(url, redaction)) secrets.add(secret);
  }
  return [...secrets].filter(isScrubbable);
}

/**
 * Starts the fixture server when offline and asks the preset for its URLs (running its
 * setup stage, if it has one). Problems with the user's input surface as usage errors first.
 */
export async function prepareWorkload(
  target: Target,
  options: RunOptions,
  seed: number,
  apiKey: string | null,
  signal: AbortSignal,
  redaction: RedactionPolicy,
  caPem: string | null = null,
): Promise<Workload> {
  if (target.kind === 'urls') {
    const where = `live ${describeHosts(target.urls)}`;
    const secrets = collectSecrets(target.urls, options.headers, null, redaction);
    return { urls: target.urls, headers: options.headers, where, secrets, server: null };
  }
  const { preset } = target;
  let server: FixtureServerHandle | null = null;
  let baseUrl = preset.liveBaseUrl;
  let where = `live ${new URL(baseUrl).host}`;
  if (options.offline) {
    const latency = options.latency ?? preset.defaultLatency;
    server = await startFixtureServer({ latency, seed, faults: options.faults });
    baseUrl = server.baseUrl;
    where = `offline (${formatLatency(latency)}${hasFaults(options.faults) ? `; ${describeFaults(options.faults)}` : ''})`;
  }
  try {
    const stageClient = createHttpClient({ timeoutMs: options.timeoutMs, signal, maxRedirects: options.maxRedirects, transport: transportSettings(options, caPem) });
    let plan;
    try {
      plan = await preset.plan({
        count: options.count,
        seed,
        baseUrl,
        apiKey,
        language: options.language,
        fetchText: (url, headers): Promise<RequestOutcome> =>
          stageClient.fetch(url, true, { ...headers, ...options.headers }),
      });
    } finally {
      await stageClient.close();
    }
    const headers = { ...plan.headers, ...options.headers };
    const workload: Workload = { urls: plan.urls, headers, where, secrets: collectSecrets(plan.urls, headers, apiKey, redaction), server };
    if (plan.setup) workload.setup = plan.setup;
    return workload;
  } catch (err) {
    await server?.stop();
    throw err;
  }
}
