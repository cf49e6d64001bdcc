/**
 * The CLI's main() run inside the test process, for the many usage errors that need no child:
 * the same parse and checks as the built CLI, in milliseconds instead of a process each. Runs
 * one at a time (exit code and output streams are the process's own). A few cases in every
 * suite still spawn the built CLI, so the real process is checked too.
 */
import { pathToFileURL } from 'node:url';
import { BUILT_MAIN, SCRUBBED_ENV, assertBuilt, type RunResult } from './cli.js';

let queue: Promise<unknown> = Promise.resolve();

export interface InProcessOptions {
  /** Working directory for the run (a .env there is read, as by the built CLI). */
  cwd?: string;
  /**
   * Set (or, when undefined, removed) in process.env for the run, then restored. COLUMNS is
   * wide unless given here, as for a spawned CLI (see cliEnv in cli.ts).
   */
  env?: Record<string, string | undefined>;
}

export interface InProcessResult extends RunResult {
  /** stdout and stderr as a terminal shows them, interleaved in the order written. */
  output: string;
}

type Main = (argv: readonly string[]) => Promise<void>;

export function runInProcess(args: readonly string[], options: InProcessOptions = {}): Promise<InProcessResult> {
  // Loaded on first use: a file that runs only the built CLI never compiles src's.
  const next = queue.then(async () => once((await import('../../src/cli/main.js')).main, args, options));
  queue = next.catch(() => undefined);
  return next;
}

/**
 * As runInProcess, with the built CLI's main() (dist/): a run that starts the fixture server
 * needs it, since the server's worker thread loads a built module.
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
  // The whole environment is restored afterwards, what a .env in the working directory added
  // included (the CLI loads it into process.env, as it does in its own process).
  const savedEnv = { ...process.env };
  const setEnv = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  for (const name of SCRUBBED_ENV) setEnv(name, undefined);
  setEnv('CI', '1');
  setEnv('COLUMNS', '1000');
  for (const [name, value] of Object.entries(options.env ?? {})) setEnv(name, value);
  const savedCwd = process.cwd();
  if (options.cwd !== undefined) process.chdir(options.cwd);
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
    if (options.cwd !== undefined) process.chdir(savedCwd);
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, signal: null, stdout: out.join(''), stderr: err.join(''), output: both.join(''), ms: performance.now() - started };
}
