import { Worker } from 'node:worker_threads';
import { builtModule } from '../core/built-module.js';
import { HEALTH_PATH } from './protocol.js';
import type { ListenOptions } from './server.js';

export interface FixtureServerHandle {
  baseUrl: string;
  /** Answered at once, without delay or faults: what the client is primed on. */
  healthUrl: string;
  /** With http2: the server's certificate (PEM), for the client of this run to trust; null over plain http. */
  caPem: string | null;
  stop(): Promise<void>;
}

export class FixtureServerError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

/** A worker that is stopping gets this long to close its server before it is terminated. */
const STOP_GRACE_MS = 1_000;

/**
 * Asks the worker to close its server and waits for it to end. Terminating a worker while its
 * HTTP parser is in the middle of a request (as a Ctrl-C can land) aborts the whole process
 * inside Node ("ToLocalChecked Empty MaybeLocal"), so termination is only the fallback.
 */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    fallback.unref();
    worker.once('exit', () => {
      clearTimeout(fallback);
      resolve();
    });
    // Held until it ends: an unref'd worker would let the process exit before the run reports.
    worker.ref();
    worker.postMessage('stop');
  });
}

/**
 * Starts the fixture server in a worker thread: its own event loop, so serving responses
 * never delays the strategies being measured on the main one.
 */
export function startFixtureServer(options: ListenOptions): Promise<FixtureServerHandle> {
  const worker = new Worker(builtModule('fixture-server/worker.js'), { workerData: options });
  // The CLI may exit while the server still runs: the worker must not keep the process alive.
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { type: string; baseUrl?: string; caPem?: string | null; code?: string; message?: string }) => {
      worker.off('error', reject);
      if (message.type !== 'listening' || !message.baseUrl) {
        void worker.terminate();
        reject(new FixtureServerError(message.message ?? 'fixture server failed to start', message.code));
        return;
      }
      resolve({
        baseUrl: message.baseUrl,
        healthUrl: message.baseUrl + HEALTH_PATH,
        caPem: message.caPem ?? null,
        stop: () => stopWorker(worker),
      });
    });
  });
}
