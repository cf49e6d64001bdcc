import { defineConfig } from 'vitest/config';

/** Opens FIFOs no one writes: such an open outlives a worker thread, and ended it badly. */
const PROCESS_WIDE = 'test/integration/process-inputs.test.ts';

export default defineConfig({
  test: {
    // No test reaches beyond loopback: connects and lookups elsewhere fail loudly (see the file).
    // Nor through a proxy the environment names (see the file).
    setupFiles: ['./test/helpers/network-guard.mjs', './test/helpers/proxy-free-env.ts'],
    // The built CLI that in-process runs load is plain JavaScript: node loads it as it is,
    // without vitest's transform (most of a file's first in-process run).
    server: { deps: { external: [/\/dist\//] } },
    // Two cores; end-to-end files mostly wait on servers' delays and on the CLIs they spawn, so a
    // third worker fills those waits without crowding the timing comparisons.
    maxWorkers: 3,
    minWorkers: 1,
    // The unit and integration files share two worker threads, each file after another in the
    // same one (a fresh process per file was most of their cost). Pool options are the root's:
    // a project's own `isolate` does not reach the pool. More than two threads sometimes ended
    // a thread that was still being handed a file ("Terminating worker thread").
    poolOptions: { threads: { isolate: false, maxThreads: 2 } },
    // Generous: under load a spawned CLI is slow to start; no test relies on a timeout to pass.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      // Pure code, and real HTTP on loopback inside the test process, in threads: nothing here
      // changes the directory, waits on a FIFO or needs the main thread's stack. The one
      // integration file that does runs in a process of its own, with the end-to-end files.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], exclude: [PROCESS_WIDE], pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'system', include: ['test/{e2e,chaos,browser}/**/*.test.ts', PROCESS_WIDE] } },
    ],
  },
});
