import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Chalk } from 'chalk';
import { planStrategies, runRounds, type StrategyRuns } from '../core/benchmark.js';
import { compareWithBaseline } from '../core/baseline.js';
import { createRandom, newSeed } from '../core/random.js';
import { recommendConcurrency } from '../core/recommend.js';
import { checkThresholdsApply, evaluateThresholds, minSpeedupThreshold } from '../core/thresholds.js';
import type { Report, ReportConfig } from '../core/report.js';
import { summarizeGroups } from '../core/summarize.js';
import { hasFaults } from '../fixture-server/faults.js';
import { primeHttpClient } from '../http/prime.js';
import { failureHints } from '../export/hints.js';
import { loadExporter, type ExportContext } from '../export/exporters.js';
import { redactHeader, redactUrl, scrubSecrets } from '../core/redact.js';
import { resolveTarget, type Target } from '../targets/resolve.js';
import { readBaseline } from '../run/baseline-file.js';
import { colorLevel } from './color.js';
import { EXIT } from './exit-codes.js';
import { takeOverInterrupts } from '../run/interrupt.js';
import { startLoopDelay } from '../run/loop-delay.js';
import type { RunOptions } from './program.js';
import { checkReportPath, checkWaterfall, planOutputs, waterfallWanted } from './outputs.js';
import { createSleeper } from '../run/sleep.js';
import { createProgress, progressEnabled } from './progress.js';
import { clientFactory } from '../run/strategy-client.js';
import { checkCombination, prepareWorkload, type Workload } from '../run/workload.js';

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
/** Above this many requests, `all` gets a warning before it starts. */
const ALL_FAN_OUT_WARNING = 5_000;

/** One event-loop turn: lets undici put a finished keep-alive socket back in its pool. */
const nextLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** With --max-regression left out, a baseline fails beyond this slowdown. */
const DEFAULT_MAX_REGRESSION_PCT = 10;

/** The report as the JSON and file exporters show it without --details: no per-request samples. */
function withoutSamples(report: Report): Report {
  if (!report.results.some((r) => r.samples !== undefined)) return report;
  return { ...report, results: report.results.map(({ samples: _samples, ...rest }) => rest) };
}

/** Runs the benchmark and prints its result; returns the exit code. */
export async function runCommand(options: RunOptions): Promise<number> {
  const level = colorLevel(options.color, process.env, process.stdout.isTTY === true);
  // Silent until started, so creating it before the input is checked shows nothing.
  const progress = await createProgress(progressEnabled(options.quiet, process.env, process.stderr.isTTY === true, process.stderr.columns), level > 0);
  // Ctrl-C is ours from the first moment: stop starting requests, abort those in flight, print
  // what was measured; a second Ctrl-C leaves at once.
  const controller = new AbortController();
  let interrupted = false;
  const releaseSigint = takeOverInterrupts(() => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    controller.abort();
  });
  let workload: Workload | null = null;
  try {
    const target = await resolveTarget(options.targets, options.file);
    checkCombination(options, target);
    const outputs = planOutputs(options.json, options.format, options.output);
    checkWaterfall(options.waterfall, outputs);
    const reportPath = options.report === undefined ? null : checkReportPath(options.report, outputs);
    const thresholds = [...options.thresholds, ...(options.minSpeedup === undefined ? [] : [minSpeedupThreshold(options.minSpeedup)])];
    checkThresholdsApply(thresholds, options.strategies, options.concurrency);
    const saved = readBaseline(options.baseline, options.maxRegressionPct);
    const seed = options.seed ?? newSeed();
    const startedAt = new Date().toISOString();
    // Loaded before any request: after thousands of connections the process may be short of
    // file descriptors for a while, and the result must still be written.
    const stdoutExporter = await loadExporter(outputs.stdout);
    const fileExporter = outputs.file ? await loadExporter(outputs.file.format) : null;
    const renderHtml = reportPath === null ? null : (await import('../export/html.js')).renderHtml;

    progress.start(options.offline ? 'starting the fixture server' : 'preparing');
    workload = await prepareWorkload(target, options, seed, controller.signal);
    const { urls, headers, secrets } = workload;
    // Every byte printed passes here: keys and tokens never reach the terminal or a pipe.
    const out = (text: string): void => void process.stdout.write(scrubSecrets(text, secrets));
    const err = (text: string): void => void process.stderr.write(scrubSecrets(text, secrets));

    const clock = (): number => performance.now();
    const clients = clientFactory({
      urls,
      headers,
      timeoutMs: options.timeoutMs,
      maxRedirects: options.maxRedirects,
      retries: options.retries,
      ratePerSec: options.ratePerSec,
      seed,
      signal: controller.signal,
      sleep: createSleeper(controller.signal),
      ownServer: workload.server !== null,
      sampleSize: target.kind === 'preset' ? target.preset.sampleSize : 0,
    });
    const specs = urls.length === 0 ? [] : planStrategies(options.strategies, options.concurrency);
    const waterfall = waterfallWanted(options.waterfall, outputs.stdout, process.stdout.isTTY === true, urls.length);
    // The pictures draw from per-request samples; the JSON carries them only with --details.
    const keepSamples = options.details || waterfall || reportPath !== null;
    if (urls.length > ALL_FAN_OUT_WARNING && specs.some((s) => s.strategy === 'all')) {
      err(`warning: all starts ${urls.length.toLocaleString('en-US')} requests at once, each on its own connection; the system may refuse some (counted as failures). bounded (-s bounded -c 100) is the polite way.\n`);
    }
    // The first request in a process compiles undici's parser and warms the JIT (about 20 ms
    // here); paid on our own server, it lands on no strategy and on no user's target.
    if (specs.length > 0 && !workload.setup) await primeHttpClient(workload.server?.healthUrl);
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
        () => clients.createClient(),
        clock,
        { runs: options.runs, warmup: options.warmup, random: createRandom(seed ^ ROUND_ORDER_SALT) },
        {
          signal: controller.signal,
          onStrategyStart: (spec, count, position) => progress.strategy(spec, count, position),
          onRequestDone: (spec, done, count) => progress.request(spec, done, count),
          measureLoopDelay: startLoopDelay,
          handOver: nextLoopTurn,
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
      sample: target.kind === 'preset' ? target.preset.sample(clients.bodies.filter((b) => b !== undefined)) : null,
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
    releaseSigint();
    await workload?.server?.stop();
  }
}
