import { UsageError, closestMatch, quoteInput } from '../../core/errors.js';
import type { Preset } from '../preset.js';
import { jsonplaceholderPreset } from './jsonplaceholder.js';
import { pokemonPreset } from './pokemon.js';
import { tmdbPreset } from './tmdb.js';

export const PRESETS: readonly Preset[] = [pokemonPreset, jsonplaceholderPreset, tmdbPreset];
export const PRESET_NAMES: readonly string[] = PRESETS.map((p) => p.name);

/** The preset of that name; a usage error with a suggestion for anything else. */
export function findPreset(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name);
  if (preset) return preset;
  const suggestion = closestMatch(name, PRESET_NAMES);
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
  throw new UsageError(
    `unknown preset ${quoteInput(name)}${hint}; presets are ${PRESET_NAMES.join(', ')}, or give http(s) URLs`,
  );
}

/** The preset whose routes a path of the built-in server belongs to ("/api/v2/…" is pokemon's); jsonplaceholder's otherwise. */
export function presetOfPath(path: string): Preset {
  if (path.startsWith('/api/v2/')) return pokemonPreset;
  if (path.startsWith('/3/')) return tmdbPreset;
  return jsonplaceholderPreset;
}
