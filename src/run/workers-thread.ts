/**
 * Worker-thread entry of the workers strategy: one thread's share of the requests, on its own
 * event loop with its own client and connection pool. It takes request indexes from the queue
 * every thread shares, runs a bounded limit of its own, and posts its samples back.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runStrategy } from '../core/benchmark.js';
import { sourceFromRecipe } from '../core/request.js';
import { primeHttpClient } from '../http/prime.js';
import { startLoopDelay } from './loop-delay.js';
import { createSleeper } from './sleep.js';
import { clientFactory } from './strategy-client.js';
import { QUEUE_DONE, QUEUE_NEXT, type ThreadInput, type ThreadMessage } from './workers.js';

function threadPort(): MessagePort {
  if (!parentPort) throw new Error('workers-thread.ts must run as a worker thread');
  return parentPort;
}
const port = threadPort();
const input = workerData as ThreadInput;
// As on the main thread: failures are classified, never printed with a stack.
Error.stackTraceLimit = 0;

const controller = new AbortController();
const { signal } = controller;
const queue = new Int32Array(input.queue);
const clients = clientFactory({ ...input.client, requests: sourceFromRecipe(input.recipe), signal, sleep: createSleeper(signal), sampleSize: 0 });
const nextLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const post = (message: ThreadMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

async function run(): Promise<void> {
  const client = clients.createClient();
  const clock = (): number => performance.now();
  const stopLoopDelay = startLoopDelay();
  try {
    const result = await runStrategy({ strategy: 'bounded', concurrency: input.limit }, input.count, client, clock, {
      signal,
      handOver: nextLoopTurn,
      nextTurn: nextLoopTurn,
      cpuWorkMs: input.cpuWorkMs,
      next: () => Atomics.add(queue, QUEUE_NEXT, 1),
      onRequestDone: () => Atomics.add(queue, QUEUE_DONE, 1),
    });
    const eventLoopDelayP99Ms = stopLoopDelay();
    const startedAt = performance.timeOrigin + (result.clockStart ?? 0);
    const samples = result.samples.toData();
    const buffers = [samples.startMs, samples.endMs, samples.ttfbMs, samples.bytes, samples.decodedBytes, samples.status, samples.errorCode, samples.attempts, samples.firstTryMs, samples.state, samples.cpuWorkMs]
      .filter((a) => a !== null)
      .map((a) => a.buffer as ArrayBuffer);
    post(
      {
        type: 'done',
        run: { samples, startedAt, endedAt: startedAt + result.wallMs, pool: client.poolStats?.() ?? null, transport: client.transportStats?.() ?? null, eventLoopDelayP99Ms },
      },
      buffers,
    );
  } finally {
    await client.close();
  }
  // Nothing is left to do: the thread ends once its loop is empty.
  port.unref();
}

port.on('message', (message: 'start' | 'abort') => {
  if (message === 'abort') controller.abort();
  else if (message === 'start') void run().catch((err: unknown) => post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }));
});

// The client's one-time costs (the parser, the first JIT passes) are paid before the run, as on the main thread.
await primeHttpClient(input.prime ?? undefined, [input.protocol]).catch(() => undefined);
post({ type: 'ready' });
