/**
 * The command that reproduces a run (config.command): the arguments as typed, every secret as
 * ***, quoted for a POSIX shell, the seed added when it was random. And a run from the command
 * line carries it in its JSON.
 */
import { describe, expect, it } from 'vitest';
import { redactArguments, reproducingCommand, shellQuote } from '../../src/cli/command-line.js';
import { DEFAULT_REDACTION, redactBodyText, redactionPolicy } from '../../src/core/redact.js';

const given = { seed: 7, baseUrl: null, baseUrlFromEnv: false };

describe('redactArguments', () => {
  it('hides secret headers however the option is written, and leaves the others as typed', () => {
    const args = ['-H', 'Authorization: Bearer abc', '--header', 'X-Api-Key:k1', '--header=Cookie: a=b', '-HX-Token: t', '-qH', 'Private-Token: p', '-H', 'Accept: application/json', '-H', 'X-Trace: auth-free'];
    expect(redactArguments(args, DEFAULT_REDACTION)).toEqual([
      '-H', 'Authorization: ***', '--header', 'X-Api-Key: ***', '--header=Cookie: ***', '-HX-Token: ***', '-qH', 'Private-Token: ***', '-H', 'Accept: application/json', '-H', 'X-Trace: auth-free',
    ]);
  });

  it('hides URL credentials and secret parameters, a proxy\'s and a base URL\'s too', () => {
    const args = ['https://user:pw@api.example/x?api_key=s3cret&q=1', '--proxy', 'http://u:p@proxy:8080', '--base-url=https://h/?token=t', '--', 'https://h/y?sig=z'];
    expect(redactArguments(args, DEFAULT_REDACTION)).toEqual(['https://***@api.example/x?api_key=***&q=1', '--proxy', 'http://***@proxy:8080', '--base-url=https://h/?token=***', '--', 'https://h/y?sig=***']);
  });

  it('hides secret fields of a body, JSON (at any depth, a template too) or form, and leaves @file alone', () => {
    const args = ['-d', 'user=a&password=ab&x=1', '--data-json', '{"user":"a","auth":{"password":"x\\"y","n":1},"api_key":12345}', '-d', '@body.json', '--data={"token": "{{t}}"}'];
    expect(redactArguments(args, DEFAULT_REDACTION)).toEqual([
      '-d', 'user=a&password=***&x=1', '--data-json', '{"user":"a","auth":{"password":"***","n":1},"api_key":"***"}', '-d', '@body.json', '--data={"token": "***"}',
    ]);
  });

  it('hides the names given with --redact', () => {
    const policy = redactionPolicy(['x-tenant', 'cid']);
    expect(redactArguments(['-H', 'X-Tenant: acme', 'https://h/?cid=42&page=2', '--redact', 'x-tenant'], policy)).toEqual(['-H', 'X-Tenant: ***', 'https://h/?cid=***&page=2', '--redact', 'x-tenant']);
  });

  it('leaves the values of other options as typed', () => {
    const args = ['pokemon', '-n20', '-c', '2,5', '--threshold', 'bounded.p95<300', '-o', '-', '--offline'];
    expect(redactArguments(args, DEFAULT_REDACTION)).toEqual(args);
  });
});

describe('redactBodyText', () => {
  it('keeps a body without secrets byte for byte', () => {
    for (const text of ['{ "title": "x",\n  "n": 1 }', 'a=1&b=2', 'plain text']) expect(redactBodyText(text)).toBe(text);
  });
});

describe('reproducingCommand', () => {
  it('quotes for a POSIX shell', () => {
    expect(shellQuote('pokemon')).toBe('pokemon');
    expect(shellQuote('https://h:8080/a?b=1&c=2')).toBe("'https://h:8080/a?b=1&c=2'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });

  it('adds a random seed, and a base URL taken from the environment', () => {
    expect(reproducingCommand(['pokemon', '--offline'], { ...given, seed: null }, 42, false, DEFAULT_REDACTION)).toBe('async-bench pokemon --offline --seed 42');
    expect(reproducingCommand(['pokemon', '--seed', '7'], given, 7, false, DEFAULT_REDACTION)).toBe('async-bench pokemon --seed 7');
    const fromEnv = { seed: 7, baseUrl: 'http://u:p@staging:8080', baseUrlFromEnv: true };
    expect(reproducingCommand(['pokemon'], fromEnv, 7, true, DEFAULT_REDACTION)).toBe("async-bench pokemon --base-url 'http://***@staging:8080'");
    expect(reproducingCommand(['pokemon'], fromEnv, 7, false, DEFAULT_REDACTION)).toBe('async-bench pokemon');
    expect(reproducingCommand(['-H', 'Authorization: Bearer x', 'http://h/'], given, 7, false, DEFAULT_REDACTION)).toBe("async-bench -H 'Authorization: ***' http://h/");
  });
});
