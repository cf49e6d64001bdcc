/**
 * Faults of the built-in fixture server, in this process on 127.0.0.1, seen through raw HTTP
 * requests (node:http, no connection reuse): 429 with Retry-After, 503 above the in-flight
 * limit, seeded 500s. Counts are exact where the server's clock cannot matter.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_FAULTS, createFaultGate, type FaultOptions } from '../../src/fixture-server/faults.js';
import { HEALTH_PATH, IN_SERVICE_HEADER } from '../../src/fixture-server/protocol.js';
import { listenFixtureServer, type RunningFixtureServer } from '../../src/fixture-server/server.js';
import { pokemonPreset } from '../../src/targets/presets/pokemon.js';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One GET on its own connection (agent: false), read to the end. */
function rawGet(baseUrl: string, path: string, options: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { method: 'GET', agent: false, headers: options.headers, signal: options.signal }, (res) => {
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

const servers: RunningFixtureServer[] = [];
async function serve(faults: Partial<FaultOptions>, latencyMs = 0, seed = 1): Promise<RunningFixtureServer> {
  const server = await listenFixtureServer({ latency: { minMs: latencyMs, maxMs: latencyMs }, seed, faults: { ...NO_FAULTS, ...faults } });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const countBy = (responses: readonly Raw[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
};

describe('fixture server faults: --rate-limit', () => {
  it('a burst gets the bucket size of 200s, then 429 with Retry-After and a JSON body', async () => {
    const server = await serve({ rateLimitPerSec: 3 });
    const t0 = performance.now();
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => rawGet(server.baseUrl, `/posts/${i + 1}`)));
    const burstMs = performance.now() - t0;
    const counts = countBy(responses);
    // The bucket holds 3, and refills 3 a second over the burst, which the server saw within
    // the time measured here: exact bounds, whatever the machine's speed.
    expect(counts[200], JSON.stringify(counts)).toBeGreaterThanOrEqual(3);
    expect(counts[200], `${JSON.stringify(counts)} in ${burstMs.toFixed(0)} ms`).toBeLessThanOrEqual(3 + Math.floor((3 * burstMs) / 1000));
    expect((counts[200] ?? 0) + (counts[429] ?? 0)).toBe(12);
    for (const r of responses.filter((x) => x.status === 429)) {
      expect(r.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(Number(r.headers['retry-after'])).toBe(1);
      expect(r.headers['content-type']).toMatch(/application\/json/);
      expect(JSON.parse(r.body)).toEqual({ error: 'rate limit exceeded', limitPerSecond: 3 });
    }
  });

  it('waiting what Retry-After says is enough to be served again', async () => {
    const server = await serve({ rateLimitPerSec: 2 });
    await Promise.all([rawGet(server.baseUrl, '/posts/1'), rawGet(server.baseUrl, '/posts/2')]);
    let refused: Raw | undefined;
    for (let i = 0; i < 5 && !refused; i++) {
      const r = await rawGet(server.baseUrl, '/posts/3');
      if (r.status === 429) refused = r;
    }
    expect(refused, 'no 429 after the bucket was drained').toBeDefined();
    const seconds = Number(refused!.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    expect((await rawGet(server.baseUrl, '/posts/3')).status).toBe(200);
  });

  it('the health path is outside the faults', async () => {
    const server = await serve({ rateLimitPerSec: 1, maxInflight: 1, errorRate: 1 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => rawGet(server.baseUrl, HEALTH_PATH)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    // ... and it spent no token: the first real request is still admitted (then fails by --error-rate 1).
    expect((await rawGet(server.baseUrl, '/posts/1')).status).toBe(500);
  });
});

describe('fixture server faults: --max-inflight', () => {
  it('answers 503 at once above the limit, and serves again once requests finish', async () => {
    const server = await serve({ maxInflight: 2 }, 200);
    const t0 = performance.now();
    const timed = Array.from({ length: 6 }, (_, i) =>
      rawGet(server.baseUrl, `/api/v2/pokemon/${i + 1}`).then((r) => ({ ...r, ms: performance.now() - t0 })),
    );
    const responses = await Promise.all(timed);
    expect(countBy(responses)).toEqual({ 200: 2, 503: 4 });
    const busy = responses.filter((r) => r.status === 503);
    const served = responses.filter((r) => r.status === 200);
    for (const r of busy) {
      expect(r.headers['retry-after']).toBe('1');
      expect(JSON.parse(r.body)).toEqual({ error: 'server busy', maxInflight: 2 });
    }
    // "At once": every 503 came before any delayed 200 (order only, no absolute time).
    expect(Math.max(...busy.map((r) => r.ms))).toBeLessThan(Math.min(...served.map((r) => r.ms)));
    // Slots are free again.
    expect(countBy(await Promise.all([rawGet(server.baseUrl, '/posts/1'), rawGet(server.baseUrl, '/posts/2')]))).toEqual({ 200: 2 });
  });

  it('a client that gives up frees its slot', async () => {
    const server = await serve({ maxInflight: 1 }, 250);
    const controller = new AbortController();
    // Registered after the fixture handler: our 'close' listener runs after it has freed the slot.
    const arrived = new Promise<ServerResponse>((resolve) => server.server.once('request', (_req: IncomingMessage, res: ServerResponse) => resolve(res)));
    const abandoned = rawGet(server.baseUrl, '/posts/1', { signal: controller.signal }).catch((err: Error) => err);
    const res = await arrived; // the request holds the one slot
    const closed = new Promise((resolve) => res.once('close', resolve));
    controller.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    await closed; // the server has seen the socket close
    expect((await rawGet(server.baseUrl, '/posts/2')).status).toBe(200);
  });
});

describe('fixture server: --capacity queues instead of refusing', () => {
  /** 20 GETs of small bodies at once, each on its own connection; the time until the last response ends. */
  async function burst(baseUrl: string): Promise<{ responses: Raw[]; makespanMs: number }> {
    const t0 = performance.now();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => rawGet(baseUrl, `/posts/${i + 1}`)));
    return { responses, makespanMs: performance.now() - t0 };
  }
  const inService = (responses: readonly Raw[]): number[] => responses.map((r) => Number(r.headers[IN_SERVICE_HEADER]));

  it('20 at once with capacity 5: all served (no 503), never more than 5 in service, about 4x the makespan of capacity 20', async () => {
    const latencyMs = 150;
    const narrow = await serve({ capacity: 5 }, latencyMs);
    const wide = await serve({ capacity: 20 }, latencyMs);
    const queued = await burst(narrow.baseUrl);
    const open = await burst(wide.baseUrl);
    expect(countBy(queued.responses)).toEqual({ 200: 20 });
    expect(countBy(open.responses)).toEqual({ 200: 20 });
    // Counted in the server when each request entered service.
    expect(Math.max(...inService(queued.responses))).toBe(5);
    expect(Math.min(...inService(queued.responses))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...inService(open.responses))).toBeLessThanOrEqual(20);
    // Four waves of L against one. The server holds each wave for L, so the queued makespan is at
    // least 4L however busy the machine; the open one is one wave plus whatever the load adds,
    // hence a generous band for the ratio.
    const ratio = queued.makespanMs / open.makespanMs;
    expect(queued.makespanMs).toBeGreaterThanOrEqual(4 * latencyMs * 0.9);
    expect(ratio, `capacity 5: ${queued.makespanMs.toFixed(0)} ms, capacity 20: ${open.makespanMs.toFixed(0)} ms`).toBeGreaterThan(1.5);
    expect(ratio).toBeLessThan(8);
  });

  it('without --capacity there is no in-service header', async () => {
    const server = await serve({});
    expect((await rawGet(server.baseUrl, '/posts/1')).headers[IN_SERVICE_HEADER]).toBeUndefined();
  });

  it('a client that gives up while waiting in line takes no slot', async () => {
    const latencyMs = 300;
    const server = await serve({ capacity: 1 }, latencyMs);
    let arrived = 0;
    const allArrived = new Promise<void>((resolve) => server.server.on('request', () => ++arrived === 3 && resolve()));
    const t0 = performance.now();
    const timed = (p: Promise<Raw>) => p.then((r) => ({ ...r, ms: performance.now() - t0 }));
    const first = timed(rawGet(server.baseUrl, '/posts/1'));
    const controller = new AbortController();
    const abandoned = rawGet(server.baseUrl, '/posts/2', { signal: controller.signal }).catch((err: Error) => err);
    await new Promise((resolve) => setImmediate(resolve)); // /posts/2 is sent before /posts/3
    const third = timed(rawGet(server.baseUrl, '/posts/3'));
    await allArrived; // all three are in the server: one in service, two in line
    controller.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    const [a, c] = await Promise.all([first, third]);
    expect([a.status, c.status]).toEqual([200, 200]);
    expect([a.headers[IN_SERVICE_HEADER], c.headers[IN_SERVICE_HEADER]]).toEqual(['1', '1']);
    // The third followed the first (about 2L), not after a served /posts/2 (about 3L).
    expect(c.ms / a.ms, `first ${a.ms.toFixed(0)} ms, third ${c.ms.toFixed(0)} ms`).toBeLessThan(2.6);
  });

  it('with --max-inflight too, queued requests count towards it: 5 served at once, 5 in line, the rest 503', async () => {
    const server = await serve({ capacity: 5, maxInflight: 10 }, 150);
    const { responses } = await burst(server.baseUrl);
    expect(countBy(responses)).toEqual({ 200: 10, 503: 10 });
  });
});

describe('fixture server faults: --error-rate', () => {
  const urls = pokemonPreset.buildUrls({ count: 50, seed: 9, baseUrl: 'http://fixture.invalid' });
  const paths = urls.map((u) => new URL(u).pathname);
  const gate = createFaultGate({ ...NO_FAULTS, errorRate: 0.3 }, 9, () => 0);
  const expected = paths.map((p) => (gate.failure(p) === null ? 200 : 500));

  it('fails exactly the paths the seeded draw picks, the same on every pass and server', async () => {
    expect(expected.filter((s) => s === 500).length, 'the seed-9 URL list has some failures to compare').toBeGreaterThan(5);
    const a = await serve({ errorRate: 0.3 }, 0, 9);
    const b = await serve({ errorRate: 0.3 }, 0, 9);
    const pass = async (server: RunningFixtureServer): Promise<number[]> =>
      (await Promise.all(paths.map((p) => rawGet(server.baseUrl, p)))).map((r) => r.status);
    const [first, second, other] = [await pass(a), await pass(a), await pass(b)];
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(other).toEqual(expected);
  });

  it('the injected 500 is JSON; a failing path fails for every client and header', async () => {
    const server = await serve({ errorRate: 0.3 }, 0, 9);
    const failing = paths[expected.indexOf(500)]!;
    const r = await rawGet(server.baseUrl, failing, { headers: { 'x-anything': '1' } });
    expect(r.status).toBe(500);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(r.body)).toEqual({ error: 'internal server error (injected by --error-rate)' });
  });

  it('another seed fails other paths', async () => {
    const server = await serve({ errorRate: 0.3 }, 0, 10);
    const statuses = (await Promise.all(paths.map((p) => rawGet(server.baseUrl, p)))).map((r) => r.status);
    const gate10 = createFaultGate({ ...NO_FAULTS, errorRate: 0.3 }, 10, () => 0);
    expect(statuses).toEqual(paths.map((p) => (gate10.failure(p) === null ? 200 : 500)));
    expect(statuses).not.toEqual(expected);
  });

  it('error rate 1 fails every route, 0 none', async () => {
    const all = await serve({ errorRate: 1 });
    const none = await serve({ errorRate: 0 });
    const sample = ['/api/v2/pokemon/25', '/posts/1', '/users/1', '/todos/5', '/nope'];
    expect((await Promise.all(sample.map((p) => rawGet(all.baseUrl, p)))).map((r) => r.status)).toEqual([500, 500, 500, 500, 500]);
    expect((await Promise.all(sample.map((p) => rawGet(none.baseUrl, p)))).map((r) => r.status)).toEqual([200, 200, 200, 200, 404]);
  });
});
