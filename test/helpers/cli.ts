/**
 * Spawns the built CLI (bin/async-bench.js -> dist/cli/main.js) the way a user or a CI job
 * would, and collects its exit code, stdout and stderr. At most two CLI processes run at once
 * (the machine has two cores, and the CLI's timings are what some tests compare).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/async-bench.js', import.meta.url));
export const BUILT_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** Preloaded into every spawned CLI (`node --import`): no test process reaches beyond loopback. */
export const NETWORK_GUARD = new URL('./network-guard.mjs', import.meta.url).href;
/** Preloaded too: tells a test about events inside the CLI (see cli-probe.mjs), when asked. */
export const CLI_PROBE = new URL('./cli-probe.mjs', import.meta.url).href;
/** Node's arguments before the script: the network guard first, then the probe. */
export const NODE_ARGS = ['--import', NETWORK_GUARD, '--import', CLI_PROBE] as const;

export const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Throws a clear message when the CLI was not built (`npm test` builds before vitest). */
export function assertBuilt(): void {
  if (!existsSync(BUILT_MAIN)) {
    throw new Error(`${BUILT_MAIN} is missing: build the CLI first with \`npm run build\` (\`npm test\` does it before vitest)`);
  }
}

export interface RunOptions {
  /** Added to a clean environment (CI=1, no colour variables inherited). */
  env?: Record<string, string | undefined>;
  /** Written to the CLI's standard input, which is then closed. Without it stdin is closed at once. */
  stdin?: string;
  /** Leaves standard input open: the test writes to and ends child.stdin itself (in onSpawn). */
  holdStdin?: boolean;
  /** Called once the process is spawned, e.g. to send it a signal later. */
  onSpawn?: (child: ChildProcess) => void;
  /**
   * Called for each event the CLI's probe reports (cli-probe.mjs): "sigint-listener", or
   * "request N METHOD PATH". The way to act at the right moment, e.g. send SIGINT.
   */
  onProbe?: (event: string, child: ChildProcess) => void;
  /** Kills the process (SIGKILL) after this long; the test then fails on the exit code. */
  killAfterMs?: number;
  /** Closes the read end of stdout at once, as `| head` does once it has read enough. */
  closeStdout?: boolean;
  /** Working directory; by default an empty temporary one, so that no stray .env is read. */
  cwd?: string;
}

export interface RunResult {
  /** Exit code, or null when the process died of a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, ms (for comparisons, never for tight absolute limits). */
  ms: number;
}

const MAX_PARALLEL = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function acquireSlot(): Promise<void> {
  if (running < MAX_PARALLEL) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next(); // the slot passes straight to the next waiter
  else running--;
}

let emptyDir: string | undefined;
/** An empty directory to run the CLI in (created once per test process): no stray .env is read. */
export function neutralCwd(): string {
  emptyDir ??= mkdtempSync(join(tmpdir(), 'async-bench-cwd-'));
  return emptyDir;
}

/** Removes the temporary working directory; call it from afterAll. */
export function cleanupCli(): void {
  if (emptyDir !== undefined) rmSync(emptyDir, { recursive: true, force: true });
  emptyDir = undefined;
}

/** The caller's variables a CLI under test never sees: colour, the TMDB key, proxies. */
export const SCRUBBED_ENV = ['NO_COLOR', 'FORCE_COLOR', 'TMDB_API_KEY', 'http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'] as const;
/** What the test process sets for itself, which a spawned CLI must not inherit either. */
const TEST_ONLY_ENV = ['NODE_OPTIONS', 'TEST_PROBE_FD', 'NETWORK_GUARD_LOG'] as const;

/**
 * The environment the CLI sees: CI set, and none of the caller's colour or proxy settings.
 * COLUMNS is wide, so that what a test reads is never broken across lines by the 80-column
 * wrapping of a pipe; the tests of that wrapping set COLUMNS (or unset it) themselves.
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', COLUMNS: '1000' };
  for (const name of [...SCRUBBED_ENV, ...TEST_ONLY_ENV]) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs `async-bench ...args` to its end. */
export async function run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  assertBuilt();
  await acquireSlot();
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      const t0 = performance.now();
      const probe = options.onProbe;
      const child = spawn(process.execPath, [...NODE_ARGS, BIN, ...args], {
        cwd: options.cwd ?? neutralCwd(),
        env: cliEnv({ ...options.env, ...(probe ? { TEST_PROBE_FD: '3' } : {}) }),
        stdio: probe ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
      });
      if (probe) {
        let pending = '';
        const events = child.stdio[3] as NodeJS.ReadableStream;
        events.setEncoding('utf8');
        events.on('data', (chunk: string) => {
          pending += chunk;
          let end: number;
          while ((end = pending.indexOf('\n')) !== -1) {
            const event = pending.slice(0, end);
            pending = pending.slice(end + 1);
            probe(event, child);
          }
        });
      }
      let stdout = '';
      let stderr = '';
      if (options.closeStdout) child.stdout.destroy();
      else child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      // The CLI may exit before reading all of its input: that is not the test's failure.
      child.stdin.on('error', () => {});
      if (!options.holdStdin) child.stdin.end(options.stdin ?? '');
      const killer = options.killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
      child.once('error', (err) => {
        if (killer) clearTimeout(killer);
        reject(err);
      });
      child.once('close', (code, signal) => {
        if (killer) clearTimeout(killer);
        resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
      });
      options.onSpawn?.(child);
    });
  } finally {
    releaseSlot();
  }
}

/** Any ANSI escape sequence (colour, cursor movement). */
 
export const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/;

/** A short description of a run for assertion messages. */
export function describeRun(result: RunResult): string {
  return `exit ${result.code}${result.signal ? ` (signal ${result.signal})` : ''}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** When SIGINT went out and when the process exited (performance.now()), filled in as it happens. */
export interface InterruptTimes {
  sentAt: number;
  exitAt: number;
}

/**
 * An onProbe that sends SIGINT at the first probe event `when` accepts (and a second SIGINT
 * right after it, when asked): Ctrl-C at a known point of the run, never after a guessed delay.
 */
export function interruptOn(
  when: (event: string) => boolean,
  options: { second?: boolean; then?: (child: ChildProcess) => void } = {},
): { onProbe: (event: string, child: ChildProcess) => void; times: InterruptTimes } {
  const times: InterruptTimes = { sentAt: Number.NaN, exitAt: Number.NaN };
  let sent = false;
  return {
    times,
    onProbe(event, child) {
      if (sent || !when(event)) return;
      sent = true;
      child.once('exit', () => (times.exitAt = performance.now()));
      times.sentAt = performance.now();
      child.kill('SIGINT');
      if (options.second) child.kill('SIGINT');
      options.then?.(child);
    },
  };
}

/** A probe event for the Nth request whose path contains `part` (N from 1, counted by the caller). */
export function nthRequest(part: string, n = 1): (event: string) => boolean {
  let seen = 0;
  return (event) => event.startsWith('request ') && event.split(' ')[3]?.includes(part) === true && ++seen === n;
}
