import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from './client.js';

/**
 * Sends one request so that the HTTP client's one-time costs (compiling the parser, the
 * first JIT passes) are paid before anything is measured: to `ownServerUrl` when we run the
 * server (the offline fixture server, which warms up too), otherwise to a throwaway server
 * on 127.0.0.1, so that the user's target never receives a request it is not shown.
 */
export async function primeHttpClient(ownServerUrl?: string): Promise<void> {
  if (ownServerUrl !== undefined) {
    const client = createHttpClient({ timeoutMs: 2_000 });
    await client.fetch(ownServerUrl);
    await client.close();
    return;
  }
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const client = createHttpClient({ timeoutMs: 2_000 });
  try {
    await client.fetch(`http://127.0.0.1:${port}/`);
  } finally {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
