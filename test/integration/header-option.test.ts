/**
 * parseHeader and the HTTP client agree, on loopback: what -H accepts, undici sends (and the
 * server sees it); what undici would refuse (every request failing as `other`), -H refuses first.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/cli/options.js';
import { UsageError } from '../../src/core/errors.js';
import { createHttpClient } from '../../src/http/client.js';

let server: Server;
let url: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/h`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function send(headers: Record<string, string>): Promise<{ status: number; error: string | null }> {
  const client = createHttpClient({ timeoutMs: 5_000, headers });
  try {
    return await client.fetch(url);
  } finally {
    await client.close();
  }
}

/** [name, value] as -H would be typed. */
const ACCEPTED: Array<[string, string]> = [
  ['X-Tab', 'a\tb'],
  ['X-Latin', 'caf\u00e9 \u00ff'],
  ['Connection', 'close'],
  ['Connection', 'keep-alive, TE'],
  ['Host', 'example.test'],
  ['Accept', 'application/json'],
];
const UNDICI_REFUSES: Array<[string, string]> = [
  ['Expect', '100-continue'],
  ['Upgrade', 'websocket'],
  ['Transfer-Encoding', 'chunked'],
  ['Keep-Alive', 'timeout=5'],
  ['Connection', 'not a token'],
  ['X-Wide', 'a\u0100b'],
  ['X-Del', 'a\x7fb'],
  ['X-Ctl', 'a\x01b'],
];

describe('-H and undici agree', () => {
  it.each(ACCEPTED)('-H accepts "%s", and the request goes through with it', async (name, value) => {
    const headers = parseHeader(`${name}: ${value}`);
    const before = seen.length;
    const outcome = await send(headers);
    expect(outcome).toMatchObject({ status: 200, error: null });
    expect(seen.length).toBe(before + 1);
    const received = seen.at(-1)![name.toLowerCase()];
    // undici writes Connection itself: `close` turns keep-alive off, other options are dropped.
    // Node decodes header bytes as Latin-1, so any other value arrives exactly as typed.
    expect(received).toBe(name === 'Connection' ? (value === 'close' ? 'close' : 'keep-alive') : value);
  });

  it.each(UNDICI_REFUSES)('undici fails every request with "%s" (as other), so -H refuses it first', async (name, value) => {
    const outcome = await send({ [name.toLowerCase()]: value });
    expect(outcome).toMatchObject({ status: 0, error: 'other' });
    expect(() => parseHeader(`${name}: ${value}`)).toThrow(UsageError);
  });
});
