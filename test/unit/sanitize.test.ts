/** Server text is stripped of control characters before it is printed (issue 12, item 7). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanServerText } from '../../src/core/sanitize.js';
import { jsonplaceholderPreset } from '../../src/targets/presets/jsonplaceholder.js';
import { pokemonPreset } from '../../src/targets/presets/pokemon.js';
import { tmdbPreset } from '../../src/targets/presets/tmdb.js';

const ESC = '\u001b';
/** Everything that must never reach a terminal from a server. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u2028\u2029]/;
/** Names a hostile server might send: OSC 52 (clipboard), clear screen, C1 CSI, bidi override, BEL, NUL. */
const HOSTILE = [
  `pika${ESC}]52;c;ZWNobyBwd25lZA==\u0007chu`,
  `${ESC}[2J${ESC}[Hbulba`,
  `char\u009b31mmander`,
  `evil\u202egnp.exe`,
  `nul\u0000l`,
  `multi\nline\ttext\r`,
];

describe('cleanServerText', () => {
  it('removes escapes, C1 controls, bidi controls and NUL; line breaks and tabs become spaces', () => {
    expect(HOSTILE.map(cleanServerText)).toEqual(['pika]52;c;ZWNobyBwd25lZA==chu', '[2J[Hbulba', 'char31mmander', 'evilgnp.exe', 'null', 'multi line text ']);
  });

  it('leaves printable text alone, accents, CJK and emoji included', () => {
    for (const text of ['Pokémon', 'Flabébé', 'ニャオハ', 'Amélie (2001) 🎬', 'Nidoran♀', 'Farfetch’d', 'Mr. Mime']) expect(cleanServerText(text)).toBe(text);
  });

  const codePoint = fc.oneof(fc.integer({ min: 0, max: 0x2fff }), fc.constantFrom(0xd800, 0xfeff, 0x1f600, 0x10ffff));
  const text = fc.array(codePoint, { maxLength: 80 }).map((points) => String.fromCodePoint(...points));

  it('property: the output never holds a control character, and text without any is unchanged', () => {
    fc.assert(
      // Code points over the ranges that hold every unsafe one, plus a lone surrogate and astral
      // ones (fast-check's own 'binary' unit spends over a second building its table first).
      fc.property(text, (input) => {
        const out = cleanServerText(input);
        return !UNSAFE.test(out) && (UNSAFE.test(input) || out === input);
      }),
      { numRuns: 500 },
    );
  });
});

describe('preset sample lines hold no server control character', () => {
  it('pokemon', () => {
    const bodies = HOSTILE.map((name, i) => JSON.stringify({ id: i + 1, name }));
    const line = pokemonPreset.sample(bodies);
    expect(line).toBe('Pokémon: #1 pika]52;c;ZWNobyBwd25lZA==chu, #2 [2J[Hbulba, #3 char31mmander, #4 evilgnp.exe, #5 null, #6 multi line text ');
    expect(pokemonPreset.sample([JSON.stringify({ id: `${ESC}[2J7`, name: 'mew' })])).toBe('Pokémon: #[2J7 mew');
  });

  it('jsonplaceholder', () => {
    const line = jsonplaceholderPreset.sample(HOSTILE.slice(0, 3).map((title, i) => JSON.stringify({ id: i, title })));
    expect(line).toBe('Posts: "pika]52;c;ZWNobyBwd25lZA==chu", "[2J[Hbulba", "char31mmander"');
  });

  it('tmdb', () => {
    const line = tmdbPreset.sample([JSON.stringify({ id: 1, title: `${ESC}]52;c;cGF5bG9hZA==${ESC}\\Heat\u202e`, vote_average: 9, revenue: 1 })]);
    expect(line).toBe('Movies: highest rated ]52;c;cGF5bG9hZA==\\Heat (9.0/10); total revenue $1 across 1 movies');
    expect(line).not.toMatch(UNSAFE);
  });
});
