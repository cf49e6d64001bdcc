/**
 * The workers strategy, main-thread side: N worker threads (workers-thread.ts), each with its
 * own event loop and connection pool, share the requests through one queue in shared memory;
 * each runs a bounded limit of C/N so that C stay in flight in all. Their samples come back
 * and are merged on one clock (core/workers.ts).
 */
import { Worker } from 'node:worker_threads';
import { builtModule } from '../core/built-module.js';
import type { StrategyRun, StrategySpec } from '../core/benchmark.js';
import type { RequestRecipe } from '../core/request.js';
import type { Protocol } from '../core/types.js';
import { mergeThreadRuns, splitLimit, threadCount, type ThreadRun } from '../core/workers.js';
import type { ClientFactoryOptions } from './strategy-client.js';

/** Slots of the shared queue: the next request index to take, and requests finished. */
export const QUEUE_NEXT = 0;
export const QUEUE_DONE = 1;

/** The client settings a thread rebuilds its client from: plain data, no functions. */
export type ThreadClientOptions = Omit<ClientFactoryOptions, 'requests' | 'signal' | 'sleep' | 'sampleSize'>;

/** What a thread is started with (its workerData). */
export interface ThreadInput {
  /** Its bounded limit. */
  limit: number;
  /** Requests in the whole run (indexes the queue hands out). */
  count: number;
  recipe: RequestRecipe;
  client: ThreadClientOptions;
  cpuWorkMs: number;
  /** Our own server's health URL (and its certificate) to prime the client on; null: a throwaway server. */
  prime: { url: string; caPem: string | null } | null;
  /** The HTTP version the thread offers (its client's transport says the same), primed before the run. */
  protocol: Protocol;
  /** Int32 slots QUEUE_NEXT and QUEUE_DONE. */
  queue: SharedArrayBuffer;
}

export type ThreadMessage = { type: 'ready' } | { type: 'done'; run: ThreadRun } | { type: 'failed'; message: string };

export interface ThreadsSetup {
  recipe: RequestRecipe;
  client: ThreadClientOptions;
  cpuWorkMs: number;
  prime: { url: string; caPem: string | null } | null;
  /** Aborted: every thread stops starting requests and cuts off those in flight, then reports. */
  signal: AbortSignal;
  /** Requests finished so far over all threads, a few times a second. */
  onProgress?(done: number): void;
}

/** How often the main thread reads the finished count for the progress line, ms. */
const PROGRESS_EVERY_MS = 100;
/** A thread that was told to stop and is still running after this long is terminated. */
const EXIT_GRACE_MS = 2_000;

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  done: Promise<ThreadRun>;
  exited: Promise<void>;
}

function startThread(entry: URL, input: ThreadInput): Thread {
  const worker = new Worker(entry, { workerData: input });
  let onReady!: () => void;
  let onDone!: (run: ThreadRun) => void;
  let onFailed!: (err: Error) => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<ThreadRun>((resolve, reject) => {
    onDone = resolve;
    onFailed = reject;
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (message: ThreadMessage) => {
    if (message.type === 'ready') onReady();
    else if (message.type === 'done') onDone(message.run);
    else onFailed(new Error(`a worker thread failed: ${message.message}`));
  });
  worker.once('error', (err) => onFailed(err));
  worker.once('exit', (code) => onFailed(new Error(`a worker thread ended (exit code ${code}) before it reported`)));
  // A thread that fails before it is ready must not leave the others waiting for it.
  void done.catch(onReady);
  void done.catch(() => undefined);
  return { worker, ready, done, exited };
}

/** Waits for a thread to end by itself (it does once it has reported), terminating it if it does not. */
async function ended(thread: Thread): Promise<void> {
  const fallback = setTimeout(() => void thread.worker.terminate(), EXIT_GRACE_MS);
  await thread.exited;
  clearTimeout(fallback);
}

/** Runs one workers spec: threads started and primed first (not timed), then every one at once. */
export async function runOnThreads(spec: StrategySpec, count: number, setup: ThreadsSetup): Promise<StrategyRun> {
  const threads = threadCount(spec.threads ?? 1, spec.concurrency, count);
  const limits = splitLimit(spec.concurrency ?? count, threads);
  const queue = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const counters = new Int32Array(queue);
  const entry = builtModule('run/workers-thread.js');
  const total = spec.concurrency ?? count;
  // --rate holds for the run: each thread sends its share of it.
  // The spec's HTTP version (--protocol h1,h2), else the run's (--http2).
  const protocol: Protocol = spec.protocol ?? (setup.client.transport.http2 ? 'h2' : 'h1');
  const transport = { ...setup.client.transport, http2: protocol === 'h2' };
  const clientFor = (limit: number): ThreadClientOptions => ({ ...setup.client, transport, ratePerSec: setup.client.ratePerSec === null ? null : (setup.client.ratePerSec * limit) / total });
  const started = limits.map((limit) => startThread(entry, { limit, count, recipe: setup.recipe, client: clientFor(limit), cpuWorkMs: setup.cpuWorkMs, prime: setup.prime, protocol, queue }));
  const stop = (): void => {
    for (const t of started) t.worker.postMessage('abort');
  };
  const progress = setup.onProgress ? setInterval(() => setup.onProgress!(Atomics.load(counters, QUEUE_DONE)), PROGRESS_EVERY_MS) : null;
  try {
    await Promise.all(started.map((t) => t.ready));
    // Aborted while the threads started: each still reports, having started nothing.
    setup.signal.addEventListener('abort', stop, { once: true });
    if (setup.signal.aborted) stop();
    for (const t of started) t.worker.postMessage('start');
    const parts = await Promise.all(started.map((t) => t.done));
    setup.onProgress?.(Atomics.load(counters, QUEUE_DONE));
    const run = mergeThreadRuns(spec, count, parts, setup.signal.aborted);
    if (setup.cpuWorkMs > 0) run.cpuWorkMs = setup.cpuWorkMs;
    return run;
  } catch (err) {
    stop();
    throw err;
  } finally {
    if (progress) clearInterval(progress);
    setup.signal.removeEventListener('abort', stop);
    await Promise.all(started.map(ended));
  }
}
