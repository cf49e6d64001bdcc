/**
 * The CLI's main() run inside the test process: the same arguments, environment (cliEnv) and
 * working directory (an empty one unless given) as a spawned CLI, and its exit code, at a
 * fraction of a process's cost. Runs one at a time (exit code, environment and output streams
 * are the process's own). Only in a process of its own (the system project): a worker thread
 * cannot change directory, and would read the repository's .env. The runs whose process is
 * the point (signals, stdin, a closed stdout) spawn the built CLI (cli.ts).
 */
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { BUILT_MAIN, assertBuilt, cliEnv, neutralCwd, type RunResult } from './cli.js';

let queue: Promise<unknown> = Promise.resolve();

export interface InProcessOptions {
  /** Working directory for the run (a .env there is read, as by the built CLI); an empty one by default. */
  cwd?: string;
  /** Set (or, when undefined, removed) over cliEnv's environment for the run, as for a spawned CLI. */
  env?: Record<string, string | undefined>;
}

export interface InProcessResult extends RunResult {
  /** stdout and stderr as a terminal shows them, interleaved in the order written. */
  output: string;
}

type Main = (argv: readonly string[]) => Promise<void>;

/** src's main(): for usage errors and runs that start no worker thread of their own. */
export function runInProcess(args: readonly string[], options: InProcessOptions = {}): Promise<InProcessResult> {
  // Loaded on first use: a file that runs only the built CLI never compiles src's.
  const next = queue.then(async () => once((await import('../../src/cli/main.js')).main, args, options));
  queue = next.catch(() => undefined);
  return next;
}

/**
 * As runInProcess, with the built CLI's main() (dist/), the code a user runs; node loads it
 * without vitest's transform, so a file that runs only this never compiles src's CLI.
 */
export function runBuiltInProcess(args: readonly string[], options: InProcessOptions = {}): Promise<InProcessResult> {
  assertBuilt();
  const next = queue.then(async () => {
    const built = (await import(pathToFileURL(BUILT_MAIN).href)) as { main: Main };
    return once(built.main, args, options);
  });
  queue = next.catch(() => undefined);
  return next;
}

async function once(run: Main, args: readonly string[], options: InProcessOptions): Promise<InProcessResult> {
  if (!isMainThread) throw new Error('the CLI runs in process only in a process of its own: this file belongs in the system project (vitest.config.ts)');
  // The whole environment is the CLI's for the run, and restored afterwards, what a .env in the
  // working directory added included (the CLI loads it into process.env).
  const savedEnv = { ...process.env };
  replaceEnv(cliEnv(options.env));
  const savedCwd = process.cwd();
  process.chdir(options.cwd ?? neutralCwd());
  const out: string[] = [];
  const err: string[] = [];
  const both: string[] = [];
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const capture = (into: string[]) => ((chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    into.push(text);
    both.push(text);
    return true;
  }) as typeof process.stdout.write;
  const started = performance.now();
  process.exitCode = undefined;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    await run(args);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.chdir(savedCwd);
    replaceEnv(savedEnv);
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, signal: null, stdout: out.join(''), stderr: err.join(''), output: both.join(''), ms: performance.now() - started };
}

function replaceEnv(to: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) if (!(name in to)) delete process.env[name];
  Object.assign(process.env, to);
}
