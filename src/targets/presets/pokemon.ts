import { isRecord, pickFromBodies, randomIds, serverText, simplePreset, type SimplePreset } from '../preset.js';

/** Pokémon in the National Pokédex that PokeAPI serves by number. */
export const POKEMON_COUNT = 1025;

export const pokemonPreset: SimplePreset = simplePreset({
  name: 'pokemon',
  liveBaseUrl: 'https://pokeapi.co',
  description: 'GET /api/v2/pokemon/{random id 1..1025}',
  keyVariable: null,
  // Ten live PokeAPI requests took 0.411 s at once and about 6x that one by one; 100-400 ms reproduces it.
  defaultLatency: { minMs: 100, maxMs: 400 },
  sampleSize: 5,
  buildUrls({ count, seed, baseUrl }) {
    return randomIds(count, seed, POKEMON_COUNT).map((id) => `${baseUrl}/api/v2/pokemon/${id}`);
  },
  sample(bodies) {
    const names = pickFromBodies(bodies, (v) => {
      const name = isRecord(v) ? serverText(v.name) : undefined;
      return isRecord(v) && name !== undefined ? `#${serverText(String(v.id)) ?? ''} ${name}` : undefined;
    });
    return names.length > 0 ? `Pokémon: ${names.join(', ')}` : null;
  },
});
