import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretHeader, isSecretParam, redactHeader, redactUrl, scrubSecrets, secretScrubber } from '../../src/core/redact.js';

const SECRET = 'S3cr3tV4lue9';

describe('redactUrl', () => {
  it.each(['api_key', 'token', 'key', 'access_token', 'serviceKey', 'API_KEY', 'ServiceKey', 'apikey', 'client_secret'])(
    'hides the value of %s',
    (name) => {
      const out = redactUrl(`https://api.example.com/3/movie?${name}=${SECRET}&page=2`);
      expect(out).toBe(`https://api.example.com/3/movie?${name}=***&page=2`);
      expect(out).not.toContain(SECRET);
    },
  );

  it('hides every secret parameter and keeps the others as given', () => {
    expect(redactUrl(`https://x.example/p?serviceKey=${SECRET}&token=${SECRET}&q=a%20b&key=${SECRET}&access_token=${SECRET}`)).toBe(
      'https://x.example/p?serviceKey=***&token=***&q=a%20b&key=***&access_token=***',
    );
  });

  it('hides a repeated secret parameter every time', () => {
    expect(redactUrl(`https://x.example/?key=${SECRET}&key=other${SECRET}`)).toBe('https://x.example/?key=***&key=***');
  });

  it('recognises a percent-encoded parameter name', () => {
    const out = redactUrl(`https://x.example/?api%5Fkey=${SECRET}`);
    expect(out).toBe('https://x.example/?api%5Fkey=***');
  });

  it('hides the whole user info (user, password, or a token used as user)', () => {
    expect(redactUrl(`https://user:${SECRET}@x.example/p`)).toBe('https://***@x.example/p');
    expect(redactUrl(`https://${SECRET}@x.example/p`)).toBe('https://***@x.example/p');
    expect(redactUrl(`https://:${SECRET}@x.example/p`)).toBe('https://***@x.example/p');
  });

  it('hides user info and a secret parameter together and keeps the fragment', () => {
    expect(redactUrl(`https://user:pass@example.com/p?api_key=${SECRET}&x=1#frag`)).toBe(
      'https://***@example.com/p?api_key=***&x=1#frag',
    );
  });

  it('leaves a URL without secrets unchanged', () => {
    expect(redactUrl('https://pokeapi.co/api/v2/pokemon/25')).toBe('https://pokeapi.co/api/v2/pokemon/25');
    expect(redactUrl('http://127.0.0.1:8080/posts/1?userId=3')).toBe('http://127.0.0.1:8080/posts/1?userId=3');
    expect(redactUrl('https://x.example/?token')).toBe('https://x.example/?token');
  });

  it('hides secrets in text that is not a parseable URL (bad port)', () => {
    const out = redactUrl(`https://user:${SECRET}@host:99999/?token=${SECRET}&x=1`);
    expect(out).toBe('https://***@host:99999/?token=***&x=1');
  });

  it('hides user:password when the scheme was left out (parsed as scheme "admin:")', () => {
    // validateUrl prints this for `async-bench admin:<password>@example.com/api`.
    const out = redactUrl(`admin:${SECRET}@example.com/api?token=${SECRET}`);
    expect(out).not.toContain(SECRET);
  });
});

describe('headers', () => {
  it.each(['Authorization', 'authorization', 'Cookie', 'X-Api-Key', 'x-api-key', 'Proxy-Authorization', 'Set-Cookie'])(
    'hides %s',
    (name) => {
      expect(isSecretHeader(name)).toBe(true);
      expect(redactHeader(name, `Bearer ${SECRET}`)).toBe(`${name}: ***`);
    },
  );

  it('shows ordinary headers', () => {
    expect(isSecretHeader('Accept')).toBe(false);
    expect(redactHeader('Accept', 'application/json')).toBe('Accept: application/json');
  });

  it('classifies parameter names case-insensitively', () => {
    expect(isSecretParam('Access_Token')).toBe(true);
    expect(isSecretParam('page')).toBe(false);
  });
});

describe('scrubSecrets', () => {
  it('secretScrubber builds the table once and scrubs many texts alike', () => {
    const scrub = secretScrubber(['tok-123456', 'tok-123456-longer', 'abc']);
    expect(scrub('a tok-123456-longer and tok-123456 here')).toBe(`a ${REDACTED} and ${REDACTED} here`);
    expect(scrub('nothing to hide, abc is too short to scrub')).toBe('nothing to hide, abc is too short to scrub');
    expect(secretScrubber([])('tok-123456')).toBe('tok-123456');
  });

  it('replaces every occurrence of a known secret', () => {
    const text = `key ${SECRET} in "${SECRET}" and ${SECRET}.`;
    const out = scrubSecrets(text, [SECRET]);
    expect(out).toBe(`key ${REDACTED} in "${REDACTED}" and ${REDACTED}.`);
    expect(out).not.toContain(SECRET);
  });

  it('ignores secrets too short to be safe to replace', () => {
    expect(scrubSecrets('a b abc', ['abc', 'a', ''])).toBe('a b abc');
  });

  it('handles several secrets, replacing only those present', () => {
    expect(scrubSecrets('alpha beta gamma beta', ['beta', 'gamma', 'delta'])).toBe('alpha *** *** ***');
  });
});
