import { createRandom, randomInt } from '../../core/random.js';
import type { PokeApiData } from '../data.js';
import { json, notFound, type FixtureRequest, type FixtureResponse, type Route } from './types.js';

const PREFIX = '/api/v2/pokemon';
/** PokeAPI's own header: a day in browsers and in its CDN. */
export const POKEAPI_CACHE_CONTROL = 'public, max-age=86400, s-maxage=86400';
const TYPES = [
  'normal', 'fighting', 'flying', 'poison', 'ground', 'rock', 'bug', 'ghost', 'steel',
  'fire', 'water', 'grass', 'electric', 'psychic', 'ice', 'dragon', 'dark', 'fairy',
];
const STATS = ['hp', 'attack', 'defense', 'special-attack', 'special-defense', 'speed'];
const SPRITES = 'https://raw.githubusercontent.com/PokeAPI/sprites/master/sprites/pokemon';
const CRIES = 'https://raw.githubusercontent.com/PokeAPI/cries/main/cries/pokemon';
/** Bodies kept ready (about 130 KB each): enough for any one run's distinct ids up to this count. */
const MEMO_SIZE = 256;
/** Mew can learn nearly every TM: about 370 moves, the biggest body of all. */
const MEW_ID = 151;
const MEW_MOVES = 370;
const MAX_MOVES = 300;
/** Tuned so that bodies over all 1025 ids run from about 20 KB to 650 KB (mew), median about 130 KB. */
const MEDIAN_MOVES = 100;
/** A move is taught by a run of at most this share of the version groups open to the Pokémon. */
const GROUP_SHARE = 0.45;

type Link = { name: string; url: string };

/** A normal variate (Box-Muller) from the generator: body sizes are log-normal, as PokeAPI's are. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The sprite URLs a PokeAPI body carries, in its nesting (other, versions by generation and game). */
function spriteSet(id: number, path: string, keys: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(keys.map((key) => {
    const [side, ...rest] = key.split('_');
    const variant = rest.filter((part) => part !== 'default').join('/');
    const file = `${SPRITES}/${path}${side === 'back' ? 'back/' : ''}${variant === '' ? '' : `${variant}/`}${id}.png`;
    return [key, key.includes('female') ? null : file];
  }));
}

const FOUR = ['back_default', 'back_shiny', 'front_default', 'front_shiny'];
const EIGHT = ['back_default', 'back_female', 'back_shiny', 'back_shiny_female', 'front_default', 'front_female', 'front_shiny', 'front_shiny_female'];

function sprites(id: number): unknown {
  const v = (gen: string, game: string, keys: readonly string[]): Record<string, string | null> => spriteSet(id, `versions/${gen}/${game}/`, keys);
  return {
    ...spriteSet(id, '', EIGHT),
    other: {
      dream_world: spriteSet(id, 'other/dream-world/', ['front_default', 'front_female']),
      home: spriteSet(id, 'other/home/', ['front_default', 'front_female', 'front_shiny', 'front_shiny_female']),
      'official-artwork': spriteSet(id, 'other/official-artwork/', ['front_default', 'front_shiny']),
      showdown: spriteSet(id, 'other/showdown/', EIGHT),
    },
    versions: {
      'generation-i': {
        'red-blue': v('generation-i', 'red-blue', ['back_default', 'back_gray', 'back_transparent', 'front_default', 'front_gray', 'front_transparent']),
        yellow: v('generation-i', 'yellow', ['back_default', 'back_gray', 'back_transparent', 'front_default', 'front_gray', 'front_transparent']),
      },
      'generation-ii': {
        crystal: v('generation-ii', 'crystal', ['back_default', 'back_shiny', 'back_shiny_transparent', 'back_transparent', 'front_default', 'front_shiny', 'front_shiny_transparent', 'front_transparent']),
        gold: v('generation-ii', 'gold', [...FOUR, 'front_transparent']),
        silver: v('generation-ii', 'silver', [...FOUR, 'front_transparent']),
      },
      'generation-iii': {
        emerald: v('generation-iii', 'emerald', ['front_default', 'front_shiny']),
        'firered-leafgreen': v('generation-iii', 'firered-leafgreen', FOUR),
        'ruby-sapphire': v('generation-iii', 'ruby-sapphire', FOUR),
      },
      'generation-iv': {
        'diamond-pearl': v('generation-iv', 'diamond-pearl', EIGHT),
        'heartgold-soulsilver': v('generation-iv', 'heartgold-soulsilver', EIGHT),
        platinum: v('generation-iv', 'platinum', EIGHT),
      },
      'generation-v': {
        'black-white': { animated: v('generation-v', 'black-white/animated', EIGHT), ...v('generation-v', 'black-white', EIGHT) },
      },
      'generation-vi': {
        'omegaruby-alphasapphire': v('generation-vi', 'omegaruby-alphasapphire', ['front_default', 'front_female', 'front_shiny', 'front_shiny_female']),
        'x-y': v('generation-vi', 'x-y', ['front_default', 'front_female', 'front_shiny', 'front_shiny_female']),
      },
      'generation-vii': {
        icons: v('generation-vii', 'icons', ['front_default', 'front_female']),
        'ultra-sun-ultra-moon': v('generation-vii', 'ultra-sun-ultra-moon', ['front_default', 'front_female', 'front_shiny', 'front_shiny_female']),
      },
      'generation-viii': { icons: v('generation-viii', 'icons', ['front_default', 'front_female']) },
    },
  };
}

/**
 * A body shaped like PokeAPI's /api/v2/pokemon/{id}, the same for the same id every time, with
 * the real top-level fields in their (alphabetical) order. What makes the real bodies big is the
 * moves: each lists the version groups that teach it, so a Pokémon of generation I with many
 * moves (mew: about 370) runs to hundreds of KB, and a recent one with few to tens of KB. The
 * move count is log-normal around 100, which puts the median body near 130 KB.
 */
export function pokemonBody(id: number, name: string, origin: string, data: PokeApiData): Record<string, unknown> {
  const random = createRandom(id * 2654435761);
  const api = `${origin}/api/v2`;
  const link = (kind: string, linkName: string, linkId: number): Link => ({ name: linkName, url: `${api}/${kind}/${linkId}/` });
  const generation = data.generationStarts.filter((start) => start <= id).length; // 1..9
  // Version groups from the Pokémon's own generation on: the older the Pokémon, the more games teach its moves.
  const groups = data.versionGroups.map((g, i) => ({ ...g, id: i + 1 })).filter((g) => g.generation >= generation);
  const drawn = Math.round(Math.exp(Math.log(MEDIAN_MOVES) + 0.5 * normal(random)));
  const moveCount = id === MEW_ID ? MEW_MOVES : Math.max(4, Math.min(MAX_MOVES, drawn));
  const firstMove = randomInt(random, 0, data.moves.length - 1);
  const moves = Array.from({ length: moveCount }, (_, i) => {
    const moveId = ((firstMove + i * 7) % data.moves.length) + 1;
    const span = randomInt(random, 1, Math.ceil(groups.length * GROUP_SHARE));
    const start = randomInt(random, 0, groups.length - span);
    return {
      move: link('move', data.moves[moveId - 1]!, moveId),
      version_group_details: groups.slice(start, start + span).map((group) => {
        const methodId = randomInt(random, 1, data.moveLearnMethods.length);
        return {
          level_learned_at: methodId === 1 ? randomInt(random, 1, 70) : 0,
          move_learn_method: link('move-learn-method', data.moveLearnMethods[methodId - 1]!, methodId),
          order: null,
          version_group: link('version-group', group.name, group.id),
        };
      }),
    };
  });
  const typeCount = random() < 0.5 ? 1 : 2;
  const types = Array.from({ length: typeCount }, (_, slot) => {
    const typeId = ((id * 7 + slot * 5) % TYPES.length) + 1;
    return { slot: slot + 1, type: link('type', TYPES[typeId - 1]!, typeId) };
  });
  const abilityCount = randomInt(random, 1, 3);
  const abilities = Array.from({ length: abilityCount }, (_, i) => {
    const abilityId = ((id * 3 + i * 11) % data.abilities.length) + 1;
    return { ability: link('ability', data.abilities[abilityId - 1]!, abilityId), is_hidden: i === 2, slot: i + 1 };
  });
  // Games of generations I-V carry a game index (PokeAPI lists none after them).
  const gameIndices = generation > 5 ? [] : data.versions
    .map((version, i) => ({ version, versionId: i + 1 }))
    .filter((_, i) => i >= [0, 3, 6, 11, 16][generation - 1]!)
    .map(({ version, versionId }) => ({ game_index: id, version: link('version', version, versionId) }));
  const items = Object.entries(data.items);
  const heldItems = random() < 0.25 ? [(() => {
    const [itemName, itemId] = items[randomInt(random, 0, items.length - 1)]!;
    return { item: link('item', itemName, itemId), version_details: [{ rarity: 5, version: link('version', 'x', 24) }, { rarity: 5, version: link('version', 'y', 25) }] };
  })()] : [];
  return {
    abilities,
    base_experience: randomInt(random, 36, 340),
    cries: { latest: `${CRIES}/latest/${id}.ogg`, legacy: generation <= 5 ? `${CRIES}/legacy/${id}.ogg` : null },
    forms: [link('pokemon-form', name, id)],
    game_indices: gameIndices,
    height: randomInt(random, 2, 40),
    held_items: heldItems,
    id,
    is_default: true,
    location_area_encounters: `${api}/pokemon/${id}/encounters`,
    moves,
    name,
    order: id,
    past_abilities: [],
    past_types: [],
    species: link('pokemon-species', name, id),
    sprites: sprites(id),
    stats: STATS.map((stat, i) => ({ base_stat: randomInt(random, 20, 150), effort: i === 0 ? randomInt(random, 0, 2) : 0, stat: link('stat', stat, i + 1) })),
    types,
    weight: randomInt(random, 10, 2000),
  };
}

function listBody(names: string[], request: FixtureRequest): unknown {
  const limit = Math.max(1, Math.min(1000, Number(request.query.get('limit') ?? 20) || 20));
  const offset = Math.max(0, Number(request.query.get('offset') ?? 0) || 0);
  const page = names.slice(offset, offset + limit);
  const link = (o: number): string => `${request.origin}${PREFIX}?offset=${o}&limit=${limit}`;
  return {
    count: names.length,
    next: offset + limit < names.length ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results: page.map((name, i) => ({ name, url: `${request.origin}${PREFIX}/${offset + i + 1}/` })),
  };
}

/** PokeAPI: /api/v2/pokemon (list) and /api/v2/pokemon/{id or name}. */
export function pokeapiRoute(names: string[], data: PokeApiData): Route {
  const byName = new Map(names.map((name, i) => [name, i + 1]));
  // Built once per id and origin, then kept (the least recently used go first).
  const memo = new Map<string, FixtureResponse>();
  const detail = (id: number, origin: string): FixtureResponse => {
    const key = `${origin}#${id}`;
    let response = memo.get(key);
    if (response) memo.delete(key);
    else {
      response = json(pokemonBody(id, names[id - 1]!, origin, data), 200, { cacheControl: POKEAPI_CACHE_CONTROL });
      if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
    }
    memo.set(key, response);
    return response;
  };
  return (request): FixtureResponse | null => {
    if (!request.path.startsWith(PREFIX)) return null;
    const rest = request.path.slice(PREFIX.length).replace(/^\/|\/$/g, '');
    if (rest === '') return json(listBody(names, request), 200, { cacheControl: POKEAPI_CACHE_CONTROL });
    if (rest.includes('/')) return notFound();
    const id = /^\d+$/.test(rest) ? Number(rest) : byName.get(rest.toLowerCase());
    if (id === undefined || id < 1 || id > names.length) return notFound();
    return detail(id, request.origin);
  };
}
