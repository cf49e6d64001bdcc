import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Chalk } from 'chalk';
import { planStrategies, runBenchmark, type StrategyClient } from '../core/benchmark.js';
import { UsageError } from '../core/errors.js';
import { newSeed } from '../core/random.js';
import { summarizeRuns, type Report, type ReportConfig } from '../core/report.js';
import type { LatencyModel } from '../core/types.js';
import { formatLatency } from '../fixture-server/latency.js';
import { startFixtureServer, type FixtureServerHandle } from '../fixture-server/start.js';
import { createHttpClient } from '../http/client.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { resolveTarget, type Target } from '../targets/resolve.js';
import { colorLevel } from './color.js';
import { EXIT } from './exit-codes.js';
import type { RunOptions } from './program.js';
import { createProgress, progressEnabled } from './progress.js';

/** How many response bodies the first strategy keeps for the sample line. */
const SAMPLE_SIZE = 5;

/** Combinations that make no sense, refused before anything starts. */
function checkCombination(options: RunOptions, target: Target): void {
  if (target.kind === 'urls') {
    if (options.offline) throw new UsageError('--offline serves a preset from the built-in server; it does not apply to URLs');
    if (options.countGiven) throw new UsageError('--count applies to presets; a URL list is used as given');
  }
  if (options.latency !== null && !options.offline) {
    throw new UsageError("--latency sets the built-in server's delay and needs --offline");
  }
}

interface Workload {
  urls: string[];
  /** Where the requests go, for the heading: "offline (100-400 ms)" or "live pokeapi.co". */
  where: string;
  server: FixtureServerHandle | null;
}

async function prepareWorkload(target: Target, options: RunOptions, seed: number): Promise<Workload> {
  if (target.kind === 'urls') {
    const hosts = [...new Set(target.urls.map((u) => new URL(u).host))];
    return { urls: target.urls, where: `live ${hosts.slice(0, 3).join(', ')}${hosts.length > 3 ? ', …' : ''}`, server: null };
  }
  const { preset } = target;
  let server: FixtureServerHandle | null = null;
  let baseUrl = preset.liveBaseUrl;
  let where = `live ${new URL(baseUrl).host}`;
  if (options.offline) {
    const latency: LatencyModel = options.latency ?? preset.defaultLatency;
    server = await startFixtureServer({ latency, seed });
    baseUrl = server.baseUrl;
    where = `offline (${formatLatency(latency)})`;
  }
  return { urls: preset.buildUrls({ count: options.count, seed, baseUrl }), where, server };
}

function reportConfig(options: RunOptions, target: Target, count: number, seed: number): ReportConfig {
  return {
    target: target.kind === 'preset' ? target.preset.name : 'urls',
    count,
    concurrency: options.concurrency,
    strategies: options.strategies,
    timeoutMs: options.timeoutMs,
    offline: options.offline,
    latency: options.offline ? (options.latencyText === null ? 'default' : options.latencyText.trim()) : null,
    seed,
  };
}

/** One hint line when nothing got through because the network is not there. */
function networkHint(report: Report, target: Target): string | null {
  const all = report.results;
  if (all.length === 0 || all.some((r) => r.ok > 0)) return null;
  const unreachable = all.every((r) => r.errors.dns + r.errors.connect === r.failed && r.failed > 0);
  if (!unreachable) return null;
  return target.kind === 'preset'
    ? `hint: could not reach ${target.preset.liveBaseUrl} (no network?); add --offline to use the built-in fixture server`
    : 'hint: no request could connect (dns or connect errors): check the URLs and the network';
}

/** Runs the benchmark and prints its result; returns the exit code. */
export async function runCommand(options: RunOptions): Promise<number> {
  const target = await resolveTarget(options.targets, options.file);
  checkCombination(options, target);
  const seed = options.seed ?? newSeed();
  const startedAt = new Date().toISOString();
  const level = colorLevel(options.color, process.env, process.stdout.isTTY === true);
  const progress = await createProgress(progressEnabled(options.quiet, process.env, process.stderr.isTTY === true), level > 0);

  const controller = new AbortController();
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(EXIT.interrupted); // a second Ctrl-C: leave at once
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);

  progress.start(options.offline ? 'starting the fixture server' : 'starting');
  const workload = await prepareWorkload(target, options, seed);
  try {
    const { urls } = workload;
    const bodies: string[] = [];
    let firstRun = true;
    const createClient = (): StrategyClient => {
      const http = createHttpClient({ timeoutMs: options.timeoutMs, headers: options.headers, signal: controller.signal });
      const keep = firstRun && target.kind === 'preset';
      firstRun = false;
      return {
        request: keep
          ? async (i) => {
              if (i >= SAMPLE_SIZE) return http.fetch(urls[i]!);
              const outcome = await http.fetch(urls[i]!, true);
              if (outcome.body !== undefined && outcome.error === null) bodies[i] = outcome.body;
              delete outcome.body;
              return outcome;
            }
          : (i) => http.fetch(urls[i]!),
        close: () => http.close(),
      };
    };
    const runs = await runBenchmark(planStrategies(options.strategies, options.concurrency), urls.length, createClient, () => performance.now(), {
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
      config: reportConfig(options, target, urls.length, seed),
      results: summarizeRuns(runs),
    };
    if (interrupted) report.partial = true;

    if (options.json) {
      process.stdout.write(renderJson(report));
    } else {
      const sample = target.kind === 'preset' ? target.preset.sample(bodies.filter((b) => b !== undefined)) : null;
      const heading = `${report.config.target} · ${workload.where} · ${urls.length} requests per strategy` + (target.kind === 'preset' ? ` · seed ${seed}` : '');
      process.stdout.write(renderTable(report, { heading, sample, chalk: new Chalk({ level }) }));
    }
    const hint = networkHint(report, target);
    if (hint) process.stderr.write(hint + '\n');

    if (interrupted) return EXIT.interrupted;
    if (options.failOnError && report.results.some((r) => r.failed > 0)) {
      const failed = report.results.reduce((sum, r) => sum + r.failed, 0);
      process.stderr.write(`async-bench: --fail-on-error: ${failed} request${failed === 1 ? '' : 's'} failed\n`);
      return EXIT.checkFailed;
    }
    return EXIT.ok;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    await workload.server?.stop();
  }
}
