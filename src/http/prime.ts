import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Server } from 'node:net';
import type { Protocol } from '../core/types.js';
import { createHttpClient } from './client.js';
import { createSelfSignedCertificate } from './self-signed.js';

const answerOk = (_req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void => void res.end('ok');

/** A server on 127.0.0.1 that answers "ok", and its URL: plain http, or HTTPS with HTTP/2 and the certificate to trust. */
async function throwawayServer(protocol: Protocol): Promise<{ server: Server; url: string; caPem: string | null; closeAll(): void }> {
  const pair = protocol === 'h2' ? createSelfSignedCertificate() : null;
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = pair ? createSecureServer({ cert: pair.certPem, key: pair.keyPem, allowHTTP1: true }, answerOk) : createServer(answerOk);
  server.on('connection', (socket: import('node:net').Socket) => sockets.add(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `${pair ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { server, url, caPem: pair?.certPem ?? null, closeAll: () => sockets.forEach((s) => s.destroy()) };
}

/**
 * Sends one request per HTTP version the run offers, so that the HTTP client's one-time costs
 * (compiling the parser, loading node:http2, the first JIT passes) are paid before anything is
 * measured: to our own server when we run one (the offline fixture server, which warms up too),
 * otherwise to a throwaway server on 127.0.0.1, so that the user's target never receives a
 * request it is not shown.
 */
export async function primeHttpClient(ownServer: { url: string; caPem: string | null } | undefined, protocols: readonly Protocol[]): Promise<void> {
  for (const protocol of protocols) {
    const throwaway = ownServer === undefined ? await throwawayServer(protocol) : null;
    const target = ownServer ?? throwaway!;
    const client = createHttpClient({ timeoutMs: 2_000, transport: { proxy: { kind: 'none' }, http2: protocol === 'h2', ...(target.caPem === null ? {} : { caPem: target.caPem, trustOnlyCa: true }) } });
    try {
      await client.fetch(target.url);
    } finally {
      await client.close();
      if (throwaway) {
        throwaway.closeAll();
        await new Promise<void>((resolve) => throwaway.server.close(() => resolve()));
      }
    }
  }
}
