/**
 * The request model: what one request of the workload is (method, URL, headers, body), and a
 * source that yields the request at each index, the same for every strategy. Pure, no I/O.
 */
import { UsageError } from './errors.js';
import { createRandom, randomInt } from './random.js';

export interface RequestSpec {
  /** Upper-case HTTP method. */
  method: string;
  url: string;
  /** This request's own headers (lower-case names), sent over the run's; null when it has none. */
  headers: Readonly<Record<string, string>> | null;
  body: Buffer | string | null;
}

/** What a run's requests look like, for the report: never a header value, never a body. */
export interface RequestShape {
  /** Requests per method, for one strategy run. */
  methods: Record<string, number>;
  /** Whether any request carried a body. */
  bodies: boolean;
  /** Body bytes over one strategy run. */
  bodyBytes: number;
}

/** The requests of one strategy run: index 0..count-1, computed on demand, deterministic. */
export interface RequestSource {
  readonly count: number;
  at(index: number): RequestSpec;
  /** The method of request `index`, without building the request. */
  methodAt(index: number): string;
  shape(): RequestShape;
  /** What the source is made from, as plain data: rebuilt by sourceFromRecipe on another thread. */
  readonly recipe?: RequestRecipe;
}

/** A request source as plain (structured-cloneable) data: a worker thread rebuilds the same requests from it. */
export type RequestRecipe =
  | { kind: 'urls'; urls: readonly string[]; shared: Omit<RequestSpec, 'url'>; count: number; seed: number }
  | { kind: 'specs'; specs: readonly RequestSpec[]; count: number; seed: number; literal: boolean };

/** A body that crossed to another thread arrives as a Uint8Array: a Buffer again, same bytes. */
const asBody = (body: Buffer | Uint8Array | string | null): Buffer | string | null =>
  body === null || typeof body === 'string' || Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

/** The source a recipe describes, the same requests at every index as the one it came from. */
export function sourceFromRecipe(recipe: RequestRecipe): RequestSource {
  if (recipe.kind === 'urls') return urlListSource(recipe.urls, { ...recipe.shared, body: asBody(recipe.shared.body) }, recipe.count, recipe.seed);
  return specListSource(recipe.specs.map((spec) => ({ ...spec, body: asBody(spec.body) })), recipe.count, recipe.seed, recipe.literal);
}

/** Methods a client may send again without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}

/** Methods that never carry a body here (undici refuses one with them, or it has no meaning). */
export const BODILESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** "post" → "POST"; a usage error for anything that is not an HTTP token. */
export function parseMethod(text: string, where = '--method'): string {
  const method = text.trim().toUpperCase();
  if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(method)) throw new UsageError(`${where} must be an HTTP method such as GET, POST, PUT, PATCH or DELETE, got '${text}'`);
  if (method === 'CONNECT') throw new UsageError(`${where} CONNECT opens a tunnel and is not a request to measure`);
  return method;
}

// ---------------------------------------------------------------------------------------------
// Placeholders: {{seq}}, {{rand:MIN-MAX}}, {{uuid}}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)(?::([^}]*))?\s*\}\}/g;
/** Salted: the placeholders' numbers are drawn apart from the preset's ids and the jitter. */
const PLACEHOLDER_SALT = 0x68e31da4;

export function hasPlaceholders(text: string): boolean {
  return text.includes('{{');
}

/**
 * Checks every placeholder in `text`: a usage error names an unknown one or a bad range.
 * Returns the text with each replaced by a neutral stand-in (for validating a URL template).
 */
export function checkPlaceholders(text: string, where: string): string {
  return text.replace(PLACEHOLDER, (whole, name: string, arg: string | undefined) => {
    const key = name.toLowerCase();
    if (key === 'seq' && arg === undefined) return '0';
    if (key === 'uuid' && arg === undefined) return '00000000-0000-4000-8000-000000000000';
    if (key === 'rand') {
      const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(arg ?? '');
      if (!range || Number(range[1]) > Number(range[2]) || !Number.isSafeInteger(Number(range[2]))) {
        throw new UsageError(`${where}: {{rand:MIN-MAX}} needs a range of whole numbers from low to high, got '${whole}'`);
      }
      return range[1]!;
    }
    throw new UsageError(`${where}: unknown placeholder '${whole}'; use {{seq}}, {{rand:MIN-MAX}} or {{uuid}}`);
  });
}

/** A version 4 UUID from the generator (four 32-bit draws). */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 4 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The placeholders of request `index` filled in: a pure function of seed and index, so every
 * strategy sends the same requests without any being stored. One generator per request, drawn
 * in order over URL, headers, then body.
 */
export function expandRequest(spec: RequestSpec, seed: number, index: number): RequestSpec {
  let random: (() => number) | null = null;
  const draw = (): (() => number) => (random ??= createRandom((seed ^ PLACEHOLDER_SALT ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0));
  const fill = (text: string): string =>
    hasPlaceholders(text)
      ? text.replace(PLACEHOLDER, (_whole, name: string, arg: string | undefined) => {
          const key = name.toLowerCase();
          if (key === 'seq') return String(index);
          if (key === 'uuid') return uuidFrom(draw());
          const [min, max] = (arg ?? '0-0').split('-').map((n) => Number(n.trim()));
          return String(randomInt(draw(), min!, max!));
        })
      : text;
  let headers = spec.headers;
  if (headers !== null && Object.values(headers).some(hasPlaceholders)) {
    const filled: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) filled[name] = fill(value);
    headers = filled;
  }
  return { method: spec.method, url: fill(spec.url), headers, body: typeof spec.body === 'string' ? fill(spec.body) : spec.body };
}

function specHasPlaceholders(spec: Omit<RequestSpec, 'url'>): boolean {
  return (typeof spec.body === 'string' && hasPlaceholders(spec.body)) || (spec.headers !== null && Object.values(spec.headers).some(hasPlaceholders));
}

const bodyBytes = (body: Buffer | string | null): number => (body === null ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length);

/** Counts over `count` requests, by walking them (only for sources whose bodies vary). */
function walkShape(source: Pick<RequestSource, 'count' | 'at'>): RequestShape {
  const shape: RequestShape = { methods: {}, bodies: false, bodyBytes: 0 };
  for (let i = 0; i < source.count; i++) {
    const spec = source.at(i);
    shape.methods[spec.method] = (shape.methods[spec.method] ?? 0) + 1;
    if (spec.body !== null) {
      shape.bodies = true;
      shape.bodyBytes += bodyBytes(spec.body);
    }
  }
  return shape;
}

/**
 * A URL list (or a preset's URLs) with one shared method, headers and body: `count` requests
 * cycling through the URLs. Only the URL strings are stored, not a request per URL.
 */
export function urlListSource(urls: readonly string[], shared: Omit<RequestSpec, 'url'>, count: number, seed: number): RequestSource {
  const n = urls.length;
  const templated = specHasPlaceholders(shared) || urls.some(hasPlaceholders);
  const at = (index: number): RequestSpec => {
    const spec: RequestSpec = { method: shared.method, url: urls[index % n]!, headers: shared.headers, body: shared.body };
    return templated ? expandRequest(spec, seed, index) : spec;
  };
  return {
    count: n === 0 ? 0 : count,
    at,
    recipe: { kind: 'urls', urls, shared, count, seed },
    methodAt: () => shared.method,
    shape() {
      const total = n === 0 ? 0 : count;
      if (typeof shared.body === 'string' && hasPlaceholders(shared.body)) return walkShape({ count: total, at });
      return { methods: total === 0 ? {} : { [shared.method]: total }, bodies: shared.body !== null && total > 0, bodyBytes: bodyBytes(shared.body) * total };
    },
  };
}

/**
 * Requests read one by one (a request file, a HAR): `count` requests cycling through them.
 * `literal` (a HAR recording) sends "{{…}}" as written.
 */
export function specListSource(specs: readonly RequestSpec[], count: number, seed: number, literal = false): RequestSource {
  const n = specs.length;
  const templated = specs.map((s) => !literal && (hasPlaceholders(s.url) || specHasPlaceholders(s)));
  const source: RequestSource = {
    count: n === 0 ? 0 : count,
    recipe: { kind: 'specs', specs, count, seed, literal },
    at(index) {
      const k = index % n;
      return templated[k] ? expandRequest(specs[k]!, seed, index) : specs[k]!;
    },
    methodAt: (index) => specs[index % n]!.method,
    shape: () => walkShape(source),
  };
  return source;
}
