/**
 * Secrets never reach output: the values of secret headers and query (or fragment) parameters
 * are shown as ***, and their values are scrubbed from every printed string.
 */

export const REDACTED = '***';

/** A header or parameter whose name contains one of these words (any case) is secret. */
export const SECRET_NAME_WORDS = ['key', 'token', 'secret', 'auth', 'password', 'passwd', 'signature', 'session', 'credential', 'jwt'] as const;
const SECRET_WORD = new RegExp(SECRET_NAME_WORDS.join('|'), 'i');
/**
 * Names that are secret without containing one of the words: cookies, `sig` (a signature: too
 * short to match as a part of a word such as "design"), `appid` (OpenWeatherMap's API key) and `pwd`.
 */
const SECRET_NAMES: ReadonlySet<string> = new Set(['cookie', 'set-cookie', 'sig', 'appid', 'pwd']);

/** Which names are secret: the built-in words and names, plus the user's own (`--redact`). */
export interface RedactionPolicy {
  /** Further names, lower case, matched whole (a header or a query parameter). */
  readonly names: ReadonlySet<string>;
}

/** The policy with no names of the user's. */
export const DEFAULT_REDACTION: RedactionPolicy = { names: new Set() };

export function redactionPolicy(extraNames: Iterable<string> = []): RedactionPolicy {
  return { names: new Set([...extraNames].map((name) => name.trim().toLowerCase())) };
}

/** Whether a header or parameter of this name holds a secret. */
export function isSecretName(name: string, policy: RedactionPolicy = DEFAULT_REDACTION): boolean {
  const lower = name.toLowerCase();
  return SECRET_WORD.test(lower) || SECRET_NAMES.has(lower) || policy.names.has(lower);
}

export const isSecretHeader = isSecretName;

/** A parameter name as typed (perhaps percent-encoded) is secret when its decoded form is. */
export function isSecretParam(name: string, policy: RedactionPolicy = DEFAULT_REDACTION): boolean {
  return isSecretName(name, policy) || isSecretName(safeDecode(name), policy);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** name=value pairs of a query or a fragment ("#access_token=…" as OAuth's implicit flow sends it). */
const PARAM = /([?&#;])([^=&#;\s]+)=([^&#;\s]*)/g;

/**
 * The URL as typed, with user info (user:password@, with or without a scheme) and the values
 * of secret query or fragment parameters replaced by ***. Works on text, so even a malformed
 * URL never shows its secrets.
 */
export function redactUrl(text: string, policy: RedactionPolicy = DEFAULT_REDACTION): string {
  return hideUserInfo(text).replace(PARAM, (m, sep: string, key: string) => (isSecretParam(key, policy) ? `${sep}${key}=${REDACTED}` : m));
}

/**
 * The secret strings a URL carries, to scrub from printed text: its user info and the values
 * of its secret parameters, as typed and percent-decoded.
 */
export function secretsInUrl(text: string, policy: RedactionPolicy = DEFAULT_REDACTION): string[] {
  const found: string[] = [];
  const userinfo = userInfoOf(text);
  if (userinfo !== null) {
    const colon = userinfo.indexOf(':');
    for (const part of colon === -1 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]) found.push(part, safeDecode(part));
  }
  for (const [, , key, value] of text.matchAll(PARAM)) {
    if (value !== undefined && key !== undefined && isSecretParam(key, policy)) found.push(value, safeDecode(value));
  }
  return found;
}

/** The secret query or fragment parameters of a URL as typed: each name (decoded) and value (as written). */
export function secretParams(text: string, policy: RedactionPolicy = DEFAULT_REDACTION): Array<{ name: string; value: string }> {
  const found: Array<{ name: string; value: string }> = [];
  for (const [, , key, value] of text.matchAll(PARAM)) {
    if (key !== undefined && value !== undefined && value !== '' && isSecretParam(key, policy)) found.push({ name: safeDecode(key), value });
  }
  return found;
}

/**
 * Everything before the last "@" of the authority: URL parsers take the last one as the end
 * of the user info, so a password may itself contain "@" (and one slash, or none, after the
 * scheme still counts).
 */
function splitUserInfo(text: string): { prefix: string; userinfo: string; rest: string } | null {
  const prefix = /^\s*(?:[a-z][a-z0-9+.-]*:)?\/*/i.exec(text)?.[0] ?? '';
  const rest = text.slice(prefix.length);
  const end = rest.search(/[/?#\\]/);
  const at = (end === -1 ? rest : rest.slice(0, end)).lastIndexOf('@');
  return at === -1 ? null : { prefix, userinfo: rest.slice(0, at), rest: rest.slice(at) };
}

function userInfoOf(text: string): string | null {
  return splitUserInfo(text)?.userinfo ?? null;
}

function hideUserInfo(text: string): string {
  const parts = splitUserInfo(text);
  return parts === null ? text : `${parts.prefix}${REDACTED}${parts.rest}`;
}

/** A header line as it may be shown: secret values become ***. */
export function redactHeader(name: string, value: string, policy: RedactionPolicy = DEFAULT_REDACTION): string {
  return `${name}: ${isSecretHeader(name, policy) ? REDACTED : value}`;
}

/**
 * The secret strings among headers: the values of secret headers, and for "Bearer xyz" (any
 * scheme) the credentials alone too.
 */
export function secretsInHeaders(headers: Readonly<Record<string, string>>, policy: RedactionPolicy = DEFAULT_REDACTION): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (isSecretHeader(name, policy)) found.push(value, value.replace(/^\S+\s+/, ''));
  }
  return found;
}

/**
 * Whether a secret string can be replaced in printed text without breaking it: at least 4
 * characters, and not a word or a short number that the report itself prints ("true" in the
 * JSON, "1000" in a byte count). Such values are still shown as *** where their name is seen.
 */
export function isScrubbable(secret: string): boolean {
  if (secret.length < 4) return false;
  if (/^(?:true|false|null|none|undefined)$/i.test(secret)) return false;
  return !(/^[-+.,:\d\seE]*$/.test(secret) && secret.length < 10);
}

/** A cheap hash of 4 UTF-16 code units from `at`: candidates are looked up by it, then compared. */
function prefixHash(text: string, at: number): number {
  return (((text.charCodeAt(at) * 31 + text.charCodeAt(at + 1)) * 31 + text.charCodeAt(at + 2)) * 31 + text.charCodeAt(at + 3)) | 0;
}

/**
 * Replaces every occurrence of the given secret strings in text (a last line of defence). One
 * pass over the text whatever the number of secrets (a URL list may carry a token per line);
 * where two secrets start at the same place, the longer one is replaced.
 */
export function scrubSecrets(text: string, secrets: Iterable<string>): string {
  return secretScrubber(secrets)(text);
}

/** scrubSecrets with its table of secrets built once, for many texts against the same secrets. */
export function secretScrubber(secrets: Iterable<string>): (text: string) => string {
  const byPrefix = new Map<number, string[]>();
  const unique = [...new Set(secrets)].filter(isScrubbable).sort((a, b) => b.length - a.length);
  if (unique.length === 0) return (text) => text;
  for (const secret of unique) {
    const hash = prefixHash(secret, 0);
    const list = byPrefix.get(hash);
    if (list) list.push(secret);
    else byPrefix.set(hash, [secret]);
  }
  return (text) => {
    let out = '';
    let copied = 0;
    let i = 0;
    while (i + 4 <= text.length) {
      const hit = byPrefix.get(prefixHash(text, i))?.find((secret) => text.startsWith(secret, i));
      if (hit === undefined) {
        i++;
        continue;
      }
      out += text.slice(copied, i) + REDACTED;
      i += hit.length;
      copied = i;
    }
    return copied === 0 ? text : out + text.slice(copied);
  };
}

/** Bodies above this size are not searched for secrets (a file upload, not a form). */
const MAX_SCANNED_BODY = 1 << 20;

/**
 * The secret fields of a request body: string or number fields of secret name in a JSON body
 * (at any depth), or secret parameters of a form body (a=1&password=…), each name and value.
 */
export function secretFieldsInBody(body: Buffer | string | null, policy: RedactionPolicy = DEFAULT_REDACTION): Array<{ name: string; value: string }> {
  if (body === null || body.length > MAX_SCANNED_BODY) return [];
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const found: Array<{ name: string; value: string }> = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) {
        for (const [name, v] of Object.entries(value)) {
          if ((typeof v === 'string' || typeof v === 'number') && isSecretName(name, policy)) found.push({ name, value: String(v) });
          else walk(v);
        }
      }
    };
    try {
      walk(JSON.parse(text));
    } catch {
      // Not JSON after all (or a template whose placeholders are not filled in): nothing to find by name.
    }
    return found;
  }
  if (/^[^=&\s]+=/.test(trimmed)) {
    for (const [name, value] of new URLSearchParams(trimmed)) if (isSecretParam(name, policy) && value !== '') found.push({ name, value });
  }
  return found;
}

/** The secret values of a request body (see secretFieldsInBody). */
export function secretsInBody(body: Buffer | string | null, policy: RedactionPolicy = DEFAULT_REDACTION): string[] {
  return secretFieldsInBody(body, policy).map((field) => field.value);
}

/** A JSON member whose value is a string or a number: its name, the colon and the value. */
const JSON_MEMBER = /"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?[\d.][-+.\deE]*)/g;

/**
 * A request body as typed, as it may be shown (the command line that reproduces a run): the
 * values of secret fields of a JSON body (string or number, at any depth; a template with
 * placeholders too) or of secret parameters of a form body become ***.
 */
export function redactBodyText(text: string, policy: RedactionPolicy = DEFAULT_REDACTION): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return text.replace(JSON_MEMBER, (m, name: string, colon: string) => (isSecretName(name, policy) ? `"${name}"${colon}"${REDACTED}"` : m));
  }
  // A form body reads as a query without its "?".
  return redactUrl(`?${text}`, policy).slice(1);
}
