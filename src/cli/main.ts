// First, so that a Ctrl-C during start-up is caught (see interrupt.ts).
import { releaseInterrupts } from '../run/interrupt.js';
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { UsageError, quoteInput } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Commander's message as one line: "error: unknown option '--cont' (Did you mean --count?)".
 * What it quotes of the user's input is clipped as our own messages clip it.
 */
function oneLine(text: string): string {
  const line = text.trim().split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  return line.replace(/'([^']*)'/g, (_, quoted: string) => quoteInput(quoted));
}

/** The whole program: parse, run, and turn any error into one stderr line and an exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  // A reader that stops early (| head) closes the pipe: that ends the output, it is no error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
      throw err;
    });
  }
  let commanderMessage = '';
  // Each command's module is loaded only when it runs, so --help and --version start fast.
  const program = buildProgram(packageVersion(), {
    async run(options) {
      const { runCommand } = await import('./run-command.js');
      process.exitCode = await runCommand(options);
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
  });
  program.exitOverride().configureOutput({
    writeErr: (text) => {
      commanderMessage += text;
    },
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) {
        process.exitCode = EXIT.ok; // --help, --version
        return;
      }
      process.stderr.write(`async-bench: ${oneLine(commanderMessage || err.message).replace(/^error: /, '')}\n`);
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
  }
}
