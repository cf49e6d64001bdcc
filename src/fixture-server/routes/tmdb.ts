import { createRandom, hashString, randomInt } from '../../core/random.js';
import type { TmdbMovie } from '../data.js';
import { json, type FixtureRequest, type FixtureResponse, type Route } from './types.js';

const PREFIX = '/3/movie/';
/** TMDB serves 20 results a page. */
export const TMDB_PAGE_SIZE = 20;
/** Movies now playing, as many as the real list holds on a usual day: 52 pages. */
export const TMDB_NOW_PLAYING_TOTAL = 1032;
const CACHE_CONTROL = 'public, max-age=14400';
/** Ids of the movies made up beyond fixtures/tmdb-movies.json, in the range of recent TMDB ids. */
const GENERATED_ID_BASE = 1_100_000;
const GENRES = [
  { id: 28, name: 'Action' }, { id: 12, name: 'Adventure' }, { id: 16, name: 'Animation' }, { id: 35, name: 'Comedy' },
  { id: 80, name: 'Crime' }, { id: 99, name: 'Documentary' }, { id: 18, name: 'Drama' }, { id: 10751, name: 'Family' },
  { id: 14, name: 'Fantasy' }, { id: 36, name: 'History' }, { id: 27, name: 'Horror' }, { id: 10402, name: 'Music' },
  { id: 9648, name: 'Mystery' }, { id: 10749, name: 'Romance' }, { id: 878, name: 'Science Fiction' }, { id: 53, name: 'Thriller' },
];
const TITLE_FIRST = ['The Last', 'Silent', 'Broken', 'Midnight', 'Northern', 'Hidden', 'Golden', 'Distant', 'Wild', 'Burning', 'Lost', 'Iron'];
const TITLE_SECOND = ['Harbor', 'Signal', 'Kingdom', 'River', 'Frontier', 'Garden', 'Empire', 'Witness', 'Summer', 'Machine', 'Orchard', 'Tide', 'Crossing'];
const LANGUAGES = ['en', 'en', 'en', 'fr', 'ja', 'ko', 'es', 'de', 'it', 'hi'];

/** TMDB's answer over its request limit, the same for every route (status_code 25). */
export const TMDB_RATE_LIMITED = { status_code: 25, status_message: 'Your request count (#) is over the allowed limit of (40).', success: false };

/** The fault gate's 429 in TMDB's words, keeping its Retry-After. */
export function tmdbRateLimited(refusal: FixtureResponse): FixtureResponse {
  return { ...refusal, body: JSON.stringify(TMDB_RATE_LIMITED) };
}

/** A TMDB image path: "/" then 27 letters and digits, ".jpg". */
function imagePath(id: number, salt: number): string {
  const random = createRandom(hashString(String(id), salt));
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `/${Array.from({ length: 27 }, () => letters[randomInt(random, 0, letters.length - 1)]).join('')}.jpg`;
}

/** A movie beyond the fixture list, the same for the same index every time. */
function generatedMovie(index: number): TmdbMovie {
  const random = createRandom(hashString(`movie-${index}`));
  const title = `${TITLE_FIRST[randomInt(random, 0, TITLE_FIRST.length - 1)]!} ${TITLE_SECOND[randomInt(random, 0, TITLE_SECOND.length - 1)]!}${random() < 0.3 ? ` ${randomInt(random, 2, 4)}` : ''}`;
  const genres = [GENRES[randomInt(random, 0, GENRES.length - 1)]!, GENRES[randomInt(random, 0, GENRES.length - 1)]!].filter((g, i, all) => all.indexOf(g) === i);
  const budget = randomInt(random, 0, 40) * 2_500_000;
  const day = randomInt(random, 0, 42);
  return {
    id: GENERATED_ID_BASE + index * 37,
    title,
    original_title: title,
    original_language: LANGUAGES[randomInt(random, 0, LANGUAGES.length - 1)]!,
    overview: `${title}: a story of ${genres.map((g) => g.name.toLowerCase()).join(' and ')}.`,
    popularity: Math.round((5 + 300 / (1 + index / 20)) * 1000) / 1000,
    release_date: new Date(Date.UTC(2026, 9, 17 + day)).toISOString().slice(0, 10),
    vote_average: Math.round((4 + random() * 4.5) * 1000) / 1000,
    vote_count: randomInt(random, 0, 2500),
    adult: false,
    video: false,
    revenue: budget === 0 ? 0 : Math.round(budget * (0.2 + random() * 3)),
    runtime: randomInt(random, 80, 170),
    budget,
    genres,
  };
}

/** The fixture movies first, then made-up ones up to the now-playing total. */
export function nowPlayingMovies(fixtureMovies: readonly TmdbMovie[]): TmdbMovie[] {
  const generated = Array.from({ length: Math.max(0, TMDB_NOW_PLAYING_TOTAL - fixtureMovies.length) }, (_, i) => generatedMovie(i));
  return [...fixtureMovies, ...generated];
}

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

/** TMDB's list item fields, in its order. */
function listItem(movie: TmdbMovie): Record<string, unknown> {
  const { id, title, original_title, original_language, overview, popularity, release_date, vote_average, vote_count, adult, video } = movie;
  return {
    adult,
    backdrop_path: imagePath(id, 1),
    genre_ids: movie.genres.map((g) => g.id),
    id,
    original_language,
    original_title,
    overview,
    popularity,
    poster_path: imagePath(id, 2),
    release_date,
    title,
    video,
    vote_average,
    vote_count,
  };
}

/** The detail body: the fixture record with TMDB's image paths and the fields it always has. */
function detail(movie: TmdbMovie): Record<string, unknown> {
  return {
    backdrop_path: imagePath(movie.id, 1),
    belongs_to_collection: null,
    homepage: '',
    imdb_id: `tt${String(100000 + (movie.id % 9000000)).padStart(7, '0')}`,
    origin_country: [movie.original_language === 'en' ? 'US' : movie.original_language.toUpperCase()],
    poster_path: imagePath(movie.id, 2),
    production_companies: [],
    production_countries: [],
    spoken_languages: [],
    status: 'Released',
    tagline: '',
    ...movie,
  };
}

function nowPlaying(movies: readonly TmdbMovie[], request: FixtureRequest): FixtureResponse {
  const totalPages = Math.max(1, Math.ceil(movies.length / TMDB_PAGE_SIZE));
  const page = Number(request.query.get('page') ?? '1');
  if (!Number.isInteger(page) || page < 1 || page > 500) {
    return json({ success: false, status_code: 22, status_message: 'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.' }, 400);
  }
  const results = movies.slice((page - 1) * TMDB_PAGE_SIZE, page * TMDB_PAGE_SIZE).map(listItem);
  return json(
    {
      dates: { maximum: '2026-11-28', minimum: '2026-10-17' },
      page,
      results,
      total_pages: totalPages,
      total_results: movies.length,
    },
    200,
    { cacheControl: CACHE_CONTROL },
  );
}

/** TMDB v3: /3/movie/now_playing?language=&page= (52 pages) and /3/movie/{id}, 401 without a key. */
export function tmdbRoute(fixtureMovies: readonly TmdbMovie[]): Route {
  const movies = nowPlayingMovies(fixtureMovies);
  const byId = new Map(movies.map((m) => [m.id, m]));
  return (request): FixtureResponse | null => {
    if (!request.path.startsWith(PREFIX)) return null;
    if (!authorized(request)) return json(UNAUTHORIZED, 401);
    const rest = request.path.slice(PREFIX.length).replace(/\/$/, '');
    if (rest === 'now_playing') return nowPlaying(movies, request);
    const movie = /^\d+$/.test(rest) ? byId.get(Number(rest)) : undefined;
    return movie ? json(detail(movie), 200, { cacheControl: CACHE_CONTROL }) : json(NOT_FOUND, 404);
  };
}
