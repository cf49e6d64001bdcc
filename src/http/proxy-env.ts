/**
 * Which proxy a run's requests take, for the heading and the hints: the proxy variables are
 * honoured by undici's EnvHttpProxyAgent (transport.ts); this says what it will do.
 */
import type { ProxyChoice } from './transport.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether NO_PROXY (a list of hosts, .domains, host:port or *) covers this host and port. */
export function noProxyCovers(noProxy: string, hostname: string, port: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    // [::1]:8080, a bare IPv6 address (more than one colon, no port), or host[:port]
    const match = entry.startsWith('[') ? /^\[([^\]]*)\](?::(\d+))?$/.exec(entry) : (entry.match(/:/g) ?? []).length > 1 ? [entry, entry] : /^(.*?)(?::(\d+))?$/.exec(entry);
    const name = (match?.[1] ?? entry).replace(/^\*?\./, '');
    const entryPort = match?.[2];
    if (entryPort !== undefined && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

export interface ProxyVariable {
  name: string;
  value: string;
}

/**
 * The proxy for http and for https targets, as undici's EnvHttpProxyAgent picks them: the
 * lower-case variable before the upper-case one, https falling back to the http proxy; a
 * blank value is no proxy.
 */
export function proxyVariables(env: Env): { http: ProxyVariable | null; https: ProxyVariable | null } {
  const read = (lower: string, upper: string): ProxyVariable | null => {
    const name = env[lower] !== undefined ? lower : upper;
    const value = (env[name] ?? '').trim();
    return value === '' ? null : { name, value };
  };
  const http = read('http_proxy', 'HTTP_PROXY');
  return { http, https: read('https_proxy', 'HTTPS_PROXY') ?? http };
}

/** Every proxy URL this choice may use (their user info is secret, whatever the redaction names). */
export function proxyUrls(choice: ProxyChoice, env: Env): string[] {
  if (choice.kind === 'url') return [choice.url];
  if (choice.kind === 'none') return [];
  const { http, https } = proxyVariables(env);
  return [http, https].filter((v): v is ProxyVariable => v !== null).map((v) => v.value);
}

/** A proxy variable whose value is not an http(s) URL, as a sentence; null when all are usable. */
export function badProxyVariable(env: Env): string | null {
  const { http, https } = proxyVariables(env);
  for (const variable of [http, https]) {
    if (variable === null) continue;
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(variable.value).protocol);
    } catch {
      ok = false;
    }
    if (!ok) return `${variable.name} is not an http(s) proxy URL like http://proxy.example:3128; fix it, or add --no-proxy to ignore it`;
  }
  return null;
}

/** Where a run's requests go through a proxy: "host:port" (never credentials) and what chose it. */
export interface ActiveProxy {
  via: string;
  /** "--proxy", or the variable that named it (HTTPS_PROXY, http_proxy …). */
  source: string;
}

/** "proxy.example:3128" from a proxy URL, without its credentials; null when unreadable. */
export function proxyHost(url: string): string | null {
  try {
    const parsed = new URL(url.includes('://') ? url : `http://${url}`);
    return parsed.port !== '' ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  } catch {
    return null;
  }
}

/**
 * The proxy the first proxied URL's requests go through, or null when every one goes direct.
 * The variables as undici's EnvHttpProxyAgent reads them: lower case before upper case, https
 * falling back to the http proxy, NO_PROXY exempting hosts.
 */
export function activeProxy(choice: ProxyChoice, env: Env, urls: Iterable<string>): ActiveProxy | null {
  if (choice.kind === 'none') return null;
  if (choice.kind === 'url') {
    const via = proxyHost(choice.url);
    return via === null ? null : { via, source: '--proxy' };
  }
  const { http, https } = proxyVariables(env);
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  const seen = new Set<string>();
  for (const url of urls) {
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    const origin = slash === -1 ? url : url.slice(0, slash);
    if (seen.has(origin)) continue;
    seen.add(origin);
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      continue;
    }
    const variable = parsed.protocol === 'https:' ? https : http;
    if (variable === null) continue;
    const port = parsed.port !== '' ? parsed.port : parsed.protocol === 'https:' ? '443' : '80';
    if (noProxyCovers(noProxy, parsed.hostname, port)) continue;
    const via = proxyHost(variable.value);
    if (via !== null) return { via, source: variable.name };
  }
  return null;
}
