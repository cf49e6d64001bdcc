/**
 * The run command's plan: every check on the user's input done, and nothing sent yet. A
 * mistake anywhere here is a usage error (exit 2) before the first request.
 */
import { availableParallelism } from 'node:os';
import type { ReportPlan } from '../core/build-report.js';
import type { SavedReport } from '../core/baseline.js';
import { DEFAULTS } from '../core/defaults.js';
import { UsageError } from '../core/errors.js';
import { fingerprintDifferences, workloadFingerprint, type Fingerprint, type FingerprintField } from '../core/fingerprint.js';
import { newSeed } from '../core/random.js';
import { badProxyVariable } from '../http/proxy-env.js';
import { readCaFile } from '../http/transport.js';
import { redactHeader, redactUrl, redactionPolicy, type RedactionPolicy } from '../core/redact.js';
import type { ReportConfig } from '../core/report.js';
import { checkThresholdsApply, minSpeedupThreshold } from '../core/thresholds.js';
import { hasFaults } from '../fixture-server/faults.js';
import { readBaseline } from '../run/baseline-file.js';
import type { RunOptions } from '../run/settings.js';
import { checkCombination, presetKey } from '../run/workload.js';
import { resolveTarget, type Target } from '../targets/resolve.js';
import { checkReportPath, checkWaterfall, planOutputs, type OutputPlan } from './outputs.js';

export interface RunPlan {
  options: RunOptions;
  target: Target;
  seed: number;
  /** The preset's API key, when it has one and one is set. */
  apiKey: string | null;
  /** Which header and parameter names are secret (the built-in ones and --redact). */
  redaction: RedactionPolicy;
  outputs: OutputPlan;
  /** Where --report writes the HTML page. */
  reportPath: string | null;
  report: ReportPlan;
  /** The --cacert file's certificates, read and checked before any request. */
  caPem: string | null;
}

function reportConfig(options: RunOptions, target: Target, seed: number, redaction: RedactionPolicy): Omit<ReportConfig, 'count'> {
  const config: Omit<ReportConfig, 'count'> = {
    target: target.kind === 'preset' ? target.preset.name : 'urls',
    concurrency: [...options.concurrency],
    strategies: [...options.strategies],
    timeoutMs: options.timeoutMs,
    offline: options.offline,
    latency: options.offline ? (options.latencyText ?? 'default') : null,
    seed,
    headers: Object.entries(options.headers).map(([name, value]) => redactHeader(name, value, redaction)),
    runs: options.runs,
    warmup: options.warmup,
    retries: options.retries,
    ratePerSec: options.ratePerSec,
    maxRedirects: options.maxRedirects,
    transport: {
      protocol: 'h1',
      // The built-in server is always reached directly.
      proxy: options.offline ? 'none' : options.proxy.kind === 'url' ? redactUrl(options.proxy.url, redaction) : options.proxy.kind,
      compression: options.compression,
      keepAlive: options.keepAlive,
      insecure: options.insecure,
      cacert: options.cacert ?? null,
    },
  };
  if (target.kind === 'preset' && target.preset.name === 'tmdb') config.language = options.language;
  if (options.offline && hasFaults(options.faults)) config.faults = { ...options.faults };
  return config;
}

/** A baseline is only compared with a run of the same workload: a difference is a usage error. */
function checkSameWorkload(saved: SavedReport, current: Fingerprint, options: RunOptions): void {
  if (!saved.fingerprint) return; // an older file: the comparison carries a warning instead
  const differ = fingerprintDifferences(saved.fingerprint, current, options.baselineIgnore);
  if (differ.length === 0) return;
  const describe = (f: FingerprintField): string => `${f} ${JSON.stringify(saved.fingerprint![f])} → ${JSON.stringify(current[f])}`;
  throw new UsageError(
    `--baseline '${options.baseline}' measured another workload (${differ.map(describe).join('; ')}); run the same workload, or accept the difference with --baseline-ignore ${differ.join(',')}`,
  );
}

/**
 * What an input read comes to when `signal` ends it: `fallback`, so that the run is still
 * planned and reports itself interrupted. A usage error found first still wins.
 */
async function unlessInterrupted<T>(read: () => Promise<T>, fallback: T, signal: AbortSignal | undefined): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (signal?.aborted && !(err instanceof UsageError)) return fallback;
    throw err;
  }
}

/**
 * Checks everything the user gave, reads the inputs (URL list, baseline), and plans the run.
 * `signal` (Ctrl-C) ends those reads at once: the plan then has nothing to fetch and no baseline.
 */
export async function planRun(options: RunOptions, signal?: AbortSignal): Promise<RunPlan> {
  const redaction = redactionPolicy(options.redact);
  const target = await unlessInterrupted<Target>(() => resolveTarget(options.targets, options.files, undefined, signal, redaction), { kind: 'urls', urls: [] }, signal);
  const seed = options.seed ?? newSeed();
  checkCombination(options, target);
  const outputs = planOutputs(options.json, options.format, options.output);
  checkWaterfall(options.waterfall, outputs);
  const reportPath = options.report === undefined ? null : checkReportPath(options.report, outputs);
  const thresholds = [...options.thresholds, ...(options.minSpeedup === undefined ? [] : [minSpeedupThreshold(options.minSpeedup)])];
  if (options.autoConcurrency && !options.strategies.includes('bounded')) {
    throw new UsageError('-c auto searches for the limit of bounded; add bounded to --strategy');
  }
  checkThresholdsApply(thresholds, options.strategies, options.concurrency);
  const saved = await unlessInterrupted(() => readBaseline(options.baseline, options.maxRegressionPct, signal), null, signal);
  const config = reportConfig(options, target, seed, redaction);
  const fingerprint = workloadFingerprint(config, target.kind === 'urls' ? target.urls.length : options.count, target.kind === 'urls' ? target.urls : null);
  if (saved) checkSameWorkload(saved, fingerprint, options);
  if (options.baseline === undefined && options.baselineIgnore.length > 0) throw new UsageError('--baseline-ignore needs --baseline <saved.json>');
  const apiKey = target.kind === 'preset' ? presetKey(target.preset, options.offline) : null;
  if (options.proxy.kind === 'env' && !options.offline) {
    const bad = badProxyVariable(process.env);
    if (bad !== null) throw new UsageError(bad);
  }
  let caPem: string | null = null;
  if (options.cacert !== undefined) {
    const ca = readCaFile(options.cacert);
    if ('error' in ca) throw new UsageError(ca.error);
    caPem = ca.pem;
  }
  return {
    options,
    target,
    seed,
    apiKey,
    redaction,
    outputs,
    reportPath,
    caPem,
    report: {
      tool: { name: 'async-bench', version: options.version },
      environment: { node: process.version, platform: process.platform, arch: process.arch, cpus: availableParallelism() },
      config,
      thresholds,
      baseline: saved ? { saved, maxRegressionPct: options.maxRegressionPct ?? DEFAULTS.maxRegressionPct } : null,
      fingerprint,
    },
  };
}
