/**
 * The tests' network guard (test/helpers/network-guard.mjs) works: in this test process (vitest
 * loads it as a setup file) and in every CLI the tests spawn (`node --import`), a connect to a
 * non-loopback address and a lookup of a non-loopback name fail at once, locally, in the
 * product's `connect` and `dns` classes, and loopback still works. No packet leaves: the guard
 * refuses before any socket is opened or resolver asked.
 *
 * The one CLI run spawns the built CLI: the guard it checks is the one `node --import` preloads
 * into a spawned process (and its timeout is a kill, should a connect hang).
 */
import { promises as dnsPromises, lookup } from 'node:dns';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { createHttpClient } from '../../src/http/client.js';
import { assertBuilt, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { parseJsonReport } from '../helpers/expectations.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** A private address: never a target of these tests, only of the guard's refusal. */
const PRIVATE_URL = 'http://10.255.255.1/';
const UNRESOLVABLE_URL = 'http://example.invalid/';

let server: TestServer;
beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  cleanupCli();
});

function connectError(host: string): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: 80 });
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error(`connected to ${host}: the guard is not in place`));
    });
    socket.once('error', resolve);
  });
}

describe('network guard, in the test process', () => {
  test('a connect to a non-loopback IP fails with ECONNREFUSED naming the guard', async () => {
    const err = await connectError('10.255.255.1');
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.message).toMatch(/network guard/);
  });

  test('a non-loopback name is never looked up: ENOTFOUND, by callback, promise and connect', async () => {
    const byCallback = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('example.com', (err) => resolve(err)));
    expect(byCallback?.code).toBe('ENOTFOUND');
    await expect(dnsPromises.lookup('example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect((await connectError('example.com')).code).toBe('ENOTFOUND');
  });

  test("the product's client classifies the refusals as connect and dns; loopback still works", async () => {
    const client = createHttpClient({ timeoutMs: 30_000 });
    try {
      const [blocked, unresolvable, local] = await Promise.all([client.fetch(PRIVATE_URL), client.fetch(UNRESOLVABLE_URL), client.fetch(`${server.url}/ok`)]);
      expect(blocked.error).toBe('connect');
      expect(unresolvable.error).toBe('dns');
      expect(local).toMatchObject({ error: null, status: 200 });
    } finally {
      await client.close();
    }
  });
});

describe('network guard, in a spawned CLI', () => {
  test('a run against a private IP and an unresolvable name fails both at once (connect, dns), says the guard refused them, and nothing hangs', async () => {
    // A long --timeout: without the guard the private address would hang until it (or the kill).
    const result = await run([PRIVATE_URL, UNRESOLVABLE_URL, `${server.url}/ok?guard=1`, '-s', 'sequential', '--timeout', '60000', '--json'], {
      env: { NETWORK_GUARD_LOG: '1' },
      killAfterMs: 45_000,
    });
    const context = describeRun(result);
    expect(result.signal, context).toBeNull();
    expect(result.code, context).toBe(0);
    expect(result.stderr, context).toMatch(/^network guard: refused a connect to 10\.255\.255\.1$/m);
    expect(result.stderr, context).toMatch(/^network guard: refused a lookup of example\.invalid$/m);
    const r = parseJsonReport<Report>(result).results[0]!;
    expect(r).toMatchObject({ requests: 3, ok: 1, failed: 2 });
    expect(r.errors).toMatchObject({ connect: 1, dns: 1, timeout: 0 });
    expect(server.count('guard=1')).toBe(1);
  });
});
