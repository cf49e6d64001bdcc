/**
 * A node:http test server on 127.0.0.1 (port 0) whose behaviour is chosen by the request path:
 *
 *   /ok?bytes=N           200 with a body of exactly N bytes (default 2: "ok")
 *   /status/CODE          that status, body "status CODE" (no body for 204 and 304)
 *   /delay/MS?bytes=N     200 after a fixed delay of MS ms
 *   /hang                 never answers (the socket stays open until the client gives up or close())
 *   /trickle?every=MS     headers at once, then one byte every MS ms (default 50), forever
 *   /reset-before         destroys the socket before any response
 *   /reset-after          headers (content-length 1000) and 100 bytes of body, then destroys the socket
 *   /echo                 200 with the request's method, path and headers as JSON
 *   anything else         404
 *
 * It counts the requests it receives (with their path and headers, in arrival order) and the
 * peak number of requests in flight at once.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path with the query string, as the client sent it. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface LoopbackStats {
  /** Requests received so far. */
  requests: number;
  /** Requests in flight now (received, response not yet finished or abandoned). */
  inFlight: number;
  /** Peak of inFlight since start (or since reset()). */
  peakConcurrent: number;
  /** Every request received, in arrival order. */
  log: ReceivedRequest[];
}

export interface LoopbackServer {
  /** "http://127.0.0.1:PORT", no trailing slash. */
  url: string;
  port: number;
  stats: LoopbackStats;
  /** Zeroes the counters and the log. */
  reset(): void;
  /** Resolves once every request in flight has ended (useful after a client gave up). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A body of exactly `bytes` bytes of printable ASCII. */
export function bodyOfSize(bytes: number): Buffer {
  const pattern = Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789\n');
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = pattern[i % pattern.length]!;
  return out;
}

function intParam(value: string | null, fallback: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  const stats: LoopbackStats = { requests: 0, inFlight: 0, peakConcurrent: 0, log: [] };
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let idleWaiters: Array<() => void> = [];

  const later = (ms: number, fn: () => void, repeat = false): NodeJS.Timeout => {
    const timer = repeat ? setInterval(fn, ms) : setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };
  const cancel = (timer: NodeJS.Timeout): void => {
    clearTimeout(timer);
    clearInterval(timer);
    timers.delete(timer);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://loopback.invalid');
    const parts = url.pathname.split('/').filter(Boolean);
    const bytes = intParam(url.searchParams.get('bytes'), 2);
    stats.requests++;
    stats.log.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    stats.inFlight++;
    stats.peakConcurrent = Math.max(stats.peakConcurrent, stats.inFlight);
    let ended = false;
    const owned: NodeJS.Timeout[] = [];
    const done = (): void => {
      if (ended) return;
      ended = true;
      for (const t of owned) cancel(t);
      stats.inFlight--;
      if (stats.inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    };
    // 'close' fires after the response ends and also when the connection dies before that.
    res.on('close', done);

    const sendBody = (status: number, body: Buffer | string, type = 'text/plain'): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };

    switch (parts[0]) {
      case 'ok':
        sendBody(200, bytes === 2 && !url.searchParams.has('bytes') ? 'ok' : bodyOfSize(bytes));
        return;
      case 'status': {
        const code = intParam(parts[1] ?? null, 500);
        if (code === 204 || code === 304) {
          res.writeHead(code); // no body allowed
          res.end();
        } else {
          sendBody(code >= 200 && code <= 999 ? code : 500, `status ${code}`);
        }
        return;
      }
      case 'delay': {
        const ms = intParam(parts[1] ?? null, 100);
        owned.push(later(ms, () => sendBody(200, url.searchParams.has('bytes') ? bodyOfSize(bytes) : 'ok')));
        return;
      }
      case 'hang':
        return; // never answers
      case 'trickle': {
        const every = Math.max(1, intParam(url.searchParams.get('every'), 50));
        res.writeHead(200, { 'content-type': 'text/plain' }); // chunked: the body has no announced end
        res.flushHeaders();
        owned.push(
          later(
            every,
            () => {
              if (!res.destroyed) res.write('.');
            },
            true,
          ),
        );
        return;
      }
      case 'reset-before':
        req.socket.destroy();
        return;
      case 'reset-after': {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 1000 });
        res.write(bodyOfSize(100));
        owned.push(later(30, () => req.socket.destroy()));
        return;
      }
      case 'echo':
        sendBody(200, JSON.stringify({ method: req.method, path: req.url, headers: req.headers }), 'application/json');
        return;
      default:
        sendBody(404, 'not found');
    }
  };

  const server = createServer({ keepAliveTimeout: 5_000 }, handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    reset() {
      stats.requests = 0;
      stats.peakConcurrent = stats.inFlight;
      stats.log = [];
    },
    idle() {
      if (stats.inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    close() {
      for (const timer of [...timers]) cancel(timer);
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on: bound, noted, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
