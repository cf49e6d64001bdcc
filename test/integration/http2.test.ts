/**
 * HTTP/2 on loopback: servers made here with node:http2 (and node:https for one that offers
 * HTTP/1.1 alone) under a certificate made at start-up, trusted by the client under test only.
 * The servers hold their answers until every request of a burst has arrived, so that "at once"
 * is an event, not a timing.
 */
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrategy, type StrategySpec } from '../../src/core/benchmark.js';
import { listenFixtureServer, type RunningFixtureServer } from '../../src/fixture-server/server.js';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import { createSelfSignedCertificate } from '../../src/http/self-signed.js';
import type { TransportOptions } from '../../src/http/transport.js';
import { closedPort, silentTcpServer } from '../helpers/test-server.js';

const { certPem, keyPem } = createSelfSignedCertificate();

interface TlsServer {
  url: string;
  /** TLS connections accepted, and HTTP/2 sessions among them. */
  connections: number;
  sessions: number;
  /** Answers wait until this many requests are waiting (0: answer at once). */
  holdUntil: number;
  close(): Promise<void>;
}

/** HTTPS on 127.0.0.1: HTTP/2 and HTTP/1.1 by ALPN, or (h2 false) HTTP/1.1 alone. */
async function tlsServer(h2: boolean): Promise<TlsServer> {
  let waiting: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const state: TlsServer = { url: '', connections: 0, sessions: 0, holdUntil: 0, close: async () => {} };
  const handler = (_req: IncomingMessage, res: ServerResponse): void => {
    waiting.push(() => res.end('ok'));
    if (waiting.length < state.holdUntil) return;
    const release = waiting;
    waiting = [];
    for (const answer of release) answer();
  };
  const options = { cert: certPem, key: keyPem };
  const server: Server = h2 ? createSecureServer({ ...options, allowHTTP1: true }, handler as never) : createHttpsServer(options, handler);
  server.on('secureConnection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
  });
  server.on('session', () => state.sessions++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

const TRUST: Partial<TransportOptions> = { caPem: certPem, trustOnlyCa: true, proxy: { kind: 'none' } };
const ALL: StrategySpec = { strategy: 'all', concurrency: null };
const SEQUENTIAL: StrategySpec = { strategy: 'sequential', concurrency: 1 };

/**
 * `count` requests to `url` under one strategy, through a fresh client; its pool's figures and
 * the results. `abandon` destroys the pool once the run is over instead of closing it (a close
 * waits for a connection attempt still under way).
 */
async function measure(spec: StrategySpec, count: number, url: string, transport: Partial<TransportOptions>, timeoutMs = 5_000, abandon = false) {
  const stop = new AbortController();
  const http: HttpClient = createHttpClient({ timeoutMs, transport, signal: stop.signal });
  try {
    const run = await runStrategy(spec, count, { request: (i) => http.fetch(`${url}/r${i}`), close: () => http.close() }, () => performance.now(), {
      handOver: () => new Promise<void>((resolve) => setImmediate(resolve)),
    });
    const errors = Array.from({ length: count }, (_, i) => run.samples.error(i));
    return { pool: http.poolStats(), errors, maxInFlight: run.maxInFlight };
  } finally {
    if (abandon) stop.abort();
    await http.close();
  }
}

let h2: TlsServer;
let h1Only: TlsServer;

beforeAll(async () => {
  [h2, h1Only] = await Promise.all([tlsServer(true), tlsServer(false)]);
});

afterAll(async () => {
  await Promise.all([h2.close(), h1Only.close()]);
});

describe('--http2 against a server that takes HTTP/2', () => {
  it('all: 20 requests as streams of one connection, all 20 open at once', async () => {
    const before = { connections: h2.connections, sessions: h2.sessions };
    h2.holdUntil = 20;
    const { pool, errors } = await measure(ALL, 20, h2.url, { ...TRUST, http2: true });
    expect(errors).toEqual(Array(20).fill(null));
    expect(h2.sessions - before.sessions).toBe(1);
    expect(h2.connections - before.connections).toBe(1);
    expect(pool).toEqual({ opened: 1, peak: 1, staleRetries: 0, peakStreams: 20, h2: 1 });
  });

  it('sequential: one connection, one stream at a time', async () => {
    const before = h2.sessions;
    h2.holdUntil = 0;
    const { pool, errors } = await measure(SEQUENTIAL, 5, h2.url, { ...TRUST, http2: true });
    expect(errors).toEqual(Array(5).fill(null));
    expect(h2.sessions - before).toBe(1);
    expect(pool).toMatchObject({ opened: 1, peakStreams: 1, h2: 1 });
  });

  it('without --http2 the same server is spoken to as before: HTTP/1.1, a connection per request in flight', async () => {
    const before = { connections: h2.connections, sessions: h2.sessions };
    h2.holdUntil = 20;
    const { pool, errors } = await measure(ALL, 20, h2.url, TRUST);
    expect(errors).toEqual(Array(20).fill(null));
    expect(h2.sessions - before.sessions).toBe(0);
    expect(h2.connections - before.connections).toBe(20);
    expect(pool).toEqual({ opened: 20, peak: 20, staleRetries: 0, peakStreams: 1 });
  });
});

describe('--http2 falls back to HTTP/1.1', () => {
  it('when the server does not offer h2: the first connection learns it, then a connection per request in flight', async () => {
    const before = h1Only.connections;
    h1Only.holdUntil = 20;
    const { pool, errors } = await measure(ALL, 20, h1Only.url, { ...TRUST, http2: true });
    expect(errors).toEqual(Array(20).fill(null));
    expect(h1Only.connections - before).toBe(20);
    expect(pool).toEqual({ opened: 20, peak: 20, staleRetries: 0, peakStreams: 1, h2: 0 });
    // Sequential keeps its one connection.
    h1Only.holdUntil = 0;
    const sequential = await measure(SEQUENTIAL, 5, h1Only.url, { ...TRUST, http2: true });
    expect(sequential.pool).toMatchObject({ opened: 1, h2: 0 });
  });

  it('for a plain http:// URL (ALPN needs TLS)', async () => {
    const { createServer } = await import('node:http');
    const plain = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { pool, errors } = await measure(ALL, 5, `http://127.0.0.1:${(plain.address() as AddressInfo).port}`, { http2: true, proxy: { kind: 'none' } });
      expect(errors).toEqual(Array(5).fill(null));
      expect(pool).toMatchObject({ h2: 0, peakStreams: 1 });
    } finally {
      plain.closeAllConnections();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});

describe('--http2 when the first connection fails', () => {
  it('refused: every request fails as connect, none waits for ever', async () => {
    const port = await closedPort();
    const { errors } = await measure(ALL, 5, `https://127.0.0.1:${port}`, { ...TRUST, http2: true });
    expect(errors).toEqual(Array(5).fill('connect'));
  });

  it('a handshake that never ends: the requests waiting behind it time out on time', async () => {
    const silent = await silentTcpServer();
    try {
      const { errors } = await measure(ALL, 5, `https://127.0.0.1:${silent.port}`, { ...TRUST, http2: true }, 300, true);
      expect(errors).toEqual(Array(5).fill('timeout'));
      // One connection tried for all of them: the others waited for its answer.
      expect(silent.accepted).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('a certificate the client was not given: tls, as over HTTP/1.1', async () => {
    const { errors } = await measure(ALL, 3, h2.url, { http2: true, proxy: { kind: 'none' } });
    expect(errors).toEqual(Array(3).fill('tls'));
  });
});

describe('the fixture server with http2', () => {
  let fixture: RunningFixtureServer;

  beforeAll(async () => {
    fixture = await listenFixtureServer({ latency: { minMs: 0, maxMs: 0 }, seed: 1, http2: true });
  });

  afterAll(async () => {
    await fixture.close();
  });

  it('serves https under a certificate trusted by the client it is given to, and by nobody else', async () => {
    expect(fixture.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(fixture.caPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const trusting = createHttpClient({ timeoutMs: 5_000, transport: { caPem: fixture.caPem!, trustOnlyCa: true, http2: true, proxy: { kind: 'none' } } });
    const stranger = createHttpClient({ timeoutMs: 5_000, transport: { http2: true, proxy: { kind: 'none' } } });
    try {
      const [list, refused] = await Promise.all([trusting.fetch(`${fixture.baseUrl}/api/v2/pokemon?limit=2&offset=0`, true), stranger.fetch(`${fixture.baseUrl}/api/v2/pokemon/1`)]);
      expect(list.error).toBeNull();
      // Links point back at the server as it was reached: https.
      expect((JSON.parse(list.body!) as { next: string }).next).toMatch(new RegExp(`^${fixture.baseUrl}/api/v2/pokemon\\?`));
      expect(refused.error).toBe('tls');
    } finally {
      await Promise.all([trusting.close(), stranger.close()]);
    }
  });

  it('counts its sessions: 10 requests at once are one HTTP/2 connection', async () => {
    const before = fixture.sessions();
    const { pool, errors } = await measure(ALL, 10, `${fixture.baseUrl}/posts`, { caPem: fixture.caPem!, trustOnlyCa: true, http2: true, proxy: { kind: 'none' } });
    expect(errors.filter((e) => e !== null && e !== 'http4xx')).toEqual([]);
    expect(fixture.sessions() - before).toBe(1);
    expect(pool).toMatchObject({ opened: 1, h2: 1 });
  });
});
