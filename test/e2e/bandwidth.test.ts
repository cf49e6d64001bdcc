/**
 * --bandwidth on the command line: recorded in config.faults, named in the heading, checked as usage.
 * The two runs with --bandwidth spawn the built CLI, side by side: for so few, the built CLI's
 * first run in this process would cost about what they do. The usage errors run main() in
 * process, except the one that names a URL, which would load the whole request path for a single case.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, cleanupCli, run } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { expectOk, expectUsageError, parseJsonReport } from '../helpers/expectations.js';

beforeAll(assertBuilt);
afterAll(cleanupCli);

describe('--bandwidth', () => {
  test('is recorded in config.faults and named in the table heading', async () => {
    const base = ['jsonplaceholder', '--offline', '--latency', '0', '-n', '4', '-s', 'all', '--seed', '3'];
    const [json, table] = await Promise.all([run([...base, '--bandwidth', '50', '--json']), run([...base, '--bandwidth', '2.5Mbit/s'])]);
    expectOk(json);
    const doc = parseJsonReport<{ config: { faults?: Record<string, unknown> } }>(json);
    expect(doc.config.faults).toEqual({ errorRate: 0, rateLimitPerSec: null, maxInflight: null, capacity: null, bandwidthMbps: 50 });
    expectOk(table);
    expect(table.stdout).toMatch(/^jsonplaceholder · offline \(0 ms; bandwidth 2\.5 Mbit\/s\)/m);
  });

  test.each([['0'], ['fast'], ['-5']])('--bandwidth %s is a usage error', async (value) => {
    expectUsageError(await runInProcess(['pokemon', '--offline', '--bandwidth', value]), /--bandwidth/);
  });

  test('needs --offline', async () => {
    expectUsageError(await run(['https://example.invalid/', '--bandwidth', '50']), /--bandwidth/);
  });
});
