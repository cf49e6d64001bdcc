// First, so that a Ctrl-C during start-up is caught (see interrupt.ts).
import { releaseInterrupts } from '../run/interrupt.js';
import { CommanderError } from 'commander';
import { UsageError } from '../core/errors.js';
import { catchCommanderErrors } from './commander-errors.js';
import { EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';
import { packageVersion } from './version.js';

/** The first error writing stdout in this run; the listeners are added once per process. */
let stdoutError: NodeJS.ErrnoException | null = null;
let streamsWatched = false;

/** The whole program: parse, run, and turn any error into one stderr line and an exit code. */
/** Before a measuring command's first connection: undici's parser stays on V8's baseline tier (parser-tier.ts). */
const keepParserTier = async (): Promise<void> => (await import('../http/parser-tier.js')).keepParserOnBaselineCompiler();

export async function main(argv: readonly string[]): Promise<void> {
  // A reader that stops early (| head) closes the pipe: that ends the output, it is no error, and
  // the run goes on to earn its exit code (a failed check is still 1). Whatever else is written
  // to the closed stream is discarded.
  stdoutError = null;
  if (!streamsWatched) {
    streamsWatched = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      stdoutError ??= err;
    });
    process.stderr.on('error', () => {}); // nowhere left to say anything
  }
  // Each command's module is loaded only when it runs, so --help and --version start fast.
  const version = packageVersion();
  const program = buildProgram(version, {
    async run(options) {
      await keepParserTier();
      const { runCommand } = await import('./run-command.js');
      process.exitCode = await runCommand({ ...options, commandLine: argv });
    },
    async serve(options) {
      releaseInterrupts();
      const { serveCommand } = await import('./serve-command.js');
      process.exitCode = await serveCommand(options);
    },
    async presets() {
      releaseInterrupts();
      const { presetsCommand } = await import('./presets-command.js');
      process.exitCode = await presetsCommand();
    },
    async export(request) {
      releaseInterrupts();
      const { exportCommand } = await import('./export-command.js');
      process.exitCode = await exportCommand(request, version);
    },
    async tour(options) {
      // Measured as its printed commands are, by `run`.
      await keepParserTier();
      const { tourCommand } = await import('./tour-command.js');
      process.exitCode = await tourCommand(options, version);
    },
  });
  // Every command's mistakes reach the one handler below (one line, exit 2) instead of commander's exit 1.
  const commanderErrors = catchCommanderErrors(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) {
        process.exitCode = EXIT.ok; // --help, --version
        return;
      }
      process.stderr.write(`async-bench: ${commanderErrors.message(err)}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`async-bench: ${err.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    // A bug, not a result: say so plainly, with the stack for the report.
    process.stderr.write(`async-bench: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = EXIT.internal;
  } finally {
    // A full disk (> /dev/full) lost the result; a reader that left (EPIPE) only did not want more.
    // A failed write reports itself a tick later: one loop turn lets it arrive.
    await new Promise((resolve) => setImmediate(resolve));
    const lost = stdoutError as NodeJS.ErrnoException | null;
    if (lost !== null && lost.code !== 'EPIPE') {
      process.stderr.write(`async-bench: cannot write to stdout: ${lost.code ?? lost.message}\n`);
      if (!process.exitCode) process.exitCode = EXIT.writeFailed;
    }
  }
}
