// Child processes of the bench: the server, async-bench itself and the reference scripts.
// Nothing is measured in this process; every timing comes from a child.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'bin', 'async-bench.js');
export const SERVER = join(ROOT, 'bench', 'server.js');

/** Children never wait forever: a request loop that hangs is killed and reported. */
const DEFAULT_CHILD_TIMEOUT_MS = 120_000;

/**
 * Runs a command to the end; resolves with its exit code, output and the wall time seen from
 * here (spawn included). Never rejects for a non-zero exit: the caller decides.
 */
export function run(command, args, { timeoutMs = DEFAULT_CHILD_TIMEOUT_MS, env, cwd = ROOT } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        timedOut,
        wallMs: performance.now() - t0,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

function describeFailure(what, r) {
  const why = r.timedOut ? 'timed out' : r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
  return new Error(`${what}: ${why}${r.stderr ? `\n${r.stderr.trim().slice(-2000)}` : ''}`);
}

/** Runs a node script that prints one JSON document on stdout; returns it parsed. */
export async function runNodeJson(args, what, options) {
  const r = await run(process.execPath, args, options);
  if (r.code !== 0) throw describeFailure(what, r);
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`${what}: stdout is not JSON: ${r.stdout.slice(0, 200)}`);
  }
}

/** Runs the built CLI with --json -q and returns its report (the JSON document of CONTRACT.md). */
export function runAsyncBench(args, options) {
  return runNodeJson([CLI, ...args, '--json', '-q'], `async-bench ${args.join(' ')}`, options);
}

/**
 * Starts bench/server.js in a child process, behind `prefix` (a command that execs the rest, such
 * as `taskset -c 0`). It stops when we close its stdin (stop()), or by itself after maxSeconds if
 * this process dies without doing so.
 */
export function startServer({ delayMs, bytes = 256, maxSeconds = 300, prefix = [] }) {
  return new Promise((resolve, reject) => {
    const args = [SERVER, '--delay', String(delayMs), '--bytes', String(bytes), '--max-seconds', String(maxSeconds)];
    const child = spawn(prefix[0] ?? process.execPath, prefix.length > 0 ? [...prefix.slice(1), process.execPath, ...args] : args, {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise((done) => child.once('exit', done));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited before listening (code ${code})`)));
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      const { port } = JSON.parse(line);
      lines.close();
      resolve({
        port,
        delayMs,
        baseUrl: `http://127.0.0.1:${port}`,
        pid: child.pid,
        async stop() {
          child.stdin.end();
          await exited;
        },
      });
    });
  });
}

/** Writes N distinct URLs of the server, one per line; returns the path. */
export function writeUrlFile(dir, server, count, name = `urls-${server.port}-${count}.txt`) {
  const path = join(dir, name);
  const lines = new Array(count);
  for (let i = 0; i < count; i++) lines[i] = `${server.baseUrl}/item/${i}`;
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Starts a server, runs `body(server)`, and stops the server whatever happens. */
export async function withServer(options, body) {
  const server = await startServer(options);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}
