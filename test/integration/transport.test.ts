/**
 * The client's transport on loopback: compression (gzip, deflate, br, and gzip that does not say
 * so), keep-alive off, TLS trust (a CA-signed certificate from test/fixtures/tls), proxies (a
 * CONNECT proxy written here) and the per-run DNS cache (an injected resolver, no real DNS).
 * Every server is created by the test on 127.0.0.1 and closed after it.
 */
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientOptions } from '../../src/http/client.js';
import type { LookupFunction } from '../../src/http/transport.js';
import { failureAdvice } from '../../src/export/prose.js';
import { urlListSource } from '../../src/core/request.js';
import { clientFactory } from '../../src/run/strategy-client.js';
import { jsonplaceholderPreset } from '../../src/targets/presets/jsonplaceholder.js';

const TLS_DIR = new URL('../fixtures/tls/', import.meta.url);
const CA = readFileSync(new URL('ca.pem', TLS_DIR), 'utf8');
const POST = JSON.stringify({ userId: 1, id: 1, title: 'sunt aut facere repellat provident', body: 'quia et suscipit' });
const BODY = JSON.stringify({ results: Array.from({ length: 200 }, (_, i) => ({ name: `pokemon-${i}`, url: `https://pokeapi.co/api/v2/pokemon/${i}/` })) });

/** /gzip, /deflate, /br: the body with that Content-Encoding; /sneaky: gzip without one; /plain; /echo: the request headers. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').replace(/^https?:\/\/[^/]+/, '').split('?')[0];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let body: Buffer = Buffer.from(BODY);
  if (path === '/gzip') [body, headers['content-encoding']] = [gzipSync(body), 'gzip'];
  else if (path === '/deflate') [body, headers['content-encoding']] = [deflateSync(body), 'deflate'];
  else if (path === '/br') [body, headers['content-encoding']] = [brotliCompressSync(body), 'br'];
  else if (path === '/sneaky') body = gzipSync(body);
  else if (path === '/broken') [body, headers['content-encoding']] = [Buffer.from('not gzip at all'), 'gzip'];
  else if (path === '/post-gzip') [body, headers['content-encoding']] = [gzipSync(POST), 'gzip'];
  else if (path === '/echo') body = Buffer.from(JSON.stringify(req.headers));
  res.writeHead(200, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return String((server.address() as AddressInfo).port);
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** One request through a fresh client, closed after. */
async function fetchOnce(url: string, options: Partial<HttpClientOptions> = {}, keepBody = true) {
  const client = createHttpClient({ timeoutMs: 5_000, ...options });
  try {
    return await client.fetch(url, keepBody);
  } finally {
    await client.close();
  }
}

let plain: Server;
let tls: Server;
let httpUrl: string;
let httpsUrl: string;

beforeAll(async () => {
  plain = createServer(answer);
  tls = createHttpsServer({ cert: readFileSync(new URL('server.pem', TLS_DIR)), key: readFileSync(new URL('server-key.pem', TLS_DIR)) }, answer);
  httpUrl = `http://127.0.0.1:${await listen(plain)}`;
  httpsUrl = `https://127.0.0.1:${await listen(tls)}`;
});

afterAll(async () => {
  await Promise.all([stop(plain), stop(tls)]);
});

describe('compression, as fetch does it', () => {
  it('asks for gzip, deflate, br by default, and for nothing with compression off', async () => {
    const sent = JSON.parse((await fetchOnce(`${httpUrl}/echo`)).body!) as Record<string, string>;
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
    const none = JSON.parse((await fetchOnce(`${httpUrl}/echo`, { transport: { compression: false } })).body!) as Record<string, string>;
    expect(none['accept-encoding']).toBeUndefined();
    const own = JSON.parse((await fetchOnce(`${httpUrl}/echo`, { headers: { 'Accept-Encoding': 'gzip' } })).body!) as Record<string, string>;
    expect(own['accept-encoding']).toBe('gzip');
  });

  it.each(['gzip', 'deflate', 'br'])('decodes %s: bytes are wire bytes, decodedBytes the body', async (encoding) => {
    const outcome = await fetchOnce(`${httpUrl}/${encoding}`);
    expect(outcome.error).toBeNull();
    expect(outcome.body).toBe(BODY);
    expect(outcome.decodedBytes).toBe(Buffer.byteLength(BODY));
    expect(outcome.bytes).toBeLessThan(Buffer.byteLength(BODY) / 2);
  });

  it('an identity body has no decodedBytes of its own (it equals bytes)', async () => {
    const outcome = await fetchOnce(`${httpUrl}/plain`);
    expect(outcome.bytes).toBe(Buffer.byteLength(BODY));
    expect(outcome.decodedBytes).toBeUndefined();
  });

  it('gzip without a Content-Encoding is recognised by its magic bytes, decoded and counted', async () => {
    const client = createHttpClient({ timeoutMs: 5_000 });
    try {
      const outcome = await client.fetch(`${httpUrl}/sneaky`, true);
      await client.fetch(`${httpUrl}/plain`);
      expect(outcome.body).toBe(BODY);
      expect(client.transportStats().undeclaredGzip).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('a body that is not what its Content-Encoding says fails as protocol, with the reason', async () => {
    const outcome = await fetchOnce(`${httpUrl}/broken`);
    expect(outcome.error).toBe('protocol');
    expect(outcome.cause).toMatch(/could not be decoded/);
  });
});

describe('the sample line reads decoded bodies', () => {
  it("a user's -H 'Accept-Encoding: gzip' still gives the preset readable bodies", async () => {
    const controller = new AbortController();
    const urls = [`${httpUrl}/post-gzip`];
    const factory = clientFactory({
      requests: urlListSource(urls, { method: 'GET', headers: null, body: null }, urls.length, 1), retryAll: false,
      headers: { 'Accept-Encoding': 'gzip' }, timeoutMs: 5_000, maxRedirects: 5, retries: 0, ratePerSec: null, seed: 1,
      signal: controller.signal, sleep: () => Promise.resolve(), ownServer: false, sampleSize: 1,
      transport: { compression: true, keepAlive: true, http2: false, insecure: false, proxy: { kind: 'none' } },
    });
    const client = factory.createClient();
    try {
      expect((await client.request(0)).error).toBeNull();
    } finally {
      await client.close();
    }
    expect(factory.bodies[0]).toBe(POST);
    expect(jsonplaceholderPreset.sample(factory.bodies)).toMatch(/sunt aut facere/);
  });
});

describe('keep-alive', () => {
  async function sockets(keepAlive: boolean): Promise<number> {
    const client = createHttpClient({ timeoutMs: 5_000, transport: { keepAlive } });
    try {
      for (let i = 0; i < 5; i++) {
        expect((await client.fetch(`${httpUrl}/plain?i=${i}`)).error).toBeNull();
        // One loop turn, as the strategies give: undici puts the finished socket back in its pool.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return client.poolStats().opened;
    } finally {
      await client.close();
    }
  }

  it('reuses one connection for sequential requests, and opens one per request without keep-alive', async () => {
    expect(await sockets(true)).toBe(1);
    expect(await sockets(false)).toBe(5);
  });
});

describe('TLS trust', () => {
  it('fails a certificate it cannot verify as tls, with the fix in the advice', async () => {
    const outcome = await fetchOnce(`${httpsUrl}/plain`);
    expect(outcome.error).toBe('tls');
    expect(failureAdvice('tls', outcome.cause ?? '')).toMatch(/--cacert ca\.pem, or skip the check with -k/);
  });

  it('passes with insecure, and with the CA given as caPem', async () => {
    expect((await fetchOnce(`${httpsUrl}/gzip`, { transport: { insecure: true } })).error).toBeNull();
    const trusted = await fetchOnce(`${httpsUrl}/gzip`, { transport: { caPem: CA } });
    expect(trusted.error).toBeNull();
    expect(trusted.body).toBe(BODY);
  });

  it('names a hostname mismatch: the certificate lists 127.0.0.1 and localhost, not other.localhost', async () => {
    const lookup: LookupFunction = (_hostname, options, callback) =>
      options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
    const outcome = await fetchOnce(httpsUrl.replace('127.0.0.1', 'other.localhost') + '/plain', { transport: { caPem: CA, lookup } });
    expect(outcome.error).toBe('tls');
    expect(failureAdvice('tls', outcome.cause ?? '')).toMatch(/does not name this host/);
  });
});

/** A proxy that logs what it was asked: CONNECT tunnels, and absolute-form requests it forwards. */
async function startProxy(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = tcpConnect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { server, url: `http://127.0.0.1:${await listen(server)}`, seen };
}

describe('proxies', () => {
  it('tunnels https with CONNECT and sends http in absolute form; NO_PROXY=127.0.0.1 goes around it', async () => {
    const proxy = await startProxy();
    const saved = { ...process.env };
    try {
      const tunnelled = createHttpClient({ timeoutMs: 5_000, transport: { proxy: { kind: 'url', url: proxy.url }, caPem: CA } });
      try {
        const viaUrl = await tunnelled.fetch(`${httpsUrl}/gzip`, true);
        expect(viaUrl.cause).toBeUndefined();
        expect(viaUrl.body).toBe(BODY);
        await new Promise((resolve) => setImmediate(resolve));
        expect((await tunnelled.fetch(`${httpsUrl}/plain`)).error).toBeNull();
        // The tunnel's socket is counted like a direct one, and kept alive for the next request.
        expect(tunnelled.poolStats().opened).toBe(1);
      } finally {
        await tunnelled.close();
      }
      expect(proxy.seen).toEqual([`CONNECT ${new URL(httpsUrl).host}`]);

      for (const name of ['http_proxy', 'https_proxy', 'no_proxy', 'NO_PROXY']) delete process.env[name];
      process.env.HTTP_PROXY = proxy.url;
      process.env.HTTPS_PROXY = proxy.url;
      const forwarded = createHttpClient({ timeoutMs: 5_000 });
      try {
        expect((await forwarded.fetch(`${httpUrl}/plain?via=env`)).error).toBeNull();
        await new Promise((resolve) => setImmediate(resolve));
        expect((await forwarded.fetch(`${httpUrl}/plain?via=env&n=2`)).error).toBeNull();
        expect(forwarded.poolStats().opened).toBe(1); // one kept-alive connection to the proxy
      } finally {
        await forwarded.close();
      }
      expect(proxy.seen.slice(1)).toEqual([`GET ${httpUrl}/plain?via=env`, `GET ${httpUrl}/plain?via=env&n=2`]);

      process.env.NO_PROXY = '127.0.0.1';
      expect((await fetchOnce(`${httpUrl}/plain?via=none`)).error).toBeNull();
      expect((await fetchOnce(`${httpsUrl}/plain?via=none`, { transport: { caPem: CA } })).error).toBeNull();
      delete process.env.NO_PROXY;
      expect((await fetchOnce(`${httpUrl}/plain?via=ignored`, { transport: { proxy: { kind: 'none' } } })).error).toBeNull();
      expect(proxy.seen).toHaveLength(3);
    } finally {
      for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await stop(proxy.server);
    }
  });

  it('a proxy that refuses the tunnel fails as connect, and the advice names the proxy', async () => {
    const refusing = createServer((_req, res) => res.end());
    refusing.on('connect', (_req: IncomingMessage, client: Socket) => client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
    const url = `http://127.0.0.1:${await listen(refusing)}`;
    try {
      const outcome = await fetchOnce(`${httpsUrl}/plain`, { transport: { proxy: { kind: 'url', url }, caPem: CA } });
      expect(outcome.cause).toMatch(/Proxy response \(407\)/);
      expect(outcome.error).toBe('connect');
      expect(failureAdvice('connect', outcome.cause ?? '')).toMatch(/the proxy wants credentials/);
    } finally {
      await stop(refusing);
    }
  });
});

describe('DNS: each host resolved once per run', () => {
  it('one lookup per host per client, however many connections', async () => {
    const asked: string[] = [];
    // A fake name that the injected resolver maps to 127.0.0.1: no real DNS is ever asked.
    const lookup: LookupFunction = (hostname, options, callback) => {
      asked.push(hostname);
      setImmediate(() => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)));
    };
    const port = new URL(httpUrl).port;
    const client = createHttpClient({ timeoutMs: 5_000, transport: { keepAlive: false, lookup } });
    try {
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => client.fetch(`http://api.bench.localhost:${port}/plain?i=${i}`)));
      expect(outcomes.map((o) => o.error)).toEqual(Array(6).fill(null));
      expect(client.poolStats().opened).toBe(6);
      expect(asked).toEqual(['api.bench.localhost']);
      expect(client.transportStats().dns.lookups).toBe(1);
      expect(client.transportStats().dns.totalMs).toBeGreaterThanOrEqual(0);
    } finally {
      await client.close();
    }
    const next = createHttpClient({ timeoutMs: 5_000, transport: { lookup } });
    try {
      await next.fetch(`http://api.bench.localhost:${port}/plain`);
      expect(asked).toHaveLength(2); // a new run resolves again
    } finally {
      await next.close();
    }
  });
});
