import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the fixture data lives: fixtures/ at the package root (two levels above this module). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export interface JsonPlaceholderData {
  users: Array<{ id: number } & Record<string, unknown>>;
  posts: Array<{ id: number; userId: number } & Record<string, unknown>>;
  todos: Array<{ id: number; userId: number } & Record<string, unknown>>;
  comments: Array<{ id: number; postId: number } & Record<string, unknown>>;
}

export interface TmdbMovie {
  id: number;
  title: string;
  original_title: string;
  original_language: string;
  overview: string;
  popularity: number;
  release_date: string;
  vote_average: number;
  vote_count: number;
  adult: boolean;
  video: boolean;
  revenue: number;
  runtime: number;
  budget: number;
  genres: Array<{ id: number; name: string }>;
}

/** The compact lists the fixture PokeAPI builds its bodies from (fixtures/pokeapi.json). */
export interface PokeApiData {
  /** The first id of each generation, generation I first. */
  generationStarts: number[];
  /** In PokeAPI's id order: a name's id is its index + 1. */
  moves: string[];
  versionGroups: Array<{ name: string; generation: number }>;
  versions: string[];
  moveLearnMethods: string[];
  abilities: string[];
  items: Record<string, number>;
}

export interface FixtureData {
  pokemonNames: string[];
  pokeapi: PokeApiData;
  jsonplaceholder: JsonPlaceholderData;
  tmdbMovies: TmdbMovie[];
}

function readJson<T>(name: string, dir: string): T {
  return JSON.parse(readFileSync(dir + name, 'utf8')) as T;
}

export function loadFixtureData(dir = FIXTURES_DIR): FixtureData {
  return {
    pokemonNames: readJson<string[]>('pokemon-names.json', dir),
    pokeapi: readJson<PokeApiData>('pokeapi.json', dir),
    jsonplaceholder: readJson<JsonPlaceholderData>('jsonplaceholder.json', dir),
    tmdbMovies: readJson<TmdbMovie[]>('tmdb-movies.json', dir),
  };
}
