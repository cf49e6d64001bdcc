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
import { checkCombination, presetKey, type RequestDefaults } from '../run/workload.js';
import { BODILESS_METHODS } from '../core/request.js';
import { readHarFile } from '../targets/har.js';
import { readBodyArgument } from '../targets/request-body.js';
import { readRequestFile } from '../targets/request-file.js';
import { resolveTarget, type Target } from '../targets/resolve.js';
import { reproducingCommand } from './command-line.js';
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
  /** The method and body of a preset's or URL list's requests. */
  request: RequestDefaults;
  /** The --cacert file's certificates, read and checked before any request. */
  caPem: string | null;
}

/** -X, -d, --data-json: the method and body every request of a preset or URL list carries. */
function requestDefaults(options: RunOptions): RequestDefaults {
  const data = options.data === null ? null : readBodyArgument(options.data);
  // As curl: a body without -X makes a POST.
  const method = options.method ?? (data === null ? 'GET' : 'POST');
  if (data !== null && BODILESS_METHODS.has(method)) throw new UsageError(`-X ${method} cannot carry a body (-d, --data-json); use POST, PUT or PATCH`);
  return { method, body: data?.body ?? null, contentType: data?.contentType ?? null };
}

/** URLs, a preset, or the requests of --requests / --har (which stand alone). */
async function readTarget(options: RunOptions, redaction: RedactionPolicy, signal: AbortSignal | undefined): Promise<Target> {
  const fromFile = options.requestsFile !== null ? '--requests' : options.har !== null ? '--har' : null;
  if (options.requestsFile !== null && options.har !== null) throw new UsageError('give one of --requests and --har');
  if (options.har === null && (options.harFilter !== null || options.harCookies)) throw new UsageError('--har-filter and --har-cookies apply to --har <file.har>');
  if (fromFile === null) return resolveTarget(options.targets, options.files, undefined, signal, redaction);
  if (options.targets.length > 0 || options.files.length > 0) throw new UsageError(`${fromFile} gives the requests: it cannot be mixed with a preset, URLs or --file`);
  if (options.data !== null) throw new UsageError(`${fromFile} gives each request its own body: -d and --data-json do not apply`);
  if (options.har !== null && options.method !== null) throw new UsageError('--har replays each request with its recorded method: -X does not apply');
  const specs = options.requestsFile !== null
    ? await readRequestFile(options.requestsFile, options.method ?? 'GET', undefined, signal, redaction)
    : await readHarFile(options.har!, { filter: options.harFilter, cookies: options.harCookies }, signal, redaction);
  return { kind: 'urls', urls: specs.map((s) => s.url), specs, literal: options.har !== null };
}

/** The methods the run sends, for the fingerprint: "GET", or "GET,POST" for a mix. */
function methodsOf(target: Target, defaults: RequestDefaults): string {
  if (target.kind === 'urls' && target.specs) return [...new Set(target.specs.map((s) => s.method))].sort().join(',');
  return defaults.method;
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
      protocol: options.protocols.join(','),
      // The built-in server is always reached directly.
      proxy: options.offline ? 'none' : options.proxy.kind === 'url' ? redactUrl(options.proxy.url, redaction) : options.proxy.kind,
      compression: options.compression,
      keepAlive: options.keepAlive,
      insecure: options.insecure,
      cacert: options.cacert ?? null,
    },
  };
  if (options.strategies.includes('adaptive')) config.adaptive = { start: options.adaptiveStart, max: options.adaptiveMax };
  if (options.failFast) config.failFast = true;
  if (target.kind === 'preset' && target.preset.name === 'tmdb') config.language = options.language;
  if (options.strategies.includes('workers')) config.workers = options.workers;
  if (options.cpuWorkMs > 0) config.cpuWorkMs = options.cpuWorkMs;
  if (options.offline && hasFaults(options.faults)) {
    // bandwidthMbps only when given: documents (and baselines' fingerprints) from before it stay alike.
    const { bandwidthMbps, ...faults } = options.faults;
    config.faults = bandwidthMbps === null ? faults : { ...faults, bandwidthMbps };
  }
  if (options.commandLine) config.command = reproducingCommand(options.commandLine, options, seed, target.kind === 'preset' && !options.offline, redaction);
  return config;
}

/** The options of one strategy need that strategy: each names what to add or drop. */
function checkStrategyOptions(options: RunOptions): void {
  if (options.autoConcurrency && options.strategies.includes('batched')) {
    throw new UsageError('-c auto searches for the limit of bounded; give batched its limits with -c 5 or -c 2,5,10');
  }
  if (options.failFast && !options.strategies.includes('all')) throw new UsageError('--fail-fast applies to all (Promise.all); add all to --strategy');
  if (options.adaptiveGiven && !options.strategies.includes('adaptive')) {
    throw new UsageError('--adaptive-start and --adaptive-max apply to adaptive; add adaptive to --strategy');
  }
  if (options.workersGiven && !options.strategies.includes('workers')) {
    throw new UsageError('--workers sets the threads of the workers strategy; add workers to --strategy (e.g. -s all,workers)');
  }
  if (options.adaptiveStart > options.adaptiveMax) {
    throw new UsageError(`--adaptive-start (${options.adaptiveStart}) must be at most --adaptive-max (${options.adaptiveMax})`);
  }
}

/** A baseline is only compared with a run of the same workload: a difference is a usage error. */
function checkSameWorkload(saved: SavedReport, current: Fingerprint, options: RunOptions): void {
  if (!saved.fingerprint) return; // an older file: the comparison carries a warning instead
  const differ = fingerprintDifferences(saved.fingerprint, current, options.baselineIgnore);
  if (differ.length === 0) return;
  // A fingerprint without a protocol measured HTTP/1.1 alone; a field it lacks, none.
  const shown = (fingerprint: Fingerprint, f: FingerprintField): string => (f === 'protocol' ? JSON.stringify(fingerprint.protocol ?? 'h1') : (JSON.stringify(fingerprint[f]) ?? 'none'));
  const describe = (f: FingerprintField): string => `${f} ${shown(saved.fingerprint!, f)} → ${shown(current, f)}`;
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
  const target = await unlessInterrupted<Target>(() => readTarget(options, redaction, signal), { kind: 'urls', urls: [] }, signal);
  const request = requestDefaults(options);
  const seed = options.seed ?? newSeed();
  checkCombination(options, target);
  const outputs = planOutputs(options.json, options.format, options.output);
  checkWaterfall(options.waterfall, outputs);
  const reportPath = options.report === undefined ? null : checkReportPath(options.report, outputs);
  const thresholds = [...options.thresholds, ...(options.minSpeedup === undefined ? [] : [minSpeedupThreshold(options.minSpeedup)])];
  if (options.autoConcurrency && !options.strategies.includes('bounded')) {
    throw new UsageError('-c auto searches for the limit of bounded; add bounded to --strategy');
  }
  checkStrategyOptions(options);
  checkThresholdsApply(thresholds, options.strategies, options.concurrency);
  const saved = await unlessInterrupted(() => readBaseline(options.baseline, options.maxRegressionPct, signal), null, signal);
  const config = reportConfig(options, target, seed, redaction);
  const count = target.kind === 'urls' && !options.countGiven ? target.urls.length : options.count;
  const fingerprint = workloadFingerprint(config, count, target.kind === 'urls' ? target.urls : null, methodsOf(target, request));
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
    request,
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
