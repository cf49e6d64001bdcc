/** Worker-thread entry: runs the fixture server on its own event loop, outside the measured one. */
import { parentPort, workerData } from 'node:worker_threads';
import { listenFixtureServer, type ListenOptions } from './server.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run as a worker thread');

listenFixtureServer(workerData as ListenOptions).then(
  (running) => {
    port.postMessage({ type: 'listening', baseUrl: running.baseUrl, caPem: running.caPem });
    port.on('message', (message: unknown) => {
      // Once closed, the thread ends at once: a delayed response's timer must not keep it alive.
      if (message === 'stop') void running.close().then(() => process.exit(0));
    });
  },
  (err: unknown) => {
    const { code, message } = err as NodeJS.ErrnoException;
    port.postMessage({ type: 'error', code, message });
  },
);
