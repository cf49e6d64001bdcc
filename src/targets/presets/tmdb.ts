import { performance } from 'node:perf_hooks';
import { emptyErrorCounts } from '../../core/report.js';
import { cleanServerText } from '../../core/sanitize.js';
import type { ErrorClass } from '../../core/types.js';
import { isRecord, pickFromBodies, serverText, shorten, type PlanInput, type Preset, type PresetPlan, type SetupStage } from '../preset.js';

/** TMDB lists 20 movies a page. */
const PAGE_SIZE = 20;
/** The API's own page limit. */
const MAX_PAGES = 500;
/** Sent with --offline when no key is set, so the offline demo needs no account. */
export const OFFLINE_PLACEHOLDER_KEY = 'offline-placeholder-token';

/**
 * A v4 read-access token is a JWT (three base64url parts) and goes in a Bearer header;
 * a v3 key (32 hex digits) goes in the api_key query parameter.
 */
export function tmdbAuth(key: string): { headers: Record<string, string>; query: string } {
  const isV3 = /^[0-9a-f]{32}$/i.test(key);
  return isV3 ? { headers: {}, query: `&api_key=${encodeURIComponent(key)}` } : { headers: { authorization: `Bearer ${key}` }, query: '' };
}

interface MovieListPage {
  ids: number[];
  totalPages: number;
}

function parsePage(body: string | undefined): MovieListPage | null {
  if (body === undefined) return null;
  try {
    const value = JSON.parse(body) as unknown;
    if (!isRecord(value) || !Array.isArray(value.results)) return null;
    const ids = value.results.filter(isRecord).map((m) => m.id).filter((id): id is number => typeof id === 'number');
    const totalPages = typeof value.total_pages === 'number' ? value.total_pages : 1;
    return { ids, totalPages };
  } catch {
    return null;
  }
}

/**
 * Why a 2xx answer gave no movies, in words: "200 but the body is not JSON (starts '<!DOCTYPE
 * html>…')": a captive portal, a proxy's error page or a wrong base URL, not the API.
 */
export function notAMovieList(status: number, body: string | undefined): string {
  const text = (body ?? '').trim();
  if (text === '') return `${status} but the body is empty, not a JSON movie list`;
  let json = true;
  try {
    JSON.parse(text);
  } catch {
    json = false;
  }
  const start = shorten(cleanServerText(text).replace(/\s+/g, ' '), 40);
  return json ? `${status} but the JSON has no movie list (results): '${start}'` : `${status} but the body is not JSON (starts '${start}')`;
}

function addExample(stage: SetupStage, error: ErrorClass, message: string): void {
  const examples = ((stage.errorExamples ??= {})[error] ??= []);
  const known = examples.find((e) => e.message === message);
  if (known) known.count++;
  else if (examples.length < 3) examples.push({ message, count: 1 });
}

/** Stage 1: as many now-playing pages as the count needs (page 1 first, to learn how many there are). */
async function fetchNowPlaying(input: PlanInput, auth: ReturnType<typeof tmdbAuth>): Promise<{ ids: number[]; stage: SetupStage }> {
  const pagesWanted = Math.min(MAX_PAGES, Math.ceil(input.count / PAGE_SIZE));
  const stage: SetupStage = { name: 'now_playing', requests: 0, ok: 0, failed: 0, wallMs: 0, items: 0, errors: emptyErrorCounts(), statusCodes: {} };
  const pageUrl = (page: number): string =>
    `${input.baseUrl}/3/movie/now_playing?language=${encodeURIComponent(input.language)}&page=${page}${auth.query}`;
  const started = performance.now();
  const fetchPage = async (page: number): Promise<MovieListPage | null> => {
    stage.requests++;
    const outcome = await input.fetchText(pageUrl(page), auth.headers);
    if (outcome.status > 0) stage.statusCodes[outcome.status] = (stage.statusCodes[outcome.status] ?? 0) + 1;
    const parsed = outcome.error === null ? parsePage(outcome.body) : null;
    if (parsed) stage.ok++;
    else {
      stage.failed++;
      const error = outcome.error ?? 'other';
      stage.errors[error]++;
      const message = outcome.error === null ? notAMovieList(outcome.status, outcome.body) : outcome.cause;
      if (message !== undefined) addExample(stage, error, message);
    }
    return parsed;
  };
  const first = await fetchPage(1);
  const ids = first ? [...first.ids] : [];
  if (first) {
    const last = Math.min(pagesWanted, first.totalPages);
    const rest = await Promise.all(Array.from({ length: Math.max(0, last - 1) }, (_, k) => fetchPage(k + 2)));
    for (const page of rest) if (page) for (const id of page.ids) ids.push(id);
  }
  stage.wallMs = performance.now() - started;
  stage.items = ids.length;
  return { ids, stage };
}

export const tmdbPreset: Preset = {
  name: 'tmdb',
  liveBaseUrl: 'https://api.themoviedb.org',
  description: 'GET /3/movie/now_playing, then /3/movie/{id} for each',
  keyVariable: 'TMDB_API_KEY',
  defaultLatency: { minMs: 40, maxMs: 160 },
  sampleSize: 100,
  unauthorizedHint: 'TMDB answered 401: the API key was refused; set TMDB_API_KEY to a v3 API key or a v4 read access token (themoviedb.org → Settings → API)',
  async plan(input): Promise<PresetPlan> {
    const auth = tmdbAuth(input.apiKey ?? OFFLINE_PLACEHOLDER_KEY);
    const { ids, stage } = await fetchNowPlaying(input, auth);
    // When fewer movies are playing than requested, the list is used again from the top.
    const urls = ids.length === 0 ? [] : Array.from({ length: input.count }, (_, i) =>
      `${input.baseUrl}/3/movie/${ids[i % ids.length]!}?language=${encodeURIComponent(input.language)}${auth.query}`);
    return { urls, headers: auth.headers, setup: stage };
  },
  sample(bodies) {
    const movies = new Map<number, { title: string; vote: number; revenue: number }>();
    for (const m of pickFromBodies(bodies, (v) => (isRecord(v) && typeof v.id === 'number' && typeof v.title === 'string' ? v : undefined))) {
      movies.set(m.id as number, {
        title: serverText(m.title) ?? '',
        vote: typeof m.vote_average === 'number' ? m.vote_average : 0,
        revenue: typeof m.revenue === 'number' ? m.revenue : 0,
      });
    }
    if (movies.size === 0) return null;
    const list = [...movies.values()];
    const best = list.reduce((a, b) => (b.vote > a.vote ? b : a));
    const revenue = list.reduce((sum, m) => sum + m.revenue, 0);
    return `Movies: highest rated ${shorten(best.title, 40)} (${best.vote.toFixed(1)}/10); total revenue ${formatDollars(revenue)} across ${list.length} movies`;
  },
};

function formatDollars(amount: number): string {
  if (amount >= 1e9) return `$${(amount / 1e9).toFixed(2)} billion`;
  if (amount >= 1e6) return `$${(amount / 1e6).toFixed(1)} million`;
  return `$${amount.toLocaleString('en-US')}`;
}
