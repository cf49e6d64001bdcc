/** Secrets never reach output: these header and query names are shown as ***. */

export const REDACTED = '***';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token']);
const SECRET_PARAMS = new Set(['api_key', 'apikey', 'key', 'token', 'servicekey', 'access_token', 'auth', 'password', 'secret', 'signature', 'sig', 'client_secret']);

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

export function isSecretParam(name: string): boolean {
  return SECRET_PARAMS.has(name.toLowerCase());
}

/** The URL with user info and secret query values replaced by ***; unparseable text is cut to its scheme and host-like part. */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL: still hide anything that looks like user:password@ or a secret parameter.
    return text
      .replace(/\/\/[^/@\s]*@/, `//${REDACTED}@`)
      .replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (m, sep: string, k: string) => (isSecretParam(k) ? `${sep}${k}=${REDACTED}` : m));
  }
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  let query = '';
  if (url.search) {
    // Rebuilt by hand so that *** stays readable instead of being percent-encoded.
    query = '?' + url.search.slice(1).split('&').map((pair) => {
      const eq = pair.indexOf('=');
      const key = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
      return eq !== -1 && isSecretParam(key) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    }).join('&');
    url.search = '';
  }
  const base = url.href.replace(/%2A%2A%2A/g, REDACTED);
  const hashAt = base.indexOf('#');
  return hashAt === -1 ? base + query : base.slice(0, hashAt) + query + base.slice(hashAt);
}

/** A header line as it may be shown: secret values become ***. */
export function redactHeader(name: string, value: string): string {
  return `${name}: ${isSecretHeader(name) ? REDACTED : value}`;
}

/** Replaces every occurrence of the given secret strings in text (a last line of defence). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out;
}
