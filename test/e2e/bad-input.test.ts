/**
 * Hardening, end to end through the built CLI: bad input, exhaustively. Each case must end with
 * one clear line on stderr, exit 2, nothing on stdout, and no request sent (the test server
 * counts them by tag). Split from hardening.test.ts so that the two files run side by side.
 * The built CLI's main() runs in this process, one case at a time; the case that reads standard
 * input (--file -) spawns it.
 * Every server runs on 127.0.0.1 and is started and stopped here.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { assertBuilt, cleanupCli, describeRun, run, type RunResult } from '../helpers/cli.js';
import { byStrategy, expectCleanStderr, expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The JSON document as the product types it (its shape is checked by the schema on parse). */
type Doc = Report;

let server: TestServer;
let tmp: string;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
  tmp = mkdtempSync(join(tmpdir(), 'async-bench-bad-input-'));
});

afterAll(async () => {
  await server?.close();
  if (tmp) {
    // Undo any chmod so the directory can go.
    try {
      chmodSync(join(tmp, 'unreadable.txt'), 0o644);
    } catch {
      // not created
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  cleanupCli();
});

// -----------------------------------------------------------------------------------------------

describe.concurrent('bad input: one clear line, exit 2, nothing on stdout, no request sent', () => {
  /** A URL of the hostile server, tagged so that any request it receives is noticed. */
  const target = (tag: string): string => `${server.url}/ok?bad=${tag}`;

  /** Runs the CLI and checks the usage error, and that the server saw no request for the tag. */
  async function expectRefused(tag: string, args: string[], message: RegExp, stdin?: string): Promise<RunResult> {
    // In process unless standard input is part of the case: the same checks, no process each.
    const result = stdin === undefined ? await runBuiltInProcess(args) : await run(args, { killAfterMs: 20_000, stdin });
    expectUsageError(result, message);
    expect(server.count(`bad=${tag}`), `a request was sent for '${tag}'`).toBe(0);
    return result;
  }

  // [label, extra args after the target URL, expected message]
  const numbers: Array<[string, string[], RegExp]> = [
    ['count 0', ['-n', '0'], /--count must be at least 1/],
    ['count negative', ['-n', '-1'], /--count must be a whole number/],
    ['count NaN', ['-n', 'NaN'], /--count must be a whole number/],
    ['count float', ['-n', '2.5'], /--count must be a whole number/],
    ['count exponent', ['-n', '1e3'], /--count must be a whole number/],
    ['count huge', ['-n', '99999999999999999999'], /--count must be a whole number/],
    ['count too large', ['-n', '1000001'], /--count must be at most 1,000,000/],
    ['concurrency 0', ['-c', '0'], /--concurrency must be at least 1/],
    ['concurrency negative', ['-c', '-4'], /--concurrency must be a whole number/],
    ['concurrency NaN', ['-c', 'NaN'], /--concurrency must be a whole number/],
    ['concurrency float', ['-c', '1.5'], /--concurrency must be a whole number/],
    ['concurrency huge', ['-c', '100001'], /--concurrency must be at most 100,000/],
    ['concurrency empty item', ['-c', '2,,4'], /--concurrency must be a whole number/],
    ['concurrency bad item in a sweep', ['-c', '1,2,x'], /--concurrency must be a whole number, got 'x'/],
    ['timeout 0', ['--timeout', '0'], /--timeout must be at least 1/],
    ['timeout negative', ['--timeout', '-100'], /--timeout must be a whole number/],
    ['timeout NaN', ['--timeout', 'NaN'], /--timeout must be a whole number/],
    ['timeout float', ['--timeout', '100.5'], /--timeout must be a whole number/],
    ['timeout Infinity', ['--timeout', 'Infinity'], /--timeout must be a whole number/],
    ['timeout huge', ['--timeout', '3600001'], /--timeout must be at most 3,600,000/],
    ['retries negative', ['--retries', '-1'], /--retries must be a whole number/],
    ['retries NaN', ['--retries', 'NaN'], /--retries must be a whole number/],
    ['retries float', ['--retries', '1.5'], /--retries must be a whole number/],
    ['retries huge', ['--retries', '11'], /--retries must be at most 10/],
    ['rate 0', ['--rate', '0'], /--rate must look like 20\/s/],
    ['rate negative', ['--rate', '-5/s'], /--rate must look like 20\/s/],
    ['rate NaN', ['--rate', 'NaN'], /--rate must look like 20\/s/],
    ['rate huge', ['--rate', '1000001/s'], /--rate must look like 20\/s/],
    ['rate with another unit', ['--rate', '20/min'], /--rate must look like 20\/s/],
    ['max-redirects negative', ['--max-redirects', '-1'], /--max-redirects must be a whole number/],
    ['max-redirects float', ['--max-redirects', '0.5'], /--max-redirects must be a whole number/],
    ['max-redirects huge', ['--max-redirects', '21'], /--max-redirects must be at most 20/],
    ['runs 0', ['--runs', '0'], /--runs must be at least 1/],
    ['warmup negative', ['--warmup', '-1'], /--warmup must be a whole number/],
    ['seed negative', ['--seed', '-1'], /--seed must be a whole number/],
    ['seed huge', ['--seed', '4294967296'], /--seed must be at most 4,294,967,295/],
    ['missing value', ['--timeout'], /--timeout|argument missing/],
    ['workers 0', ['-s', 'workers', '--workers', '0'], /--workers must be at least 1/],
    ['workers float', ['-s', 'workers', '--workers', '1.5'], /--workers must be a whole number/],
    ['workers huge', ['-s', 'workers', '--workers', '65'], /--workers must be at most 64/],
    ['workers without the strategy', ['--workers', '2'], /--workers sets the threads of the workers strategy; add workers to --strategy/],
    ['cpu-work negative', ['--cpu-work', '-5'], /--cpu-work must be a number of milliseconds/],
    ['cpu-work NaN', ['--cpu-work', 'NaN'], /--cpu-work must be a number of milliseconds/],
    ['cpu-work huge', ['--cpu-work', '60001'], /--cpu-work must be at most 60,000 ms/],
  ];

  test.each(numbers)('numbers: %s', async (label, extra, message) => {
    const tag = label.replace(/\W+/g, '-');
    await expectRefused(tag, [target(tag), '-s', 'sequential', ...extra], message);
  });

  test.each([
    ['count 0 with a preset', ['pokemon', '--offline', '-n', '0'], /--count must be at least 1/],
    ['count float with a preset', ['pokemon', '--offline', '-n', '0.5'], /--count must be a whole number/],
    ['latency negative', ['pokemon', '--offline', '--latency', '-5'], /--latency must be milliseconds/],
    ['latency reversed range', ['pokemon', '--offline', '--latency', '400-100'], /--latency range must go from low to high/],
    ['latency huge', ['pokemon', '--offline', '--latency', '60001'], /--latency must be at most 60000/],
    ['error-rate above 1', ['pokemon', '--offline', '--error-rate', '1.5'], /--error-rate must be a number from 0 to 1/],
    ['error-rate NaN', ['pokemon', '--offline', '--error-rate', 'NaN'], /--error-rate must be a number from 0 to 1/],
    ['max-inflight 0', ['pokemon', '--offline', '--max-inflight', '0'], /--max-inflight must be at least 1/],
  ])('numbers with a preset: %s', async (_label, args, message) => {
    expectUsageError(await runBuiltInProcess(args), message);
  });

  test('huge input is quoted in at most about 200 characters: an option, an option value, a URL', async () => {
    const huge = 'x'.repeat(100_000);
    const cases: Array<[string[], RegExp]> = [
      [[target('huge-option'), `--cont${huge}`], /unknown option '--contx+…'/],
      [[target('huge-value'), '--timeout', huge], /--timeout must be a whole number, got 'x+…'/],
      [[`htp:/${huge}`], /invalid URL 'htp:\/x+…': only http and https are supported, not htp$/m],
    ];
    for (const [args, message] of cases) {
      const result = await runBuiltInProcess(args, { cwd: tmp });
      expectUsageError(result, message);
      expect(result.stderr.length, describeRun(result)).toBeLessThan(400);
    }
    expect(server.count('bad=huge'), 'a request was sent').toBe(0);
  });

  const urls: Array<[string, string, RegExp]> = [
    ['ftp scheme', 'ftp://127.0.0.1/file', /only http and https are supported, not ftp/],
    ['file scheme', 'file:///etc/passwd', /only http and https are supported, not file/],
    ['ws scheme', 'ws://127.0.0.1/socket', /only http and https are supported, not ws/],
    ['javascript scheme', 'javascript:alert(1)', /only http and https are supported, not javascript/],
    ['data scheme', 'data:text/plain,hello', /only http and https are supported, not data/],
    ['no host', 'http://', /not a URL/],
    ['bad port', 'http://127.0.0.1:99999/', /not a URL/],
  ];

  test.each(urls)('URLs: %s', async (_label, url, message) => {
    // Next to a good URL of our server: the bad one stops the run before anything is sent.
    const tag = `url-${_label.replace(/\W+/g, '-')}`;
    await expectRefused(tag, [target(tag), url, '-s', 'sequential'], message);
  });

  test('URLs: a space inside a URL argument', async () => {
    await expectRefused('space', [target('space'), `${server.url}/a b?bad=space`], /contains white space \(encode spaces as %20\)/);
  });

  test('URLs: a tab inside a URL argument', async () => {
    await expectRefused('tab', [target('tab'), `${server.url}/a\tb?bad=tab`], /contains white space/);
  });

  test('URLs: unsupported schemes and spaces in a --file name the line', async () => {
    const path = join(tmp, 'mixed.txt');
    writeFileSync(path, `${target('file-line')}\n# a comment\n\n${server.url}/ok?bad=file-line&x=a b\n`);
    await expectRefused('file-line', ['--file', path], /URL at .*mixed\.txt:4 .*white space/);
    const ftp = join(tmp, 'ftp.txt');
    writeFileSync(ftp, `${target('file-ftp')}\nftp://127.0.0.1/x\n`);
    await expectRefused('file-ftp', ['--file', ftp], /URL at .*ftp\.txt:2 .*only http and https are supported, not ftp/);
  });

  test('credentials in a URL are accepted, and never printed (JSON, --details, the table)', async () => {
    const secretPassword = 'Pw-9f3c1e77-chaos';
    const url = `http://alice:${secretPassword}@127.0.0.1:${server.port}/ok?bad=creds`;
    const before = server.count('bad=creds');
    const json = await runBuiltInProcess([url, '-s', 'sequential', '--json'], { cwd: tmp });
    const details = await runBuiltInProcess([url, '-s', 'sequential', '--json', '--details'], { cwd: tmp });
    const table = await runBuiltInProcess([url, '-s', 'sequential', '--no-color'], { cwd: tmp });
    for (const r of [json, details, table]) {
      expect(r.code, describeRun(r)).toBe(0);
      expect(r.stdout + r.stderr, describeRun(r)).not.toContain(secretPassword);
      expectCleanStderr(r);
    }
    expect(byStrategy(parseJsonReport<Doc>(json), 'sequential')).toMatchObject({ requests: 1, ok: 1 });
    // The request was sent (accepted) …
    expect(server.count('bad=creds') - before).toBe(3);
    // … and where the URL is shown, the password is redacted.
    expect(details.stdout).toMatch(/"url": "http:\/\/\*\*\*@127\.0\.0\.1:\d+\/ok\?bad=creds"/);
  }, 30_000);

  test('credentials in a refused URL are not echoed in the error line either', async () => {
    const result = await expectRefused('creds-bad', [target('creds-bad'), 'ftp://bob:Sup3rSecret-x@127.0.0.1/x'], /only http and https/);
    expect(result.stderr).not.toContain('Sup3rSecret-x');
  });

  test('a binary URL file (every byte 0x00-0xff) is refused', async () => {
    const path = join(tmp, 'binary.dat');
    const bytes = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) bytes[i] = i;
    writeFileSync(path, Buffer.concat([Buffer.from(`${target('binary')}\n`), bytes]));
    await expectRefused('binary', ['--file', path], /binary\.dat:\d+ is not a line of text .*binary file/);
  });

  test('a binary file made of random bytes, and one that is all NULs, are refused', async () => {
    const random = join(tmp, 'random.bin');
    const bytes = Buffer.alloc(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    writeFileSync(random, bytes);
    await expectRefused('random', ['--file', random, target('random')], /is not a line of text|not a URL|white space/);
    const nuls = join(tmp, 'nuls.bin');
    writeFileSync(nuls, Buffer.alloc(1024));
    await expectRefused('nuls', ['--file', nuls, target('nuls')], /nuls\.bin:1 is not a line of text/);
  });

  test('a non-UTF-8 URL file (latin-1 bytes) is refused, naming the line', async () => {
    const path = join(tmp, 'latin1.txt');
    // "café" in latin-1: 0xE9 is not valid UTF-8 on its own.
    writeFileSync(path, Buffer.concat([Buffer.from(`${target('latin1')}\n${server.url}/caf`), Buffer.from([0xe9]), Buffer.from('?bad=latin1\n')]));
    await expectRefused('latin1', ['--file', path], /latin1\.txt:2 is not a line of text/);
  });

  test('binary bytes on standard input (--file -) are refused', async () => {
    await expectRefused('stdin-binary', ['--file', '-', target('stdin-binary')], /stdin:2 is not a line of text/, `${target('stdin-binary')}\n\u0000\u0001\u0002binary\n`);
  });

  test('a missing URL file', async () => {
    await expectRefused('missing', [target('missing'), '--file', join(tmp, 'no-such-file.txt')], /cannot read URL file .*no such file/);
  });

  test('an unreadable URL file (chmod 000)', async ({ skip }) => {
    const path = join(tmp, 'unreadable.txt');
    writeFileSync(path, `${target('unreadable')}\n`);
    chmodSync(path, 0o000);
    let readable = false;
    try {
      readFileSync(path);
      readable = true;
    } catch {
      // as expected for a normal user
    }
    // Running as root, chmod does not stop reads: the directory and path-inside-a-file cases
    // below stand in for "unreadable" there.
    skip(readable, 'running as root: chmod 000 does not stop reads (see the directory and path-inside-a-file cases)');
    await expectRefused('unreadable', ['--file', path], /cannot read URL file .*permission denied/);
  });

  test('an unreadable URL file: a directory', async () => {
    const dir = join(tmp, 'a-directory');
    mkdirSync(dir, { recursive: true });
    await expectRefused('dir', [target('dir'), '--file', dir], /cannot read URL file .*a-directory.*: it is a directory/);
  });

  test('an unreadable URL file: a path inside a file', async () => {
    const file = join(tmp, 'plain-file.txt');
    writeFileSync(file, `${target('inside')}\n`);
    await expectRefused('inside', [target('inside'), '--file', join(file, 'urls.txt')], /cannot read URL file .*plain-file\.txt\/urls\.txt/);
  });

  test('an empty URL list (only comments and blank lines)', async () => {
    const path = join(tmp, 'empty.txt');
    writeFileSync(path, '# nothing here\n\n   \n');
    await expectRefused('empty', ['--file', path], /no URLs in/);
  });

  const conflicts: Array<[string, (t: string) => string[], RegExp]> = [
    ['a preset mixed with URLs', (t) => ['pokemon', t], /cannot be mixed with URLs/],
    ['a preset with --file', (t) => ['pokemon', '--file', join(tmp, 'x.txt'), t], /cannot be mixed with URLs/],
    ['two presets', () => ['pokemon', 'tmdb'], /cannot be mixed/],
    ['an unknown preset', () => ['pokemn'], /unknown preset 'pokemn'/],
    ['--offline with URLs', (t) => [t, '--offline'], /--offline serves a preset/],
    ['--base-url with URLs', (t) => [t, '--base-url', 'http://127.0.0.1:9'], /--base-url sends a preset's paths/],
    ['a body with -X GET', (t) => [t, '-X', 'GET', '-d', 'a=1'], /-X GET cannot carry a body/],
    ['-d with --data-json', (t) => [t, '-d', 'a=1', '--data-json', '{}'], /give one body/],
    ['--data-json that is not JSON', (t) => [t, '--data-json', '{"a":'], /--data-json is not valid JSON/],
    ['an unknown placeholder', (t) => [t, '-d', 'n={{sequence}}'], /unknown placeholder '\{\{sequence\}\}'/],
    ['--requests with a URL', (t) => [t, '--requests', join(tmp, 'x.jsonl')], /--requests gives the requests/],
    ['--har-filter without --har', (t) => [t, '--har-filter', 'example.com'], /--har-filter and --har-cookies apply to --har/],
    ['--latency without --offline', (t) => [t, '--latency', '10'], /--latency .* needs --offline/],
    ['--error-rate without --offline', (t) => [t, '--error-rate', '0.1'], /need --offline/],
    ['--rate-limit without --offline', (t) => [t, '--rate-limit', '5/s'], /need --offline/],
    ['--language with URLs', (t) => [t, '--language', 'de'], /--language applies to the tmdb preset only/],
    ['--json with --format csv', (t) => [t, '--json', '--format', 'csv'], /two formats/],
    ['--max-regression without --baseline', (t) => [t, '--max-regression', '5'], /--max-regression needs --baseline/],
    ['an unknown strategy', (t) => [t, '-s', 'parallel'], /unknown strategy 'parallel'/],
    ['an unknown option', (t) => [t, '--retry', '3'], /unknown option '--retry'/],
    ['a malformed header', (t) => [t, '-H', 'NoColonHere'], /--header must look like "Name: value"/],
    ['nothing to fetch', () => [], /nothing to fetch/],
    ['--http2 with --no-keep-alive', (t) => [t, '--http2', '--no-keep-alive'], /--no-keep-alive and --http2 do not combine/],
    ['--protocol h1,h2 with --no-keep-alive', (t) => [t, '--protocol', 'h1,h2', '--no-keep-alive'], /with --protocol it combines with h1 only/],
    ['--protocol h2 with --no-keep-alive', (t) => [t, '--protocol', 'h2', '--no-keep-alive'], /with --protocol it combines with h1 only/],
    ['--http2 with --protocol', (t) => [t, '--http2', '--protocol', 'h2'], /give one of --http2 and --protocol/],
    ['an unknown --protocol', (t) => [t, '--protocol', 'h1,h3'], /--protocol: unknown HTTP version 'h3'/],
    ['--protocol naming one twice', (t) => [t, '--protocol', 'h2,h2'], /--protocol names h2 twice/],
    ['--protocol with nothing', (t) => [t, '--protocol', ','], /--protocol needs one or more of h1, h2/],
    ['--protocol h1,h2 with a sweep', (t) => [t, '--protocol', 'h1,h2', '-c', '1,2'], /sweep limits .* under one version at a time/],
    ['--protocol h1,h2 with -c auto', (t) => [t, '--protocol', 'h1,h2', '-c', 'auto'], /sweep limits .* under one version at a time/],
  ];

  test.each(conflicts)('conflicting or missing: %s', async (label, args, message) => {
    const tag = `conflict-${label.replace(/\W+/g, '-')}`;
    await expectRefused(tag, args(target(tag)), message);
  });

  test('tmdb without a key (live) is a usage error with no request', async () => {
    const result = await runBuiltInProcess(['tmdb', '-n', '2'], { cwd: tmp, env: { TMDB_API_KEY: undefined } });
    expectUsageError(result, /tmdb needs an API key: set TMDB_API_KEY/);
  });
});
