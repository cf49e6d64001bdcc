/**
 * A run's workload as a script for another load tool (k6, Locust) describes it: the requests,
 * the strategies, the thresholds it can carry, and the variables it reads from the environment
 * instead of writing a secret. Pure: the renderers (k6.ts, locust.ts) turn it into text.
 */
import type { StrategySpec } from '../core/benchmark.js';
import { isSecretHeader, secretFieldsInBody, secretParams, type RedactionPolicy } from '../core/redact.js';
import type { RequestSpec } from '../core/request.js';
import { resultKey } from '../core/result-label.js';
import type { Threshold } from '../core/thresholds.js';
import type { StrategyName } from '../core/types.js';

/** Script text: literal pieces and the variables between them ("Bearer " + TMDB_API_KEY). */
export type ScriptText = ReadonlyArray<string | { variable: string }>;

export interface ScriptVariable {
  /** The environment variable's name, also the script's name for it. */
  name: string;
  /** What it holds, for the file's comment: "the tmdb API key". */
  description: string;
  /** Used when the variable is unset; null: it must be set (a secret). */
  fallback: string | null;
}

export interface ScriptRequest {
  method: string;
  url: ScriptText;
  /** The request's own headers, sent over the shared ones. */
  headers: ReadonlyArray<readonly [string, ScriptText]>;
  body: { text: ScriptText } | { base64: string } | null;
}

export interface ScriptStrategy {
  /** A name both tools accept: sequential, all, bounded_c8. */
  id: string;
  /** How thresholds and reports name it: sequential, all, bounded@8. */
  key: string;
  strategy: StrategyName;
  /** bounded's C (1 for sequential, null for all). */
  concurrency: number | null;
  /** Requests in flight at most: 1, every request (all), or C (never more than the requests). */
  inFlight: number;
}

/** A check the script carries: one expression, against the strategies it names. */
export interface ScriptThreshold {
  expr: string;
  threshold: Threshold;
  /** Ids of the strategies it applies to. */
  strategies: readonly string[];
}

export interface Scenario {
  /** "async-bench 0.1.0" */
  tool: string;
  /** The command that wrote the script, secrets shown as ***. */
  command: string;
  variables: readonly ScriptVariable[];
  /** Headers on every request. */
  headers: ReadonlyArray<readonly [string, ScriptText]>;
  requests: readonly ScriptRequest[];
  strategies: readonly ScriptStrategy[];
  thresholds: readonly ScriptThreshold[];
  /** --fail-on-error: any failed request fails the run. */
  failOnError: boolean;
  timeoutMs: number;
  maxRedirects: number;
  insecure: boolean;
  keepAlive: boolean;
  /** Settings of the run the scripts leave out, each in a line ("--retries 2: neither tool retries"). */
  notCarried: readonly string[];
}

/** What the scenario is built from: the run's settings it carries as they are, and the rest raw. */
export interface ScenarioInput extends Pick<Scenario, 'tool' | 'command' | 'failOnError' | 'timeoutMs' | 'maxRedirects' | 'insecure' | 'keepAlive' | 'notCarried'> {
  /** Every request of one strategy run, in order, placeholders filled in. */
  requests: readonly RequestSpec[];
  /** Headers on every request (a preset's and the user's). */
  headers: Readonly<Record<string, string>>;
  strategies: readonly StrategySpec[];
  thresholds: readonly Threshold[];
  /** A preset's base URL: URLs under it start with BASE_URL, which the script lets the environment change. */
  baseUrl: string | null;
  /** A preset's key and the variable that holds it (TMDB_API_KEY). */
  apiKey: { value: string; variable: string; description: string } | null;
  redaction: RedactionPolicy;
  /** Every secret string the run knows of (values, and their parts and decoded forms): none may be written. */
  secrets: readonly string[];
}

/** The name of the variable that stands for a preset's base URL. */
export const BASE_URL_VARIABLE = 'BASE_URL';

/** "x-api-key" → "X_API_KEY": a name both shells and both scripts accept. */
export function variableName(text: string): string {
  const name = text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (name === '') return 'SECRET';
  return /^\d/.test(name) ? `_${name}` : name;
}

interface Candidate {
  value: string;
  name: string;
  description: string;
}

/** Where each secret is first found, in the order that names them best: the preset's key, headers, URL parameters and user info, bodies, anything else. */
function secretCandidates(input: ScenarioInput): Candidate[] {
  const found: Candidate[] = [];
  if (input.apiKey) found.push({ value: input.apiKey.value, name: input.apiKey.variable, description: input.apiKey.description });
  const headerSets = [input.headers, ...input.requests.map((r) => r.headers ?? {})];
  for (const headers of headerSets) {
    for (const [name, value] of Object.entries(headers)) {
      if (isSecretHeader(name, input.redaction)) found.push({ value, name: variableName(name), description: `the ${name.toLowerCase()} header` });
    }
  }
  for (const { url } of input.requests) {
    for (const { name, value } of secretParams(url, input.redaction)) found.push({ value, name: variableName(name), description: `the ${name} query parameter` });
    const at = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url);
    if (at) {
      const colon = at[1]!.indexOf(':');
      const user = colon === -1 ? at[1]! : at[1]!.slice(0, colon);
      if (user !== '') found.push({ value: user, name: 'URL_USER', description: 'the user name in the URLs' });
      if (colon !== -1 && colon < at[1]!.length - 1) found.push({ value: at[1]!.slice(colon + 1), name: 'URL_PASSWORD', description: 'the password in the URLs' });
    }
  }
  for (const { body } of input.requests) {
    for (const { name, value } of secretFieldsInBody(body, input.redaction)) found.push({ value, name: variableName(name), description: `the ${name} field of a request body` });
  }
  for (const value of input.secrets) found.push({ value, name: 'SECRET', description: 'a secret of the requests' });
  return found;
}

/**
 * The secrets to write as variables: each value once, each name once (X_TOKEN, then X_TOKEN_2
 * for a second value). A value that is a scheme word around one already chosen is left to it:
 * "Bearer KEY" is written "Bearer " + TMDB_API_KEY.
 */
function chooseSecrets(candidates: readonly Candidate[]): Candidate[] {
  const chosen: Candidate[] = [];
  const names = new Set<string>([BASE_URL_VARIABLE]);
  for (const c of candidates) {
    if (c.value === '' || chosen.some((o) => o.value === c.value)) continue;
    const rest = chosen.reduce((text, o) => text.split(o.value).join(''), c.value);
    if (rest !== c.value && /^[A-Za-z-]*\s*$/.test(rest)) continue;
    let name = c.name;
    for (let n = 2; names.has(name); n++) name = `${c.name}_${n}`;
    names.add(name);
    chosen.push({ ...c, name });
  }
  return chosen;
}

/** The text with every secret replaced by its variable (longest first); literal pieces stay as they are. */
function substitute(text: string, secrets: readonly Candidate[]): Array<string | { variable: string }> {
  const parts: Array<string | { variable: string }> = [];
  let literal = '';
  for (let i = 0; i < text.length; ) {
    const hit = secrets.find((s) => text.startsWith(s.value, i));
    if (hit) {
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push({ variable: hit.name });
      i += hit.value.length;
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

const usedVariables = (text: ScriptText, into: Set<string>): void => {
  for (const part of text) if (typeof part !== 'string') into.add(part.variable);
};

/** A body as text when it is UTF-8 (secrets then become variables), else as base64. */
function bodyOf(body: Buffer | string | null, textOf: (text: string) => ScriptText): ScriptRequest['body'] {
  if (body === null) return null;
  if (typeof body === 'string') return { text: textOf(body) };
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body) ? { text: textOf(text) } : { base64: body.toString('base64') };
}

/** A strategy as the scripts name it. */
export function scriptStrategy(spec: StrategySpec, requests: number): ScriptStrategy {
  const id = spec.strategy === 'bounded' ? `bounded_c${spec.concurrency}` : spec.strategy;
  const inFlight = spec.strategy === 'sequential' ? 1 : spec.strategy === 'all' ? requests : Math.min(spec.concurrency ?? 1, requests);
  return { id, key: resultKey(spec), strategy: spec.strategy, concurrency: spec.concurrency, inFlight: Math.max(1, inFlight) };
}

/** Which strategies a threshold checks: the one it names (a limit, or every bounded one), or all of them. */
function thresholdTargets(t: Threshold, strategies: readonly ScriptStrategy[], specs: readonly StrategySpec[]): string[] {
  return strategies
    .filter((s, i) => (t.strategy === null || t.strategy === s.strategy) && (t.concurrency === null || t.concurrency === specs[i]!.concurrency))
    .filter((s) => !(t.metric === 'speedup' && s.strategy === 'sequential'))
    .map((s) => s.id);
}

export function buildScenario(input: ScenarioInput): Scenario {
  const chosen = chooseSecrets(secretCandidates(input));
  const secrets = [...chosen].sort((a, b) => b.value.length - a.value.length);
  const used = new Set<string>();
  const textOf = (text: string): ScriptText => {
    const parts = substitute(text, secrets);
    usedVariables(parts, used);
    return parts;
  };
  const urlOf = (url: string): ScriptText => {
    if (input.baseUrl !== null && url.startsWith(input.baseUrl)) {
      used.add(BASE_URL_VARIABLE);
      return [{ variable: BASE_URL_VARIABLE }, ...textOf(url.slice(input.baseUrl.length))];
    }
    return textOf(url);
  };
  const headersOf = (headers: Readonly<Record<string, string>> | null): Array<readonly [string, ScriptText]> =>
    Object.entries(headers ?? {}).map(([name, value]) => [name, textOf(value)] as const);
  const shared = headersOf(input.headers);
  const requests = input.requests.map((r): ScriptRequest => ({ method: r.method, url: urlOf(r.url), headers: headersOf(r.headers), body: bodyOf(r.body, textOf) }));
  const strategies = input.strategies.map((spec) => scriptStrategy(spec, input.requests.length));
  const variables: ScriptVariable[] = [];
  if (used.has(BASE_URL_VARIABLE) && input.baseUrl !== null) variables.push({ name: BASE_URL_VARIABLE, description: "where the preset's paths are sent", fallback: input.baseUrl });
  // In the order they were found, so that the preset's key comes first.
  for (const s of chosen) if (used.has(s.name)) variables.push({ name: s.name, description: s.description, fallback: null });
  return {
    tool: input.tool,
    command: input.command,
    variables,
    headers: shared,
    requests,
    strategies,
    thresholds: input.thresholds.map((t) => ({ expr: t.expr, threshold: t, strategies: thresholdTargets(t, strategies, input.strategies) })),
    failOnError: input.failOnError,
    timeoutMs: input.timeoutMs,
    maxRedirects: input.maxRedirects,
    insecure: input.insecure,
    keepAlive: input.keepAlive,
    notCarried: input.notCarried,
  };
}

/**
 * How long a strategy may take when every request times out: the slot a script gives it
 * before the next strategy starts (requests go out `inFlight` at a time).
 */
export function slotMs(strategy: ScriptStrategy, requests: number, timeoutMs: number): number {
  return Math.ceil(requests / strategy.inFlight) * timeoutMs + 1_000;
}
