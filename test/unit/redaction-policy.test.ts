/**
 * Redaction by pattern (issue 12, item 5): any header or parameter whose name contains key,
 * token, secret, auth, password, passwd, signature, session, credential or jwt, in any case,
 * plus a few whole names and the user's own (--redact); and the scrub of their values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRedactName } from '../../src/cli/options.js';
import { UsageError } from '../../src/core/errors.js';
import {
  DEFAULT_REDACTION,
  REDACTED,
  SECRET_NAME_WORDS,
  isScrubbable,
  isSecretName,
  isSecretHeader,
  isSecretParam,
  redactHeader,
  redactUrl,
  redactionPolicy,
  scrubSecrets,
  secretsInHeaders,
  secretsInUrl,
} from '../../src/core/redact.js';

const VALUE = 'Zq9VALUEx7Kw';

/** A word in a random mix of upper and lower case. */
const anyCase = (word: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) =>
    [...word].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''),
  );
/** Characters a header name or a query parameter name may have around the word. */
const nameChars = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'.split('')), maxLength: 8 });
/** Any name that contains one of the words. */
const secretName = fc
  .tuple(nameChars, fc.constantFrom(...SECRET_NAME_WORDS).chain(anyCase), nameChars)
  .map(([before, word, after]) => `${before}${word}${after}`);
/** Names that cannot contain any of the words or whole names: none of the letters k t s a p c j. */
const plainName = fc.string({ unit: fc.constantFrom(...'bdefghilmnoqruvwxyzBDEFGHILMNOQRUVWXYZ0123456789-_'.split('')), minLength: 1, maxLength: 16 });
const secretValue = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), minLength: 10, maxLength: 40 }).map((v) => `Q${v}`);

describe('secret names by pattern', () => {
  it.each([
    'X-Goog-Api-Key',
    'X-RapidAPI-Key',
    'Ocp-Apim-Subscription-Key',
    'X-Amz-Security-Token',
    'DD-API-KEY',
    'apikey',
    'Private-Token',
    'X-Auth-Token',
    'Api-Key',
    'X-CSRF-Token',
    'Cookie',
    'Set-Cookie',
  ])('header %s is secret', (name) => {
    expect(isSecretHeader(name)).toBe(true);
    expect(redactHeader(name, `Bearer ${VALUE}`)).toBe(`${name}: ${REDACTED}`);
  });

  it.each(['X-Amz-Signature', 'X-Amz-Credential', 'auth_token', 'refresh_token', 'id_token', 'appid', 'sessionid', 'jwt', 'passwd', 'pwd', 'access-token', 'subscription-key', 'secret_key', 'sig', 'AppId', 'SIG'])(
    'query parameter %s is shown as ***',
    (name) => {
      expect(isSecretParam(name)).toBe(true);
      expect(redactUrl(`https://api.example/v1/x?page=2&${name}=${VALUE}&q=a`)).toBe(`https://api.example/v1/x?page=2&${name}=${REDACTED}&q=a`);
    },
  );

  it('keeps ordinary names: page, q, id, lang, design, accept (no word inside, not a whole secret name)', () => {
    for (const name of ['page', 'q', 'id', 'lang', 'design', 'accept', 'user-agent', 'x-trace']) expect(isSecretName(name)).toBe(false);
    expect(redactUrl('https://x.example/a?page=2&design=flat&id=7')).toBe('https://x.example/a?page=2&design=flat&id=7');
  });

  it('property: any name containing one of the words, in any case, is secret as a header and as a parameter', () => {
    fc.assert(
      fc.property(secretName, secretValue, (name, value) => {
        expect(isSecretHeader(name)).toBe(true);
        expect(redactHeader(name, value)).toBe(`${name}: ${REDACTED}`);
        const url = `https://h.example/p?page=2&${name}=${value}#${name}=${value}`;
        expect(redactUrl(url)).toBe(`https://h.example/p?page=2&${name}=${REDACTED}#${name}=${REDACTED}`);
        expect(secretsInUrl(url)).toContain(value);
      }),
      { numRuns: 500 },
    );
  });

  it('property: a name with none of the words is shown as given', () => {
    fc.assert(
      fc.property(plainName, secretValue, (name, value) => {
        expect(isSecretHeader(name)).toBe(false);
        expect(redactHeader(name, value)).toBe(`${name}: ${value}`);
        const url = `https://h.example/p?${name}=${value}`;
        expect(redactUrl(url)).toBe(url);
        expect(secretsInUrl(url)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a name given with --redact is secret in any case, as a header and as a parameter; others stay', () => {
    fc.assert(
      fc.property(plainName, plainName, secretValue, (name, other, value) => {
        fc.pre(name.toLowerCase() !== other.toLowerCase());
        const policy = redactionPolicy([name.toLowerCase()]);
        expect(isSecretHeader(name.toUpperCase(), policy)).toBe(true);
        expect(redactHeader(name, value, policy)).toBe(`${name}: ${REDACTED}`);
        expect(redactUrl(`https://h.example/?${name}=${value}&${other}=${value}`, policy)).toBe(`https://h.example/?${name}=${REDACTED}&${other}=${value}`);
        expect(isSecretHeader(name, DEFAULT_REDACTION)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a percent-encoded name is judged decoded', () => {
    expect(redactUrl(`https://x.example/?my%5Ftoken=${VALUE}&x%2Dapi%2Dkey=${VALUE}`)).toBe('https://x.example/?my%5Ftoken=***&x%2Dapi%2Dkey=***');
    expect(redactUrl(`https://x.example/?my%5Fname=${VALUE}`, redactionPolicy(['my_name']))).toBe('https://x.example/?my%5Fname=***');
  });

  it('a fragment is redacted like a query (OAuth implicit flow: #access_token=…)', () => {
    expect(redactUrl(`https://app.example/cb#access_token=${VALUE}&token_type=bearer&state=x`)).toBe(
      'https://app.example/cb#access_token=***&token_type=***&state=x',
    );
    expect(redactUrl(`https://app.example/cb#/route?id_token=${VALUE}`)).toBe('https://app.example/cb#/route?id_token=***');
  });
});

describe('secret values to scrub', () => {
  it('secretsInUrl: user info and secret parameter values, as typed and decoded', () => {
    expect(secretsInUrl('https://ann:p%40ss1234@h.example/?x=1&auth_token=a%2Bb%2Bc%2Bd&page=2')).toEqual([
      'ann',
      'ann',
      'p%40ss1234',
      'p@ss1234',
      'a%2Bb%2Bc%2Bd',
      'a+b+c+d',
    ]);
    expect(secretsInUrl('https://h.example/a?page=2')).toEqual([]);
  });

  it('secretsInHeaders: the value, and the credentials after the scheme', () => {
    expect(secretsInHeaders({ 'x-goog-api-key': VALUE, authorization: `Bearer ${VALUE}x`, accept: 'application/json' })).toEqual([VALUE, VALUE, `Bearer ${VALUE}x`, `${VALUE}x`]);
    expect(secretsInHeaders({ 'x-mine': VALUE }, redactionPolicy(['x-mine']))).toEqual([VALUE, VALUE]);
  });

  it('isScrubbable refuses what would break the report: short values, words the JSON uses, short numbers', () => {
    for (const bad of ['abc', 'true', 'False', 'null', '1000', '123456789', '1.5e10']) expect(isScrubbable(bad), bad).toBe(false);
    for (const good of ['abcd', 'S3cr3t', '1234567890123', 'eyJhbGciOiJIUzI1NiJ9']) expect(isScrubbable(good), good).toBe(true);
  });

  it('scrubSecrets keeps the JSON valid when a secret-named parameter holds true or a number', () => {
    const json = JSON.stringify({ partial: true, bytes: 1000, ok: 12 });
    expect(scrubSecrets(json, ['true', '1000', '12'])).toBe(json);
  });

  it('scrubSecrets replaces the longer of two secrets that start at the same place', () => {
    expect(scrubSecrets('x abcdefgh y abcd z', ['abcd', 'abcdefgh'])).toBe('x *** y *** z');
  });

  it('property: no scrubbable secret survives the scrub, and text without secrets is unchanged', () => {
    const text = fc.string({ unit: fc.constantFrom(...'ab Q0-_\n"*'.split('')), maxLength: 200 });
    fc.assert(
      fc.property(fc.array(secretValue, { minLength: 1, maxLength: 6 }), fc.array(text, { minLength: 1, maxLength: 8 }), (secrets, pieces) => {
        const mixed = pieces.map((p, i) => p + (secrets[i % secrets.length] ?? '')).join('');
        const out = scrubSecrets(mixed, secrets);
        for (const secret of secrets) expect(out).not.toContain(secret);
        expect(scrubSecrets(pieces.join(''), ['Qnever-there-at-all'])).toBe(pieces.join(''));
      }),
      { numRuns: 300 },
    );
  });

  it('property: with one secret it equals replacing every occurrence', () => {
    fc.assert(
      // The pieces share no character with the secret, so every occurrence is one the join made.
      fc.property(secretValue, fc.array(fc.string({ unit: fc.constantFrom(...' !*#\n{}"é'.split('')), maxLength: 30 }), { maxLength: 6 }), (secret, pieces) => {
        expect(scrubSecrets(pieces.join(secret), [secret])).toBe(pieces.join(REDACTED));
      }),
    );
  });

  it('one pass whatever the number of secrets: 20,000 tokens over a 2 MB text', () => {
    const secrets = Array.from({ length: 20_000 }, (_, i) => `tok-${i.toString(36).padStart(6, '0')}-secret`);
    const text = 'n'.repeat(2_000_000) + secrets[12_345]!;
    const out = scrubSecrets(text, secrets);
    expect(out.endsWith(`n${REDACTED}`)).toBe(true);
    expect(out.length).toBe(2_000_000 + REDACTED.length);
  });
});

describe('--redact names (parseRedactName)', () => {
  it('collects names lower case, once each, in order', () => {
    expect(parseRedactName('X-Tenant', parseRedactName(' my_param ', []))).toEqual(['my_param', 'x-tenant']);
    expect(parseRedactName('MY_PARAM', ['my_param'])).toEqual(['my_param']);
  });

  it.each(['', '  ', 'a=b', 'two words', 'x:y', 'a&b', 'p?q', 'f#g'])('refuses %j', (bad) => {
    expect(() => parseRedactName(bad, [])).toThrow(UsageError);
  });
});
