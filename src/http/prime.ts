import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from './client.js';

/** A server on 127.0.0.1 that answers "ok", and its URL. */
async function throwawayServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/**
 * Sends one request so that the HTTP client's one-time costs (compiling the parser, the
 * first JIT passes) are paid before anything is measured: to `ownServerUrl` when we run the
 * server (the offline fixture server, which warms up too), otherwise to a throwaway server
 * on 127.0.0.1, so that the user's target never receives a request it is not shown.
 */
export async function primeHttpClient(ownServerUrl?: string): Promise<void> {
  const throwaway = ownServerUrl === undefined ? await throwawayServer() : null;
  const client = createHttpClient({ timeoutMs: 2_000, transport: { proxy: { kind: 'none' } } });
  try {
    await client.fetch(ownServerUrl ?? throwaway!.url);
  } finally {
    await client.close();
    if (throwaway) {
      throwaway.server.closeAllConnections();
      await new Promise<void>((resolve) => throwaway.server.close(() => resolve()));
    }
  }
}
