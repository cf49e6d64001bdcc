/**
 * The built-in fixture server, in this process on loopback: routes shaped like PokeAPI and
 * JSONPlaceholder, loopback-only binding, and its latency model.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureData } from '../../src/fixture-server/data.js';
import { delayFor } from '../../src/fixture-server/latency.js';
import { listenFixtureServer, type RunningFixtureServer } from '../../src/fixture-server/server.js';

const data = loadFixtureData();
let fixture: RunningFixtureServer;

interface Got {
  status: number;
  type: string | null;
  text: string;
}

async function get(path: string, init?: RequestInit): Promise<Got> {
  const response = await fetch(fixture.baseUrl + path, init);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function getJson<T = Record<string, unknown>>(path: string): Promise<T> {
  const got = await get(path);
  expect(got.status, `GET ${path}`).toBe(200);
  expect(got.type).toMatch(/application\/json/);
  return JSON.parse(got.text) as T;
}

beforeAll(async () => {
  fixture = await listenFixtureServer({ latency: { minMs: 0, maxMs: 0 }, seed: 1 });
});

afterAll(async () => {
  await fixture.close();
});

describe('fixture server: binding', () => {
  it('listens on 127.0.0.1 only, on a free port', () => {
    const address = fixture.server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    expect(fixture.baseUrl).toBe(`http://127.0.0.1:${address.port}`);
  });
});

describe('fixture server: PokeAPI routes', () => {
  it('serves /api/v2/pokemon/25 as pikachu', async () => {
    const body = await getJson<{ id: number; name: string; types: unknown[]; stats: unknown[]; moves: unknown[] }>('/api/v2/pokemon/25');
    expect(body.id).toBe(25);
    expect(body.name).toBe('pikachu');
    expect(body.types.length).toBeGreaterThan(0);
    expect(body.stats.length).toBe(6);
    expect(body.moves.length).toBeGreaterThan(0);
  });

  it('serves the same Pokémon by name, case-insensitively, and with a trailing slash', async () => {
    const byId = await get('/api/v2/pokemon/25');
    for (const path of ['/api/v2/pokemon/pikachu', '/api/v2/pokemon/Pikachu', '/api/v2/pokemon/25/']) {
      const got = await get(path);
      expect(got.status, path).toBe(200);
      expect(got.text, path).toBe(byId.text);
    }
  });

  it('serves the same body for the same id every time', async () => {
    const a = await get('/api/v2/pokemon/150');
    const b = await get('/api/v2/pokemon/150');
    expect(a.text).toBe(b.text);
  });

  it('points absolute links back at itself', async () => {
    const body = await getJson<{ species: { url: string } }>('/api/v2/pokemon/1');
    expect(body.species.url.startsWith(fixture.baseUrl + '/api/v2/')).toBe(true);
  });

  it.each(['/api/v2/pokemon/0', `/api/v2/pokemon/${data.pokemonNames.length + 1}`, '/api/v2/pokemon/99999', '/api/v2/pokemon/notapokemon', '/api/v2/pokemon/25/extra'])(
    'answers 404 for %s',
    async (path) => {
      expect((await get(path)).status).toBe(404);
    },
  );

  it('lists Pokémon with limit and offset', async () => {
    const page = await getJson<{ count: number; next: string | null; previous: string | null; results: Array<{ name: string; url: string }> }>(
      '/api/v2/pokemon?limit=5&offset=10',
    );
    expect(page.count).toBe(data.pokemonNames.length);
    expect(page.results.map((r) => r.name)).toEqual(data.pokemonNames.slice(10, 15));
    expect(page.results[0]?.url).toBe(`${fixture.baseUrl}/api/v2/pokemon/11/`);
    expect(page.next).toBe(`${fixture.baseUrl}/api/v2/pokemon?offset=15&limit=5`);
    expect(page.previous).toBe(`${fixture.baseUrl}/api/v2/pokemon?offset=5&limit=5`);
  });

  it('lists the first 20 by default and has no previous page there', async () => {
    const page = await getJson<{ previous: string | null; results: Array<{ name: string }> }>('/api/v2/pokemon');
    expect(page.results).toHaveLength(20);
    expect(page.results[0]?.name).toBe('bulbasaur');
    expect(page.previous).toBeNull();
  });

  it('has no next page at the end of the list', async () => {
    const total = data.pokemonNames.length;
    const page = await getJson<{ next: string | null; results: unknown[] }>(`/api/v2/pokemon?limit=10&offset=${total - 3}`);
    expect(page.results).toHaveLength(3);
    expect(page.next).toBeNull();
  });
});

describe('fixture server: JSONPlaceholder routes', () => {
  it('serves /posts/1 with its title', async () => {
    const post = await getJson<{ id: number; userId: number; title: string }>('/posts/1');
    expect(post.id).toBe(1);
    expect(post.title).toBe(data.jsonplaceholder.posts[0]?.title);
    expect(typeof post.title).toBe('string');
    expect(post.title.length).toBeGreaterThan(0);
  });

  it('serves /users as the whole list', async () => {
    const users = await getJson<Array<{ id: number }>>('/users');
    expect(users).toHaveLength(data.jsonplaceholder.users.length);
    expect(users.map((u) => u.id)).toEqual(data.jsonplaceholder.users.map((u) => u.id));
  });

  it('serves /todos/5', async () => {
    const todo = await getJson<{ id: number; userId: number }>('/todos/5');
    expect(todo.id).toBe(5);
    expect(typeof todo.userId).toBe('number');
  });

  it('filters /comments?postId=1, and /posts/1/comments gives the same list', async () => {
    const filtered = await getJson<Array<{ postId: number }>>('/comments?postId=1');
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((c) => c.postId === 1)).toBe(true);
    expect(filtered).toHaveLength(data.jsonplaceholder.comments.filter((c) => c.postId === 1).length);
    const nested = await getJson<Array<{ postId: number }>>('/posts/1/comments');
    expect(nested).toEqual(filtered);
  });

  it.each(['/posts/0', '/posts/99999', '/todos/abc'])('answers 404 for the unknown item %s', async (path) => {
    expect((await get(path)).status).toBe(404);
  });
});

describe('fixture server: everything else', () => {
  it.each(['/nope', '/api/v3/pokemon/1', '/posts/1/comments/extra', '/favicon.ico'])('answers 404 for %s', async (path) => {
    expect((await get(path)).status).toBe(404);
  });

  it('answers 405 to a POST', async () => {
    expect((await get('/posts/1', { method: 'POST', body: '{}' })).status).toBe(405);
  });
});

describe('latency model', () => {
  const model = { minMs: 100, maxMs: 400 };
  const paths = Array.from({ length: 50 }, (_, i) => `/api/v2/pokemon/${i + 1}`);

  it('gives the same delay for the same seed and path', () => {
    for (const path of paths) expect(delayFor(model, 42, path)).toBe(delayFor(model, 42, path));
  });

  it('stays within the range', () => {
    for (const seed of [0, 1, 42, 2 ** 32 - 1]) {
      for (const path of paths) {
        const d = delayFor(model, seed, path);
        expect(d).toBeGreaterThanOrEqual(model.minMs);
        expect(d).toBeLessThanOrEqual(model.maxMs);
      }
    }
  });

  it('varies with the path and with the seed', () => {
    const bySeed42 = paths.map((p) => delayFor(model, 42, p));
    const bySeed7 = paths.map((p) => delayFor(model, 7, p));
    expect(new Set(bySeed42).size).toBeGreaterThan(40);
    expect(bySeed7).not.toEqual(bySeed42);
    // Spread over the range, not bunched at one end.
    expect(Math.min(...bySeed42)).toBeLessThan(175);
    expect(Math.max(...bySeed42)).toBeGreaterThan(325);
  });

  it('is exactly the fixed delay when min equals max', () => {
    for (const path of paths.slice(0, 5)) expect(delayFor({ minMs: 100, maxMs: 100 }, 3, path)).toBe(100);
    expect(delayFor({ minMs: 0, maxMs: 0 }, 3, '/x')).toBe(0);
  });
});

describe('fixture server with a fixed delay', () => {
  let slow: RunningFixtureServer;

  beforeAll(async () => {
    slow = await listenFixtureServer({ latency: { minMs: 100, maxMs: 100 }, seed: 1 });
  });

  afterAll(async () => {
    await slow.close();
  });

  it('really waits the delay before answering', async () => {
    const t0 = performance.now();
    const response = await fetch(`${slow.baseUrl}/posts/1`);
    await response.text();
    const ms = performance.now() - t0;
    expect(response.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(90);
  });

  it('delays requests independently: ten at once take about one delay, not ten', async () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    let t0 = performance.now();
    for (const id of ids) await (await fetch(`${slow.baseUrl}/posts/${id}`)).text();
    const inTurn = performance.now() - t0;
    t0 = performance.now();
    const responses = await Promise.all(ids.map((id) => fetch(`${slow.baseUrl}/posts/${id}`).then((r) => r.text())));
    const atOnce = performance.now() - t0;
    expect(responses).toHaveLength(10);
    expect(atOnce).toBeGreaterThanOrEqual(90);
    // Compared in one run, not against a clock: ten in turn wait ten delays, ten at once one.
    expect(atOnce).toBeLessThan(inTurn / 2.5);
  });
});
