/** --bandwidth on the command line: recorded in config.faults, named in the heading, checked as usage. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assertBuilt, cleanupCli, run } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { expectOk, expectUsageError, parseJsonReport } from '../helpers/expectations.js';

beforeAll(assertBuilt);
afterAll(cleanupCli);

describe('--bandwidth', () => {
  test('is recorded in config.faults and named in the table heading', async () => {
    const json = await run(['jsonplaceholder', '--offline', '--latency', '0', '-n', '4', '-s', 'all', '--seed', '3', '--bandwidth', '50', '--json']);
    expectOk(json);
    const doc = parseJsonReport<{ config: { faults?: Record<string, unknown> } }>(json);
    expect(doc.config.faults).toEqual({ errorRate: 0, rateLimitPerSec: null, maxInflight: null, capacity: null, bandwidthMbps: 50 });
    const table = await run(['jsonplaceholder', '--offline', '--latency', '0', '-n', '4', '-s', 'all', '--seed', '3', '--bandwidth', '2.5Mbit/s']);
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
