/**
 * The CLI's main() run inside the test process, for the many usage errors that need no child:
 * the same parse and checks as the built CLI, in milliseconds instead of a process each. Runs
 * one at a time (exit code and output streams are the process's own). A few cases in every
 * suite still spawn the built CLI, so the real process is checked too.
 */
import { main } from '../../src/cli/main.js';
import type { RunResult } from './cli.js';

let queue: Promise<unknown> = Promise.resolve();

export function runInProcess(args: readonly string[]): Promise<RunResult> {
  const next = queue.then(() => once(args));
  queue = next.catch(() => undefined);
  return next;
}

async function once(args: readonly string[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const capture = (into: string[]) => ((chunk: string | Uint8Array): boolean => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  const started = performance.now();
  process.exitCode = undefined;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  try {
    await main(args);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, signal: null, stdout: out.join(''), stderr: err.join(''), ms: performance.now() - started };
}
