import { UsageError, closestMatch } from '../../core/errors.js';
import type { Preset } from '../preset.js';
import { jsonplaceholderPreset } from './jsonplaceholder.js';
import { pokemonPreset } from './pokemon.js';

/** Preset names that are taken but not served by this version. */
const RESERVED: Record<string, string> = {
  tmdb: "the 'tmdb' preset (now-playing movies, then one detail request per movie) is not in this version yet; use pokemon or jsonplaceholder",
};

export const PRESETS: readonly Preset[] = [pokemonPreset, jsonplaceholderPreset];
export const PRESET_NAMES: readonly string[] = [...PRESETS.map((p) => p.name), ...Object.keys(RESERVED)];

/** The preset of that name; a usage error with a suggestion for anything else. */
export function findPreset(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name);
  if (preset) return preset;
  const reserved = RESERVED[name];
  if (reserved) throw new UsageError(reserved);
  const suggestion = closestMatch(name, PRESET_NAMES);
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
  throw new UsageError(
    `unknown preset '${name}'${hint}; presets are ${PRESET_NAMES.join(', ')}, or give http(s) URLs`,
  );
}
