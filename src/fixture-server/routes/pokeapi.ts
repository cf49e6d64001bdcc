import { createRandom, randomInt } from '../../core/random.js';
import { json, notFound, type FixtureRequest, type FixtureResponse, type Route } from './types.js';

const PREFIX = '/api/v2/pokemon';
const TYPES = [
  'normal', 'fire', 'water', 'electric', 'grass', 'ice', 'fighting', 'poison', 'ground',
  'flying', 'psychic', 'bug', 'rock', 'ghost', 'dragon', 'dark', 'steel', 'fairy',
];
const STATS = ['hp', 'attack', 'defense', 'special-attack', 'special-defense', 'speed'];
const MOVES = [
  'tackle', 'growl', 'vine-whip', 'ember', 'water-gun', 'thunder-shock', 'quick-attack', 'bite',
  'headbutt', 'body-slam', 'double-edge', 'hyper-beam', 'protect', 'rest', 'substitute', 'toxic',
  'facade', 'swagger', 'sleep-talk', 'return', 'frustration', 'hidden-power', 'attract', 'round',
];

/** A body shaped like PokeAPI's /api/v2/pokemon/{id}, the same for the same id every time. */
function pokemonBody(id: number, name: string, origin: string): unknown {
  const random = createRandom(id);
  const api = `${origin}/api/v2`;
  const typeCount = random() < 0.5 ? 1 : 2;
  const types = Array.from({ length: typeCount }, (_, slot) => {
    const type = TYPES[(id * 7 + slot * 5) % TYPES.length]!;
    return { slot: slot + 1, type: { name: type, url: `${api}/type/${TYPES.indexOf(type) + 1}/` } };
  });
  const moves = Array.from({ length: 12 + randomInt(random, 0, 24) }, (_, i) => {
    const move = MOVES[(id + i * 3) % MOVES.length]!;
    return {
      move: { name: move, url: `${api}/move/${MOVES.indexOf(move) + 1}/` },
      version_group_details: [
        { level_learned_at: randomInt(random, 1, 60), move_learn_method: { name: 'level-up', url: `${api}/move-learn-method/1/` } },
      ],
    };
  });
  return {
    id,
    name,
    base_experience: randomInt(random, 36, 340),
    height: randomInt(random, 2, 40),
    weight: randomInt(random, 10, 2000),
    order: id,
    is_default: true,
    species: { name, url: `${api}/pokemon-species/${id}/` },
    types,
    stats: STATS.map((stat, i) => ({ base_stat: randomInt(random, 20, 150), effort: 0, stat: { name: stat, url: `${api}/stat/${i + 1}/` } })),
    abilities: [{ ability: { name: 'overgrow', url: `${api}/ability/65/` }, is_hidden: false, slot: 1 }],
    sprites: { front_default: `https://raw.githubusercontent.com/PokeAPI/sprites/master/sprites/pokemon/${id}.png` },
    moves,
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
export function pokeapiRoute(names: string[]): Route {
  const byName = new Map(names.map((name, i) => [name, i + 1]));
  return (request): FixtureResponse | null => {
    if (!request.path.startsWith(PREFIX)) return null;
    const rest = request.path.slice(PREFIX.length).replace(/^\/|\/$/g, '');
    if (rest === '') return json(listBody(names, request));
    if (rest.includes('/')) return notFound();
    const id = /^\d+$/.test(rest) ? Number(rest) : byName.get(rest.toLowerCase());
    if (id === undefined || id < 1 || id > names.length) return notFound();
    return json(pokemonBody(id, names[id - 1]!, request.origin));
  };
}
