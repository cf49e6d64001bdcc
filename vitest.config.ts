import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // No test reaches beyond loopback: connects and lookups elsewhere fail loudly (see the file).
    // Nor through a proxy the environment names (see the file).
    setupFiles: ['./test/helpers/network-guard.mjs', './test/helpers/proxy-free-env.ts'],
    // Two cores: end-to-end tests spawn the CLI and time strategies, so keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
    // Generous: under load a spawned CLI is slow to start; no test relies on a timeout to pass.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
