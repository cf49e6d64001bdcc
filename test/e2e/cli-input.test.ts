/**
 * End to end: input the CLI must refuse the contract's way (one `async-bench:` line, exit 2,
 * nothing on stdout, no request) on every command; `help` as a command; -H headers the HTTP
 * client cannot send; repeated -f. A local server on 127.0.0.1 records what reaches it.
 *
 * The CLI's main() runs in this process (the built one where requests are sent), one run at a
 * time; the two runs that read standard input (-f -) spawn the built CLI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { expectOk, expectUsageError, parseJsonReport } from '../helpers/expectations.js';

const SPAWN = { timeout: 30_000 };

let server: Server;
let base: string;
/** Paths the server saw, in arrival order. */
const paths: string[] = [];
let dir: string;

beforeAll(async () => {
  assertBuilt();
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'async-bench-cli-input-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
  cleanupCli();
});

const seenFor = (tag: string): string[] => paths.filter((p) => p.includes(`case=${tag}`));

/** `async-bench --help`, run once for the tests that read it. */
let helpRun: ReturnType<typeof runBuiltInProcess> | undefined;
const help = (): ReturnType<typeof runBuiltInProcess> => (helpRun ??= runBuiltInProcess(['--help']));

describe.concurrent('every command refuses bad usage with one line and exit 2', SPAWN, () => {
  test.each<[string[], RegExp]>([
    [['presets', '--bogus'], /^async-bench: unknown option '--bogus'\n$/],
    [['presets', 'extra-arg'], /^async-bench: too many arguments for 'presets'/],
    [['serve', '--bogus'], /^async-bench: unknown option '--bogus'/],
    [['serve', '--prot', '0'], /unknown option '--prot' \(Did you mean --port\?\)/],
    [['serve', 'pokemon', 'extra'], /^async-bench: too many arguments for 'serve'/],
    [['help', 'sevre'], /^async-bench: unknown command 'sevre' \(did you mean 'serve'\?\); commands are presets, serve, export, tour, help\n$/],
    [['help', '--bogus'], /^async-bench: unknown option '--bogus'/],
  ])('%j', async (args, message) => {
    expectUsageError(await runBuiltInProcess(args), message);
  });
});

describe.concurrent('help as a command', SPAWN, () => {
  test('`async-bench help` prints the usage, as --help does, and exits 0', async () => {
    const [command, flag] = [await runBuiltInProcess(['help']), await help()];
    expectOk(command);
    expect(command.stderr).toBe('');
    expect(command.stdout).toMatch(/^Usage: async-bench /);
    expect(command.stdout).toMatch(/^ {2}help \[command\]/m);
    expect(command.stdout).toBe(flag.stdout);
  });

  test.each([
    ['serve', /^Usage: async-bench serve \[options\] \[preset\]/, ['--port', '--capacity', '--max-inflight']],
    ['presets', /^Usage: async-bench presets/, []],
    ['help', /^Usage: async-bench help \[options\] \[command\]/, []],
  ])('`async-bench help %s` prints that command\'s usage and exits 0', async (name, usage, options) => {
    const result = await runBuiltInProcess(['help', name]);
    expectOk(result);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(usage);
    for (const option of options) expect(result.stdout).toContain(option);
    expect(result.stdout).toBe((await runBuiltInProcess([name, '--help'])).stdout);
  });
});

describe.concurrent('-H: headers the HTTP client cannot send are refused before any request', SPAWN, () => {
  const secret = 'hdrS3cret-771';
  test.each<[string, string, RegExp]>([
    ['expect', 'Expect: 100-continue', /--header 'Expect' cannot be set/],
    ['expect-lower', 'expect: 100-continue', /--header 'expect' cannot be set/],
    ['upgrade', 'UPGRADE: websocket', /--header 'UPGRADE' cannot be set: switching protocols/],
    ['te', 'Transfer-Encoding: chunked', /--header 'Transfer-Encoding' cannot be set/],
    ['keepalive', 'Keep-Alive: timeout=5', /--header 'Keep-Alive' cannot be set/],
    ['connection', 'Connection: not a token', /--header 'Connection' must be a comma-separated list/],
    ['wide', `X-Token: ${secret}\u0100`, /--header 'X-Token' has a character that cannot be sent/],
    ['del', `X-Token: ${secret}\x7f`, /--header 'X-Token' has a character that cannot be sent/],
    ['ctl', `X-Token: ${secret}\x01`, /--header 'X-Token' has a character that cannot be sent/],
  ])('%s', async (tag, header, message) => {
    const result = await runBuiltInProcess([`${base}/ok?case=${tag}`, '-H', header, '-s', 'sequential']);
    expectUsageError(result, message);
    expect(result.stderr).not.toContain(secret);
    expect(seenFor(tag)).toEqual([]);
  });

  test('a value with a tab inside, or Latin-1 letters, is sent', async () => {
    const result = await runBuiltInProcess([`${base}/ok?case=tab`, '-H', 'X-A: a\tb', '-H', 'X-B: caf\u00e9', '-s', 'sequential', '--json']);
    expectOk(result);
    expect(parseJsonReport<{ results: Array<{ ok: number; failed: number }> }>(result).results[0]).toMatchObject({ ok: 1, failed: 0 });
  });
});

describe.concurrent('-f is repeatable: arguments first, then each file in order', SPAWN, () => {
  interface Doc {
    config: { count: number };
    results: Array<{ requests: number; ok: number; failed: number }>;
  }

  test('-f a.txt -f b.txt reads both, in order', async () => {
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    writeFileSync(a, `# list a\n${base}/ok?case=two&n=2\n${base}/ok?case=two&n=3\n`);
    writeFileSync(b, `\n${base}/ok?case=two&n=4\n`);
    const result = await runBuiltInProcess([`${base}/ok?case=two&n=1`, '-f', a, '-f', b, '-s', 'sequential', '--json']);
    expectOk(result);
    const doc = parseJsonReport<Doc>(result);
    expect(doc.results[0], describeRun(result)).toMatchObject({ requests: 4, ok: 4, failed: 0 });
    // The last 4 are the measured ones (the primer may come first).
    expect(seenFor('two').slice(-4)).toEqual(['/ok?case=two&n=1', '/ok?case=two&n=2', '/ok?case=two&n=3', '/ok?case=two&n=4']);
  });

  test('-f a.txt -f - reads the file, then standard input', async () => {
    const a = join(dir, 'stdin-a.txt');
    writeFileSync(a, `${base}/ok?case=stdin&n=1\n`);
    const result = await run(['-f', a, '--file', '-', '-s', 'sequential', '--json'], { stdin: `${base}/ok?case=stdin&n=2\n` });
    expectOk(result);
    expect(parseJsonReport<Doc>(result).results[0]).toMatchObject({ requests: 2, ok: 2 });
    expect(seenFor('stdin').slice(-2)).toEqual(['/ok?case=stdin&n=1', '/ok?case=stdin&n=2']);
  });

  test('-f - twice: exit 2, stdin can be read only once', async () => {
    expectUsageError(await run(['-f', '-', '-f', '-'], { stdin: `${base}/ok?case=twice\n` }), /--file - is given twice/);
    expect(seenFor('twice')).toEqual([]);
  });

  test('a bad line in the second file is named by file and line, before any request', async () => {
    const good = join(dir, 'good.txt');
    const bad = join(dir, 'bad.txt');
    writeFileSync(good, `${base}/ok?case=badsecond\n`);
    writeFileSync(bad, `${base}/ok?case=badsecond&n=2\nnot a url\n`);
    expectUsageError(await runBuiltInProcess(['-f', good, '-f', bad]), /bad\.txt:2/);
    expect(seenFor('badsecond')).toEqual([]);
  });

  test('--help documents -f as repeatable', async () => {
    const result = await help();
    expect(result.stdout.replace(/\s+/g, ' ')).toMatch(/-f, --file <path> URLs one per line .*repeatable: arguments first, then each file in order/);
  });
});
