/**
 * The fixture server shaped like the real APIs (issue 14): Pokémon bodies of PokeAPI's sizes and
 * fields, JSONPlaceholder's records in json-server's format, TMDB's page count and 429, the real
 * headers, gzip and br, and --bandwidth: one link that every response shares.
 */
import { request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBandwidthLimiter } from '../../src/fixture-server/bandwidth.js';
import { loadFixtureData } from '../../src/fixture-server/data.js';
import { negotiateEncoding } from '../../src/fixture-server/encoding.js';
import { NO_FAULTS } from '../../src/fixture-server/faults.js';
import { pokemonBody } from '../../src/fixture-server/routes/pokeapi.js';
import { listenFixtureServer, type RunningFixtureServer } from '../../src/fixture-server/server.js';

const data = loadFixtureData();
let fixture: RunningFixtureServer;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/** One GET with node:http, no decoding: the bytes as they came over the wire. */
function getRaw(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(baseUrl + path, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  fixture = await listenFixtureServer({ latency: { minMs: 0, maxMs: 0 }, seed: 1 });
});

afterAll(async () => {
  await fixture.close();
});

describe('Pokémon bodies like PokeAPI', () => {
  it('over 200 ids: median 80-200 KB, none under 8 KB or over 700 KB, mew the biggest kind', () => {
    const ids = Array.from({ length: 200 }, (_, i) => 1 + Math.floor((i * 1025) / 200));
    const sizes = ids.map((id) => Buffer.byteLength(JSON.stringify(pokemonBody(id, data.pokemonNames[id - 1]!, 'http://127.0.0.1:8080', data.pokeapi)))).sort((a, b) => a - b);
    const median = (sizes[99]! + sizes[100]!) / 2;
    expect(median).toBeGreaterThan(80_000);
    expect(median).toBeLessThan(200_000);
    expect(sizes[0]).toBeGreaterThanOrEqual(8_000);
    expect(sizes.at(-1)).toBeLessThanOrEqual(700_000);
    const mew = pokemonBody(151, 'mew', 'http://127.0.0.1:8080', data.pokeapi);
    expect((mew.moves as unknown[]).length).toBeGreaterThanOrEqual(350);
    expect(Buffer.byteLength(JSON.stringify(mew))).toBeLessThanOrEqual(700_000);
  });

  it('has PokeAPI\'s top-level fields, moves with version_group_details, nested sprites; the same body every time', async () => {
    const got = await getRaw(fixture.baseUrl, '/api/v2/pokemon/25');
    const body = JSON.parse(got.bytes.toString()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'abilities', 'base_experience', 'cries', 'forms', 'game_indices', 'height', 'held_items', 'id', 'is_default',
      'location_area_encounters', 'moves', 'name', 'order', 'past_abilities', 'past_types', 'species', 'sprites', 'stats', 'types', 'weight',
    ]);
    expect(body).toMatchObject({ id: 25, name: 'pikachu' });
    const move = (body.moves as Array<Record<string, unknown>>)[0]!;
    expect(move.move).toEqual({ name: expect.any(String), url: expect.stringMatching(/\/api\/v2\/move\/\d+\/$/) });
    expect((move.version_group_details as unknown[])[0]).toEqual({
      level_learned_at: expect.any(Number),
      move_learn_method: { name: expect.any(String), url: expect.stringMatching(/\/move-learn-method\/\d\/$/) },
      order: null,
      version_group: { name: expect.any(String), url: expect.stringMatching(/\/version-group\/\d+\/$/) },
    });
    expect(body.sprites).toMatchObject({ other: { 'official-artwork': { front_default: expect.stringMatching(/^https:\/\/.*\/25\.png$/) } }, versions: { 'generation-i': { 'red-blue': expect.any(Object) } } });
    const again = await getRaw(fixture.baseUrl, '/api/v2/pokemon/pikachu');
    expect(again.bytes.equals(got.bytes)).toBe(true);
  });
});

describe('the real headers, gzip and br', () => {
  it.each(['/api/v2/pokemon/25', '/posts/1', '/3/movie/278?api_key=k', '/3/movie/now_playing?page=2&api_key=k'])('%s: etag, cache-control, vary, content-type', async (path) => {
    const got = await getRaw(fixture.baseUrl, path);
    expect(got.status).toBe(200);
    expect(got.headers.etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(got.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(got.headers.vary).toBe('Accept-Encoding');
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(got.headers['content-length'])).toBe(got.bytes.length);
    const notModified = await getRaw(fixture.baseUrl, path, { 'if-none-match': got.headers.etag as string });
    expect(notModified.status).toBe(304);
  });

  it('PokeAPI says public, max-age=86400, s-maxage=86400', async () => {
    expect((await getRaw(fixture.baseUrl, '/api/v2/pokemon/1')).headers['cache-control']).toBe('public, max-age=86400, s-maxage=86400');
  });

  it.each([
    ['gzip', gunzipSync],
    ['br', brotliDecompressSync],
  ] as const)('%s decodes to the same JSON as identity, in fewer bytes, with the same etag', async (encoding, decode) => {
    for (const path of ['/api/v2/pokemon/151', '/comments', '/3/movie/now_playing?page=1&api_key=k']) {
      const plain = await getRaw(fixture.baseUrl, path, { 'accept-encoding': 'identity' });
      const packed = await getRaw(fixture.baseUrl, path, { 'accept-encoding': `${encoding}, deflate` });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(packed.headers['content-encoding']).toBe(encoding);
      expect(Number(packed.headers['content-length'])).toBe(packed.bytes.length);
      expect(packed.bytes.length).toBeLessThan(plain.bytes.length / 3);
      expect(JSON.parse(decode(packed.bytes).toString())).toEqual(JSON.parse(plain.bytes.toString()));
      expect(packed.headers.etag).toBe(plain.headers.etag);
    }
  });

  it('picks br over gzip, and honours q=0', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
    expect(negotiateEncoding(undefined)).toBe('identity');
    expect(negotiateEncoding('deflate')).toBe('identity');
  });
});

describe('JSONPlaceholder and TMDB like the real ones', () => {
  it('JSONPlaceholder serves data.json\'s records, indented with 2 spaces as json-server does', async () => {
    const got = await getRaw(fixture.baseUrl, '/users/1');
    const text = got.bytes.toString();
    expect(text).toBe(JSON.stringify(data.jsonplaceholder.users[0], null, 2));
    expect(text.startsWith('{\n  "id": 1,\n  "name": "Leanne Graham",')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ address: { street: 'Kulas Light', geo: { lat: '-37.3159' } }, company: { name: 'Romaguera-Crona' } });
    const post = JSON.parse((await getRaw(fixture.baseUrl, '/posts/1')).bytes.toString()) as { body: string };
    expect(post.body.startsWith('quia et suscipit')).toBe(true);
  });

  it('TMDB now_playing: at least 50 pages of 20, page 50 exists with its fields, and every listed id has a detail', async () => {
    const first = JSON.parse((await getRaw(fixture.baseUrl, '/3/movie/now_playing?page=1&api_key=k')).bytes.toString()) as { total_pages: number; total_results: number; dates: unknown };
    expect(first.total_pages).toBeGreaterThanOrEqual(50);
    expect(first.total_results).toBeGreaterThanOrEqual(first.total_pages * 20 - 19);
    expect(first.dates).toEqual({ maximum: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), minimum: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
    const page50 = JSON.parse((await getRaw(fixture.baseUrl, '/3/movie/now_playing?page=50&api_key=k')).bytes.toString()) as { page: number; results: Array<Record<string, unknown>> };
    expect(page50.page).toBe(50);
    expect(page50.results).toHaveLength(20);
    expect(Object.keys(page50.results[0]!)).toEqual(['adult', 'backdrop_path', 'genre_ids', 'id', 'original_language', 'original_title', 'overview', 'popularity', 'poster_path', 'release_date', 'title', 'video', 'vote_average', 'vote_count']);
    const detail = await getRaw(fixture.baseUrl, `/3/movie/${String(page50.results[19]!.id)}?api_key=k`);
    expect(detail.status).toBe(200);
    expect(JSON.parse(detail.bytes.toString())).toMatchObject({ id: page50.results[19]!.id, title: page50.results[19]!.title, revenue: expect.any(Number) });
  });

  it('TMDB over the rate limit answers 429 in its own shape; other routes keep the generic body', async () => {
    const limited = await listenFixtureServer({ latency: { minMs: 0, maxMs: 0 }, seed: 1, faults: { ...NO_FAULTS, rateLimitPerSec: 1 } });
    try {
      await getRaw(limited.baseUrl, '/3/movie/278?api_key=k');
      const refused = await getRaw(limited.baseUrl, '/3/movie/278?api_key=k');
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(JSON.parse(refused.bytes.toString())).toEqual({ status_code: 25, status_message: 'Your request count (#) is over the allowed limit of (40).', success: false });
      const other = await getRaw(limited.baseUrl, '/posts/1');
      expect(other.status).toBe(429);
      expect(JSON.parse(other.bytes.toString())).toMatchObject({ error: 'rate limit exceeded' });
    } finally {
      await limited.close();
    }
  });
});

describe('--bandwidth: one link all responses share', () => {
  it('the bucket hands out its rate: 1 MB at 8 Mbit/s is due after about 1 s, whoever asks', () => {
    let now = 0;
    const link = createBandwidthLimiter(8, () => now);
    let last = 0;
    for (let i = 0; i < 64; i++) last = link.reserve(16_384);
    expect(last).toBeGreaterThan(1000 * (64 * 16_384 - 16_384) / 1_000_000 - 1);
    expect(last).toBeLessThan(1000 * (64 * 16_384) / 1_000_000 + 1);
    now = 10_000; // a long pause refills the bucket, but only up to its burst
    expect(link.reserve(16_384)).toBe(0);
    expect(link.reserve(100_000)).toBeGreaterThan(0);
  });

  it('slows `all` against one-at-a-time in proportion: the speedup falls towards 1 and the link rate holds', async () => {
    // Recent Pokémon (generation IX) have the smallest bodies: six of them, about 0.3 MB together.
    const paths = [910, 930, 950, 970, 990, 1010].map((id) => `/api/v2/pokemon/${id}`);
    const measure = async (bandwidthMbps: number | null): Promise<{ sequential: number; all: number; bytes: number }> => {
      const server = await listenFixtureServer({ latency: { minMs: 30, maxMs: 30 }, seed: 1, faults: { ...NO_FAULTS, bandwidthMbps } });
      try {
        let t = performance.now();
        let bytes = 0;
        for (const p of paths) bytes += (await getRaw(server.baseUrl, p)).bytes.length;
        const sequential = performance.now() - t;
        t = performance.now();
        await Promise.all(paths.map((p) => getRaw(server.baseUrl, p)));
        return { sequential, all: performance.now() - t, bytes };
      } finally {
        await server.close();
      }
    };
    const free = await measure(null);
    const mbps = 8;
    const limited = await measure(mbps);
    const transferMs = (limited.bytes * 8) / (mbps * 1000);
    expect(limited.bytes).toBeGreaterThan(150_000);
    // All at once can go no faster than the link: the bytes over the rate, minus one burst.
    expect(limited.all).toBeGreaterThan(transferMs * 0.7);
    expect(limited.all).toBeLessThan(transferMs * 3 + 500);
    const freeSpeedup = free.sequential / free.all;
    const limitedSpeedup = limited.sequential / limited.all;
    expect(freeSpeedup).toBeGreaterThan(2.5);
    expect(limitedSpeedup).toBeLessThan(freeSpeedup / 1.8);
  });
});
