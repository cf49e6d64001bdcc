/**
 * The locustfile `export locust` writes, run by Locust itself (Debian's python3-locust): one
 * master and two workers on 127.0.0.1, headless, against the built-in fixture server started in
 * this process. Every request of every strategy must arrive once, with its method, headers and
 * body, the secret header read from the environment.
 *
 * Debian's Locust 2.12.1 ships an empty version string, and its master then refuses every
 * worker as "pre 2.0". The harness, not the exported file, works around it: a sitecustomize on
 * PYTHONPATH gives Locust a version before it starts.
 *
 * Under CI, Locust is not optional: .ci/run installs it, and without it this suite fails and
 * says so. On a machine without it, the suite is skipped with a line saying why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { listenFixtureServer, type RunningFixtureServer } from '../../src/fixture-server/server.js';
import { runInProcess } from '../helpers/in-process.js';
import { closedPort } from '../helpers/test-server.js';

const LOCUST = '/usr/bin/locust';
const HAVE_LOCUST = existsSync(LOCUST);
const RUN_LOCUST = HAVE_LOCUST || Boolean(process.env.CI);
if (!RUN_LOCUST) {
  process.stderr.write(`locust test skipped: ${LOCUST} is missing (CI installs it through .ci/run; apt-get install python3-locust to run it here)\n`);
}

const SECRET = 'Bearer s3cret-locust-token';
const SITECUSTOMIZE = `# Debian's locust 2.12.1 has an empty version, and its master refuses workers that report one.
import locust, locust.runners
if not locust.__version__:
    locust.__version__ = locust.runners.__version__ = "2.12.1"
`;

interface Arrival {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let dir: string;
let fixture: RunningFixtureServer;
const arrivals: Arrival[] = [];

beforeAll(async () => {
  if (!RUN_LOCUST) return;
  if (!HAVE_LOCUST) {
    throw new Error(`${LOCUST} is missing: the Locust test needs Debian's python3-locust package. .ci/run installs it (apt-get update && apt-get install -y python3-locust); run that, or install it yourself, then npm test again.`);
  }
  dir = mkdtempSync(join(tmpdir(), 'async-bench-locust-'));
  fixture = await listenFixtureServer({ latency: { minMs: 2, maxMs: 2 }, seed: 1 });
  fixture.server.on('request', (req) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => arrivals.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
  });
});

afterAll(async () => {
  await fixture?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function locust(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(LOCUST, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.once('close', (code) => resolve({ code, output })));
  return { child, done };
}

test.skipIf(!RUN_LOCUST)('the exported locustfile, on a master and two workers, sends every request of each strategy once, with its method, headers and body', { timeout: 60_000 }, async () => {
  const base = fixture.baseUrl;
  const requests = [
    { method: 'GET', url: `${base}/posts/1`, headers: { 'x-case': 'get' } },
    { method: 'POST', url: `${base}/posts`, json: { title: 'from locust', userId: 1 } },
    { method: 'PUT', url: `${base}/posts/2`, json: { title: 'put' }, headers: { 'x-case': 'put' } },
    { method: 'PATCH', url: `${base}/posts/3`, json: { title: 'patch' } },
    { method: 'DELETE', url: `${base}/posts/4`, headers: { 'x-case': 'delete' } },
  ];
  const file = join(dir, 'calls.jsonl');
  writeFileSync(file, requests.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const exported = await runInProcess(['export', 'locust', '--requests', file, '-s', 'sequential,bounded', '-c', '2', '-H', `authorization: ${SECRET}`, '-H', 'x-run: locust']);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).not.toContain('s3cret-locust-token');
  writeFileSync(join(dir, 'locustfile.py'), exported.stdout);
  writeFileSync(join(dir, 'sitecustomize.py'), SITECUSTOMIZE);

  // PYTHONPATH: the version shim. The wait after each ramp-up is Locust's own setting (1 s by default), shortened to keep the test quick.
  const env = { ...process.env, PYTHONPATH: dir, AUTHORIZATION: SECRET, LOCUST_WAIT_FOR_WORKERS_REPORT_AFTER_RAMP_UP: '0.1' };
  const port = String(await closedPort()); // nobody listens there now: the master's
  const master = locust(['-f', 'locustfile.py', '--headless', '--master', '--expect-workers', '2', '--master-bind-host', '127.0.0.1', '--master-bind-port', port, '--only-summary'], env);
  const workers = [1, 2].map(() => locust(['-f', 'locustfile.py', '--worker', '--master-host', '127.0.0.1', '--master-port', port], env));
  // A hung run fails the test instead of holding it.
  const guard = setTimeout(() => [master, ...workers].forEach((p) => p.child.kill('SIGKILL')), 50_000);
  const result = await master.done;
  const ended = await Promise.all(workers.map((w) => w.done));
  clearTimeout(guard);

  expect(result.code, result.output).toBe(0);
  expect(result.output).toMatch(/\(index 1\) reported as ready\. 2 workers connected/);
  for (const w of ended) expect(w.code, w.output).toBe(0);
  // Locust's statistics are named by strategy.
  expect(result.output).toMatch(/^\s*GET\s+sequential\s+1\s+0\(0\.00%\)/m);
  expect(result.output).toMatch(/^\s*DELETE\s+bounded@2\s+1\s+0\(0\.00%\)/m);

  const key = (a: { method: string; path: string }): string => `${a.method} ${a.path}`;
  expect(arrivals.map(key).sort()).toEqual(requests.flatMap((r) => [r, r]).map((r) => key({ method: r.method, path: new URL(r.url).pathname })).sort());
  for (const r of requests) {
    const arrived = arrivals.filter((a) => a.method === r.method && a.path === new URL(r.url).pathname);
    for (const a of arrived) {
      expect(a.headers).toMatchObject({ authorization: SECRET, 'x-run': 'locust', ...r.headers });
      if (r.json) {
        expect(a.headers['content-type']).toBe('application/json');
        expect(JSON.parse(a.body)).toEqual(r.json);
      } else {
        expect(a.body).toBe('');
      }
    }
  }
});
