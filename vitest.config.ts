import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Integration files that need a process of their own: one opens FIFOs no one writes (such an
 * open outlives a worker thread, and ended it badly), the others run the CLI in process, which
 * changes directory (test/helpers/in-process.ts).
 */
const PROCESS_WIDE = ['process-inputs', 'api', 'export', 'workers'].map((name) => `test/integration/${name}.test.ts`);

/**
 * The files that take longest, mostly waiting on servers' delays (-c auto searches, repeated
 * runs, Locust), longest first. vitest starts the files it has timed before longest first; a
 * fresh clone has no timings, and by size some of these started last and held the end.
 */
const LONGEST_FIRST = ['e2e/cli', 'e2e/readme-examples', 'e2e/process-signals', 'e2e/presets-faults', 'e2e/verdicts', 'e2e/ci-checks', 'e2e/hardening', 'e2e/locust', 'browser/report'];

class KnownLongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Once vitest has timings of its own (a file new since then has none), its order stands.
    if (files.some((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${f.moduleId.slice(this.ctx.config.root.length + 1)}`))) return sorted;
    const rank = (f: TestSpecification): number => {
      const at = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(`/test/${name}.test.ts`));
      return at === -1 ? LONGEST_FIRST.length : at;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

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
    sequence: { sequencer: KnownLongestFirst },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      // Pure code, and real HTTP on loopback inside the test process, in threads: nothing here
      // changes the directory, waits on a FIFO or needs the main thread's stack. The integration
      // files that do run in processes of their own, with the end-to-end files.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], exclude: PROCESS_WIDE, pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'system', include: ['test/{e2e,chaos,browser}/**/*.test.ts', ...PROCESS_WIDE] } },
    ],
  },
});
