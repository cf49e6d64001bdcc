/**
 * -H headers the HTTP client would refuse (src/cli/options.ts parseHeader): refused before any
 * request, naming the header as typed and never echoing its value (it may be a secret).
 */
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/cli/options.js';
import { usageMessage } from '../helpers/expectations.js';

const SECRET = 's3cr3t-Value-42';

describe('--header: names the HTTP client refuses', () => {
  it.each([
    ['Expect: 100-continue', 'Expect', /Expect \(100-continue\) is not supported/],
    ['expect: whatever', 'expect', /not supported/],
    ['Upgrade: websocket', 'Upgrade', /switching protocols is not supported/],
    ['UPGRADE: h2c', 'UPGRADE', /switching protocols/],
    ['Transfer-Encoding: chunked', 'Transfer-Encoding', /frames each request itself/],
    ['transfer-encoding: gzip', 'transfer-encoding', /frames each request itself/],
    ['Keep-Alive: timeout=5', 'Keep-Alive', /manages its connections itself/],
    ['keep-ALIVE: max=3', 'keep-ALIVE', /manages its connections itself/],
    ['Content-Length: 5', 'Content-Length', /computes it from the body/],
  ])('%j is refused, naming %s', (text, name, reason) => {
    const message = usageMessage(() => parseHeader(text));
    expect(message.startsWith(`--header '${name}' cannot be set: `), message).toBe(true);
    expect(message).toMatch(reason);
  });

  it('never echoes the value', () => {
    expect(usageMessage(() => parseHeader(`Upgrade: ${SECRET}`))).not.toContain(SECRET);
  });
});

describe('--header: Connection takes a list of options', () => {
  it.each(['close', 'keep-alive', 'Close, TE'])('Connection: %s is kept', (value) => {
    expect(parseHeader(`Connection: ${value}`)).toEqual({ connection: value });
  });

  it.each(['', 'not a token', 'close;x', 'close, ,te'])('Connection: %j is refused', (value) => {
    expect(usageMessage(() => parseHeader(`Connection: ${value}`))).toBe("--header 'Connection' must be a comma-separated list of connection options, such as close");
  });
});

describe('--header: characters a header value cannot carry', () => {
  const refused = "--header 'X-Token' has a character that cannot be sent in a header value (a control character, or one beyond U+00FF); percent-encode or base64-encode it first";

  it.each([
    ['a character beyond Latin-1 (U+0100)', `a\u0100b`],
    ['DEL (0x7f)', `a\x7fb`],
    ['a control character (0x01)', `a\x01b`],
    ['ESC (0x1b), as in a terminal escape', `a\x1b[31mb`],
    ['an emoji', 'ok \u{1F600}'],
    ['Cyrillic', 'привет'],
  ])('%s is refused, and the value is not repeated', (_name, value) => {
    const message = usageMessage(() => parseHeader(`X-Token: ${SECRET}${value}`));
    expect(message).toBe(refused);
    expect(message).not.toContain(SECRET);
  });

  it.each([
    ['a tab inside', 'a\tb'],
    ['Latin-1 letters', 'café crème'],
    ['U+00FF', 'a\u00ffb'],
    ['printable ASCII punctuation', `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`],
  ])('%s is kept as typed', (_name, value) => {
    expect(parseHeader(`X-A: ${value}`)).toEqual({ 'x-a': value });
  });

  it('tabs and spaces around the value are trimmed, not refused', () => {
    expect(parseHeader('X-A: \t value \t')).toEqual({ 'x-a': 'value' });
  });

  it('Host is the client\'s to send as given (undici takes it)', () => {
    expect(parseHeader('Host: example.test')).toEqual({ host: 'example.test' });
  });
});
