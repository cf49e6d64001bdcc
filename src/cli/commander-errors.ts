import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import type { CommanderError } from 'commander';
import { quoteInput } from '../core/errors.js';

/**
 * Commander's message as one line: "error: unknown option '--cont' (Did you mean --count?)".
 * What it quotes of the user's input is clipped as our own messages clip it.
 */
export function oneLine(text: string): string {
  const line = text.trim().split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  return line.replace(/'([^']*)'/g, (_, quoted: string) => quoteInput(quoted));
}

/**
 * Makes every command of `program` throw instead of exiting, and keeps what commander would
 * have written to stderr. Subcommands are set up one by one (commander's settings are not
 * inherited by commands added before them), so each one's mistakes reach the same handler.
 */
export function catchCommanderErrors(program: CommandUnknownOpts, writeOut?: (text: string) => void): { message(err: CommanderError): string } {
  let written = '';
  const withSubcommands = (command: CommandUnknownOpts): CommandUnknownOpts[] => [command, ...command.commands.flatMap(withSubcommands)];
  for (const command of withSubcommands(program)) {
    command.exitOverride().configureOutput({
      writeErr: (text) => {
        written += text;
      },
      ...(writeOut ? { writeOut } : {}),
    });
  }
  return { message: (err) => oneLine(written || err.message).replace(/^error: /, '') };
}
