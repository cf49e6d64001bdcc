import { Command, Option } from 'commander';
import type { StrategyName, LatencyModel } from '../core/types.js';
import {
  DEFAULTS,
  parseConcurrency,
  parseCount,
  parseHeader,
  parseLatency,
  parseSeed,
  parseStrategies,
  parseTimeout,
} from './options.js';

/** The run command's options after parsing, before targets are resolved. */
export interface RunOptions {
  /** The tool's version, for the report. */
  version: string;
  targets: string[];
  file?: string;
  count: number;
  /** Whether --count was given (it applies to presets only). */
  countGiven: boolean;
  concurrency: number[];
  strategies: StrategyName[];
  offline: boolean;
  /** Null: the preset's own model. */
  latency: LatencyModel | null;
  latencyText: string | null;
  seed: number | null;
  timeoutMs: number;
  headers: Record<string, string>;
  json: boolean;
  failOnError: boolean;
  color: boolean;
  quiet: boolean;
}

export type RunAction = (options: RunOptions) => Promise<void>;

const EXAMPLES = `
Examples:
  $ async-bench pokemon --count 10 --offline      three strategies against the built-in server
  $ async-bench jsonplaceholder -c 1,2,4,8 --offline --seed 42
  $ async-bench https://example.com/a https://example.com/b --json
  $ async-bench --file urls.txt -s all,bounded -c 20 --fail-on-error

Exit codes: 0 ran, 1 a check failed (--fail-on-error), 2 bad usage or input, 130 interrupted.`;

/** The command line (the help text is generated from these definitions, never kept by hand). */
export function buildProgram(version: string, run: RunAction): Command {
  const program = new Command('async-bench');
  program
    .description('Measure sequential vs Promise.all vs bounded-concurrency HTTP fetching on one event loop.')
    .version(version, '-V, --version')
    .argument('[targets...]', 'a preset (pokemon, jsonplaceholder, tmdb) or http(s) URLs')
    .option('-n, --count <n>', 'requests to make from a preset (a URL list is used as given)', parseCount, DEFAULTS.count)
    .addOption(
      new Option('-c, --concurrency <n[,n...]>', 'limit of the bounded runner; a list runs a sweep')
        .argParser(parseConcurrency)
        .default([...DEFAULTS.concurrency], DEFAULTS.concurrency.join(',')),
    )
    .addOption(
      new Option('-s, --strategy <list>', 'any of sequential,all,bounded')
        .argParser(parseStrategies)
        .default([...DEFAULTS.strategies], 'all three'),
    )
    .option('-f, --file <path>', 'read URLs one per line (- for stdin; blank and # lines skipped)')
    .option('--offline', 'serve the preset from the built-in fixture server on 127.0.0.1')
    .option('--latency <ms|min-max>', "with --offline: the server's delay (0 = pure overhead; default: the preset's model)")
    .option('--seed <n>', 'make random ids and simulated jitter reproducible', parseSeed)
    .option('--timeout <ms>', 'per-request limit, headers and body included', parseTimeout, DEFAULTS.timeoutMs)
    .addOption(new Option('-H, --header <"Name: value">', 'extra request header, repeatable').argParser(parseHeader).default({}, 'none'))
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('--fail-on-error', 'exit 1 when any request failed')
    .option('--no-color', 'no ANSI colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('-q, --quiet', 'no spinner or progress')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .action(async (targets: string[], opts: Record<string, unknown>, command: Command) => {
      const latencyText = (opts.latency as string | undefined) ?? null;
      await run({
        version,
        targets,
        file: opts.file as string | undefined,
        count: opts.count as number,
        countGiven: command.getOptionValueSource('count') === 'cli',
        concurrency: opts.concurrency as number[],
        strategies: opts.strategy as StrategyName[],
        offline: opts.offline === true,
        latency: latencyText === null ? null : parseLatency(latencyText),
        latencyText,
        seed: (opts.seed as number | undefined) ?? null,
        timeoutMs: opts.timeout as number,
        headers: opts.header as Record<string, string>,
        json: opts.json === true,
        failOnError: opts.failOnError === true,
        color: opts.color !== false,
        quiet: opts.quiet === true,
      });
    });
  return program;
}
