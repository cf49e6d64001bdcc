/** Where the result goes: --json, --format, -o FILE and -o -. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planOutputs, parseFormat } from '../../src/cli/outputs.js';
import { UsageError } from '../../src/core/errors.js';
import { usageMessage } from '../helpers/expectations.js';

const dir = mkdtempSync(join(tmpdir(), 'async-bench-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string): string => join(dir, name);

describe('parseFormat', () => {
  it('takes every format name, in any case and with spaces around it', () => {
    for (const name of ['table', 'json', 'markdown', 'csv', 'junit']) expect(parseFormat(name)).toBe(name);
    expect(parseFormat('CSV')).toBe('csv');
    expect(parseFormat(' Markdown ')).toBe('markdown');
  });

  it('refuses anything else, listing the formats', () => {
    expect(usageMessage(() => parseFormat('nope'))).toBe("--format must be one of table, json, markdown, csv, junit, got 'nope'");
    expect(() => parseFormat('')).toThrow(UsageError);
    expect(() => parseFormat('xml')).toThrow(UsageError);
  });
});

describe('planOutputs', () => {
  it('prints the table by default', () => {
    expect(planOutputs(false, undefined, undefined)).toEqual({ stdout: 'table', file: null });
  });

  it('--json is JSON on stdout, and so is --format json (alone or with --json)', () => {
    expect(planOutputs(true, undefined, undefined)).toEqual({ stdout: 'json', file: null });
    expect(planOutputs(false, 'json', undefined)).toEqual({ stdout: 'json', file: null });
    expect(planOutputs(true, 'json', undefined)).toEqual({ stdout: 'json', file: null });
  });

  it('--format alone sets the format on stdout', () => {
    for (const format of ['table', 'markdown', 'csv', 'junit'] as const) expect(planOutputs(false, format, undefined)).toEqual({ stdout: format, file: null });
  });

  it('refuses --json with another --format', () => {
    expect(usageMessage(() => planOutputs(true, 'csv', undefined))).toBe('--json and --format csv ask for two formats; use one');
    expect(() => planOutputs(true, 'markdown', at('x.md'))).toThrow(UsageError);
    expect(() => planOutputs(true, 'table', '-')).toThrow(UsageError);
  });

  it('-o FILE takes the format from the extension while stdout keeps the table', () => {
    const cases = [
      ['out.json', 'json'],
      ['out.md', 'markdown'],
      ['out.markdown', 'markdown'],
      ['out.csv', 'csv'],
      ['out.xml', 'junit'],
      ['out.txt', 'table'],
      ['OUT.JSON', 'json'],
      ['report.v2.csv', 'csv'],
    ] as const;
    for (const [name, format] of cases) {
      expect(planOutputs(false, undefined, at(name)), name).toEqual({ stdout: 'table', file: { path: at(name), format } });
    }
  });

  it('-o FILE with --json keeps JSON on stdout', () => {
    expect(planOutputs(true, undefined, at('out.md'))).toEqual({ stdout: 'json', file: { path: at('out.md'), format: 'markdown' } });
  });

  it('-o FILE with --format writes that format whatever the extension (stdout keeps the table)', () => {
    expect(planOutputs(false, 'csv', at('out.md'))).toEqual({ stdout: 'table', file: { path: at('out.md'), format: 'csv' } });
    expect(planOutputs(false, 'junit', at('results'))).toEqual({ stdout: 'table', file: { path: at('results'), format: 'junit' } });
    expect(planOutputs(false, 'markdown', at('out.unknown'))).toEqual({ stdout: 'table', file: { path: at('out.unknown'), format: 'markdown' } });
  });

  it('a relative -o path in an existing directory is fine', () => {
    expect(planOutputs(false, undefined, 'result.json')).toEqual({ stdout: 'table', file: { path: 'result.json', format: 'json' } });
  });

  it('-o - sends the format to stdout and writes no file', () => {
    expect(planOutputs(false, undefined, '-')).toEqual({ stdout: 'table', file: null });
    expect(planOutputs(false, 'csv', '-')).toEqual({ stdout: 'csv', file: null });
    expect(planOutputs(false, 'markdown', '-')).toEqual({ stdout: 'markdown', file: null });
    expect(planOutputs(true, undefined, '-')).toEqual({ stdout: 'json', file: null });
  });

  it('refuses a file whose format its extension does not tell', () => {
    expect(usageMessage(() => planOutputs(false, undefined, at('out.unknown')))).toBe(
      `cannot tell the format of '${at('out.unknown')}' from its extension; add --format (table, json, markdown, csv, junit)`,
    );
    expect(() => planOutputs(false, undefined, at('results'))).toThrow(UsageError);
    expect(() => planOutputs(false, undefined, at('out.html'))).toThrow(UsageError);
    expect(() => planOutputs(true, undefined, at('out.yaml'))).toThrow(UsageError);
  });

  it('refuses a file in a directory that does not exist', () => {
    const path = join(dir, 'missing', 'out.json');
    expect(usageMessage(() => planOutputs(false, undefined, path))).toBe(`cannot write -o '${path}': no directory '${join(dir, 'missing')}'`);
    expect(() => planOutputs(false, 'csv', join(dir, 'missing', 'deeper', 'out.csv'))).toThrow(UsageError);
  });

  it('refuses a "directory" that is a file, and a path that is a directory', () => {
    writeFileSync(at('plain-file'), 'x');
    expect(() => planOutputs(false, undefined, join(dir, 'plain-file', 'out.json'))).toThrow(UsageError);
    mkdirSync(at('folder.json'));
    expect(usageMessage(() => planOutputs(false, undefined, at('folder.json')))).toContain('it is a directory');
  });
});
