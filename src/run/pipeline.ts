/**
 * The run itself: the workload (targets, the fixture server, a preset's setup stage), a fresh
 * client per strategy run, the rounds, and the loop-delay probe. It prints nothing; it hands
 * back the runs and what the report needs to name them.
 */
import { performance } from 'node:perf_hooks';
import { fanOutWarning, runRounds, type RunPosition, type StrategyRuns, type StrategySpec } from '../core/benchmark.js';
import { autoSweep, type AutoStep, type AutoSweepResult } from '../core/auto-sweep.js';
import { createRandom } from '../core/random.js';
import { summarizeGroup } from '../core/summarize.js';
import { primeHttpClient } from '../http/prime.js';
import { isScrubbable, secretsInUrl, type RedactionPolicy } from '../core/redact.js';
import { activeProxy, proxyUrls, type ActiveProxy } from '../http/proxy-env.js';
import type { Target } from '../targets/resolve.js';
import { startLoopDelay } from './loop-delay.js';
import { strategySpecs, transportSettings, type RunOptions } from './settings.js';
import { createSleeper } from './sleep.js';
import { clientFactory, type ClientFactoryOptions } from './strategy-client.js';
import { runOnThreads } from './workers.js';
import { prepareWorkload, type RequestDefaults, type Workload } from './workload.js';

/** Salted: the round order draws numbers of its own, not the URLs'. */
const ROUND_ORDER_SALT = 0x2545f491;

/** One event-loop turn: lets undici put a finished keep-alive socket back in its pool. */
const nextLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface PipelineInput {
  options: RunOptions;
  target: Target;
  seed: number;
  apiKey: string | null;
  redaction: RedactionPolicy;
  request?: RequestDefaults;
  /** The --cacert certificates, read by the plan. */
  caPem: string | null;
}

/** What the pipeline tells the outside while it runs (a spinner, a warning line). */
export interface PipelineHooks {
  signal: AbortSignal;
  stage(text: string): void;
  strategy(spec: StrategySpec, count: number, position?: RunPosition): void;
  request(spec: StrategySpec, done: number, count: number): void;
  warn(text: string): void;
  /** Each limit -c auto measured, as it is measured. */
  autoStep(step: AutoStep): void;
}

export interface PipelineOutput {
  startedAt: string;
  workload: Omit<Workload, 'server'>;
  groups: StrategyRuns[];
  /** Response bodies the first run kept for the preset's sample line, by request index. */
  bodies: readonly string[];
  /** -c auto: the search's path and answer. */
  auto?: AutoSweepResult;
  /** The proxy the requests go through (host:port and what chose it); null when direct. */
  proxy: ActiveProxy | null;
}

/** Runs every strategy over the workload, round by round; stops starting requests once aborted. */
export async function runPipeline(input: PipelineInput, hooks: PipelineHooks): Promise<PipelineOutput> {
  const { options, target, seed } = input;
  const startedAt = new Date().toISOString();
  hooks.stage(options.offline ? 'starting the fixture server' : 'preparing');
  const { server, ...workload } = await prepareWorkload(target, options, seed, input.apiKey, hooks.signal, input.redaction, input.request, input.caPem);
  try {
    const { urls, requests } = workload;
    const count = requests.count;
    const transport = transportSettings(options, input.caPem, server?.caPem);
    const proxy = activeProxy(transport.proxy, process.env, urls);
    for (const proxyUrl of proxyUrls(transport.proxy, process.env)) {
      for (const secret of secretsInUrl(proxyUrl, input.redaction)) if (isScrubbable(secret)) workload.secrets.push(secret);
    }
    const clientOptions: Omit<ClientFactoryOptions, 'signal' | 'sleep' | 'sampleSize'> = {
      requests,
      retryAll: options.retryAll,
      headers: workload.headers,
      timeoutMs: options.timeoutMs,
      maxRedirects: options.maxRedirects,
      transport,
      retries: options.retries,
      ratePerSec: options.ratePerSec,
      seed,
      ownServer: server !== null,
      keepBodies: options.cpuWorkMs > 0,
    };
    const clients = clientFactory({ ...clientOptions, signal: hooks.signal, sleep: createSleeper(hooks.signal), sampleSize: target.kind === 'preset' ? target.preset.sampleSize : 0 });
    const specs = count === 0 ? [] : strategySpecs(options);
    const fanOut = fanOutWarning(count, specs);
    if (fanOut !== null) hooks.warn(fanOut);
    // The first request in a process compiles undici's parser and warms the JIT (about 20 ms
    // here); paid on our own server, it lands on no strategy and on no user's target.
    // A setup stage primed the first HTTP version; each other one is primed here.
    const unprimed = workload.setup ? options.protocols.slice(1) : options.protocols;
    if (specs.length > 0 && unprimed.length > 0 && !hooks.signal.aborted) {
      await primeHttpClient(server ? { url: server.healthUrl, caPem: server.caPem } : undefined, unprimed);
    }
    // A failed request is classified, never printed with its stack: capturing a stack for each
    // of thousands of fast failures (a refused port) only costs CPU and memory mid-measurement.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let groups: StrategyRuns[];
    let auto: AutoSweepResult | undefined;
    const rounds = (which: readonly StrategySpec[]): Promise<StrategyRuns[]> =>
      runRounds(
        which,
        count,
        (spec) => clients.createClient(spec),
        () => performance.now(),
        { runs: options.runs, warmup: options.warmup, random: createRandom(seed ^ ROUND_ORDER_SALT) },
        {
          signal: hooks.signal,
          onStrategyStart: (spec, count, position) => hooks.strategy(spec, count, position),
          onRequestDone: (spec, done, count) => hooks.request(spec, done, count),
          measureLoopDelay: startLoopDelay,
          handOver: nextLoopTurn,
          nextTurn: nextLoopTurn,
          cpuWorkMs: options.cpuWorkMs,
          runOnThreads: (spec, count) => {
            const { requests: source, ...client } = clientOptions;
            if (!source.recipe) throw new Error('the workers strategy needs requests it can send to another thread');
            return runOnThreads(spec, count, {
              recipe: source.recipe,
              client,
              cpuWorkMs: options.cpuWorkMs,
              prime: server ? { url: server.healthUrl, caPem: server.caPem } : null,
              signal: hooks.signal,
              onProgress: (done) => hooks.request(spec, done, count),
            });
          },
        },
      );
    try {
      groups = await rounds(specs);
      if (options.autoConcurrency && count > 0 && !hooks.signal.aborted) {
        const searched: StrategyRuns[] = [];
        auto = await autoSweep(
          async (c) => {
            const [group] = await rounds([{ strategy: 'bounded', concurrency: c }]);
            if (!group || hooks.signal.aborted) return null;
            searched.push(group);
            return summarizeGroup(group.runs, null);
          },
          { ceiling: options.autoConcurrency.ceiling ?? count, maxRequests: options.maxRequests, requestsPerStep: count * (options.runs + options.warmup) },
          (step) => hooks.autoStep(step),
        );
        groups = groups.concat(searched.sort((a, b) => (a.spec.concurrency ?? 0) - (b.spec.concurrency ?? 0)));
      }
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    return { startedAt, workload, groups, bodies: clients.bodies, proxy, ...(auto ? { auto } : {}) };
  } finally {
    await server?.stop();
  }
}
