/**
 * How requests reach a server: the connection pool (keep-alive or not), TLS trust, a proxy, and
 * a per-run DNS cache. Built once per client; the client only dispatches on what it gets here.
 */
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { buildConnector as BuildConnector, Agent as UndiciAgent, Dispatcher, EnvHttpProxyAgent as UndiciEnvHttpProxyAgent, ProxyAgent as UndiciProxyAgent } from 'undici';
import buildConnector from 'undici/lib/core/connect.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import { NegotiatingPool, type HttpVersion } from './negotiate.js';
import { proxyVariables } from './proxy-env.js';

/** A resolver with dns.lookup's signature; tests inject one for names that must not reach real DNS. */
export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** Where requests go: the proxy variables (undici's EnvHttpProxyAgent rules), a given proxy, or direct. */
export type ProxyChoice = { kind: 'env' } | { kind: 'none' } | { kind: 'url'; url: string };

export interface TransportOptions {
  /** Send `accept-encoding: gzip, deflate, br` (responses are decoded whatever was asked). */
  compression: boolean;
  /** Reuse connections; false sends every request on a connection of its own. */
  keepAlive: boolean;
  /** Offer HTTP/2 by ALPN on https origins (HTTP/1.1 when the server does not take it); one connection per origin. */
  http2: boolean;
  /** Skip certificate verification (-k). */
  insecure: boolean;
  /** Extra trusted CA certificates, PEM (--cacert), added to Node's own roots. */
  caPem?: string;
  /** Trust caPem alone, not Node's roots: our own fixture server's certificate. */
  trustOnlyCa?: boolean;
  proxy: ProxyChoice;
  /** The resolver behind the per-run cache; dns.lookup when absent. */
  lookup?: LookupFunction;
}

export const DEFAULT_TRANSPORT: TransportOptions = { compression: true, keepAlive: true, http2: false, insecure: false, proxy: { kind: 'env' } };

/** Lookups that reached the resolver and the time they took; the cache answers the rest. */
export interface DnsStats {
  lookups: number;
  totalMs: number;
}

/** Sockets that carried at least one request: opened, open now, most open at once; stale retries; HTTP/2 streams. */
export interface SocketTally {
  opened: number;
  open: number;
  peak: number;
  staleRetries: number;
  /** Of the sockets opened, those that spoke HTTP/2. */
  h2: number;
  /** HTTP/2 streams open now, per origin (one connection each). */
  streams: Map<string, number>;
  /** Most requests in flight at once on one connection: 1 over HTTP/1.1, the peak of streams over HTTP/2. */
  peakStreams: number;
}

/** A fresh tally, nothing counted yet. */
export function emptySocketTally(): SocketTally {
  return { opened: 0, open: 0, peak: 0, staleRetries: 0, h2: 0, streams: new Map(), peakStreams: 0 };
}

export interface Transport {
  agent: Dispatcher;
  /** A pool of its own for the one retry after a stale keep-alive socket. */
  freshAgent(): Dispatcher;
  dns: DnsStats;
  /** Whether every request must go out with `reset: true` (no keep-alive). */
  reset: boolean;
  /** The certificate settings (-k, --cacert), for a request that goes out through node:https instead. */
  tls: { rejectUnauthorized?: boolean; ca?: string[] };
  /** What each origin's connection chose by ALPN, once known (only origins offered HTTP/2 are here). */
  versions: Map<string, HttpVersion>;
  destroy(): void;
  close(): Promise<void>;
}

/**
 * Each host resolved once per run: later connections to it reuse the answer (a failure too, so a
 * name that does not resolve is not asked again for every request). IP literals never get here.
 */
export function cachedLookup(resolve: LookupFunction, stats: DnsStats): LookupFunction {
  const cache = new Map<string, Promise<LookupAddress[]>>();
  return (hostname, options, callback) => {
    const key = `${hostname}/${options.family ?? 0}`;
    let answer = cache.get(key);
    if (answer === undefined) {
      stats.lookups++;
      const started = performance.now();
      answer = new Promise<LookupAddress[]>((ok, fail) => {
        resolve(hostname, { ...options, all: true }, (err, addresses) => {
          stats.totalMs += performance.now() - started;
          if (err) fail(err);
          else ok(Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }]);
        });
      });
      cache.set(key, answer);
    }
    answer.then(
      (addresses) => {
        const first = addresses[0];
        if (options.all) callback(null, addresses);
        else if (first) callback(null, first.address, first.family);
        else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}

/** The PEM file's certificates, or why it cannot be used (read before any request: --cacert). */
export function readCaFile(path: string): { pem: string } | { error: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { error: `cannot read --cacert '${path}'${typeof code === 'string' ? ` (${code})` : ''}` };
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)) {
    return { error: `--cacert '${path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)` };
  }
  return { pem: text };
}

/**
 * undici's main entry, loaded only when a proxy is in play: its proxy agents open the tunnel with
 * `Dispatcher#connect`, which only the main entry installs (the deep imports above skip it), and it
 * costs about 35 ms of start-up that a direct run need not pay.
 */
function loadProxyAgents(): { EnvHttpProxyAgent: typeof UndiciEnvHttpProxyAgent; ProxyAgent: typeof UndiciProxyAgent } {
  const require = createRequire(import.meta.url);
  return require('undici') as { EnvHttpProxyAgent: typeof UndiciEnvHttpProxyAgent; ProxyAgent: typeof UndiciProxyAgent };
}

/** Certificate stores of Node's roots plus a --cacert, by that certificate: see trustContext. */
const trustContexts = new Map<string, SecureContext>();

/**
 * The TLS context of a client, shared by all its connections, that trusts `caPem` (with Node's
 * roots unless `only`). Made per connection, as tls.connect does by default, Node's 140 roots
 * cost tens of ms of CPU on every handshake, counted against whichever strategy opens the most
 * connections; with them it is made once per process (a --cacert is one file for the run). One
 * certificate alone (our own servers', made afresh at each start) is cheap, and not kept. A
 * context holds no TLS sessions (undici keeps those per client), so sharing it warms no connection.
 */
function trustContext(caPem: string, only: boolean): SecureContext {
  if (only) return createSecureContext({ ca: [caPem] });
  let context = trustContexts.get(caPem);
  if (context === undefined) {
    context = createSecureContext({ ca: [...rootCertificates, caPem] });
    trustContexts.set(caPem, context);
  }
  return context;
}

export function createTransport(options: TransportOptions, backstopMs: number, sockets: SocketTally, track: (socket: Socket, tally: SocketTally) => void): Transport {
  const dns: DnsStats = { lookups: 0, totalMs: 0 };
  const lookup = cachedLookup(options.lookup ?? (systemLookup as LookupFunction), dns);
  const tls: { rejectUnauthorized?: boolean } = {};
  if (options.insecure) tls.rejectUnauthorized = false;
  const secure = options.caPem === undefined ? {} : { secureContext: trustContext(options.caPem, options.trustOnlyCa === true) };
  // Offering h2 by ALPN is the connector's to do; which pool gets the socket is the factory's.
  const alpn = options.http2 ? { allowH2: true } : {};
  const connectSocket = buildConnector({ timeout: backstopMs, lookup, ...tls, ...secure, ...alpn } as Parameters<typeof BuildConnector>[0]);
  const versions = new Map<string, HttpVersion>();
  // Every pool's connector is wrapped here, whoever built it: ours, or the proxy agent's tunnel.
  const counted = (inner: ReturnType<typeof BuildConnector>): ReturnType<typeof BuildConnector> => (connectOptions, callback) =>
    inner(connectOptions, (err, socket) => {
      if (socket) track(socket as Socket, sockets);
      // undici's callback type is a union of (err, null) and (null, socket); this passes either through.
      callback(err as never, socket as never);
    });
  const factory = (origin: string | URL, poolOptions: Record<string, unknown>): Dispatcher => {
    const inner = poolOptions.connect;
    const connect = typeof inner === 'function' ? counted(inner as ReturnType<typeof BuildConnector>) : counted(buildConnector({ timeout: backstopMs, lookup, ...tls, ...secure, ...alpn, ...(inner as object) } as Parameters<typeof BuildConnector>[0]));
    const key = String(origin);
    // ALPN needs TLS: a plain http:// origin speaks HTTP/1.1 whatever was offered.
    if (options.http2 && key.startsWith('https:')) return new NegotiatingPool(key, { ...poolOptions, connect }, (version) => versions.set(key, version));
    return new Pool(origin, { ...poolOptions, connect });
  };
  const agentOptions = {
    connections: null,
    pipelining: 1,
    connect: connectSocket,
    factory,
    headersTimeout: backstopMs,
    bodyTimeout: backstopMs,
  };
  const proxyOptions = { requestTls: { lookup, ...tls, ...secure, ...alpn }, proxyTls: { timeout: backstopMs, lookup }, proxyTunnel: false };
  const build = (): Dispatcher => {
    if (options.proxy.kind === 'url') {
      const { ProxyAgent } = loadProxyAgents();
      return new ProxyAgent({ ...agentOptions, ...proxyOptions, uri: options.proxy.url } as ConstructorParameters<typeof UndiciProxyAgent>[0]);
    }
    const { http, https } = proxyVariables(process.env);
    if (options.proxy.kind === 'env' && (http !== null || https !== null)) {
      const { EnvHttpProxyAgent } = loadProxyAgents();
      // The values as proxy-env.ts read them (trimmed; '' for none), so that the heading and undici agree; NO_PROXY is undici's to read.
      const values = { httpProxy: http?.value ?? '', httpsProxy: https?.value ?? '' };
      return new EnvHttpProxyAgent({ ...agentOptions, ...proxyOptions, ...values } as ConstructorParameters<typeof UndiciEnvHttpProxyAgent>[0]);
    }
    return new Agent(agentOptions as ConstructorParameters<typeof UndiciAgent>[0]);
  };
  const agent = build();
  let fresh: Dispatcher | null = null;
  return {
    agent,
    freshAgent: () => (fresh ??= build()),
    dns,
    reset: !options.keepAlive,
    tls,
    versions,
    destroy() {
      void agent.destroy().catch(() => {});
      void fresh?.destroy().catch(() => {});
    },
    async close() {
      if (!(agent as UndiciAgent).destroyed) await agent.close().catch(() => agent.destroy());
      if (fresh && !(fresh as UndiciAgent).destroyed) await fresh.close().catch(() => fresh?.destroy());
    },
  };
}
