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

/**
 * The URL as typed, with user info (user:password@, with or without a scheme) and the values
 * of secret query or fragment parameters replaced by ***. Works on text, so even a malformed
 * URL never shows its secrets.
 */
export function redactUrl(text: string): string {
  return hideUserInfo(text).replace(/([?&#;])([^=&#;\s]+)=([^&#;\s]*)/g, (m, sep: string, key: string) =>
    isSecretParam(safeDecode(key)) ? `${sep}${key}=${REDACTED}` : m,
  );
}

/**
 * Everything before the last "@" of the authority becomes ***: URL parsers take the last one
 * as the end of the user info, so a password may itself contain "@" (and one slash, or none,
 * after the scheme still counts).
 */
function hideUserInfo(text: string): string {
  const prefix = /^\s*(?:[a-z][a-z0-9+.-]*:)?\/*/i.exec(text)?.[0] ?? '';
  const rest = text.slice(prefix.length);
  const end = rest.search(/[/?#\\]/);
  const at = (end === -1 ? rest : rest.slice(0, end)).lastIndexOf('@');
  return at === -1 ? text : `${prefix}${REDACTED}${rest.slice(at)}`;
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
