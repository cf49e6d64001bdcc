import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Chalk } from 'chalk';
import { planStrategies, runBenchmark, type StrategyClient } from '../core/benchmark.js';
import { newSeed } from '../core/random.js';
import { summarizeRuns, type Report, type ReportConfig } from '../core/report.js';
import { hasFaults } from '../fixture-server/faults.js';
import { HEALTH_PATH } from '../fixture-server/server.js';
import { createHttpClient } from '../http/client.js';
import { primeHttpClient } from '../http/prime.js';
import { failureHints } from '../report/hints.js';
import { renderJson } from '../report/json.js';
import { redactHeader, scrubSecrets } from '../report/redact.js';
import { renderTable } from '../report/table.js';
import { resolveTarget, type Target } from '../targets/resolve.js';
import { colorLevel } from './color.js';
import { EXIT } from './exit-codes.js';
import type { RunOptions } from './program.js';
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
  };
  if (target.kind === 'preset' && target.preset.name === 'tmdb') config.language = options.language;
  if (options.offline && hasFaults(options.faults)) config.faults = { ...options.faults };
  return config;
}

/** "stage 1 · now_playing: 2 requests, 40 items in 0.213 s" */
function setupLine(report: Report): string | null {
  const s = report.setup;
  if (!s) return null;
  const failed = s.failed > 0 ? `, ${s.failed} failed` : '';
  return `stage 1 · ${s.name}: ${s.requests} request${s.requests === 1 ? '' : 's'}${failed}, ${s.items} items in ${(s.wallMs / 1000).toFixed(3)} s (run once, before the strategies)`;
}

/** Runs the benchmark and prints its result; returns the exit code. */
export async function runCommand(options: RunOptions): Promise<number> {
  const target = await resolveTarget(options.targets, options.file);
  checkCombination(options, target);
  const seed = options.seed ?? newSeed();
  const startedAt = new Date().toISOString();
  const level = colorLevel(options.color, process.env, process.stdout.isTTY === true);
  const progress = await createProgress(progressEnabled(options.quiet, process.env, process.stderr.isTTY === true, process.stderr.columns), level > 0);

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
    const createClient = (): StrategyClient => {
      const http = createHttpClient({ timeoutMs: options.timeoutMs, headers, signal: controller.signal });
      const keep = firstRun ? sampleSize : 0;
      firstRun = false;
      return {
        request: keep > 0
          ? async (i) => {
              if (i >= keep) return http.fetch(urls[i]!);
              const outcome = await http.fetch(urls[i]!, true);
              if (outcome.body !== undefined && outcome.error === null) bodies[i] = outcome.body;
              delete outcome.body;
              return outcome;
            }
          : (i) => http.fetch(urls[i]!),
        close: () => http.close(),
      };
    };
    const specs = urls.length === 0 ? [] : planStrategies(options.strategies, options.concurrency);
    // The first request in a process compiles undici's parser and warms the JIT (about 20 ms
    // here); paid on our own server, it lands on no strategy and on no user's target.
    if (specs.length > 0 && !workload.setup) await primeHttpClient(workload.server ? `${workload.server.baseUrl}${HEALTH_PATH}` : undefined);
    const runs = await runBenchmark(specs, urls.length, createClient, () => performance.now(), {
      signal: controller.signal,
      onStrategyStart: (spec, count) => progress.strategy(spec, count),
      onRequestDone: (spec, done, count) => progress.request(spec, done, count),
    });
    progress.stop();

    const report: Report = {
      schemaVersion: 1,
      tool: { name: 'async-bench', version: options.version },
      startedAt,
      environment: { node: process.version, platform: process.platform, arch: process.arch, cpus: availableParallelism() },
      config: reportConfig(options, target, workload, seed),
      results: summarizeRuns(runs),
    };
    if (workload.setup) {
      report.setup = { ...workload.setup, wallMs: Math.round(workload.setup.wallMs * 1000) / 1000 };
    }
    if (interrupted) report.partial = true;

    if (options.json) {
      out(renderJson(report));
    } else {
      const sample = target.kind === 'preset' ? target.preset.sample(bodies.filter((b) => b !== undefined)) : null;
      const heading = `${report.config.target} · ${workload.where} · ${urls.length} requests per strategy` + (target.kind === 'preset' ? ` · seed ${seed}` : '');
      const chalk = new Chalk({ level });
      const stage = setupLine(report);
      if (stage) out(chalk.dim(stage) + '\n');
      if (runs.length > 0 || interrupted) out(renderTable(report, { heading, sample, chalk }));
    }
    if (report.setup && urls.length === 0) err('async-bench: the setup stage found nothing to fetch, so no strategy ran\n');
    for (const hint of failureHints(report, {
      liveBaseUrl: target.kind === 'preset' && !options.offline ? target.preset.liveBaseUrl : null,
      offline: options.offline,
      ...(target.kind === 'preset' && target.preset.unauthorizedHint ? { unauthorizedHint: target.preset.unauthorizedHint } : {}),
    })) {
      err(hint + '\n');
    }

    if (interrupted) return EXIT.interrupted;
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
