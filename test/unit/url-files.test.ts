/** resolveTarget with several --file lists: arguments first, then each file in the order given. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { resolveTarget } from '../../src/targets/resolve.js';

let dir: string;
let a: string;
let b: string;
let empty: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'async-bench-url-files-'));
  a = join(dir, 'a.txt');
  b = join(dir, 'b.txt');
  empty = join(dir, 'empty.txt');
  writeFileSync(a, 'https://a.example/1\n# a comment\nhttps://a.example/2\n');
  writeFileSync(b, '\nhttps://b.example/1\n');
  writeFileSync(empty, '# nothing\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function message(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).message;
}

describe('resolveTarget with several files', () => {
  it('reads both files, in the order given', async () => {
    expect(await resolveTarget([], [a, b])).toEqual({ kind: 'urls', urls: ['https://a.example/1', 'https://a.example/2', 'https://b.example/1'] });
    expect(await resolveTarget([], [b, a])).toEqual({ kind: 'urls', urls: ['https://b.example/1', 'https://a.example/1', 'https://a.example/2'] });
  });

  it('arguments first, then a file, then stdin', async () => {
    const target = await resolveTarget(['https://arg.example/'], [a, '-'], Readable.from('https://stdin.example/\n'));
    expect(target).toEqual({ kind: 'urls', urls: ['https://arg.example/', 'https://a.example/1', 'https://a.example/2', 'https://stdin.example/'] });
  });

  it('stdin may come first too', async () => {
    const target = await resolveTarget([], ['-', b], Readable.from('https://stdin.example/\n'));
    expect(target).toEqual({ kind: 'urls', urls: ['https://stdin.example/', 'https://b.example/1'] });
  });

  it('an empty file among others is fine; all of them empty is a usage error naming each', async () => {
    expect(await resolveTarget([], [empty, b])).toEqual({ kind: 'urls', urls: ['https://b.example/1'] });
    expect(await message(resolveTarget([], [empty, '-'], Readable.from('\n')))).toBe(
      `no URLs in '${empty}', 'stdin' (blank lines and # comments are skipped)`,
    );
  });

  it('a missing second file is named', async () => {
    expect(await message(resolveTarget([], [a, join(dir, 'missing.txt')]))).toMatch(/cannot read URL file '.*missing\.txt': no such file/);
  });

  it('stdin can be read only once', async () => {
    expect(await message(resolveTarget([], ['-', '-'], Readable.from('https://x.example/\n')))).toBe(
      '--file - is given twice: standard input can be read only once',
    );
  });

  it('a preset with any file is still refused', async () => {
    expect(await message(resolveTarget(['pokemon'], [a]))).toMatch(/cannot be mixed with URLs/);
  });
});
