/**
 * Secrets and server text from the outside (issue 12, items 5-7), with the built CLI against
 * a recording server on loopback: header and parameter names the tool has never heard of, but
 * whose names say "secret", and names given with --redact, never show their values in --json,
 * --details, markdown, CSV, the table, the waterfall or the --report page; a fragment is never
 * sent; and whatever a server writes (status text, body) puts no control character on stdout.
 *
 * The built CLI's main() runs in this process (one run at a time), but for the --json --details
 * --report run of the first group, which spawns bin/async-bench.js: the real process, its stdout
 * and the page it writes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, cleanupCli, describeRun, run, type RunResult } from '../helpers/cli.js';
import { expectOk, expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';

const ESC = '\u001b';

const HOSTILE_BODY = `{"name":"${ESC}[2J${ESC}]52;c;cHduZWQ=\u0007\u202e\u009bpika"}`;
/** Raw responses by path; anything else is 200 "ok". */
const RAW: Record<string, string> = {
  // A status text with OSC 52 (write the clipboard) and a clear-screen, and a body full of them.
  '/hostile-status': `HTTP/1.1 404 Not${ESC}]52;c;cHduZWQ=\u0007 Found${ESC}[2J\r\ncontent-length: 2\r\n\r\nno`,
  '/hostile-body': `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(HOSTILE_BODY)}\r\n\r\n${HOSTILE_BODY}`,
};

interface Recorded {
  target: string;
  headers: Record<string, string>;
}

let server: Server;
let origin: string;
const log: Recorded[] = [];
const sockets = new Set<Socket>();
let dir: string;

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'async-bench-secrets-'));
  // Reads the request head raw, so that the request line is recorded exactly as it arrived.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setEncoding('latin1');
    let head = '';
    socket.on('data', (chunk: string) => {
      head += chunk;
      for (let end = head.indexOf('\r\n\r\n'); end !== -1; end = head.indexOf('\r\n\r\n')) {
        const [requestLine = '', ...lines] = head.slice(0, end).split('\r\n');
        head = head.slice(end + 4);
        const target = requestLine.split(' ')[1] ?? '';
        const headers: Record<string, string> = {};
        for (const line of lines) headers[line.slice(0, line.indexOf(':')).trim().toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
        log.push({ target, headers });
        const raw = RAW[target.split('?')[0] ?? ''];
        socket.write(Buffer.from(raw ?? 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok', 'utf8'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
  cleanupCli();
});

/** Query parameters no list named before issue 12 (each value distinct, so each check is its own). */
const PARAMS = ['X-Amz-Signature', 'auth_token', 'refresh_token', 'id_token', 'appid', 'sessionid', 'jwt', 'passwd', 'access-token', 'subscription-key', 'secret_key', 'my_param'];
/** Headers likewise; X-Tenant-Blob is secret only because of --redact. */
const HEADERS = ['X-Goog-Api-Key', 'X-RapidAPI-Key', 'Ocp-Apim-Subscription-Key', 'X-Amz-Security-Token', 'DD-API-KEY', 'apikey', 'X-Tenant-Blob'];
const valueOf = (name: string): string => `v${name.replace(/[^A-Za-z]/g, '')}Q7z9`;
const FRAGMENT_TOKEN = 'fragAccessTokenQ7z9';
const SECRET_VALUES = [...PARAMS, ...HEADERS].map(valueOf).concat(FRAGMENT_TOKEN);
const REDACT = ['--redact', 'my_param', '--redact', 'X-Tenant-Blob'];

function urlFile(): string {
  const query = (names: string[]): string => names.map((n) => `${n}=${valueOf(n)}`).join('&');
  const lines = [
    `${origin}/ok?page=1&${query(PARAMS.slice(0, 4))}`,
    `${origin}/ok?${query(PARAMS.slice(4, 8))}`,
    `${origin}/ok?${query(PARAMS.slice(8))}#access_token=${FRAGMENT_TOKEN}&state=here`,
  ];
  const path = join(dir, 'urls.txt');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const headerArgs = (): string[] => HEADERS.flatMap((h) => ['-H', `${h}: ${valueOf(h)}`]);

function expectNoSecret(label: string, text: string): void {
  for (const secret of SECRET_VALUES) expect(text.includes(secret), `${label} shows ${secret}:\n${text}`).toBe(false);
}

interface DetailsDoc {
  config: { headers: string[] };
  results: Array<{ samples: Array<{ url: string }> }>;
}

describe('secret names by pattern and --redact, end to end', () => {
  let results: Array<{ label: string; result: RunResult; files: Record<string, string> }>;

  beforeAll(async () => {
    const file = urlFile();
    const base = ['--file', file, '-s', 'sequential,all', ...headerArgs(), ...REDACT];
    const [json, markdown, csv] = await Promise.all([
      run([...base, '--json', '--details', '--report', join(dir, 'page.html')]),
      runBuiltInProcess([...base, '--format', 'markdown', '-o', join(dir, 'out.md'), '--waterfall', '--no-color']),
      runBuiltInProcess([...base, '--format', 'csv']),
    ]);
    results = [
      { label: 'json --details --report', result: json, files: { 'page.html': readFileSync(join(dir, 'page.html'), 'utf8') } },
      { label: 'markdown -o, table with waterfall', result: markdown, files: { 'out.md': readFileSync(join(dir, 'out.md'), 'utf8') } },
      { label: 'csv', result: csv, files: {} },
    ];
  });

  test('every run succeeds and none prints or writes a secret value', () => {
    for (const { label, result, files } of results) {
      expectOk(result);
      expectNoSecret(`${label}: stdout`, result.stdout);
      expectNoSecret(`${label}: stderr`, result.stderr);
      for (const [name, text] of Object.entries(files)) expectNoSecret(`${label}: ${name}`, text);
    }
  });

  test('--json --details: headers and parameters show *** and the rest as given', () => {
    const doc = parseJsonReport<DetailsDoc>(results[0]!.result);
    expect(doc.config.headers).toEqual(HEADERS.map((h) => `${h.toLowerCase()}: ***`));
    const urls = doc.results.flatMap((r) => r.samples.map((s) => s.url));
    expect(urls).toHaveLength(6);
    const all = urls.join('\n');
    for (const name of PARAMS) expect(all).toContain(`${name}=***`);
    expect(all).toContain('page=1');
    expect(all).toContain('#access_token=***&state=here');
  });

  test('the HTML report shows the names with *** (configuration and each bar\'s URL)', () => {
    const page = results[0]!.files['page.html']!;
    expect(page).toContain('x-goog-api-key: ***');
    expect(page).toContain('x-tenant-blob: ***');
    expect(page).toContain('X-Amz-Signature=***');
    expect(page).toContain('my_param=***');
    expect(results[1]!.files['out.md']).toContain('| sequential');
  });

  test('the server received every header and parameter, and never a fragment', () => {
    const requests = log.filter((r) => r.target.startsWith('/ok'));
    expect(requests.length).toBeGreaterThanOrEqual(18); // 3 runs × 2 strategies × 3 URLs
    for (const request of requests) {
      expect(request.target).not.toContain('#');
      expect(request.target).not.toContain(FRAGMENT_TOKEN);
      for (const name of HEADERS) expect(request.headers[name.toLowerCase()]).toBe(valueOf(name));
    }
    expect(requests.some((r) => r.target.includes(`secret_key=${valueOf('secret_key')}`))).toBe(true);
  });
});

describe('--redact', () => {
  test("the JSON document's config.command, the command that reproduces the run, holds no secret", async () => {
    const result = await runBuiltInProcess(['http://127.0.0.1:1/?api_key=k3y-value', '-H', 'X-Auth: hdr-secret', '-s', 'sequential', '--timeout', '500', '--json', '-q']);
    const doc = parseJsonReport<{ config: { command: string; seed: number } }>(result);
    expect(doc.config.command).toBe(`async-bench 'http://127.0.0.1:1/?api_key=***' -H 'X-Auth: ***' -s sequential --timeout 500 --json -q --seed ${doc.config.seed}`);
  });

  test('a name typed in a refused URL is shown as *** in the error line', async () => {
    const result = await runBuiltInProcess([`http://h.example:99999/?my_param=${valueOf('my_param')}`, ...REDACT]);
    expectUsageError(result, /my_param=\*\*\*/);
    expectNoSecret('stderr', result.stderr);
  });

  test('an empty name, or one with = or a space, is a usage error', async () => {
    for (const bad of ['', 'a=b', 'two words']) expectUsageError(await runBuiltInProcess([`${origin}/ok`, '--redact', bad]), /--redact takes a header or query parameter name/);
  });

  test('--help lists it', async () => {
    expect((await runBuiltInProcess(['--help'])).stdout).toContain('--redact <name>');
  });
});

describe('text from a server reaches no terminal or report with control characters', () => {
  // C0 but tab and line feed, DEL, C1, and the bidi controls.
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  test('a status text and a body full of escape sequences: table, markdown, csv, JSON and the HTML report stay clean', async () => {
    const urls = [`${origin}/hostile-status`, `${origin}/hostile-body`, `${origin}/ok`];
    const page = join(dir, 'hostile.html');
    const runs = [
      await runBuiltInProcess([...urls, '-s', 'sequential', '--waterfall', '--report', page]),
      await runBuiltInProcess([...urls, '-s', 'sequential', '--format', 'markdown']),
      await runBuiltInProcess([...urls, '-s', 'sequential', '--format', 'csv']),
      await runBuiltInProcess([...urls, '-s', 'sequential', '--json', '--details']),
    ];
    for (const result of runs) {
      expect(result.code, describeRun(result)).toBe(0);
      expect(result.stdout, describeRun(result)).not.toMatch(CONTROL);
      expect(result.stderr, describeRun(result)).not.toMatch(CONTROL);
    }
    expect(readFileSync(page, 'utf8')).not.toMatch(CONTROL);
    expect(log.some((r) => r.target === '/hostile-status')).toBe(true);
  });
});
