import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createBandwidthLimiter, CHUNK_BYTES, type BandwidthLimiter } from './bandwidth.js';
import { hashString } from '../core/random.js';
import { createSelfSignedCertificate } from '../http/self-signed.js';
import { loadFixtureData, type FixtureData } from './data.js';
import { createBodyStore, negotiateEncoding, type BodyStore } from './encoding.js';
import { createFaultGate, createServiceQueue, NO_FAULTS, type FaultOptions } from './faults.js';
import { ATTEMPT_HEADER, HEALTH_PATH, IN_SERVICE_HEADER } from './protocol.js';
import { delayFor, type LatencyModel } from './latency.js';
import { jsonplaceholderRoute, jsonplaceholderWriteRoute } from './routes/jsonplaceholder.js';
import { pokeapiRoute } from './routes/pokeapi.js';
import { tmdbRateLimited, tmdbRoute } from './routes/tmdb.js';
import { json, notFound, type FixtureRequest, type FixtureResponse, type Route } from './routes/types.js';

export interface FixtureServerOptions {
  latency: LatencyModel;
  seed: number;
  faults?: FaultOptions;
  /** Serve HTTPS, HTTP/2 and HTTP/1.1 by ALPN, under a certificate made at start-up. */
  http2?: boolean;
}

export interface ListenOptions extends FixtureServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface RunningFixtureServer {
  server: Server | Http2SecureServer;
  /** "http://127.0.0.1:PORT", or "https://127.0.0.1:PORT" with http2. */
  baseUrl: string;
  /** With http2: the certificate (PEM) a client must trust, and only that client; null over plain http. */
  caPem: string | null;
  /** With http2: the HTTP/2 sessions (connections) opened so far; HTTP/1.1 connections are not counted. */
  sessions(): number;
  close(): Promise<void>;
}

/** The fixture server binds loopback only: it is never reachable from another machine. */
export const FIXTURE_HOST = '127.0.0.1';

function createRoutes(data: FixtureData): Route[] {
  return [pokeapiRoute(data.pokemonNames, data.pokeapi), jsonplaceholderRoute(data.jsonplaceholder), tmdbRoute(data.tmdbMovies)];
}

/** The routes that take writes (POST, PUT, PATCH, DELETE); every other method than GET and HEAD is 405 elsewhere. */
function createWriteRoutes(data: FixtureData): Route[] {
  return [jsonplaceholderWriteRoute(data.jsonplaceholder)];
}

/** Writes the server accepts, listed at "/" and by `serve`. */
export const WRITE_ROUTES = ['POST /posts', 'PUT /posts/{id}', 'PATCH /posts/{id}', 'DELETE /posts/{id}'] as const;

const methodNotAllowed = (): FixtureResponse => ({ status: 405, body: 'Method Not Allowed', headers: { allow: 'GET, HEAD' } });

/** A write, answered by the write routes, or 405. */
export function answerWrite(routes: readonly Route[], request: FixtureRequest): FixtureResponse {
  for (const route of routes) {
    const response = route(request);
    if (response) return response;
  }
  return methodNotAllowed();
}

/** Answers one request from the routes, or the index at "/", or 404. */
export function answer(routes: readonly Route[], request: FixtureRequest): FixtureResponse {
  for (const route of routes) {
    const response = route(request);
    if (response) return response;
  }
  if (request.path === '/') {
    return json({ name: 'async-bench fixture server', routes: ['/api/v2/pokemon/{id}', '/posts/{id}', '/users/{id}', '/todos/{id}', '/comments/{id}', '/3/movie/now_playing', '/3/movie/{id}'], writes: WRITE_ROUTES });
  }
  return notFound();
}

/** Whether the client is gone: an HTTP/2 compatibility response has no `destroyed` of its own, its stream has. */
function gone(res: ServerResponse): boolean {
  const stream = (res as unknown as Partial<Http2ServerResponse>).stream;
  return stream === undefined ? res.destroyed : stream.destroyed;
}

/** What the server adds to every answer, as the real APIs do. */
const DEFAULT_CACHE_CONTROL = 'no-cache';

interface Sender {
  /** Builds, hashes and starts compressing the body now; the returned function sends it. */
  prepare(req: IncomingMessage, res: ServerResponse, response: FixtureResponse): () => void;
  send(req: IncomingMessage, res: ServerResponse, response: FixtureResponse): void;
}

/**
 * Sends answers with the real APIs' headers: a strong etag of the body, vary, cache-control, and
 * gzip or br when Accept-Encoding asks (compressed once per body). With a bandwidth limiter, the
 * body goes out in chunks paced by the one bucket every response shares.
 */
function createSender(store: BodyStore, link: BandwidthLimiter | null): Sender {
  const write = (res: ServerResponse, bytes: Buffer): void => {
    if (link === null || bytes.length === 0) {
      res.end(bytes);
      return;
    }
    let offset = 0;
    const next = (): void => {
      if (gone(res)) return;
      if (offset >= bytes.length) {
        res.end();
        return;
      }
      const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
      offset += chunk.length;
      const go = (): void => {
        if (gone(res)) return;
        if (res.write(chunk)) next();
        else res.once('drain', next);
      };
      const wait = link.reserve(chunk.length);
      if (wait > 0) setTimeout(go, wait);
      else go();
    };
    next();
  };
  const prepare = (req: IncomingMessage, res: ServerResponse, response: FixtureResponse): (() => void) => {
    const body = store.prepare(response.body);
    const headers: Record<string, string> = {
      'cache-control': DEFAULT_CACHE_CONTROL,
      ...response.headers,
      etag: body.etag,
      vary: 'Accept-Encoding',
    };
    const ifNoneMatch = req.headers['if-none-match'];
    const notModified =
      response.status === 200 && typeof ifNoneMatch === 'string' && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === body.etag);
    const encoding = notModified ? 'identity' : negotiateEncoding(req.headers['accept-encoding']);
    const encoded = store.encode(body, encoding);
    encoded.catch(() => {}); // handled when sent
    return () => {
      if (gone(res)) return;
      if (notModified) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      encoded.then(
        (bytes) => {
          if (gone(res)) return;
          if (bytes !== body.identity) headers['content-encoding'] = encoding;
          res.writeHead(response.status, { ...headers, 'content-length': String(bytes.length) });
          if (req.method === 'HEAD') res.end();
          else write(res, bytes);
        },
        (err: unknown) => {
          res.destroy(err instanceof Error ? err : new Error(String(err)));
        },
      );
    };
  };
  return {
    prepare,
    send: (req, res, response) => prepare(req, res, response)(),
  };
}

/**
 * The request handler: refuse at once when a fault says so (503 busy, 429 rate limit),
 * otherwise wait for a slot (--capacity), then the modelled delay, and send the whole body
 * (or an injected 500), paced by --bandwidth when given.
 */
export function createFixtureHandler(
  options: FixtureServerOptions,
  data: FixtureData = loadFixtureData(),
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = createRoutes(data);
  const writeRoutes = createWriteRoutes(data);
  const faults = options.faults ?? NO_FAULTS;
  const gate = createFaultGate(faults, options.seed, () => performance.now());
  const queue = faults.capacity === null ? null : createServiceQueue(faults.capacity);
  const link = faults.bandwidthMbps === null ? null : createBandwidthLimiter(faults.bandwidthMbps, () => performance.now());
  const { prepare, send } = createSender(createBodyStore(), link);
  return (req, res) => {
    if (req.url === HEALTH_PATH) {
      send(req, res, { status: 200, body: 'ok' }); // no delay, no faults: for readiness and priming
      return;
    }
    const refusal = gate.admit();
    if (refusal) {
      // TMDB says 429 in its own words (status_code 25).
      send(req, res, refusal.status === 429 && req.url?.startsWith('/3/') ? tmdbRateLimited(refusal) : refusal);
      return;
    }
    let finished = false;
    // Frees the --capacity slot, or leaves the line when the client gives up while waiting.
    let leaveQueue = (): void => {};
    const finish = (): void => {
      if (!finished) {
        finished = true;
        leaveQueue();
        gate.finished();
      }
    };
    res.once('close', finish);
    const url = new URL(req.url ?? '/', 'http://fixture.invalid');
    const method = req.method ?? 'GET';
    const isWrite = method !== 'GET' && method !== 'HEAD';
    // A write's body is read before it is answered; its key (delay, faults) includes the body, so
    // that a POST of new posts does not meet one fate for all.
    let body = '';
    let key = url.pathname + url.search;
    // A retry draws its fault afresh; first attempts meet the same faults in every strategy.
    const attempt = req.headers[ATTEMPT_HEADER];
    let faultKey = typeof attempt === 'string' && attempt !== '1' ? `${key}#${attempt}` : key;
    // HTTP/2 names the host in :authority; every connection of the http2 server is TLS.
    const origin = `${options.http2 ? 'https' : 'http'}://${req.headers.host ?? req.headers[':authority'] ?? FIXTURE_HOST}`;
    // With --capacity, each response says how many were in service when it started (for tests and curious users).
    let serviceHeaders: Record<string, string> = {};
    const serve = (): void => {
      // The delay starts first; the body is built, hashed and compressed while it runs, as a
      // real server would have it ready: the delay is the model, not the fixture server's own work.
      let sendPrepared: (() => void) | null = null;
      let due = false;
      const respond = (): void => {
        due = true;
        if (sendPrepared === null) return;
        sendPrepared();
        finish();
      };
      const delay = delayFor(options.latency, options.seed, key);
      if (delay > 0) setTimeout(respond, delay);
      setImmediate(() => {
        if (gone(res)) return;
        const request: FixtureRequest = { path: url.pathname, query: url.searchParams, origin, headers: req.headers, method, body };
        const response: FixtureResponse = gate.failure(faultKey) ?? (isWrite ? answerWrite(writeRoutes, request) : answer(routes, request));
        sendPrepared = prepare(req, res, { ...response, headers: { ...response.headers, ...serviceHeaders } });
        if (delay <= 0 || due) respond();
      });
    };
    const admitted = (): void => {
      if (queue === null) {
        serve();
        return;
      }
      leaveQueue = queue.enter((leave) => {
        leaveQueue = leave;
        serviceHeaders = { [IN_SERVICE_HEADER]: String(queue.inService) };
        serve();
      });
    };
    if (!isWrite) {
      admitted();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      body = Buffer.concat(chunks).toString('utf8');
      const tag = `${method} ${hashString(body).toString(16)}`;
      key = `${key} ${tag}`;
      faultKey = `${faultKey} ${tag}`;
      admitted();
    });
  };
}

/**
 * The server over TLS with HTTP/2 and HTTP/1.1 (by ALPN), under a certificate made now: the
 * handler is the same, through node:http2's compatibility API. Its connections are kept so that
 * close() ends them, as closeAllConnections() does over plain http.
 */
function secureServer(handler: (req: IncomingMessage, res: ServerResponse) => void): { server: Http2SecureServer; caPem: string; sessions(): number; closeAll(): void } {
  const { certPem, keyPem } = createSelfSignedCertificate();
  const server = createSecureServer({ cert: certPem, key: keyPem, allowHTTP1: true }, handler as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void);
  const sockets = new Set<Socket>();
  let sessions = 0;
  server.on('secureConnection', (socket: Socket) => {
    // As node:http does for its own sockets: a head and a body written apart must not wait for
    // the client's delayed ACK (40 ms a response over loopback).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('session', () => sessions++);
  return { server, caPem: certPem, sessions: () => sessions, closeAll: () => sockets.forEach((s) => s.destroy()) };
}

/** Starts the fixture server on 127.0.0.1 in this thread. */
export function listenFixtureServer(options: ListenOptions, data?: FixtureData): Promise<RunningFixtureServer> {
  const handler = createFixtureHandler(options, data);
  const plain = options.http2 ? null : createServer({ keepAliveTimeout: 10_000 }, handler);
  const secure = plain === null ? secureServer(handler) : null;
  const server = plain ?? secure!.server;
  const closeAll = (): void => (plain ? plain.closeAllConnections() : secure!.closeAll());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: `all` opens every connection at once, and a full queue costs a 1 s SYN retry.
    server.listen({ host: FIXTURE_HOST, port: options.port ?? 0, backlog: 4096 }, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        baseUrl: `${secure ? 'https' : 'http'}://${FIXTURE_HOST}:${port}`,
        caPem: secure?.caPem ?? null,
        sessions: () => secure?.sessions() ?? 0,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            closeAll();
          }),
      });
    });
  });
}
