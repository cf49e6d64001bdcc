/**
 * What travels on a redirect, and what is never sent (issue 12, items 4 and 6), against two
 * recording servers on loopback: a redirect to another port, or from 127.0.0.1 to localhost,
 * leaves the origin. Only the allow-listed headers follow it; same-origin redirects keep every
 * header; a URL fragment is never sent, neither from the URL given nor from a Location.
 *
 * The servers read the request head raw, so that the request line is recorded exactly as it
 * arrived (a parser might normalise a fragment away).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_ORIGIN_HEADERS, createHttpClient, type HttpClient } from '../../src/http/client.js';

interface Recorded {
  target: string;
  headers: Record<string, string>;
}

interface RecordingServer {
  port: number;
  log: Recorded[];
  close(): Promise<void>;
}

/** Answers GET /to?loc=<Location> with 302 and everything else with 200 "ok"; records each request. */
async function recordingServer(): Promise<RecordingServer> {
  const log: Recorded[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      head += chunk;
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [requestLine = '', ...lines] = head.slice(0, end).split('\r\n');
      head = head.slice(end + 4);
      const target = requestLine.split(' ')[1] ?? '';
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      log.push({ target, headers });
      const loc = target.startsWith('/to?') ? new URLSearchParams(target.slice(4)).get('loc') : null;
      socket.write(
        loc === null
          ? 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'
          : `HTTP/1.1 302 Found\r\nlocation: ${loc}\r\ncontent-length: 0\r\n\r\n`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const SECRET = 'S3cretValue-4711';
/** Secret-named headers (built-in names and names that only the pattern knows) and custom ones. */
const DROPPED: Record<string, string> = {
  authorization: `Bearer ${SECRET}`,
  'proxy-authorization': `Basic ${SECRET}`,
  cookie: `sid=${SECRET}`,
  'x-api-key': SECRET,
  'api-key': SECRET,
  'x-auth-token': SECRET,
  'private-token': SECRET,
  'x-goog-api-key': SECRET,
  'ocp-apim-subscription-key': SECRET,
  'x-trace-id': 'trace-123',
  'x-tenant': 'acme',
};
const KEPT: Record<string, string> = {
  accept: 'application/json',
  'accept-language': 'de-CH',
  'cache-control': 'no-cache',
  'user-agent': 'bench-test/1',
};

let a: RecordingServer;
let b: RecordingServer;
const clients: HttpClient[] = [];

function client(): HttpClient {
  const c = createHttpClient({ timeoutMs: 5_000, headers: { ...DROPPED, ...KEPT } });
  clients.push(c);
  return c;
}

/** The URL of server A that redirects to `location`. */
const via = (origin: string, location: string): string => `${origin}/to?loc=${encodeURIComponent(location)}`;

beforeAll(async () => {
  [a, b] = await Promise.all([recordingServer(), recordingServer()]);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  a.log.length = 0;
  b.log.length = 0;
});

afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

function expectOnlyAllowListed(headers: Record<string, string>): void {
  for (const name of Object.keys(DROPPED)) expect(headers, name).not.toHaveProperty(name);
  for (const [name, value] of Object.entries(KEPT)) expect(headers[name], name).toBe(value);
  expect(JSON.stringify(headers)).not.toContain(SECRET);
}

describe('a redirect to another origin carries only the allow-listed headers', () => {
  it('the allow-list is short and holds no secret-looking name', () => {
    expect([...CROSS_ORIGIN_HEADERS].sort()).toEqual(['accept', 'accept-encoding', 'accept-language', 'cache-control', 'content-type', 'pragma', 'user-agent']);
  });

  it('127.0.0.1:A → 127.0.0.1:B (another port): secret and custom headers stay behind; the Location query is kept', async () => {
    const outcome = await client().fetch(via(`http://127.0.0.1:${a.port}`, `http://127.0.0.1:${b.port}/landing?page=2&server_token=given-by-server`));
    expect(outcome).toMatchObject({ error: null, status: 200, bytes: 2 });
    expect(a.log).toHaveLength(1);
    expect(a.log[0]!.headers).toMatchObject({ ...DROPPED, ...KEPT });
    expect(b.log).toHaveLength(1);
    expect(b.log[0]!.target).toBe('/landing?page=2&server_token=given-by-server');
    expectOnlyAllowListed(b.log[0]!.headers);
  });

  it('127.0.0.1:A → localhost:A (same port, another host name): another origin too', async () => {
    const outcome = await client().fetch(via(`http://127.0.0.1:${a.port}`, `http://localhost:${a.port}/landing`));
    expect(outcome).toMatchObject({ error: null, status: 200 });
    expect(a.log.map((r) => r.target)).toEqual([expect.stringMatching(/^\/to\?/), '/landing']);
    expect(a.log[0]!.headers).toMatchObject(DROPPED);
    expectOnlyAllowListed(a.log[1]!.headers);
  });

  it('A → B → A: headers dropped on leaving the origin stay dropped on the way back', async () => {
    const back = via(`http://127.0.0.1:${b.port}`, `http://127.0.0.1:${a.port}/home`);
    const outcome = await client().fetch(via(`http://127.0.0.1:${a.port}`, back));
    expect(outcome).toMatchObject({ error: null, status: 200 });
    expect(a.log.map((r) => r.target)).toEqual([expect.stringMatching(/^\/to\?/), '/home']);
    expectOnlyAllowListed(b.log[0]!.headers);
    expectOnlyAllowListed(a.log[1]!.headers);
  });

  it("a preset's auth does not travel: tmdb's Bearer header and its api_key query stay on the first origin", async () => {
    const tmdb = createHttpClient({ timeoutMs: 5_000, headers: { authorization: `Bearer ${SECRET}` } });
    clients.push(tmdb);
    const outcome = await tmdb.fetch(`${via(`http://127.0.0.1:${a.port}`, `http://127.0.0.1:${b.port}/3/movie/550`)}&api_key=${SECRET}`);
    expect(outcome).toMatchObject({ error: null, status: 200 });
    expect(a.log[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(b.log).toHaveLength(1);
    expect(b.log[0]!.target).toBe('/3/movie/550');
    expect(JSON.stringify(b.log[0])).not.toContain(SECRET);
  });

  it('credentials given in the URL (user:password@, sent as Basic) stay on the first origin', async () => {
    const c = createHttpClient({ timeoutMs: 5_000 });
    clients.push(c);
    const outcome = await c.fetch(via(`http://ann:${SECRET}@127.0.0.1:${a.port}`, `http://127.0.0.1:${b.port}/x`));
    expect(outcome).toMatchObject({ error: null, status: 200 });
    expect(a.log[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`ann:${SECRET}`).toString('base64')}`);
    expect(b.log[0]!.headers).not.toHaveProperty('authorization');
  });
});

describe('a redirect within the origin keeps every header', () => {
  it.each([
    ['relative', '/landing'],
    ['absolute', 'ORIGIN/landing'],
  ])('%s Location', async (_kind, location) => {
    const origin = `http://127.0.0.1:${a.port}`;
    const outcome = await client().fetch(via(origin, location.replace('ORIGIN', origin)));
    expect(outcome).toMatchObject({ error: null, status: 200 });
    expect(a.log).toHaveLength(2);
    expect(a.log[1]!.target).toBe('/landing');
    expect(a.log[1]!.headers).toMatchObject({ ...DROPPED, ...KEPT });
  });
});

describe('a URL fragment is never sent', () => {
  it('the URL given: "#access_token=…" stays on this side', async () => {
    const outcome = await client().fetch(`http://127.0.0.1:${a.port}/echo?a=1#access_token=${SECRET}`);
    expect(outcome).toMatchObject({ error: null, status: 200 });
    expect(a.log.map((r) => r.target)).toEqual(['/echo?a=1']);
  });

  it('a Location with a fragment: followed without it', async () => {
    const outcome = await client().fetch(via(`http://127.0.0.1:${a.port}`, `/landing?b=2#id_token=${SECRET}`));
    expect(outcome).toMatchObject({ error: null, status: 200 });
    expect(a.log.map((r) => r.target)).toEqual([expect.stringMatching(/^\/to\?/), '/landing?b=2']);
    expect(JSON.stringify(a.log)).not.toContain(`#id_token=${SECRET}`);
  });
});
