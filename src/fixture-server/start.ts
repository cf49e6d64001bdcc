import { Worker } from 'node:worker_threads';
import { HEALTH_PATH } from './protocol.js';
import type { ListenOptions } from './server.js';

export interface FixtureServerHandle {
  baseUrl: string;
  /** Answered at once, without delay or faults: what the client is primed on. */
  healthUrl: string;
  stop(): Promise<void>;
}

export class FixtureServerError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

/**
 * Starts the fixture server in a worker thread: its own event loop, so serving responses
 * never delays the strategies being measured on the main one.
 */
export function startFixtureServer(options: ListenOptions): Promise<FixtureServerHandle> {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: options });
  // The CLI may exit while the server still runs: the worker must not keep the process alive.
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { type: string; baseUrl?: string; code?: string; message?: string }) => {
      worker.off('error', reject);
      if (message.type !== 'listening' || !message.baseUrl) {
        void worker.terminate();
        reject(new FixtureServerError(message.message ?? 'fixture server failed to start', message.code));
        return;
      }
      resolve({
        baseUrl: message.baseUrl,
        healthUrl: message.baseUrl + HEALTH_PATH,
        stop: async () => {
          await worker.terminate();
        },
      });
    });
  });
}
