/**
 * The one HTTP test server of the suite: node:http on 127.0.0.1, port 0, its behaviour chosen by
 * the request path (any query string is ignored unless named below, so tests can tag URLs,
 * e.g. `?case=hang&i=3`, and count their own requests):
 *
 *   /ok?bytes=N                 200 with exactly N bytes (default 2: "ok")
 *   /status/CODE?retry-after=S  that status (body "status CODE"; none for 204 and 304), with
 *                               Retry-After: S when given
 *   /flaky/CODE?fail=K&retry-after=S
 *                               the first K requests for this exact URL (path and query) get CODE
 *                               (with Retry-After when given), later ones 200 "ok"
 *   /delay/MS?bytes=N           200 after a fixed delay of MS ms
 *   /hang                       reads the request, never answers (the socket stays open)
 *   /trickle?every=MS&bytes=N   headers at once (content-length N, default 100), then one byte
 *                               every MS ms (default 50): a body that takes N × MS ms to arrive
 *   /reset-before               destroys the socket before any response
 *   /reset-after                headers (content-length 1000) and 100 bytes, then destroys the socket
 *   /bad-json                   200 application/json whose body is not JSON (cut off mid-document)
 *   /big?mb=M                   200 with M × 2^20 bytes (default 20), written with backpressure
 *   /loop                       302 to itself, forever (keeping the query)
 *   /redirect/N                 302 to /redirect/N-1 (keeping the query); /redirect/0 is 200 "ok",
 *                               or never answers with ?then=hang
 *   /redirect-abs/N             the same with absolute Location URLs
 *   /echo                       200 with the request's method, path and headers as JSON
 *   /redirect-code/CODE?to=PATH CODE (301, 302, 303, 307, 308) with Location PATH (default /echo)
 *   /3/movie/now_playing        a TMDB-shaped list of two movies (ids 11 and 12), one page: for --base-url
 *
 * A request with a body (Content-Length or Transfer-Encoding) is read to its end before it is
 * answered, and the log keeps the body's bytes.
 *   anything else               404
 *
 * It logs every request (method, path, headers, in arrival order), counts requests in flight
 * and their peak, and lets a test wait for the Nth request of a kind (`waitFor`) instead of
 * sleeping. It is unref'd (listener, sockets, timers): a test that forgets close() cannot keep
 * the process alive. `silentTcpServer()` accepts connections and never says a word;
 * `stalledListener()` tries to make connecting itself hang; `closedPort()` is a port nobody
 * listens on.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

export interface ReceivedRequest {
  method: string;
  /** Path with the query string, as the client sent it. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The request body's bytes (empty without one). */
  body: Buffer;
}

export interface TestServerStats {
  /** Requests received so far (since start or reset()). */
  requests: number;
  /** Requests in flight now (received, response not yet finished or abandoned). */
  inFlight: number;
  /** Peak of inFlight since start (or since reset()). */
  peakConcurrent: number;
  /** Every request received, in arrival order (the same array as `log`). */
  log: ReceivedRequest[];
}

export interface TestServer {
  /** "http://127.0.0.1:PORT", no trailing slash. */
  url: string;
  port: number;
  stats: TestServerStats;
  /** Every request received, in arrival order. */
  log: ReceivedRequest[];
  /** Requests received whose path (with query) contains `part`. */
  count(part: string): number;
  /** Resolves once `count(part) >= n`: the event to act on, never a fixed sleep. */
  waitFor(part: string, n?: number): Promise<void>;
  /** Requests in flight now. */
  readonly inFlight: number;
  /** Zeroes the counters, forgets the log and the /flaky counters. */
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

/** What /bad-json sends: JSON-looking, cut off, so that JSON.parse throws. */
export const BAD_JSON = '{"count": 1302, "results": [{"name": "bulbasaur", "url": "https://pokeapi.co/api/v2/pokemon/1/"}, {"name": "ivys';

function intParam(value: string | null, fallback: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

const MB = 1 << 20;
const CHUNK = bodyOfSize(64 * 1024);

export async function startTestServer(): Promise<TestServer> {
  const log: ReceivedRequest[] = [];
  const stats: TestServerStats = { requests: 0, inFlight: 0, peakConcurrent: 0, log };
  const flaky = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let idleWaiters: Array<() => void> = [];
  let countWaiters: Array<{ part: string; n: number; resolve: () => void }> = [];

  const count = (part: string): number => log.filter((r) => r.path.includes(part)).length;
  const cancel = (timer: NodeJS.Timeout): void => {
    clearTimeout(timer);
    clearInterval(timer);
    timers.delete(timer);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      handleRead(req, res, Buffer.alloc(0));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => handleRead(req, res, Buffer.concat(chunks)));
  };

  const handleRead = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const raw = req.url ?? '/';
    const url = new URL(raw, 'http://test-server.invalid');
    const parts = url.pathname.split('/').filter(Boolean);
    stats.requests++;
    log.push({ method: req.method ?? 'GET', path: raw, headers: req.headers, body });
    stats.inFlight++;
    stats.peakConcurrent = Math.max(stats.peakConcurrent, stats.inFlight);
    if (countWaiters.length > 0) {
      const [met, waiting] = [countWaiters.filter((w) => count(w.part) >= w.n), countWaiters.filter((w) => count(w.part) < w.n)];
      countWaiters = waiting;
      for (const w of met) w.resolve();
    }
    const owned: NodeJS.Timeout[] = [];
    let ended = false;
    // 'close' fires after the response ends and also when the connection dies before that.
    res.on('close', () => {
      if (ended) return;
      ended = true;
      for (const t of owned) cancel(t);
      stats.inFlight--;
      if (stats.inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    });
    const own = (timer: NodeJS.Timeout): void => {
      timer.unref(); // a forgotten close() must not keep the process alive
      owned.push(timer);
      timers.add(timer);
    };
    const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(body)), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const bytes = intParam(url.searchParams.get('bytes'), 2);
    const okBody = (): Buffer | string => (url.searchParams.has('bytes') ? bodyOfSize(bytes) : 'ok');
    const retryAfter = url.searchParams.get('retry-after');
    const retryHeaders: Record<string, string> = retryAfter === null ? {} : { 'retry-after': retryAfter };

    switch (parts[0]) {
      case 'ok':
        send(200, okBody());
        return;
      case 'status': {
        const code = intParam(parts[1] ?? null, 500);
        if (code === 204 || code === 304) {
          res.writeHead(code, retryHeaders); // no body allowed
          res.end();
        } else {
          send(code >= 100 && code <= 999 ? code : 500, `status ${code}`, retryHeaders);
        }
        return;
      }
      case 'flaky': {
        const code = intParam(parts[1] ?? null, 503);
        const fail = intParam(url.searchParams.get('fail'), 1);
        const seen = flaky.get(raw) ?? 0;
        flaky.set(raw, seen + 1);
        if (seen < fail) send(code, `status ${code} (${seen + 1} of ${fail})`, retryHeaders);
        else send(200, 'ok');
        return;
      }
      case 'delay': {
        const ms = intParam(parts[1] ?? null, 100);
        own(setTimeout(() => send(200, okBody()), ms));
        return;
      }
      case 'hang':
        return; // never answers
      case 'trickle': {
        const every = Math.max(1, intParam(url.searchParams.get('every'), 50));
        const total = Math.max(1, intParam(url.searchParams.get('bytes'), 100));
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(total) });
        res.flushHeaders();
        let sent = 0;
        const timer = setInterval(() => {
          if (res.destroyed) return;
          sent++;
          if (sent >= total) {
            cancel(timer);
            res.end('.');
          } else res.write('.');
        }, every);
        own(timer);
        return;
      }
      case 'reset-before':
        req.socket.destroy();
        return;
      case 'reset-after':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
        res.write(bodyOfSize(100));
        own(setTimeout(() => req.socket.destroy(), 30));
        return;
      case 'bad-json':
        send(200, BAD_JSON, { 'content-type': 'application/json; charset=utf-8' });
        return;
      case 'big': {
        const total = intParam(url.searchParams.get('mb'), 20) * MB;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
        let left = total;
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            const n = Math.min(left, CHUNK.length);
            left -= n;
            const more = res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
            if (left === 0) {
              res.end();
              return;
            }
            if (!more) {
              res.once('drain', pump);
              return;
            }
          }
        };
        pump();
        return;
      }
      case 'loop':
        send(302, 'again', { location: `/loop${url.search}` });
        return;
      case 'redirect':
      case 'redirect-abs': {
        const left = intParam(parts[1] ?? null, 0);
        if (left === 0) {
          if (url.searchParams.get('then') === 'hang') return;
          send(200, 'ok');
          return;
        }
        const next = `/${parts[0]}/${left - 1}${url.search}`;
        send(302, `to ${next}`, { location: parts[0] === 'redirect-abs' ? `http://127.0.0.1:${port}${next}` : next });
        return;
      }
      case 'redirect-code': {
        const code = intParam(parts[1] ?? null, 302);
        send(code, `to ${url.searchParams.get('to') ?? '/echo'}`, { location: url.searchParams.get('to') ?? '/echo' });
        return;
      }
      case '3':
        if (url.pathname === '/3/movie/now_playing') {
          send(200, JSON.stringify({ page: 1, results: [{ id: 11, title: 'Eleven' }, { id: 12, title: 'Twelve' }], total_pages: 1, total_results: 2 }), { 'content-type': 'application/json' });
        } else send(200, JSON.stringify({ id: Number(parts[2]), title: 'A movie', vote_average: 7 }), { 'content-type': 'application/json' });
        return;
      case 'echo':
        send(200, JSON.stringify({ method: req.method, path: raw, headers: req.headers }), { 'content-type': 'application/json' });
        return;
      default:
        send(404, 'not found');
    }
  };

  const server = createServer({ keepAliveTimeout: 5_000 }, handle);
  server.on('connection', (socket) => {
    socket.unref();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that gives up mid-response resets the socket: not the server's problem.
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: `all` over thousands of URLs opens every connection at once.
    server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    log,
    count,
    waitFor(part, n = 1) {
      if (count(part) >= n) return Promise.resolve();
      return new Promise((resolve) => countWaiters.push({ part, n, resolve }));
    },
    get inFlight() {
      return stats.inFlight;
    },
    reset() {
      stats.requests = 0;
      stats.peakConcurrent = stats.inFlight;
      log.length = 0;
      flaky.clear();
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

export interface SilentTcpServer {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that accepts every connection and never sends a byte. */
export async function silentTcpServer(): Promise<SilentTcpServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createTcpServer((socket) => {
    accepted++;
    socket.unref();
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    port,
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface StalledListener {
  port: number;
  /**
   * Whether connecting to it really hangs. Linux drops a SYN when the accept queue is full, so a
   * connect waits for the retransmit; some network stacks (gVisor's, for one) complete the
   * handshake anyway, and then this is false and the listener is useless for a connect test.
   */
  stalls: boolean;
  close(): Promise<void>;
}

/**
 * A listener on 127.0.0.1 whose accept queue is full: a worker thread listens with backlog 0 and
 * then blocks its own event loop, so nothing accepts, and filler connections fill the queue.
 * The fillers are opened at once and given one probe period together (not one each, in turn).
 */
export async function stalledListener(probeMs = 300, fillers = 16): Promise<StalledListener> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { workerData, parentPort } = require('node:worker_threads');
    const server = require('node:net').createServer(() => {});
    server.listen({ host: '127.0.0.1', port: 0, backlog: 0 }, () => {
      parentPort.postMessage(server.address().port);
      // Block this thread's loop: no accept() from here on until the test lets go.
      Atomics.wait(workerData, 0, 0);
      server.close();
    });
    `,
    { eval: true, workerData: flag },
  );
  worker.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (p: number) => resolve(p));
    worker.once('error', reject);
  });
  const sockets: Socket[] = [];
  const pending = await Promise.all(
    Array.from({ length: fillers }, () => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.unref();
      socket.on('error', () => {});
      sockets.push(socket);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), probeMs);
        const done = (): void => {
          clearTimeout(timer);
          resolve(false);
        };
        socket.once('connect', done);
        socket.once('error', done);
      });
    }),
  );
  return {
    port,
    // One filler still connecting after the probe: the queue is full and connects hang.
    stalls: pending.some(Boolean),
    async close() {
      for (const s of sockets) s.destroy();
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await worker.terminate();
    },
  };
}
