/**
 * The HTTP client against small servers of its own on 127.0.0.1: valid-but-unusual responses
 * count as ok, broken ones as protocol, each failure keeps its cause, a stale keep-alive socket
 * costs no failure, and the pool counts only the connections that carried requests.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchedule } from '../../src/core/strategies.js';
import type { RequestOutcome } from '../../src/core/types.js';
import { createHttpClient } from '../../src/http/client.js';

const servers: Array<Server | HttpServer> = [];
const sockets = new Set<Socket>();

/** A server that answers every request head with `response`, raw. */
async function rawServer(response: string, onRequest?: (socket: Socket) => void): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        socket.write(response);
        onRequest?.(socket);
      }
    });
  });
  return listen(server);
}

async function listen(server: Server | HttpServer): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let plainHttp = '';
beforeAll(async () => {
  plainHttp = await listen(createHttpServer((req, res) => {
    res.statusCode = req.url === '/busy' ? 503 : 200;
    res.end('x');
  }));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function fetchOnce(url: string, timeoutMs = 5_000): Promise<RequestOutcome> {
  const client = createHttpClient({ timeoutMs });
  try {
    return await client.fetch(url);
  } finally {
    await client.close();
  }
}

describe('valid but unusual responses count as ok', () => {
  it('a 304 with a Content-Length and no body', async () => {
    const base = await rawServer('HTTP/1.1 304 Not Modified\r\nContent-Length: 5120\r\nETag: "a"\r\n\r\n');
    const outcome = await fetchOnce(`${base}/cached`);
    expect(outcome).toMatchObject({ status: 304, error: null, bytes: 0 });
    expect(outcome.cause).toBeUndefined();
  });

  it('an unsolicited 100 Continue before the response', async () => {
    const base = await rawServer('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    expect(await fetchOnce(`${base}/eager`)).toMatchObject({ status: 200, error: null, bytes: 5 });
  });

  it('a 103 Early Hints before the response', async () => {
    const base = await rawServer('HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc');
    expect(await fetchOnce(`${base}/hints`)).toMatchObject({ status: 200, error: null, bytes: 3 });
  });
});

describe('each failure keeps its cause', () => {
  it.each([
    ['status 999', 'HTTP/1.1 999 Strange\r\nContent-Length: 2\r\n\r\nok', 'protocol', /^999 Strange$/],
    ['status 600', 'HTTP/1.1 600 Beyond\r\nContent-Length: 0\r\n\r\n', 'protocol', /^600 Beyond$/],
    ['a malformed status line', 'SPDY/9 nonsense\r\n\r\n', 'protocol', /HTTP\/1\.1 protocol/],
    ['a header overflow', `HTTP/1.1 200 OK\r\nX-Huge: ${'h'.repeat(80_000)}\r\nContent-Length: 0\r\n\r\n`, 'protocol', /OVERFLOW|Overflow/],
    ['a 502 with its reason phrase', 'HTTP/1.1 502 Upstream Gone\r\nContent-Length: 0\r\n\r\n', 'http5xx', /^502 Upstream Gone$/],
    ['a reason phrase with control characters', 'HTTP/1.1 418 Tea\u0007pot\r\nContent-Length: 0\r\n\r\n', 'http4xx', /^418 Tea ?pot$/],
  ])('%s', async (_name, response, error, cause) => {
    const base = await rawServer(response);
    const outcome = await fetchOnce(`${base}/x`);
    expect(outcome.error).toBe(error);
    expect(outcome.cause).toMatch(cause);
  });

  it('a refused port, https to a plain http server, a 503 and a timeout', async () => {
    const closed = createServer();
    const refusedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    servers.splice(servers.indexOf(closed), 1);
    const port = new URL(refusedUrl).port;
    expect(await fetchOnce(`${refusedUrl}/`)).toMatchObject({ error: 'connect', cause: `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}` });

    const tls = await fetchOnce(`${plainHttp.replace('http:', 'https:')}/`);
    expect(tls.error).toBe('tls');
    expect(tls.cause).toMatch(/wrong version number|packet length too long/);

    expect(await fetchOnce(`${plainHttp}/busy`)).toMatchObject({ error: 'http5xx', status: 503, cause: '503 Service Unavailable' });

    const silent = await rawServer('');
    expect(await fetchOnce(`${silent}/`, 60)).toMatchObject({ error: 'timeout', cause: 'no complete response within --timeout 60 ms' });
  });
});

describe('the connection pool', () => {
  it('retries once on a new connection when a reused keep-alive socket was closed while idle: no failures', async () => {
    // Closes each connection 1 ms after its last request, without announcing a keep-alive timeout.
    const base = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', (socket) => {
      const s = socket as Socket & { idleTimer?: NodeJS.Timeout };
      clearTimeout(s.idleTimer);
      s.idleTimer = setTimeout(() => socket.destroy(), 1);
    });
    let staleRetries = 0;
    const failures: string[] = [];
    for (let round = 0; round < 3 && staleRetries === 0; round++) {
      const client = createHttpClient({ timeoutMs: 10_000 });
      const outcomes: RequestOutcome[] = [];
      await runSchedule('bounded', 300, async () => void outcomes.push(await client.fetch(`${base}/item`)), {
        concurrency: 5,
        handOver: () => new Promise<void>((resolve) => setImmediate(resolve)),
      });
      failures.push(...outcomes.filter((o) => o.error !== null).map((o) => `${o.error}: ${o.cause}`));
      expect(outcomes).toHaveLength(300);
      staleRetries += client.poolStats().staleRetries;
      await client.close();
    }
    expect(failures).toEqual([]);
    expect(staleRetries).toBeGreaterThan(0);
  });

  it('counts the connections that carried requests after timeouts, not undici idle reconnects', async () => {
    const base = await rawServer(''); // never answers
    const client = createHttpClient({ timeoutMs: 50 });
    const outcomes: RequestOutcome[] = [];
    await runSchedule('bounded', 5, async () => void outcomes.push(await client.fetch(`${base}/slow`)), {
      concurrency: 2,
      handOver: () => new Promise<void>((resolve) => setImmediate(resolve)),
    });
    const stats = client.poolStats();
    await client.close();
    expect(outcomes.map((o) => o.error)).toEqual(['timeout', 'timeout', 'timeout', 'timeout', 'timeout']);
    expect(stats.peak).toBe(2);
    expect(stats.opened).toBeLessThanOrEqual(5);
    expect(stats.staleRetries).toBe(0);
  });
});
