/**
 * `benchmark()`: the command line's run for scripts. The same parser and plan (every check
 * before the first request), the same pipeline and the same Report builder; it prints nothing
 * and sets no exit code, and the caller's AbortSignal stands in for Ctrl-C.
 */
import type { RunPosition, StrategySpec } from '../core/benchmark.js';
import type { AutoStep } from '../core/auto-sweep.js';
import { secretScrubber } from '../core/redact.js';
import type { Report } from '../core/report.js';
import type { StrategyName } from '../core/types.js';
import { autoStepLine } from '../export/prose.js';
import { parseRunArguments } from '../cli/parse-run.js';
import { planRun } from '../cli/plan.js';
import { packageVersion } from '../cli/version.js';
import { measure } from '../run/measure.js';
import { runArguments, type RunSettings } from './options.js';

/** What `onProgress` hears while the benchmark runs. */
export type BenchmarkProgress =
  /** A step before the strategies: "starting the fixture server", "preparing". */
  | { type: 'stage'; text: string }
  /** A strategy starts a run of `requests` requests (in round `round` of `rounds` when there are several). */
  | { type: 'strategy'; strategy: StrategyName; concurrency: number | null; requests: number; round?: number; rounds?: number; warmup?: boolean }
  /** `done` of the strategy's `requests` requests have finished. */
  | { type: 'request'; strategy: StrategyName; concurrency: number | null; done: number; requests: number }
  /** A warning the command line would print on stderr. */
  | { type: 'warning'; text: string }
  /** With concurrency 'auto': one limit measured. */
  | { type: 'auto-step'; step: AutoStep; text: string };

export interface BenchmarkOptions extends RunSettings {
  /** Stops the benchmark as Ctrl-C stops the command: requests in flight are aborted, and the Report of what was measured comes back with `partial: true`. */
  signal?: AbortSignal;
  /** Told of each stage, strategy and finished request (as the command line's progress line is). If it throws, the run stops and benchmark() throws that error. */
  onProgress?: (event: BenchmarkProgress) => void;
}

/** A string's secrets as *** everywhere in a value (the Report is plain data: strings, numbers, arrays, objects). */
function scrubbed<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const scrub = secretScrubber(secrets);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  return walk(value) as T;
}

const position = (p: RunPosition | undefined): { round?: number; rounds?: number; warmup?: boolean } =>
  p === undefined ? {} : { round: p.round, rounds: p.rounds, warmup: p.warmup };

/**
 * Runs the benchmark `async-bench [targets] [options]` would run and returns its Report.
 * `targets` is a preset name or a list of URLs (none with `requests` or `har`). Bad input
 * throws a UsageError before any request is sent; failed requests are results in the Report.
 */
export async function benchmark(targets: string | readonly string[], options: BenchmarkOptions = {}): Promise<Report> {
  const { signal, onProgress, ...settings } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new TypeError('onProgress must be a function');
  const args = runArguments(targets, settings);
  // The command line that asks for the same run is the one the Report shows to reproduce it.
  const runOptions = { ...(await parseRunArguments(args, packageVersion())), commandLine: args };
  // Ours, so that the caller's signal can end the run without the run ending the caller's signal.
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  // A callback that throws stops the run (as an abort does) and its error is what benchmark() throws.
  let callbackFailed: { error: unknown } | null = null;
  const tell = (event: BenchmarkProgress): void => {
    if (onProgress === undefined || callbackFailed !== null) return;
    try {
      onProgress(event);
    } catch (error) {
      callbackFailed = { error };
      stop();
    }
  };
  const label = (spec: StrategySpec): { strategy: StrategyName; concurrency: number | null } => ({ strategy: spec.strategy, concurrency: spec.concurrency });
  try {
    const plan = await planRun(runOptions, controller.signal);
    const { report, run } = await measure(
      plan,
      {
        signal: controller.signal,
        stage: (text) => tell({ type: 'stage', text }),
        strategy: (spec, count, at) => tell({ type: 'strategy', ...label(spec), requests: count, ...position(at) }),
        request: (spec, done, count) => tell({ type: 'request', ...label(spec), done, requests: count }),
        warn: (text) => tell({ type: 'warning', text }),
        autoStep: (step) => tell({ type: 'auto-step', step, text: autoStepLine(step) }),
      },
      () => runOptions.details,
    );
    if (callbackFailed !== null) throw (callbackFailed as { error: unknown }).error;
    // Keys and tokens never leave in a Report, whoever prints it.
    return scrubbed(report, run.workload.secrets);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
