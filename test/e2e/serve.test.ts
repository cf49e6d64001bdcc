/**
 * End to end: `async-bench serve` in the foreground, as a user runs it to point curl or their
 * own code at the fixture server. The test reads the printed base URL, makes real requests on
 * 127.0.0.1, then stops it with Ctrl-C (SIGINT).
 *
 * Those runs spawn the built CLI: the server is stopped by a signal. So does the busy port's
 * exit 2, killed if it served instead of failing. The other usage errors run the built CLI's
 * main() in process.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect as http2Connect } from 'node:http2';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, cleanupCli, describeRun, run, type RunResult } from '../helpers/cli.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { expectUsageError } from '../helpers/expectations.js';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One GET on its own connection, read to the end. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface Served {
  result: RunResult;
  /** The banner printed on stdout before the test stopped the server. */
  banner: string;
  /** From SIGINT to the process's exit, ms (null when it never got that far). */
  stopMs: number | null;
}

/**
 * Runs `async-bench serve ...args`; once the banner is out, runs `use` with the base URL it
 * names (and the banner), then sends SIGINT and waits for the exit. A hung server is killed after 20 s.
 */
async function serve(args: string[], use: (baseUrl: string, banner: string) => Promise<void>): Promise<Served> {
  let banner = '';
  let failure: unknown;
  let interruptedAt: number | null = null;
  let exitedAt: number | null = null;
  const result = await run(['serve', ...args], {
    killAfterMs: 20_000,
    onSpawn: (child: ChildProcess) => {
      child.once('exit', () => (exitedAt = performance.now()));
      let used = false;
      child.stdout?.on('data', (chunk: string | Buffer) => {
        banner += String(chunk);
        if (used || !banner.includes('Ctrl-C to stop')) return;
        used = true;
        const baseUrl = /fixture server on (\S+)/.exec(banner)?.[1] ?? '';
        use(baseUrl, banner)
          .catch((err: unknown) => (failure = err))
          .finally(() => {
            interruptedAt = performance.now();
            child.kill('SIGINT');
          });
      });
    },
  });
  if (failure !== undefined) throw failure;
  const stopMs = interruptedAt !== null && exitedAt !== null ? (exitedAt as number) - interruptedAt : null;
  return { result, banner, stopMs };
}

/** Exit 0 soon after Ctrl-C, saying it stopped. */
function expectStoppedCleanly(served: Served): void {
  const context = describeRun(served.result);
  expect(served.stopMs, `never got to send SIGINT\n${context}`).not.toBeNull();
  expect(served.result.code, context).toBe(0);
  expect(served.result.signal, context).toBeNull();
  expect(served.result.stderr, context).toMatch(/stopped/);
  expect(served.stopMs!, context).toBeLessThan(5_000);
}

const SPAWN = { timeout: 60_000 };

beforeAll(() => {
  assertBuilt();
});
afterAll(() => {
  cleanupCli();
});

describe.concurrent('serve in the foreground', SPAWN, () => {
  test('serve pokemon --seed 3 --latency 0: pikachu on 127.0.0.1, stopped by Ctrl-C', async () => {
    let got: Raw[] = [];
    let host = '';
    const served = await serve(['pokemon', '--seed', '3', '--latency', '0'], async (baseUrl) => {
      host = new URL(baseUrl).hostname;
      got = await Promise.all([
        rawGet(`${baseUrl}/api/v2/pokemon/25`),
        rawGet(`${baseUrl}/api/v2/pokemon/pikachu`),
        rawGet(`${baseUrl}/api/v2/pokemon/99999`),
      ]);
    });
    expectStoppedCleanly(served);
    expect(host).toBe('127.0.0.1');
    expect(served.banner).toMatch(/^async-bench fixture server on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(served.banner).toMatch(/latency 0 ms, seed 3\b/);
    expect(served.banner).toContain('/api/v2/pokemon/25');
    expect(served.banner).not.toContain('/3/movie/');
    expect(got.map((r) => r.status)).toEqual([200, 200, 404]);
    const [byId, byName] = got.map((r) => (r.status === 200 ? (JSON.parse(r.body) as { id: number; name: string }) : null));
    expect(byId).toMatchObject({ id: 25, name: 'pikachu' });
    expect(byName).toMatchObject({ id: 25, name: 'pikachu' });
  });

  test('serve tmdb --max-inflight 3: 200 with a Bearer token, 401 without, 503 above 3 at once', async () => {
    let withToken: Raw | undefined;
    let withoutToken: Raw | undefined;
    let burst: Raw[] = [];
    const served = await serve(['tmdb', '--max-inflight', '3', '--seed', '1'], async (baseUrl) => {
      const bearer = { authorization: 'Bearer any-token-at-all' };
      withToken = await rawGet(`${baseUrl}/3/movie/550`, bearer);
      withoutToken = await rawGet(`${baseUrl}/3/movie/550`);
      // tmdb's model delays each answer 40-160 ms: 8 at once overflow 3 slots.
      burst = await Promise.all(Array.from({ length: 8 }, (_, i) => rawGet(`${baseUrl}/3/movie/now_playing?page=${i + 1}`, bearer)));
    });
    expectStoppedCleanly(served);
    expect(served.banner).toMatch(/max in flight 3/);
    expect(served.banner).toMatch(/curl -H 'Authorization: Bearer [^']+' 'http:\/\/127\.0\.0\.1:\d+\/3\/movie\/550'/);
    expect(withToken?.status, withToken?.body).toBe(200);
    expect(JSON.parse(withToken!.body)).toMatchObject({ id: 550 });
    expect(withoutToken?.status).toBe(401);
    expect(JSON.parse(withoutToken!.body)).toMatchObject({ success: false, status_code: 7 });
    const statuses = burst.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 503), JSON.stringify(statuses)).toBe(true);
    expect(statuses.filter((s) => s === 503).length, JSON.stringify(statuses)).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200).length, JSON.stringify(statuses)).toBeGreaterThanOrEqual(1);
  });

  test('serve pokemon --capacity 2: every request of a burst is served (none refused), at most 2 in service', async () => {
    let burst: Raw[] = [];
    const served = await serve(['pokemon', '--capacity', '2', '--latency', '50', '--seed', '1'], async (baseUrl) => {
      burst = await Promise.all(Array.from({ length: 6 }, (_, i) => rawGet(`${baseUrl}/api/v2/pokemon/${i + 1}`)));
    });
    expectStoppedCleanly(served);
    expect(served.banner).toMatch(/latency 50 ms, seed 1, capacity 2 with a queue/);
    expect(burst.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(Math.max(...burst.map((r) => Number(r.headers['x-async-bench-in-service'])))).toBe(2);
  });

  test('serve pokemon --http2: HTTPS with HTTP/2 under a certificate made at start-up, in a file named in the banner and removed on stop', async () => {
    let caFile = '';
    let answer: { status: number; id: number } | undefined;
    const served = await serve(['pokemon', '--http2', '--latency', '0', '--seed', '1'], async (baseUrl, banner) => {
      caFile = /certificate, made at start-up for 127\.0\.0\.1 and localhost: (\S+)/.exec(banner)?.[1] ?? '';
      const session = http2Connect(baseUrl, { ca: readFileSync(caFile, 'utf8') });
      try {
        answer = await new Promise((resolve, reject) => {
          const stream = session.request({ ':path': '/api/v2/pokemon/25' });
          let status = 0;
          let body = '';
          stream.on('response', (headers) => (status = Number(headers[':status'])));
          stream.setEncoding('utf8');
          stream.on('data', (chunk: string) => (body += chunk));
          stream.on('end', () => resolve({ status, id: (JSON.parse(body) as { id: number }).id }));
          stream.on('error', reject);
          stream.end();
        });
      } finally {
        session.close();
      }
    });
    expectStoppedCleanly(served);
    expect(served.banner).toMatch(/^async-bench fixture server on https:\/\/127\.0\.0\.1:\d+\n/);
    expect(served.banner).toMatch(/curl --cacert '[^']+' --http2 'https:\/\/127\.0\.0\.1:\d+\/api\/v2\/pokemon\/25'/);
    expect(served.banner).toMatch(/async-bench 'https:\/\/127\.0\.0\.1:\d+\/api\/v2\/pokemon\/25' --http2 --cacert '[^']+'/);
    expect(answer).toEqual({ status: 200, id: 25 });
    expect(caFile).not.toBe('');
    expect(existsSync(caFile)).toBe(false);
  });

  test('serve without a preset shows every route family and still stops on Ctrl-C', async () => {
    let status = 0;
    const served = await serve(['--latency', '0'], async (baseUrl) => {
      status = (await rawGet(`${baseUrl}/posts/1`)).status;
    });
    expectStoppedCleanly(served);
    expect(status).toBe(200);
    for (const path of ['/api/v2/pokemon/25', '/posts/1', '/3/movie/550']) expect(served.banner).toContain(path);
    // The writes jsonplaceholder takes are listed, with a curl line to try one.
    expect(served.banner).toMatch(/curl -X POST -H 'Content-Type: application\/json' -d '[^']+' 'http:\/\/127\.0\.0\.1:\d+\/posts'/);
    expect(served.banner).toMatch(/POST \/posts → 201 .*PUT or PATCH \/posts\/\{id\} → 200 .*DELETE \/posts\/\{id\} → 200 \{\}/);
  });
});

describe.concurrent('serve: bad usage', SPAWN, () => {
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    busy = createServer((_req, res) => res.end('taken'));
    await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, resolve));
    busyPort = (busy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });

  test('--port of a busy port: exit 2 naming the port', async () => {
    const result = await run(['serve', 'pokemon', '--port', String(busyPort)], { killAfterMs: 20_000 });
    expectUsageError(result, new RegExp(`port ${busyPort}.*in use`));
  });

  test('--port out of range: exit 2', async () => {
    expectUsageError(await runBuiltInProcess(['serve', '--port', '70000']), /--port/);
  });

  test('an unknown preset: exit 2, no suggestion when nothing is close', async () => {
    const result = await runBuiltInProcess(['serve', 'nosuch']);
    expectUsageError(result, /unknown preset 'nosuch'/);
    expect(result.stderr).not.toMatch(/did you mean/);
  });

  test.each([
    ['tmbd', 'tmdb'],
    ['pokemn', 'pokemon'],
    ['jsonplaceholdr', 'jsonplaceholder'],
  ])('a misspelt preset %s: exit 2 with "did you mean \'%s\'"', async (typo, preset) => {
    expectUsageError(await runBuiltInProcess(['serve', typo]), new RegExp(`unknown preset '${typo}'.*did you mean '${preset}'`));
  });
});
