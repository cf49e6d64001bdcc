import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Chalk } from 'chalk';
import { planStrategies, runRounds, type StrategyClient, type StrategyRuns } from '../core/benchmark.js';
import { asSavedReport, compareWithBaseline, type SavedReport } from '../core/baseline.js';
import { UsageError } from '../core/errors.js';
import { createRandom, newSeed } from '../core/random.js';
import { createRateLimiter } from '../core/rate-limit.js';
import { RETRY_DEFAULTS, withRetries } from '../core/retry.js';
import { recommendConcurrency } from '../core/recommend.js';
import { checkThresholdsApply, evaluateThresholds, minSpeedupThreshold } from '../core/thresholds.js';
import { summarizeGroups, type Report, type ReportConfig } from '../core/report.js';
import type { RequestOutcome } from '../core/types.js';
import { hasFaults } from '../fixture-server/faults.js';
import { ATTEMPT_HEADER, HEALTH_PATH } from '../fixture-server/server.js';
import { createHttpClient } from '../http/client.js';
import { primeHttpClient } from '../http/prime.js';
import { failureHints } from '../report/hints.js';
import { loadExporter, type ExportContext } from '../report/exporters.js';
import { redactHeader, redactUrl, scrubSecrets } from '../report/redact.js';
import { resolveTarget, type Target } from '../targets/resolve.js';
import { colorLevel } from './color.js';
import { EXIT } from './exit-codes.js';
import type { RunOptions } from './program.js';
import { checkReportPath, checkWaterfall, planOutputs, waterfallWanted } from './outputs.js';
import { createSleeper } from './sleep.js';
import { createProgress, progressEnabled } from './progress.js';
import { checkCombination, prepareWorkload, type Workload } from './workload.js';

function reportConfig(options: RunOptions, target: Target, workload: Workload, seed: number): ReportConfig {
  const config: ReportConfig = {
    target: target.kind === 'preset' ? target.preset.name : 'urls',
    count: workload.urls.length,
    concurrency: options.concurrency,
    strategies: options.strategies,
    timeoutMs: options.timeoutMs,
    offline: options.offline,
    latency: options.offline ? (options.latencyText ?? 'default') : null,
    seed,
    headers: Object.entries(options.headers).map(([name, value]) => redactHeader(name, value)),
    runs: options.runs,
    warmup: options.warmup,
    retries: options.retries,
    ratePerSec: options.ratePerSec,
    maxRedirects: options.maxRedirects,
  };
  if (target.kind === 'preset' && target.preset.name === 'tmdb') config.language = options.language;
  if (options.offline && hasFaults(options.faults)) config.faults = { ...options.faults };
  return config;
}

const ROUND_ORDER_SALT = 0x2545f491;
const BOOTSTRAP_SALT = 0x68e31da4;
const RETRY_JITTER_SALT = 0x1b873593;
/** Above this many requests, `all` gets a warning before it starts. */
const ALL_FAN_OUT_WARNING = 5_000;

/** The event-loop probe's sampling interval, ms: fine enough to see a stall, cheap when idle. */
const LOOP_SAMPLE_MS = 2;

/**
 * Starts watching the event loop's delay; the returned function stops and gives its p99, ms.
 * The histogram records whole sampling intervals, so the interval itself is taken off.
 */
function startLoopDelay(): () => number {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  histogram.enable();
  return () => {
    histogram.disable();
    return histogram.count > 0 ? Math.max(0, histogram.percentile(99) / 1e6 - LOOP_SAMPLE_MS) : 0;
  };
}

/** With --max-regression left out, a baseline fails beyond this slowdown. */
const DEFAULT_MAX_REGRESSION_PCT = 10;

/** The saved report named by --baseline, checked before any request is sent. */
function readBaseline(options: RunOptions): SavedReport | null {
  if (options.baseline === undefined) {
    if (options.maxRegressionPct !== undefined) throw new UsageError('--max-regression needs --baseline <saved.json>');
    return null;
  }
  let text: string;
  try {
    text = readFileSync(options.baseline, 'utf8');
  } catch (e) {
    const { code } = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot read --baseline '${options.baseline}': ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline '${options.baseline}' is not JSON; save a run with --json > file or -o file.json`);
  }
  return asSavedReport(parsed, options.baseline);
}

/** The report as the JSON and file exporters show it without --details: no per-request samples. */
function withoutSamples(report: Report): Report {
  if (!report.results.some((r) => r.samples !== undefined)) return report;
  return { ...report, results: report.results.map(({ samples: _samples, ...rest }) => rest) };
}

/** Runs the benchmark and prints its result; returns the exit code. */
export async function runCommand(options: RunOptions): Promise<number> {
  const target = await resolveTarget(options.targets, options.file);
  checkCombination(options, target);
  const outputs = planOutputs(options.json, options.format, options.output);
  checkWaterfall(options.waterfall, outputs);
  const reportPath = options.report === undefined ? null : checkReportPath(options.report, outputs);
  const thresholds = [...options.thresholds, ...(options.minSpeedup === undefined ? [] : [minSpeedupThreshold(options.minSpeedup)])];
  checkThresholdsApply(thresholds, options.strategies, options.concurrency);
  const saved = readBaseline(options);
  const seed = options.seed ?? newSeed();
  const startedAt = new Date().toISOString();
  const level = colorLevel(options.color, process.env, process.stdout.isTTY === true);
  const progress = await createProgress(progressEnabled(options.quiet, process.env, process.stderr.isTTY === true, process.stderr.columns), level > 0);
  // Loaded before any request: after thousands of connections the process may be short of
  // file descriptors for a while, and the result must still be written.
  const stdoutExporter = await loadExporter(outputs.stdout);
  const fileExporter = outputs.file ? await loadExporter(outputs.file.format) : null;
  const renderHtml = reportPath === null ? null : (await import('../report/html.js')).renderHtml;

  const controller = new AbortController();
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(EXIT.interrupted); // a second Ctrl-C: leave at once
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let workload: Workload | null = null;
  try {
    progress.start(options.offline ? 'starting the fixture server' : 'preparing');
    workload = await prepareWorkload(target, options, seed, controller.signal);
    const { urls, headers, secrets } = workload;
    // Every byte printed passes here: keys and tokens never reach the terminal or a pipe.
    const out = (text: string): void => void process.stdout.write(scrubSecrets(text, secrets));
    const err = (text: string): void => void process.stderr.write(scrubSecrets(text, secrets));

    const sampleSize = target.kind === 'preset' ? target.preset.sampleSize : 0;
    const bodies: string[] = [];
    let firstRun = true;
    const clock = (): number => performance.now();
    const sleep = createSleeper(controller.signal);
    const retryRandom = createRandom(seed ^ RETRY_JITTER_SALT);
    const createClient = (): StrategyClient => {
      const http = createHttpClient({ timeoutMs: options.timeoutMs, headers, signal: controller.signal, maxRedirects: options.maxRedirects });
      const keep = firstRun ? sampleSize : 0;
      firstRun = false;
      // Only our own fixture server hears which attempt this is.
      const attemptHeader = (attempt = 1): Record<string, string> | undefined =>
        attempt > 1 && workload?.server ? { [ATTEMPT_HEADER]: String(attempt) } : undefined;
      const fetchOne = keep > 0
        ? async (i: number, attempt?: number): Promise<RequestOutcome> => {
            if (i >= keep) return http.fetch(urls[i]!, false, attemptHeader(attempt));
            const outcome = await http.fetch(urls[i]!, true, attemptHeader(attempt));
            if (outcome.body !== undefined && outcome.error === null) bodies[i] = outcome.body;
            delete outcome.body;
            return outcome;
          }
        : (i: number, attempt?: number): Promise<RequestOutcome> => http.fetch(urls[i]!, false, attemptHeader(attempt));
      // A fresh limiter per run: one strategy's pace never carries over to the next.
      const rate = options.ratePerSec === null ? undefined : createRateLimiter(options.ratePerSec, clock, sleep);
      const client: StrategyClient = {
        request: options.retries > 0
          ? withRetries(fetchOne, { ...RETRY_DEFAULTS, retries: options.retries, random: retryRandom, sleep, clock, signal: controller.signal, ...(rate ? { rate } : {}) })
          : fetchOne,
        close: () => http.close(),
        poolStats: () => http.poolStats(),
      };
      if (rate) client.rate = rate;
      return client;
    };
    const specs = urls.length === 0 ? [] : planStrategies(options.strategies, options.concurrency);
    const waterfall = waterfallWanted(options.waterfall, outputs.stdout, process.stdout.isTTY === true, urls.length);
    // The pictures draw from per-request samples; the JSON carries them only with --details.
    const keepSamples = options.details || waterfall || reportPath !== null;
    if (urls.length > ALL_FAN_OUT_WARNING && specs.some((s) => s.strategy === 'all')) {
      err(`warning: all starts ${urls.length.toLocaleString('en-US')} requests at once, each on its own connection; the system may refuse some (counted as failures). bounded (-s bounded -c 100) is the polite way.\n`);
    }
    // The first request in a process compiles undici's parser and warms the JIT (about 20 ms
    // here); paid on our own server, it lands on no strategy and on no user's target.
    if (specs.length > 0 && !workload.setup) await primeHttpClient(workload.server ? `${workload.server.baseUrl}${HEALTH_PATH}` : undefined);
    // A failed request is classified, never printed with its stack: capturing a stack for each
    // of thousands of fast failures (a refused port) only costs CPU and memory mid-measurement.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let groups: StrategyRuns[];
    try {
      // Salted: the round order and the bootstrap draw numbers of their own, not the URLs'.
      groups = await runRounds(
        specs,
        urls.length,
        createClient,
        clock,
        { runs: options.runs, warmup: options.warmup, random: createRandom(seed ^ ROUND_ORDER_SALT) },
        {
          signal: controller.signal,
          onStrategyStart: (spec, count, position) => progress.strategy(spec, count, position),
          onRequestDone: (spec, done, count) => progress.request(spec, done, count),
          measureLoopDelay: startLoopDelay,
        },
      );
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    progress.stop();

    const report: Report = {
      schemaVersion: 1,
      tool: { name: 'async-bench', version: options.version },
      startedAt,
      environment: { node: process.version, platform: process.platform, arch: process.arch, cpus: availableParallelism() },
      config: reportConfig(options, target, workload, seed),
      results: summarizeGroups(groups, createRandom(seed ^ BOOTSTRAP_SALT), keepSamples ? { urlOf: (i) => redactUrl(urls[i]!) } : undefined),
    };
    if (workload.setup) {
      report.setup = { ...workload.setup, wallMs: Math.round(workload.setup.wallMs * 1000) / 1000 };
    }
    const recommendation = recommendConcurrency(report.results);
    if (recommendation) report.recommendation = recommendation;
    if (thresholds.length > 0) report.thresholds = evaluateThresholds(thresholds, report.results);
    if (saved) report.baseline = compareWithBaseline(report.results, saved, options.maxRegressionPct ?? DEFAULT_MAX_REGRESSION_PCT);
    if (interrupted) report.partial = true;

    const context: ExportContext = {
      heading: `${report.config.target} · ${workload.where} · ${urls.length} requests per strategy` + (target.kind === 'preset' ? ` · seed ${seed}` : ''),
      sample: target.kind === 'preset' ? target.preset.sample(bodies.filter((b) => b !== undefined)) : null,
      chalk: new Chalk({ level }),
    };
    if (process.stdout.isTTY && process.stdout.columns) context.columns = process.stdout.columns;
    const published = options.details ? report : withoutSamples(report);
    if (groups.length > 0 || interrupted || outputs.stdout !== 'table') {
      out(stdoutExporter(waterfall ? report : published, { ...context, waterfall }));
    }
    if (outputs.file && fileExporter) {
      const text = fileExporter(published, { ...context, chalk: new Chalk({ level: 0 }), columns: undefined });
      writeFileSync(outputs.file.path, scrubSecrets(text, secrets));
    }
    if (reportPath !== null && renderHtml) {
      writeFileSync(reportPath, scrubSecrets(renderHtml(report, context), secrets));
    }
    if (report.setup && urls.length === 0 && !interrupted) err('async-bench: the setup stage found nothing to fetch, so no strategy ran\n');
    for (const hint of failureHints(report, {
      liveBaseUrl: target.kind === 'preset' && !options.offline ? target.preset.liveBaseUrl : null,
      offline: options.offline,
      ...(target.kind === 'preset' && target.preset.unauthorizedHint ? { unauthorizedHint: target.preset.unauthorizedHint } : {}),
    })) {
      err(hint + '\n');
    }

    if (interrupted) return EXIT.interrupted;
    const failedChecks = (report.thresholds ?? []).filter((t) => !t.pass).length + (report.baseline?.comparisons ?? []).filter((c) => !c.pass).length;
    if (failedChecks > 0) {
      err(`async-bench: ${failedChecks} check${failedChecks === 1 ? '' : 's'} failed (thresholds or baseline)\n`);
      return EXIT.checkFailed;
    }
    const failed = report.results.reduce((sum, r) => sum + r.failed, 0) + (report.setup?.failed ?? 0);
    if (options.failOnError && failed > 0) {
      err(`async-bench: --fail-on-error: ${failed} request${failed === 1 ? '' : 's'} failed\n`);
      return EXIT.checkFailed;
    }
    return EXIT.ok;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    await workload?.server?.stop();
  }
}
