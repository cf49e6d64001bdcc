/**
 * The run command's plan: every check on the user's input done, and nothing sent yet. A
 * mistake anywhere here is a usage error (exit 2) before the first request.
 */
import { availableParallelism } from 'node:os';
import type { ReportPlan } from '../core/build-report.js';
import { DEFAULTS } from '../core/defaults.js';
import { newSeed } from '../core/random.js';
import { redactHeader, redactionPolicy, type RedactionPolicy } from '../core/redact.js';
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
  };
  if (target.kind === 'preset' && target.preset.name === 'tmdb') config.language = options.language;
  if (options.offline && hasFaults(options.faults)) config.faults = { ...options.faults };
  return config;
}

/** Checks everything the user gave, reads the inputs (URL list, baseline), and plans the run. */
export async function planRun(options: RunOptions): Promise<RunPlan> {
  const redaction = redactionPolicy(options.redact);
  const target = await resolveTarget(options.targets, options.file, undefined, redaction);
  checkCombination(options, target);
  const outputs = planOutputs(options.json, options.format, options.output);
  checkWaterfall(options.waterfall, outputs);
  const reportPath = options.report === undefined ? null : checkReportPath(options.report, outputs);
  const thresholds = [...options.thresholds, ...(options.minSpeedup === undefined ? [] : [minSpeedupThreshold(options.minSpeedup)])];
  checkThresholdsApply(thresholds, options.strategies, options.concurrency);
  const saved = readBaseline(options.baseline, options.maxRegressionPct);
  const apiKey = target.kind === 'preset' ? presetKey(target.preset, options.offline) : null;
  const seed = options.seed ?? newSeed();
  return {
    options,
    target,
    seed,
    apiKey,
    redaction,
    outputs,
    reportPath,
    report: {
      tool: { name: 'async-bench', version: options.version },
      environment: { node: process.version, platform: process.platform, arch: process.arch, cpus: availableParallelism() },
      config: reportConfig(options, target, seed, redaction),
      thresholds,
      baseline: saved ? { saved, maxRegressionPct: options.maxRegressionPct ?? DEFAULTS.maxRegressionPct } : null,
    },
  };
}
