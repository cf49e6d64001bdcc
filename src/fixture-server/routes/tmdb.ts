import type { TmdbMovie } from '../data.js';
import { json, type FixtureRequest, type FixtureResponse, type Route } from './types.js';

const PREFIX = '/3/movie/';
/** TMDB serves 20 results a page. */
export const TMDB_PAGE_SIZE = 20;

const UNAUTHORIZED = {
  status_code: 7,
  status_message: 'Invalid API key: You must be granted a valid key.',
  success: false,
};
const NOT_FOUND = { status_code: 34, status_message: 'The resource you requested could not be found.', success: false };

/** Like the real API: a Bearer token or an api_key parameter, any non-empty one. */
function authorized(request: FixtureRequest): boolean {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' && /^Bearer\s+\S+/i.test(header);
  const key = request.query.get('api_key');
  return bearer || (key !== null && key !== '');
}

function listItem(movie: TmdbMovie): Record<string, unknown> {
  const { id, title, original_title, original_language, overview, popularity, release_date, vote_average, vote_count, adult, video } = movie;
  return { adult, genre_ids: movie.genres.map((g) => g.id), id, original_language, original_title, overview, popularity, release_date, title, video, vote_average, vote_count };
}

function nowPlaying(movies: readonly TmdbMovie[], request: FixtureRequest): FixtureResponse {
  const totalPages = Math.max(1, Math.ceil(movies.length / TMDB_PAGE_SIZE));
  const page = Number(request.query.get('page') ?? '1');
  if (!Number.isInteger(page) || page < 1 || page > 500) {
    return json({ success: false, status_code: 22, status_message: 'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.' }, 400);
  }
  const results = movies.slice((page - 1) * TMDB_PAGE_SIZE, page * TMDB_PAGE_SIZE).map(listItem);
  return json({
    dates: { maximum: '2026-11-28', minimum: '2026-10-17' },
    page,
    results,
    total_pages: totalPages,
    total_results: movies.length,
  });
}

/** TMDB v3: /3/movie/now_playing?language=&page= and /3/movie/{id}, 401 without a key. */
export function tmdbRoute(movies: readonly TmdbMovie[]): Route {
  const byId = new Map(movies.map((m) => [m.id, m]));
  return (request): FixtureResponse | null => {
    if (!request.path.startsWith(PREFIX)) return null;
    if (!authorized(request)) return json(UNAUTHORIZED, 401);
    const rest = request.path.slice(PREFIX.length).replace(/\/$/, '');
    if (rest === 'now_playing') return nowPlaying(movies, request);
    const movie = /^\d+$/.test(rest) ? byId.get(Number(rest)) : undefined;
    return movie ? json(movie) : json(NOT_FOUND, 404);
  };
}
