/**
 * Proxy variables are not honoured yet: requests always go direct. A user behind a proxy would
 * otherwise see only dns or connect failures, so the CLI names the variable it ignores.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** The variables a request would use, by scheme, the upper-case name first (curl's order of preference differs; either is reported). */
const VARIABLES: Readonly<Record<string, readonly string[]>> = {
  'https:': ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy'],
  'http:': ['HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'],
};

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

/**
 * The first proxy variable set for any of these URLs that NO_PROXY does not exempt, e.g.
 * "HTTPS_PROXY"; null when none applies. Each origin is looked at once.
 */
export function ignoredProxyVariable(env: Env, urls: Iterable<string>): string | null {
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
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
    const name = (VARIABLES[parsed.protocol] ?? []).find((v) => (env[v] ?? '').trim() !== '');
    if (name === undefined) continue;
    const port = parsed.port !== '' ? parsed.port : parsed.protocol === 'https:' ? '443' : '80';
    if (!noProxyCovers(noProxy, parsed.hostname, port)) return name;
  }
  return null;
}

/** The one stderr line about it. */
export function ignoredProxyWarning(variable: string): string {
  return `async-bench: ${variable} is set but not used yet: requests go direct`;
}
