/**
 * A run's arguments read by the run command's own parser: `export` and the programmatic API
 * take a run's targets and options, and go through the very parsers, defaults and checks the
 * command line does, so that the same input is accepted or refused with the same words.
 */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { CommanderError } from 'commander';
import { UsageError } from '../core/errors.js';
import type { RunOptions } from '../run/settings.js';
import { catchCommanderErrors } from './commander-errors.js';
import { buildProgram } from './program.js';

/** `args` as `async-bench [args...]` reads them, as a run's (never another command's). */
export async function parseRunArguments(args: readonly string[], version: string): Promise<RunOptions> {
  let parsed: RunOptions | undefined;
  const notARun = (): Promise<void> => Promise.reject(new UsageError('expected the targets and options of a run'));
  const program = buildProgram(version, {
    run: async (options) => {
      parsed = options;
    },
    serve: notARun,
    presets: notARun,
    export: notARun,
    tour: notARun,
  });
  // The run command alone: a target named "serve" or "help" is then a target (and refused as one).
  (program.commands as CommandUnknownOpts[]).splice(0);
  const errors = catchCommanderErrors(program, () => {});
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) throw new UsageError(`${err.code === 'commander.version' ? '--version' : '--help'} does not apply here`);
      throw new UsageError(errors.message(err));
    }
    throw err;
  }
  if (parsed === undefined) throw new UsageError('expected the targets and options of a run');
  return parsed;
}
