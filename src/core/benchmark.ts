import { createAdaptiveLimiter, limitSignal, type AdaptiveSettings, type LimitPoint } from './adaptive-limit.js';
import { DEFAULTS } from './defaults.js';
import { busyWork } from './cpu-work.js';
import { createDispatchPacer, PACER_LIMITS } from './dispatch-pacer.js';
import type { RateLimiter } from './rate-limit.js';
import { Samples } from './samples.js';
import { runSchedule } from './strategies.js';
import { LIMITED_STRATEGIES, type Clock, type Protocol, type RequestFn, type RequestOutcome, type StrategyName } from './types.js';

/** One strategy to run: sequential and all carry no limit; bounded and batched carry their C; workers its C (or none) and threads. */
export interface StrategySpec {
  strategy: StrategyName;
  /** 1 for sequential, C for bounded and batched, null for all and adaptive. */
  concurrency: number | null;
  /** The HTTP version it offers, when the run compares versions (--protocol h1,h2); absent otherwise. */
  protocol?: Protocol;
  /** adaptive: where its limit starts and how high it may go. */
  adaptive?: AdaptiveSettings;
  /** all: Promise.all's rejection on the first failure (--fail-fast) instead of allSettled. */
  failFast?: boolean;
  /** workers: the threads asked for (--workers); on a run, the threads that ran it (never more than C). */
  threads?: number;
}

/** --fail-fast: when Promise.all rejected, on which request, and what was still running then. */
export interface Rejection {
  /** ms since the run started. */
  atMs: number;
  /** The request whose failure rejected it. */
  index: number;
  /** Requests not yet settled when it rejected: they kept running. */
  stillRunning: number[];
}

/** What the connection pool did during one run. */
export interface PoolStats {
  /** Connections opened. */
  opened: number;
  /** Most connections open at once. */
  peak: number;
  /** Requests sent once more on a new connection after a reused keep-alive one was closed under them (not --retries). */
  staleRetries: number;
  /** Most requests in flight at once on one connection: HTTP/2 streams; 1 over HTTP/1.1 (never pipelined); 0 when none was sent. */
  peakStreams?: number;
  /** Of the connections opened, those that spoke HTTP/2; present when HTTP/2 was offered. */
  h2?: number;
}

/** What the transport did during one run besides connections: DNS, bodies that hid their encoding. */
export interface TransportStats {
  /** Lookups that reached the resolver (each host once per run) and their total time, ms. */
  dns: { lookups: number; totalMs: number };
  /** Responses that were gzip without a Content-Encoding (recognised by their magic bytes). */
  undeclaredGzip: number;
}

/** A fresh HTTP client (its own connection pool) for one strategy run. */
export interface StrategyClient {
  request: RequestFn;
  close(): Promise<void>;
  poolStats?(): PoolStats;
  transportStats?(): TransportStats;
  /** Every request waits its turn here before it is sent (--rate); the wait is queueing, not latency. */
  rate?: RateLimiter;
}

export interface StrategyRun extends StrategySpec {
  samples: Samples;
  /** From the first request sent to the end of the last response. */
  wallMs: number;
  maxInFlight: number;
  /** True when the run was stopped before every request finished. */
  partial: boolean;
  pool: PoolStats | null;
  transport?: TransportStats | null;
  /** p99 of the event loop's delay during the run, ms; null when not measured. workers: the worst thread's. */
  eventLoopDelayP99Ms: number | null;
  /** adaptive: each change of its limit. */
  limitTrace?: LimitPoint[];
  /** --fail-fast: when and why Promise.all rejected; absent when nothing failed. */
  rejection?: Rejection;
  /** The clock's reading when the run started: its samples' time zero. */
  clockStart?: number;
  /** --cpu-work: the work asked for after each successful response, ms. */
  cpuWorkMs?: number;
}

/** Where a run stands: round r of the warm-up or of the measured rounds. */
export interface RunPosition {
  round: number;
  rounds: number;
  warmup: boolean;
}

export interface BenchmarkHooks {
  /** Once aborted, no strategy or request starts; requests in flight are aborted by the client. */
  signal?: AbortSignal;
  onStrategyStart?(spec: StrategySpec, count: number, position?: RunPosition): void;
  onRequestDone?(spec: StrategySpec, done: number, count: number): void;
  onStrategyEnd?(run: StrategyRun): void;
  /** Starts measuring the event loop's delay; the returned function stops and gives its p99 in ms. */
  measureLoopDelay?(): () => number;
  /** Between one request and the next in the same lane (see ScheduleOptions.handOver). */
  handOver?: () => Promise<void>;
  /**
   * One loop turn. Given, a run that may start more than DISPATCH_SLICE requests at once (`all`,
   * or bounded with such a C) sends at most that many per turn, so that timers, I/O and signals
   * run between slices (see dispatch-pacer.ts).
   */
  nextTurn?: () => Promise<void>;
  /**
   * --cpu-work: after each successful response, this many ms of synchronous work over its body
   * on this thread (the client keeps bodies for it). Its last byte is recorded first: the work
   * is the lane's time and the loop's, not the request's latency (it is kept apart, per request).
   */
  cpuWorkMs?: number;
  /** bounded: where the next request's index comes from (see ScheduleOptions.next). */
  next?: () => number;
  /** Runs a workers spec on threads of its own; required to run one. */
  runOnThreads?(spec: StrategySpec, count: number): Promise<StrategyRun>;
}

/** How the workers strategy runs: its threads, and its limits (null: none, like all). */
export interface WorkersPlan {
  threads: number;
  limits: ReadonlyArray<number | null>;
}

/** How the strategies beyond the three are set up. */
export interface PlanExtras {
  adaptive?: AdaptiveSettings;
  failFast?: boolean;
  workers?: WorkersPlan;
}

/**
 * The strategies to run, in report order: sequential, all, bounded at each limit, batched at
 * each limit, adaptive, workers at each of its limits. With two or more protocols, that list once per protocol, each spec
 * carrying its protocol.
 */
export function planStrategies(strategies: readonly StrategyName[], concurrency: readonly number[], protocols: readonly Protocol[] = [], extras: PlanExtras = {}): StrategySpec[] {
  const specs: StrategySpec[] = [];
  if (strategies.includes('sequential')) specs.push({ strategy: 'sequential', concurrency: 1 });
  if (strategies.includes('all')) specs.push({ strategy: 'all', concurrency: null, ...(extras.failFast ? { failFast: true } : {}) });
  for (const strategy of LIMITED_STRATEGIES) {
    if (strategies.includes(strategy)) for (const c of concurrency) specs.push({ strategy, concurrency: c });
  }
  if (strategies.includes('adaptive')) {
    specs.push({ strategy: 'adaptive', concurrency: null, adaptive: extras.adaptive ?? { start: DEFAULTS.adaptiveStart, max: DEFAULTS.adaptiveMax } });
  }
  if (strategies.includes('workers') && extras.workers) {
    for (const c of extras.workers.limits) specs.push({ strategy: 'workers', concurrency: c, threads: extras.workers.threads });
  }
  if (protocols.length < 2) return specs;
  return protocols.flatMap((protocol) => specs.map((spec) => ({ ...spec, protocol })));
}

/** Above this many requests, `all` warns before it starts. */
export const ALL_FAN_OUT_WARNING = 5_000;

/**
 * The warning printed before a plan with `all` opens one connection per request, when there are
 * more than ALL_FAN_OUT_WARNING of them; null otherwise.
 */
export function fanOutWarning(count: number, specs: readonly StrategySpec[]): string | null {
  if (count <= ALL_FAN_OUT_WARNING || !specs.some((s) => s.strategy === 'all')) return null;
  return `warning: all starts ${count.toLocaleString('en-US')} requests at once, each on its own connection; the system may refuse some (counted as failures). bounded (-s bounded -c 100) is the polite way.`;
}

/** What --fail-fast's Promise.all rejects with: the request that failed. */
export class RequestFailed extends Error {
  constructor(readonly index: number) {
    super(`request ${index} failed`);
  }
}

const FAILED_TASK: RequestOutcome = { status: 0, bytes: 0, ttfbMs: Number.NaN, error: 'other', cause: 'the request function threw' };

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
  const cpuWorkMs = hooks.cpuWorkMs ?? 0;
  // Requests sent and not yet settled: a request waiting for its turn (pacer, --rate) is not in flight.
  let sent = 0;
  let maxSent = 0;
  // Only a run that can start more requests at once than a turn sends is paced.
  const atOnce = Math.min(count, spec.adaptive ? spec.adaptive.max : (spec.concurrency ?? count));
  const t0 = clock();
  const limiter = spec.adaptive ? createAdaptiveLimiter(spec.adaptive) : null;
  const finish = (index: number, outcome: RequestOutcome): void => {
    const endMs = clock() - t0;
    samples.record(index, endMs, outcome);
    // Before the scheduler hears of the end: the slot it frees is counted against the new limit.
    limiter?.onSample({ startMs: samples.startMs[index]!, endMs, signal: limitSignal(outcome), inFlight: sent });
    sent--;
    if (cpuWorkMs > 0 && outcome.error === null && !signal.aborted) {
      const before = clock();
      busyWork(outcome.body ?? '', cpuWorkMs, clock);
      samples.recordCpuWork(index, clock() - before);
    }
    done++;
    hooks.onRequestDone?.(spec, done, count);
  };
  // Promise chains, not an async function: at the start of `all`, 100,000 of these wait at
  // once, and a suspended async frame each is memory the collector copies while the loop waits.
  const dispatch = (index: number): Promise<void> => {
    samples.markStart(index, clock() - t0);
    if (++sent > maxSent) maxSent = sent;
    let request: Promise<RequestOutcome>;
    try {
      request = client.request(index);
    } catch {
      request = Promise.resolve(FAILED_TASK); // a request function must not throw; if one does, it is a failure, not a crash
    }
    return request.then(
      (outcome) => finish(index, outcome),
      () => finish(index, FAILED_TASK),
    );
  };
  const send = (index: number): Promise<void> => {
    const { rate } = client;
    if (!rate) return dispatch(index);
    // Stopped while waiting its turn: never sent, not counted.
    return rate.take(signal).then(() => (signal.aborted ? undefined : dispatch(index)));
  };
  const pacer = hooks.nextTurn && atOnce > PACER_LIMITS.maxPerTurn ? createDispatchPacer(send, hooks.nextTurn, clock) : null;
  // Stopped while waiting a turn: never sent, not counted.
  const releaseAll = (): void => pacer?.releaseAll();
  if (pacer) signal.addEventListener('abort', releaseAll, { once: true });
  const paced = pacer ? (index: number): Promise<void> => pacer.run(index) : send;
  // --fail-fast: a failed request rejects its promise, as fetch code that throws on !ok does.
  const task = spec.failFast
    ? (index: number): Promise<void> => paced(index).then(() => {
        if (samples.completed(index) && samples.error(index) !== null) throw new RequestFailed(index);
      })
    : paced;
  let rejection: Rejection | undefined;
  const onReject = (reason: unknown): void => {
    const atMs = clock() - t0;
    const stillRunning: number[] = [];
    for (let i = 0; i < count; i++) if (!samples.completed(i)) stillRunning.push(i);
    rejection = { atMs, index: reason instanceof RequestFailed ? reason.index : -1, stillRunning };
  };
  const { started } = await runSchedule(spec.strategy, count, task, {
    concurrency: spec.concurrency ?? count,
    signal,
    ...(hooks.handOver ? { handOver: hooks.handOver } : {}),
    ...(limiter ? { limit: () => limiter.limit } : {}),
    ...(spec.failFast ? { failFast: true, onReject } : {}),
    ...(hooks.next ? { next: hooks.next } : {}),
  }).finally(() => signal.removeEventListener('abort', releaseAll));
  const wallMs = clock() - t0;
  const partial = started < count || signal.aborted;
  const run: StrategyRun = { ...spec, samples, wallMs, maxInFlight: maxSent, partial, pool: null, transport: null, eventLoopDelayP99Ms: null, clockStart: t0, ...(cpuWorkMs > 0 ? { cpuWorkMs } : {}) };
  if (limiter) run.limitTrace = [...limiter.trace];
  if (rejection) run.rejection = rejection;
  return run;
}

/** Runs one strategy with a fresh client, measuring the loop delay and the pool around it. */
async function measuredRun(
  spec: StrategySpec,
  count: number,
  createClient: (spec: StrategySpec) => StrategyClient,
  clock: Clock,
  hooks: BenchmarkHooks,
): Promise<StrategyRun> {
  if (spec.strategy === 'workers') {
    // Each thread makes its own client and measures its own loop: this one only waits.
    if (!hooks.runOnThreads) throw new Error('the workers strategy needs runOnThreads');
    const run = await hooks.runOnThreads(spec, count);
    hooks.onStrategyEnd?.(run);
    return run;
  }
  const client = createClient(spec);
  try {
    const stopLoopDelay = hooks.measureLoopDelay?.();
    const run = await runStrategy(spec, count, client, clock, hooks);
    if (stopLoopDelay) run.eventLoopDelayP99Ms = stopLoopDelay();
    run.pool = client.poolStats?.() ?? null;
    run.transport = client.transportStats?.() ?? null;
    hooks.onStrategyEnd?.(run);
    return run;
  } finally {
    await client.close();
  }
}

export interface RoundsPlan {
  /** Measured rounds. */
  runs: number;
  /** Rounds run first and thrown away. */
  warmup: number;
  /** Shuffles the order of every round. */
  random: () => number;
}

/** The measured runs of one strategy, in the order they ran. */
export interface StrategyRuns {
  spec: StrategySpec;
  runs: StrategyRun[];
}

/**
 * The order of the strategies in each round, every round shuffled (the first too): drift and
 * the cold start (a server warming up, a neighbour's load) hit every strategy alike.
 */
export function roundOrders(strategies: number, rounds: number, random: () => number): number[][] {
  const orders: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    const order = Array.from({ length: strategies }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    orders.push(order);
  }
  return orders;
}

/**
 * Warm-up rounds, then measured rounds, each running every strategy once (interleaved:
 * seq, all, bounded, then again in a shuffled order). Returns the measured runs per strategy.
 */
export async function runRounds(
  specs: readonly StrategySpec[],
  count: number,
  createClient: (spec: StrategySpec) => StrategyClient,
  clock: Clock,
  plan: RoundsPlan,
  hooks: BenchmarkHooks = {},
): Promise<StrategyRuns[]> {
  const results: StrategyRuns[] = specs.map((spec) => ({ spec, runs: [] }));
  const total = plan.warmup + plan.runs;
  const orders = roundOrders(specs.length, total, plan.random);
  for (let r = 0; r < total; r++) {
    const warmup = r < plan.warmup;
    const position: RunPosition = warmup ? { round: r + 1, rounds: plan.warmup, warmup } : { round: r - plan.warmup + 1, rounds: plan.runs, warmup };
    for (const index of orders[r]!) {
      if (hooks.signal?.aborted) return results.filter((g) => g.runs.length > 0);
      const spec = specs[index]!;
      hooks.onStrategyStart?.(spec, count, position);
      const run = await measuredRun(spec, count, createClient, clock, hooks);
      // An interrupted warm-up run is still reported: it is all there is to show.
      if (!warmup || run.partial) results[index]!.runs.push(run);
    }
  }
  return results.filter((g) => g.runs.length > 0);
}
