import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { RequestOutcome } from '../../src/core/types.js';
import { pickFromBodies, shorten, type PlanInput } from '../../src/targets/preset.js';
import { PRESETS, PRESET_NAMES, findPreset, presetOfPath } from '../../src/targets/presets/index.js';
import { POST_COUNT, jsonplaceholderPreset } from '../../src/targets/presets/jsonplaceholder.js';
import { POKEMON_COUNT, pokemonPreset } from '../../src/targets/presets/pokemon.js';
import { tmdbAuth, tmdbPreset } from '../../src/targets/presets/tmdb.js';
import { resolveTarget } from '../../src/targets/resolve.js';
import { MAX_LINE_CHARS, lineSplitter, readUrlFile, readUrlLines, validateUrl } from '../../src/targets/url-list.js';

const BASE = 'http://127.0.0.1:4321';

/** Runs fn, expects it to reject with a UsageError, and returns its message. */
async function usageMessage(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).message;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

const idOf = (url: string, prefix: string): number => {
  expect(url.startsWith(prefix)).toBe(true);
  const tail = url.slice(prefix.length);
  expect(tail).toMatch(/^\d+$/);
  return Number(tail);
};

describe.each([
  { preset: pokemonPreset, prefix: `${BASE}/api/v2/pokemon/`, max: POKEMON_COUNT },
  { preset: jsonplaceholderPreset, prefix: `${BASE}/posts/`, max: POST_COUNT },
])('$preset.name buildUrls', ({ preset, prefix, max }) => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = preset.buildUrls({ count: 20, seed: 42, baseUrl: BASE });
    expect(preset.buildUrls({ count: 20, seed: 42, baseUrl: BASE })).toEqual(a);
    expect(preset.buildUrls({ count: 20, seed: 43, baseUrl: BASE })).not.toEqual(a);
  });

  it('makes exactly count URLs on the base URL, ids within 1..max (both ends reachable)', () => {
    const urls = preset.buildUrls({ count: 20_000, seed: 7, baseUrl: BASE });
    expect(urls).toHaveLength(20_000);
    const bad = urls.filter((u) => !u.startsWith(prefix) || !/^\d+$/.test(u.slice(prefix.length)));
    expect(bad).toEqual([]);
    const ids = urls.map((u) => Number(u.slice(prefix.length)));
    expect(Math.min(...ids)).toBe(1);
    expect(Math.max(...ids)).toBe(max);
  });

  it('uses the base URL it is given (live or fixture server)', () => {
    const [url] = preset.buildUrls({ count: 1, seed: 1, baseUrl: preset.liveBaseUrl });
    expect(url?.startsWith(`${preset.liveBaseUrl}/`)).toBe(true);
  });

  it('plan() gives the same URLs and no headers', async () => {
    const input: PlanInput = {
      count: 5, seed: 42, baseUrl: BASE, apiKey: null, language: 'en-US',
      fetchText: () => Promise.reject(new Error('a simple preset fetches nothing while planning')),
    };
    expect(await preset.plan(input)).toEqual({ urls: preset.buildUrls(input), headers: {} });
  });
});

describe('pokemon', () => {
  it('is pinned for seed 42 (the ids reports and docs show)', () => {
    expect(pokemonPreset.buildUrls({ count: 5, seed: 42, baseUrl: BASE }).map((u) => idOf(u, `${BASE}/api/v2/pokemon/`))).toEqual([
      617, 460, 874, 687, 180,
    ]);
  });

  it('sample() names the Pokémon from JSON bodies and skips the rest', () => {
    const bodies = [
      JSON.stringify({ id: 25, name: 'pikachu', height: 4 }),
      'not json {',
      '<html>502 Bad Gateway</html>',
      JSON.stringify({ id: 1, name: 'bulbasaur' }),
      JSON.stringify({ detail: 'Not found.' }),
      '[]',
    ];
    expect(pokemonPreset.sample(bodies)).toBe('Pokémon: #25 pikachu, #1 bulbasaur');
    expect(pokemonPreset.sample(['oops', ''])).toBe(null);
    expect(pokemonPreset.sample([])).toBe(null);
  });
});

describe('jsonplaceholder sample()', () => {
  it('quotes up to three titles, shortened to 40 characters', () => {
    const long = 'sunt aut facere repellat provident occaecati excepturi optio reprehenderit';
    const bodies = [long, 'qui est esse', 'ea molestias', 'eum et est'].map((title, i) => JSON.stringify({ id: i + 1, title }));
    expect(jsonplaceholderPreset.sample(['nope', ...bodies])).toBe(
      'Posts: "sunt aut facere repellat provident occa…", "qui est esse", "ea molestias"',
    );
    expect(jsonplaceholderPreset.sample(['{"title": 5}'])).toBe(null);
  });
});

describe('preset helpers', () => {
  it('pickFromBodies skips bodies that do not parse or are not picked', () => {
    expect(pickFromBodies(['1', 'x', '2', 'null'], (v) => (typeof v === 'number' ? v * 10 : undefined))).toEqual([10, 20]);
  });

  it('shorten cuts to max characters with an ellipsis', () => {
    expect(shorten('abcdef', 6)).toBe('abcdef');
    expect(shorten('abcdefg', 6)).toBe('abcde…');
    expect(shorten('abc   defg', 6)).toBe('abc…');
  });
});

describe('tmdb', () => {
  const page = (ids: number[], totalPages: number): string => JSON.stringify({ page: 1, results: ids.map((id) => ({ id, title: `m${id}` })), total_pages: totalPages });
  const okBody = (body: string): RequestOutcome => ({ status: 200, bytes: body.length, ttfbMs: 1, error: null, body });

  function planInput(count: number, pages: Record<number, RequestOutcome>, apiKey: string | null = 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln') {
    const requested: Array<{ url: string; headers: Record<string, string> }> = [];
    const input: PlanInput = {
      count, seed: 1, baseUrl: BASE, apiKey, language: 'ko-KR',
      fetchText: async (url, headers) => {
        requested.push({ url, headers });
        const n = Number(new URL(url).searchParams.get('page'));
        return pages[n] ?? { status: 404, bytes: 0, ttfbMs: 1, error: 'http4xx' };
      },
    };
    return { input, requested };
  }

  it('is found by name and needs TMDB_API_KEY', () => {
    expect(findPreset('tmdb')).toBe(tmdbPreset);
    expect(tmdbPreset.keyVariable).toBe('TMDB_API_KEY');
  });

  it('tmdbAuth: a v3 key goes in api_key, a v4 token in a Bearer header', () => {
    expect(tmdbAuth('0123456789abcdef0123456789ABCDEF')).toEqual({ headers: {}, query: '&api_key=0123456789abcdef0123456789ABCDEF' });
    expect(tmdbAuth('eyJ.a.b')).toEqual({ headers: { authorization: 'Bearer eyJ.a.b' }, query: '' });
  });

  it('fetches as many now-playing pages as the count needs, then one detail URL per request', async () => {
    const ids1 = Array.from({ length: 20 }, (_, i) => 100 + i);
    const ids2 = Array.from({ length: 20 }, (_, i) => 200 + i);
    const ids3 = Array.from({ length: 20 }, (_, i) => 300 + i);
    const { input, requested } = planInput(45, { 1: okBody(page(ids1, 9)), 2: okBody(page(ids2, 9)), 3: okBody(page(ids3, 9)) });
    const plan = await tmdbPreset.plan(input);
    expect(requested.map((r) => new URL(r.url).searchParams.get('page'))).toEqual(['1', '2', '3']);
    expect(requested[0]!.url).toBe(`${BASE}/3/movie/now_playing?language=ko-KR&page=1`);
    expect(requested.every((r) => r.headers.authorization?.startsWith('Bearer ') === true)).toBe(true);
    expect(plan.urls).toHaveLength(45);
    expect(plan.urls[0]).toBe(`${BASE}/3/movie/100?language=ko-KR`);
    expect(plan.urls[44]).toBe(`${BASE}/3/movie/304?language=ko-KR`);
    expect(plan.headers).toEqual({ authorization: `Bearer ${input.apiKey!}` });
    expect(plan.setup).toMatchObject({ name: 'now_playing', requests: 3, ok: 3, failed: 0, items: 60, statusCodes: { '200': 3 } });
  });

  it('reuses the list from the top when fewer movies play than requested', async () => {
    const { input } = planInput(7, { 1: okBody(page([5, 6, 7], 1)) }, '0123456789abcdef0123456789abcdef');
    const plan = await tmdbPreset.plan(input);
    expect(plan.urls.map((u) => new URL(u).pathname)).toEqual(
      [5, 6, 7, 5, 6, 7, 5].map((id) => `/3/movie/${id}`),
    );
    expect(plan.urls[0]).toBe(`${BASE}/3/movie/5?language=ko-KR&api_key=0123456789abcdef0123456789abcdef`);
    expect(plan.headers).toEqual({});
  });

  it('a refused key gives no URLs and a failed setup stage', async () => {
    const { input } = planInput(10, { 1: { status: 401, bytes: 0, ttfbMs: 1, error: 'http4xx', body: '{"status_code":7}' } });
    const plan = await tmdbPreset.plan(input);
    expect(plan.urls).toEqual([]);
    expect(plan.setup).toMatchObject({ requests: 1, ok: 0, failed: 1, items: 0, statusCodes: { '401': 1 } });
    expect(plan.setup?.errors.http4xx).toBe(1);
  });

  it('sample() names the highest rated movie and sums revenue once per movie', () => {
    const movie = (id: number, title: string, vote: number, revenue: number): string =>
      JSON.stringify({ id, title, vote_average: vote, revenue });
    expect(tmdbPreset.sample([movie(1, 'Alpha', 7.25, 900_000_000), 'x', movie(2, 'Beta', 8.5, 400_000_000), movie(1, 'Alpha', 7.25, 900_000_000)])).toBe(
      'Movies: highest rated Beta (8.5/10); total revenue $1.30 billion across 2 movies',
    );
    expect(tmdbPreset.sample(['nope'])).toBe(null);
  });
});

describe('findPreset', () => {
  it('finds every preset by its name', () => {
    for (const preset of PRESETS) expect(findPreset(preset.name)).toBe(preset);
    expect(PRESET_NAMES).toEqual(['pokemon', 'jsonplaceholder', 'tmdb']);
  });

  it('suggests the preset meant', async () => {
    expect(await usageMessage(() => findPreset('pokemn'))).toBe(
      "unknown preset 'pokemn' (did you mean 'pokemon'?); presets are pokemon, jsonplaceholder, tmdb, or give http(s) URLs",
    );
    expect(await usageMessage(() => findPreset('jsonplaceholdr'))).toMatch(/did you mean 'jsonplaceholder'/);
  });

  it('lists the presets without a guess for nonsense', async () => {
    const message = await usageMessage(() => findPreset('zzzzzz'));
    expect(message).not.toContain('did you mean');
    expect(message).toContain('presets are pokemon, jsonplaceholder, tmdb');
  });
});

describe('readUrlLines', () => {
  it('skips blank lines and # comments, trims, keeps order', async () => {
    const text = '# my list\nhttps://a.example/1\n\n   \n  https://b.example/2?x=1  \r\n   # indented comment\nhttp://127.0.0.1:8080/p\n';
    expect(await readUrlLines(Readable.from(text), 'urls.txt')).toEqual([
      'https://a.example/1',
      'https://b.example/2?x=1',
      'http://127.0.0.1:8080/p',
    ]);
  });

  it('reads a last line without a newline', async () => {
    expect(await readUrlLines(Readable.from('https://a.example/1\nhttps://b.example/2'), 'x')).toEqual([
      'https://a.example/1',
      'https://b.example/2',
    ]);
  });

  it('gives nothing for only comments', async () => {
    expect(await readUrlLines(Readable.from('# a\n\n#b\n'), 'x')).toEqual([]);
  });

  it('names the file and line number of a bad URL', async () => {
    const text = '# header\nhttps://a.example/1\n\nftp://files.example/x\n';
    expect(await usageMessage(() => readUrlLines(Readable.from(text), 'urls.txt'))).toBe(
      "invalid URL at urls.txt:4 'ftp://files.example/x': only http and https are supported, not ftp",
    );
  });

  it('rejects white space inside a URL', async () => {
    const message = await usageMessage(() => readUrlLines(Readable.from('https://a.example/ok\nhttps://a.example/a b\n'), 'stdin'));
    expect(message).toMatch(/^invalid URL at stdin:2 'https:\/\/a\.example\/a(%20| )b': it contains white space \(encode spaces as %20\)$/);
  });

  it('rejects text that is not a URL', async () => {
    expect(await usageMessage(() => readUrlLines(Readable.from('\nexample.com/x\n'), 'list'))).toBe(
      "invalid URL at list:2 'example.com/x': not a URL (expected http://… or https://…)",
    );
  });
});

describe('reading input: linear, and messages that quote little of it', () => {
  it('rejects a 5 MB single line with a message under 300 characters', async () => {
    const line = `http://a.example/${'x'.repeat(5_000_000)}`;
    const message = await usageMessage(() => readUrlLines(Readable.from([line]), 'big.txt'));
    expect(message.length).toBeLessThan(300);
    expect(message).toMatch(/^big\.txt:1 is longer than 1,048,576 characters/);
  });

  it('rejects a 5 MB URL argument with a message under 300 characters, cut with …', async () => {
    const message = await usageMessage(() => validateUrl(`htp:/${'y'.repeat(5_000_000)} z`));
    expect(message.length).toBeLessThan(300);
    expect(message).toContain("…'");
  });

  it('quotes a bad line just under the line limit in at most about 200 characters', async () => {
    const line = `http://a.example/${'z'.repeat(MAX_LINE_CHARS - 100)} tail`;
    const message = await usageMessage(() => readUrlLines(Readable.from([line, '\n']), 'u.txt'));
    expect(message).toMatch(/^invalid URL at u\.txt:1 'http:\/\/a\.example\/z+…': it contains white space/);
    expect(message.length).toBeLessThan(300);
  });

  it('splits lines across chunks of any size the same way', () => {
    const text = 'a\nbb\r\n\nccc\nlast';
    for (const size of [1, 2, 3, 5, 100]) {
      const lines: string[] = [];
      const splitter = lineSplitter((l) => lines.push(l), () => {
        throw new Error('too long');
      });
      for (let i = 0; i < text.length; i += size) splitter.write(text.slice(i, i + size));
      splitter.end();
      expect(lines).toEqual(['a', 'bb\r', '', 'ccc', 'last']);
    }
  });

  it('takes time linear in the length of one long line given in 1 KB chunks (one 16 MB line vs sixteen of 1 MB)', () => {
    // Concatenating and searching the whole pending line at every chunk made this quadratic:
    // one line of 16 MB then cost 16x what sixteen lines of 1 MB cost (and minutes for 8 MB).
    // Linear costs the same for the same bytes; the bound of 8x leaves room for a busy
    // neighbour and still catches quadratic by 2x. Both sides write 16 MB, so the collections
    // they cause are alike (a bare 1 MB run was too quick to meet one, and a heap shared with
    // other files made 16 MB look quadratic). The sides take turns, so a busy spell lands on
    // both; each keeps its best of 5.
    const chunk = 'x'.repeat(1024);
    const once = (megabytes: number): void => {
      let length = 0;
      const splitter = lineSplitter((l) => (length = l.length), () => {
        throw new Error('too long');
      }, Infinity);
      for (let i = 0; i < megabytes * 1024; i++) splitter.write(chunk);
      splitter.write('\n');
      expect(length).toBe(megabytes * 1024 * 1024);
    };
    const timed = (work: () => void): number => {
      const started = performance.now();
      work();
      return performance.now() - started;
    };
    once(1); // warm up
    let sixteenSmall = Infinity;
    let oneLarge = Infinity;
    for (let round = 0; round < 5; round++) {
      sixteenSmall = Math.min(sixteenSmall, timed(() => {
        for (let i = 0; i < 16; i++) once(1);
      }));
      oneLarge = Math.min(oneLarge, timed(() => once(16)));
    }
    expect(oneLarge / sixteenSmall).toBeLessThan(8);
  });
});

describe('validateUrl', () => {
  it('normalises a good URL', () => {
    expect(validateUrl('HTTPS://Example.COM')).toBe('https://example.com/');
    expect(validateUrl('http://127.0.0.1:8080/a?b=1')).toBe('http://127.0.0.1:8080/a?b=1');
  });

  it('hides secrets in its error messages', async () => {
    const message = await usageMessage(() => validateUrl('ftp://user:hunter2secret@files.example/?token=hunter2secret'));
    expect(message).not.toContain('hunter2secret');
    expect(message).toMatch(/only http and https/);
  });
});

describe('readUrlFile', () => {
  it('reads standard input for "-"', async () => {
    expect(await readUrlFile('-', Readable.from('https://a.example/\n'))).toEqual(['https://a.example/']);
  });

  it('turns a missing file into a usage error', async () => {
    expect(await usageMessage(() => readUrlFile('/nonexistent/async-bench/urls.txt'))).toBe(
      "cannot read URL file '/nonexistent/async-bench/urls.txt': no such file",
    );
  });
});

describe('resolveTarget', () => {
  it('resolves one preset', async () => {
    expect(await resolveTarget(['pokemon'], [])).toEqual({ kind: 'preset', preset: pokemonPreset });
  });

  it('uses URLs from the arguments and then the file, in order', async () => {
    const target = await resolveTarget(['https://a.example/1', 'https://b.example/2'], ['-'], Readable.from('https://c.example/3\n'));
    expect(target).toEqual({ kind: 'urls', urls: ['https://a.example/1', 'https://b.example/2', 'https://c.example/3'] });
  });

  it('refuses a preset mixed with URLs, another preset or a file', async () => {
    const mixing = /cannot be mixed with URLs or other presets/;
    expect(await usageMessage(() => resolveTarget(['pokemon', 'https://a.example/'], []))).toMatch(mixing);
    expect(await usageMessage(() => resolveTarget(['https://a.example/', 'pokemon'], []))).toMatch(mixing);
    expect(await usageMessage(() => resolveTarget(['pokemon', 'jsonplaceholder'], []))).toMatch(mixing);
    expect(await usageMessage(() => resolveTarget(['pokemon'], ['-'], Readable.from('https://a.example/\n')))).toMatch(mixing);
  });

  it('refuses an empty target list', async () => {
    expect(await usageMessage(() => resolveTarget([], []))).toMatch(/^nothing to fetch/);
    expect(await usageMessage(() => resolveTarget([], ['-'], Readable.from('# nothing\n\n')))).toBe(
      "no URLs in 'stdin' (blank lines and # comments are skipped)",
    );
  });

  it('takes a list of 150,000 URLs from a file next to an argument (no stack overflow from a spread)', async () => {
    // 125,000 spread arguments overflowed the stack; the limit is memory now (1,000,000 in the bench).
    const count = 150_000;
    const lines = new Array<string>(count);
    for (let i = 0; i < count; i++) lines[i] = `${BASE}/item/${i}`;
    const target = await resolveTarget([`${BASE}/first`], ['-'], Readable.from([lines.join('\n')]));
    expect(target.kind).toBe('urls');
    const urls = target.kind === 'urls' ? target.urls : [];
    expect(urls).toHaveLength(count + 1);
    expect(urls[0]).toBe(`${BASE}/first`);
    expect(urls[count]).toBe(`${BASE}/item/${count - 1}`);
  });

  it('suggests a preset for a typo and rejects a bad URL argument', async () => {
    expect(await usageMessage(() => resolveTarget(['pokemn'], []))).toMatch(/did you mean 'pokemon'/);
    expect(await usageMessage(() => resolveTarget(['ftp://a.example/'], []))).toMatch(/only http and https/);
  });
});

describe('paths of the built-in server (/posts, with --offline)', () => {
  it('are taken from the arguments and from -f lines, normalised, and marked as paths', async () => {
    const file = Readable.from(['# the list\n/posts\n/posts/1?x=ä\n']);
    expect(await resolveTarget(['/api/v2/pokemon/{{rand:1-10}}'], [], file)).toEqual({ kind: 'urls', urls: ['/api/v2/pokemon/{{rand:1-10}}'], paths: true });
    expect(await resolveTarget([], ['-'], file)).toEqual({ kind: 'urls', urls: ['/posts', '/posts/1?x=%C3%A4'], paths: true });
  });

  it('are refused mixed with URLs, or with white space', async () => {
    expect(await usageMessage(() => resolveTarget(['/posts', 'http://a.example/'], []))).toBe(
      "paths ('/posts') are fetched from the built-in server with --offline, URLs from where they point: give only paths, or only URLs",
    );
    expect(await usageMessage(() => resolveTarget([], ['-'], Readable.from(['/a b\n'])))).toBe("invalid path at stdin:1 '/a b': it contains white space (encode spaces as %20)");
  });

  it("take the delay of the preset whose routes they are, else jsonplaceholder's", () => {
    expect(presetOfPath('/api/v2/pokemon/1').name).toBe('pokemon');
    expect(presetOfPath('/3/movie/now_playing').name).toBe('tmdb');
    expect(['/posts', '/users/1', '/todos', '/comments', '/other'].map((p) => presetOfPath(p).name)).toEqual(Array(5).fill('jsonplaceholder'));
  });
});
