/**
 * The CLI's main() run inside the test process, for the many usage errors that need no child:
 * the same parse and checks as the built CLI, in milliseconds instead of a process each. Runs
 * one at a time (exit code and output streams are the process's own). A few cases in every
 * suite still spawn the built CLI, so the real process is checked too.
 */
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main.js';
import { BUILT_MAIN, assertBuilt, type RunResult } from './cli.js';

export interface InProcessResult extends RunResult {
  /** stdout and stderr as a terminal shows them, interleaved in the order written. */
  output: string;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `async-bench ...args` in this process. `env` is set for the run's duration (undefined
 * unsets); COLUMNS is wide unless given, as for a spawned CLI (see cli.ts).
 */
export function runInProcess(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<InProcessResult> {
  const next = queue.then(() => once(main, args, { COLUMNS: '1000', ...env }));
  queue = next.catch(() => undefined);
  return next;
}

/**
 * As runInProcess, with the built CLI's main() (dist/): a run that starts the fixture server
 * needs it, since the server's worker thread loads a built module.
 */
export function runBuiltInProcess(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<InProcessResult> {
  assertBuilt();
  const next = queue.then(async () => {
    const built = (await import(pathToFileURL(BUILT_MAIN).href)) as { main: typeof main };
    return once(built.main, args, { COLUMNS: '1000', ...env });
  });
  queue = next.catch(() => undefined);
  return next;
}

async function once(main: (argv: readonly string[]) => Promise<void>, args: readonly string[], env: Record<string, string | undefined>): Promise<InProcessResult> {
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
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const setEnv = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  const started = performance.now();
  process.exitCode = undefined;
  setEnv(env);
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    await main(args);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    setEnv(saved);
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, signal: null, stdout: out.join(''), stderr: err.join(''), output: both.join(''), ms: performance.now() - started };
}
