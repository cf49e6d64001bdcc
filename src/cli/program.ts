import { availableParallelism } from 'node:os';
import { Command, Option, type OptionValues } from '@commander-js/extra-typings';
import { DEFAULTS } from '../core/defaults.js';
import { UsageError, closestMatch } from '../core/errors.js';
import type { RunOptions, ServeOptions, ServerSettings } from '../run/settings.js';
import { parseThreshold, type Threshold } from '../core/thresholds.js';
import type { LatencyModel } from '../core/types.js';
import { NO_FAULTS } from '../fixture-server/faults.js';
import { WATERFALL_AUTO_MAX_REQUESTS, parseFormat } from './outputs.js';
import { parseMethod } from '../core/request.js';
import {
  type AutoConcurrency,
  parseBaseUrl,
  parseBaselineIgnore,
  parseConcurrencyOption,
  parseMaxRequests,
  parseBandwidth,
  parseAdaptiveMax,
  parseAdaptiveStart,
  parseCapacity,
  parseCount,
  parseCpuWork,
  parseErrorRate,
  parseHeader,
  parseLanguage,
  parseLatency,
  parseMaxInflight,
  parsePercent,
  parsePositiveNumber,
  parsePort,
  parseMaxRedirects,
  parseProtocols,
  parseProxy,
  parseRate,
  parseRateLimit,
  parseRedactName,
  parseRetries,
  parseRuns,
  parseSeed,
  parseWarmup,
  parseStrategies,
  parseTimeout,
  parseWorkers,
} from './options.js';

/** `export <engine> [run arguments...]`: the run's arguments are parsed as the run command's. */
export interface ExportRequest {
  engine: string;
  args: string[];
}

export interface Actions {
  run(options: RunOptions): Promise<void>;
  serve(options: ServeOptions): Promise<void>;
  presets(): Promise<void>;
  export(request: ExportRequest): Promise<void>;
  tour(options: TourRequest): Promise<void>;
}

/** `tour [--only <name>] [--list] [--json]`: the lessons, measured offline. */
export interface TourRequest {
  only?: string;
  list: boolean;
  json: boolean;
  quiet: boolean;
  color: boolean;
}

const TOUR_HELP = `
Each lesson prints a paragraph, its measured numbers, the command that
reproduces it, and one line to take away. All run offline, in about a minute.

Examples:
  $ async-bench tour
  $ async-bench tour --list
  $ async-bench tour --only batched
  $ async-bench tour --json > tour.json`;

const EXPORT_HELP = `
The targets and options are a run's (async-bench --help). The script sends
the requests the run would send, one k6 scenario or Locust user class per
strategy, and reads every secret from the environment.

Examples:
  $ async-bench export k6 pokemon -n 100 -c 10 > script.js
  $ async-bench export locust jsonplaceholder -X POST -n 50 > locustfile.py`;

/** Five examples, from the first run to a CI job; every line fits 80 columns. */
const EXAMPLES = `
Examples:
  Ten Pokémon fetched three ways from the built-in server (no network needed):
    $ async-bench pokemon --count 10 --offline

  A server that takes 10 at once: Promise.all fails, a semaphore of 8 does not:
    $ async-bench pokemon --offline -n 100 --max-inflight 10 -s all,bounded -c 8

  Which limit for your own API? A sweep, with a page to open in a browser:
    $ async-bench https://api.example.com/items/{{seq}} -n 200 -c 1,2,4,8,16 \\
        --report report.html

  Your URL list, five rounds each, with intervals and verdicts:
    $ async-bench --file urls.txt -s sequential,bounded -c 20 --runs 5

  CI: a speedup gate and a job summary (exit 1 when a check fails):
    $ async-bench pokemon --offline -n 50 --runs 3 --min-speedup 3 \\
        --format markdown -o summary.md

More: async-bench help <command>, and the README.
Exit codes: 0 ran; 1 a check failed or the result could not be written;
2 bad usage or input; 130, 143, 129 interrupted (SIGINT, SIGTERM, SIGHUP).`;

const PRESETS_EXAMPLES = `
Examples:
  $ async-bench presets
  $ async-bench pokemon --offline       one preset on the built-in server
  $ TMDB_API_KEY=… async-bench tmdb     tmdb live needs a key (offline: none)`;

const SERVE_EXAMPLES = `
Every route of every preset is served, on 127.0.0.1 only. The fault options
make it answer as a busy API would; run the benchmark against it from another
terminal, or point curl or your own code at it.

Examples:
  $ async-bench serve pokemon --port 8080
  $ async-bench serve jsonplaceholder --port 8080 --latency 50 --max-inflight 10
  $ async-bench http://127.0.0.1:8080/posts/{{rand:1-100}} -n 100 -c 1,5,10,20`;

/** Help at the terminal's width, but never wider than 80 columns: it reads as one column of text. */
const HELP_WIDTH = Math.min(80, process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80);

/** The options that shape the fixture server, added alike to the run command and to `serve`. */
function addServerOptions<Args extends unknown[], Opts extends OptionValues>(command: Command<Args, Opts>, latencyHelp: string) {
  return command
    .option('--latency <ms|min-max>', latencyHelp, parseLatencyOption)
    .option('--error-rate <0..1>', 'answer this share of requests with 500', parseErrorRate)
    .option('--rate-limit <n/s>', 'allow n requests a second, then 429 with Retry-After', parseRateLimit)
    .option('--max-inflight <n>', 'answer 503 above n requests at once (queued ones count)', parseMaxInflight)
    .option('--capacity <n>', 'serve n requests at once, queue the rest in order', parseCapacity)
    .option('--bandwidth <Mbit/s>', 'one link of this speed that all responses share', parseBandwidth);
}

/** --latency as typed and as the report states it: "N" or "MIN-MAX" ms, whatever spacing or unit was typed. */
function parseLatencyOption(text: string): { model: LatencyModel; text: string } {
  const model = parseLatency(text);
  return { model, text: model.minMs === model.maxMs ? String(model.minMs) : `${model.minMs}-${model.maxMs}` };
}

interface ServerOptionValues {
  latency?: { model: LatencyModel; text: string };
  seed?: number;
  errorRate?: number;
  rateLimit?: number;
  maxInflight?: number;
  capacity?: number;
  bandwidth?: number;
}

function serverSettings(opts: ServerOptionValues): ServerSettings {
  return {
    latency: opts.latency?.model ?? null,
    latencyText: opts.latency?.text ?? null,
    seed: opts.seed ?? null,
    faults: {
      errorRate: opts.errorRate ?? NO_FAULTS.errorRate,
      rateLimitPerSec: opts.rateLimit ?? null,
      maxInflight: opts.maxInflight ?? null,
      capacity: opts.capacity ?? null,
      bandwidthMbps: opts.bandwidth ?? null,
    },
    faultsGiven: opts.errorRate !== undefined || opts.rateLimit !== undefined || opts.maxInflight !== undefined || opts.capacity !== undefined || opts.bandwidth !== undefined,
  };
}

/** -c as a list of limits, or as the auto search. */
function concurrencySettings(value: readonly number[] | AutoConcurrency): Pick<RunOptions, 'concurrency' | 'autoConcurrency'> {
  return 'auto' in value ? { concurrency: [], autoConcurrency: { ceiling: value.ceiling } } : { concurrency: value, autoConcurrency: null };
}

function collectFile(path: string, previous: string[]): string[] {
  return [...previous, path];
}

function collectThreshold(expr: string, previous: Threshold[]): Threshold[] {
  return [...previous, parseThreshold(expr)];
}

/** The command line (the help text is generated from these definitions, never kept by hand). */
export function buildProgram(version: string, actions: Actions): Command {
  const program = new Command('async-bench').configureHelp({ helpWidth: HELP_WIDTH });
  const run = program
    .description('Measure sequential vs Promise.all vs bounded-concurrency HTTP fetching on one event loop.')
    .argument('[targets...]', 'a preset (pokemon, jsonplaceholder, tmdb) or http(s) URLs')
    .optionsGroup('Targets:')
    .addOption(
      new Option('-f, --file <path>', 'URLs one per line (- for stdin; blank and # lines skipped); repeatable: arguments first, then each file in order')
        .argParser(collectFile)
        .default([], 'none'),
    )
    .option('--requests <file.jsonl>', 'one request per line as JSON (- for stdin): method, url, headers, and body, json or bodyFile')
    .option('--har <file.har>', "replay a HAR 1.2 file saved from the browser's Network panel")
    .option('--har-filter <host|regex>', 'with --har: only requests to this host, or whose URL matches this regular expression')
    .option('--har-cookies', 'with --har: send the recorded cookies too (dropped by default)')
    .addOption(new Option('--base-url <url>', "send a preset's paths to this server instead of its live API").argParser(parseBaseUrl).env('ASYNC_BENCH_BASE_URL'))
    .optionsGroup('Strategies:')
    .addOption(
      new Option('-s, --strategy <list>', 'any of sequential,all,bounded,batched,adaptive,workers')
        .argParser(parseStrategies)
        .default([...DEFAULTS.strategies], DEFAULTS.strategies.join(',')),
    )
    .option('--adaptive-start <n>', 'adaptive: the limit it starts at', parseAdaptiveStart, DEFAULTS.adaptiveStart)
    .option('--adaptive-max <n>', 'adaptive: the highest limit it may reach', parseAdaptiveMax, DEFAULTS.adaptiveMax)
    .option('--fail-fast', 'all rejects at the first failure, as Promise.all does')
    .option('--workers <n>', 'threads of the workers strategy (default: CPU count)', parseWorkers)
    .option('--cpu-work <ms>', 'synchronous CPU work after each response', parseCpuWork)
    .addOption(
      new Option('-c, --concurrency <list|auto>', "bounded's limit; a list (1,2,4,8) runs a sweep; auto[:max] searches for it")
        .argParser(parseConcurrencyOption)
        .default([...DEFAULTS.concurrency], DEFAULTS.concurrency.join(',')),
    )
    .option('-n, --count <n>', 'requests each strategy makes (a preset: 10; URLs and request files are cycled to n, or used once)', parseCount, DEFAULTS.count)
    .option('--max-requests <n>', '-c auto: requests the whole search may make', parseMaxRequests, DEFAULTS.maxRequests)
    .optionsGroup('Requests:')
    .option('-X, --method <verb>', 'HTTP method of every request (GET; POST with a body)', (v: string) => parseMethod(v))
    .option('-d, --data <text|@file>', 'request body, sent as given (form-urlencoded unless -H sets a type)')
    .option('--data-json <text|@file>', 'JSON request body, checked, sent as application/json')
    .addOption(new Option('-H, --header <"Name: value">', 'extra request header, repeatable').argParser(parseHeader).default({}, 'none'))
    .option('--timeout <ms>', 'per-request limit, headers and body included', parseTimeout, DEFAULTS.timeoutMs)
    .option('--retries <n>', 'retry 429, 5xx, timeouts and broken connections up to n times (backoff with jitter, Retry-After honoured)', parseRetries, DEFAULTS.retries)
    .option('--retry-all', 'with --retries: retry every method (POST and PATCH are not, by default)')
    .option('--rate <n/s>', 'send at most n requests a second, whatever the strategy', parseRate)
    .option('--max-redirects <n>', 'redirects followed per request; a loop or a longer chain fails', parseMaxRedirects, DEFAULTS.maxRedirects)
    .option('--no-compression', 'send no Accept-Encoding (by default gzip, deflate, br, as fetch does)')
    .option('--no-keep-alive', 'a new connection for every request (Sockets then equals requests)')
    .option('--http2', 'offer HTTP/2 by ALPN (else HTTP/1.1): one connection per origin, requests as streams')
    .option('--protocol <h1,h2>', 'run every strategy under each HTTP version given, as rows of one table: does HTTP/2 change the answer?', parseProtocols)
    .option('-k, --insecure', 'do not verify TLS certificates (the heading says so)')
    .option('--cacert <file>', 'also trust the CA certificates in this PEM file')
    .option('--proxy <url>', 'send requests through this http(s) proxy (default: HTTP_PROXY, HTTPS_PROXY, NO_PROXY)', parseProxy)
    .option('--no-proxy', 'ignore the proxy variables: connect directly')
    .option('--language <tag>', 'tmdb: response language', parseLanguage, DEFAULTS.language)
    .addOption(
      new Option('--redact <name>', 'also hide this header or query parameter as *** (names with key, token, secret, auth, password … always are); repeatable')
        .argParser(parseRedactName)
        .default([], 'none'),
    )
    .optionsGroup('Offline server:')
    .option('--offline', 'serve the preset from the built-in fixture server on 127.0.0.1');
  addServerOptions(run, "the server's delay (0: pure overhead; default: the preset's model)")
    .optionsGroup('Repeats and statistics:')
    .option('-r, --runs <n>', 'measured rounds; strategies are interleaved round by round (5 or more: a 95% interval)', parseRuns, DEFAULTS.runs)
    .option('-w, --warmup <n>', 'rounds to run first and discard', parseWarmup, DEFAULTS.warmup)
    .option('--seed <n>', 'makes random ids, jitter and round order reproducible', parseSeed)
    .optionsGroup('Checks:')
    .addOption(
      new Option('--threshold <expr>', "a check: 'speedup>=3', 'bounded.p95<300', 'all.errorRate==0'; repeatable; a failure exits 1")
        .argParser(collectThreshold)
        .default([], 'none'),
    )
    .option('--min-speedup <x>', 'shorthand for --threshold speedup>=x on every concurrent strategy', (v: string) => parsePositiveNumber('--min-speedup', v))
    .option('--baseline <file>', 'compare wall times with a saved --json result')
    .option('--max-regression <pct>', 'with --baseline: the slowdown that fails (exit 1), judged at the lower end of the 95% interval (3+ runs each side)', (v: string) => parsePercent('--max-regression', v))
    .option('--baseline-ignore <fields>', 'with --baseline: workload differences to accept (target, urls, count, strategies, concurrency, latency, faults, method, headers, protocol, workers, cpuWorkMs)', parseBaselineIgnore)
    .option('--fail-on-error', 'exit 1 when any request failed')
    .optionsGroup('Output:')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('--format <name>', "table, json, markdown, csv or junit (with -o: the file's)", parseFormat)
    .option('-o, --output <file>', 'write the result to a file (format from --format or the extension; - is stdout)')
    .option('--details', 'add every request to the JSON (results[].samples)')
    .option('--wide', 'show every column of the table (default: the ones that fit)')
    .option('--waterfall', `draw every request on a time axis above the table (default: on a terminal, up to ${WATERFALL_AUTO_MAX_REQUESTS} requests)`)
    .option('--no-waterfall', 'never draw the waterfall')
    .option('--report <file.html>', 'write a self-contained HTML report: table, waterfalls, histograms, sweep, checks')
    .option('--no-color', 'no ANSI colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('-q, --quiet', 'no spinner, progress or "wrote" lines')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    // Options after a subcommand's name belong to it (serve has its own --seed, --latency …).
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .action(async (targets, opts, command) => {
      if (opts.data !== undefined && opts.dataJson !== undefined) throw new UsageError('give one body: -d/--data or --data-json, not both');
      if (opts.http2 === true && opts.protocol !== undefined) throw new UsageError('give one of --http2 and --protocol (--http2 is --protocol h2)');
      await actions.run({
        version,
        targets,
        files: opts.file,
        count: opts.count,
        countGiven: command.getOptionValueSource('count') === 'cli',
        ...concurrencySettings(opts.concurrency),
        concurrencyGiven: command.getOptionValueSource('concurrency') === 'cli',
        maxRequests: opts.maxRequests,
        strategies: opts.strategy,
        adaptiveStart: opts.adaptiveStart,
        adaptiveMax: opts.adaptiveMax,
        adaptiveGiven: command.getOptionValueSource('adaptiveStart') === 'cli' || command.getOptionValueSource('adaptiveMax') === 'cli',
        failFast: opts.failFast === true,
        workers: opts.workers ?? availableParallelism(),
        workersGiven: opts.workers !== undefined,
        cpuWorkMs: opts.cpuWork ?? 0,
        runs: opts.runs,
        warmup: opts.warmup,
        offline: opts.offline === true,
        language: opts.language,
        languageGiven: command.getOptionValueSource('language') === 'cli',
        ...serverSettings(opts),
        timeoutMs: opts.timeout,
        retries: opts.retries,
        ratePerSec: opts.rate ?? null,
        maxRedirects: opts.maxRedirects,
        compression: opts.compression !== false,
        keepAlive: opts.keepAlive !== false,
        protocols: opts.http2 === true ? ['h2'] : (opts.protocol ?? ['h1']),
        protocolOption: opts.http2 === true ? '--http2' : opts.protocol !== undefined ? '--protocol' : null,
        insecure: opts.insecure === true,
        ...(opts.cacert === undefined ? {} : { cacert: opts.cacert }),
        proxy: opts.proxy === false ? { kind: 'none' } : typeof opts.proxy === 'string' ? { kind: 'url', url: opts.proxy } : { kind: 'env' },
        headers: opts.header,
        method: opts.method ?? null,
        data: opts.data !== undefined ? { text: opts.data, json: false } : opts.dataJson !== undefined ? { text: opts.dataJson, json: true } : null,
        retryAll: opts.retryAll === true,
        requestsFile: opts.requests ?? null,
        har: opts.har ?? null,
        harFilter: opts.harFilter ?? null,
        harCookies: opts.harCookies === true,
        baseUrl: opts.baseUrl ?? null,
        baseUrlFromEnv: command.getOptionValueSource('baseUrl') === 'env',
        redact: opts.redact,
        json: opts.json === true,
        details: opts.details === true,
        wide: opts.wide === true,
        ...(opts.format === undefined ? {} : { format: opts.format }),
        ...(opts.output === undefined ? {} : { output: opts.output }),
        ...(opts.waterfall === undefined ? {} : { waterfall: opts.waterfall }),
        ...(opts.report === undefined ? {} : { report: opts.report }),
        thresholds: opts.threshold,
        ...(opts.minSpeedup === undefined ? {} : { minSpeedup: opts.minSpeedup }),
        ...(opts.baseline === undefined ? {} : { baseline: opts.baseline }),
        ...(opts.maxRegression === undefined ? {} : { maxRegressionPct: opts.maxRegression }),
        baselineIgnore: opts.baselineIgnore ?? [],
        failOnError: opts.failOnError === true,
        color: opts.color !== false,
        quiet: opts.quiet === true,
      });
    });

  program
    .command('presets')
    .description('list the presets: what each fetches, from where, and what it needs')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', PRESETS_EXAMPLES)
    .action(() => actions.presets());

  const serve = program
    .command('serve')
    .description('run the built-in fixture server in the foreground on 127.0.0.1 (Ctrl-C stops it)')
    .argument('[preset]', 'whose latency model and example URLs to use (every route is served)')
    .helpOption('-h, --help', 'show this help')
    .option('-p, --port <n>', 'port to listen on (0 picks a free one)', parsePort, 0)
    .option('--seed <n>', 'makes random ids and simulated jitter reproducible', parseSeed)
    .option('--http2', 'serve HTTPS, HTTP/2 and HTTP/1.1 by ALPN, with a certificate made at start-up (its file is printed)');
  addServerOptions(serve, "the server's delay (default: the preset's model, 0 without a preset)")
    .addHelpText('after', SERVE_EXAMPLES)
    .showSuggestionAfterError(true)
    .action(async (preset, opts) => {
      await actions.serve({ preset, port: opts.port, http2: opts.http2 === true, ...serverSettings(opts) });
    });

  program
    .command('export')
    .description('write the run as a k6 script or a locustfile, on stdout')
    .argument('<engine>', 'k6 or locust')
    .argument('[run...]', 'targets and options, as for a run')
    // Everything after the engine is the run's, parsed by the run command itself.
    .allowUnknownOption()
    .addHelpText('after', EXPORT_HELP)
    .action(async (engine, args) => {
      await actions.export({ engine, args });
    });

  program
    .command('tour')
    .description('every lesson behind "6x faster", measured offline, with its command')
    .helpOption('-h, --help', 'show this help')
    .option('--only <name>', 'run one lesson (tour --list names them)')
    .option('--list', 'name the lessons, one line each')
    .option('--json', 'print one JSON document: each lesson with its commands, Reports and takeaway')
    .option('-q, --quiet', 'no spinner or progress')
    .option('--no-color', 'no ANSI colour (NO_COLOR and FORCE_COLOR are honoured too)')
    .addHelpText('after', TOUR_HELP)
    .action(async (opts) => {
      await actions.tour({
        ...(opts.only === undefined ? {} : { only: opts.only }),
        list: opts.list === true,
        json: opts.json === true,
        quiet: opts.quiet === true,
        color: opts.color !== false,
      });
    });

  // Explicit, because commander adds no implicit `help` command to a program with an action of its own.
  program
    .command('help')
    .description('show the help of async-bench or of one command')
    .helpOption('-h, --help', 'show this help')
    .argument('[command]', 'the command to explain (see Commands in async-bench --help)')
    .action((name) => {
      if (name === undefined) return program.help();
      const command = program.commands.find((c) => c.name() === name);
      if (command === undefined) {
        const names = program.commands.map((c) => c.name());
        const suggestion = closestMatch(name, names);
        throw new UsageError(`unknown command '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; commands are ${names.join(', ')}`);
      }
      command.help();
    });
  return program;
}
