import { Samples } from './samples.js';
import { runSchedule } from './strategies.js';
import type { Clock, RequestFn, RequestOutcome, StrategyName } from './types.js';

/** One strategy to run: sequential and all carry no limit; bounded carries its C. */
export interface StrategySpec {
  strategy: StrategyName;
  concurrency: number | null;
}

/** A fresh HTTP client (its own connection pool) for one strategy run. */
export interface StrategyClient {
  request: RequestFn;
  close(): Promise<void>;
}

export interface StrategyRun extends StrategySpec {
  samples: Samples;
  /** From the first request sent to the end of the last response. */
  wallMs: number;
  maxInFlight: number;
  /** True when the run was stopped before every request finished. */
  partial: boolean;
}

export interface BenchmarkHooks {
  /** Once aborted, no strategy or request starts; requests in flight are aborted by the client. */
  signal?: AbortSignal;
  onStrategyStart?(spec: StrategySpec, count: number): void;
  onRequestDone?(spec: StrategySpec, done: number, count: number): void;
  onStrategyEnd?(run: StrategyRun): void;
}

/** The strategies to run, in report order: sequential, all, then bounded at each limit. */
export function planStrategies(strategies: readonly StrategyName[], concurrency: readonly number[]): StrategySpec[] {
  const specs: StrategySpec[] = [];
  if (strategies.includes('sequential')) specs.push({ strategy: 'sequential', concurrency: 1 });
  if (strategies.includes('all')) specs.push({ strategy: 'all', concurrency: null });
  if (strategies.includes('bounded')) for (const c of concurrency) specs.push({ strategy: 'bounded', concurrency: c });
  return specs;
}

const FAILED_TASK: RequestOutcome = { status: 0, bytes: 0, ttfbMs: Number.NaN, error: 'other' };

/** Runs one strategy over `count` requests with a client of its own. */
export async function runStrategy(
  spec: StrategySpec,
  count: number,
  client: StrategyClient,
  clock: Clock,
  hooks: BenchmarkHooks = {},
): Promise<StrategyRun> {
  const samples = new Samples(count);
  const signal = hooks.signal ?? new AbortController().signal;
  let done = 0;
  const t0 = clock();
  const task = async (index: number): Promise<void> => {
    samples.markStart(index, clock() - t0);
    let outcome: RequestOutcome;
    try {
      outcome = await client.request(index);
    } catch {
      outcome = FAILED_TASK; // a request function must not throw; if one does, it is a failure, not a crash
    }
    samples.record(index, clock() - t0, outcome);
    done++;
    hooks.onRequestDone?.(spec, done, count);
  };
  const { maxInFlight, started } = await runSchedule(spec.strategy, count, task, {
    concurrency: spec.concurrency ?? count,
    signal,
  });
  const wallMs = clock() - t0;
  const partial = started < count || signal.aborted;
  return { ...spec, samples, wallMs, maxInFlight, partial };
}

/**
 * Runs every strategy in turn on this event loop, each with a fresh client so that none
 * warms connections for another.
 */
export async function runBenchmark(
  specs: readonly StrategySpec[],
  count: number,
  createClient: () => StrategyClient,
  clock: Clock,
  hooks: BenchmarkHooks = {},
): Promise<StrategyRun[]> {
  const runs: StrategyRun[] = [];
  for (const spec of specs) {
    if (hooks.signal?.aborted) break;
    hooks.onStrategyStart?.(spec, count);
    const client = createClient();
    try {
      const run = await runStrategy(spec, count, client, clock, hooks);
      runs.push(run);
      hooks.onStrategyEnd?.(run);
    } finally {
      await client.close();
    }
  }
  return runs;
}
