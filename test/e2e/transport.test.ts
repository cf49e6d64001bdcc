/**
 * The transport options through the built CLI: --no-keep-alive (a socket per request),
 * compression (decodedBytes, the sample line with a user's Accept-Encoding), TLS trust (-k,
 * --cacert against an https server made here from test/fixtures/tls), --proxy, and the checks
 * made before any request (exit 2).
 *
 * The runs are the built CLI's main() in this process (runBuiltInProcess), but one: the run trusted through --cacert spawns the built CLI, so a real
 * process reads the CA file and verifies the server's certificate with it.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { assertBuilt, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { expectOk, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { expectValidReport } from '../helpers/schema.js';

const TLS_DIR = new URL('../fixtures/tls/', import.meta.url);
const CA_FILE = fileURLToPath(new URL('ca.pem', TLS_DIR));
const BODY = gzipSync(Buffer.from(JSON.stringify({ hello: 'world'.repeat(200) })));

let server: Server;
let httpsUrl: string;

beforeAll(async () => {
  assertBuilt();
  server = createHttpsServer({ cert: readFileSync(new URL('server.pem', TLS_DIR)), key: readFileSync(new URL('server-key.pem', TLS_DIR)) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(BODY.length) });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  httpsUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/gz`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  cleanupCli();
});

describe('sessions', () => {
  test('--no-keep-alive: every request opens its own connection (sockets equal requests)', async () => {
    const args = ['jsonplaceholder', '--offline', '--latency', '0', '-n', '8', '-s', 'sequential,bounded', '-c', '2', '--seed', '1', '--json'];
    const kept = await runBuiltInProcess(args);
    const fresh = await runBuiltInProcess([...args, '--no-keep-alive']);
    const keptDoc = parseJsonReport<Report>(kept);
    const freshDoc = parseJsonReport<Report>(fresh);
    expectValidReport(freshDoc);
    expect(keptDoc.results.map((r) => r.pool?.opened)).toEqual([1, 2]);
    expect(freshDoc.results.map((r) => r.pool?.opened), describeRun(fresh)).toEqual([8, 8]);
    expect(freshDoc.config.transport).toEqual({ protocol: 'h1', proxy: 'none', compression: true, keepAlive: false, insecure: false, cacert: null });
  });
});

describe('TLS', () => {
  test('an untrusted certificate fails as tls with the fix; -k passes (the heading warns); --cacert passes; wire and decoded bytes are told apart', async () => {
    const [untrusted, insecure, trusted] = await Promise.all([
      runBuiltInProcess([httpsUrl, '-s', 'sequential', '--no-color']),
      runBuiltInProcess([httpsUrl, '-s', 'sequential', '--no-color', '-k']),
      run([httpsUrl, httpsUrl, '-s', 'sequential', '--cacert', CA_FILE, '--json']),
    ]);
    expectOk(untrusted);
    expect(untrusted.stdout, describeRun(untrusted)).toMatch(/^tls: 1 × .*\(the certificate is not trusted here: trust its CA with --cacert ca\.pem, or skip the check with -k\)$/m);
    expectOk(insecure);
    expect(insecure.stdout, describeRun(insecure)).toContain('certificates not verified (--insecure)');
    expect(insecure.stdout).not.toMatch(/^tls:/m);
    const doc = parseJsonReport<Report>(trusted);
    expectValidReport(doc);
    const [result] = doc.results;
    expect(result?.ok, describeRun(trusted)).toBe(2);
    expect(result?.bytes).toBe(2 * BODY.length);
    expect(result?.decodedBytes).toBeGreaterThan(5 * result!.bytes);
    expect(doc.config.transport.cacert).toBe(CA_FILE);
  });

  test('--cacert that cannot be read, or holds no PEM certificate, is exit 2 before any request', async () => {
    const [missing, notPem] = await Promise.all([
      runBuiltInProcess([httpsUrl, '--cacert', '/nonexistent/ca.pem']),
      runBuiltInProcess([httpsUrl, '--cacert', fileURLToPath(new URL('README.md', TLS_DIR))]),
    ]);
    expect(missing.code, describeRun(missing)).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --cacert '\/nonexistent\/ca\.pem' \(ENOENT\)/);
    expect(notPem.code, describeRun(notPem)).toBe(2);
    expect(notPem.stderr).toMatch(/holds no PEM certificate/);
    expect(missing.stdout + notPem.stdout).toBe('');
  });
});

describe('proxy options', () => {
  test('--proxy must be an http(s) URL; a proxy variable that is not one is exit 2 unless --no-proxy', async () => {
    const [bad, badEnv, ignored] = await Promise.all([
      runBuiltInProcess([httpsUrl, '--proxy', 'socks://x:1']),
      runBuiltInProcess([httpsUrl, '-k', '-s', 'sequential'], { env: { HTTPS_PROXY: 'not a url' } }),
      runBuiltInProcess([httpsUrl, '-k', '-s', 'sequential', '--no-proxy', '--json'], { env: { HTTPS_PROXY: 'not a url' } }),
    ]);
    expect(bad.code, describeRun(bad)).toBe(2);
    expect(bad.stderr).toMatch(/--proxy must be an http:\/\/ or https:\/\/ URL/);
    expect(badEnv.code, describeRun(badEnv)).toBe(2);
    expect(badEnv.stderr).toMatch(/HTTPS_PROXY is not an http\(s\) proxy URL/);
    const doc = parseJsonReport<Report>(ignored);
    expect(doc.results[0]?.ok, describeRun(ignored)).toBe(1);
    expect(doc.config.transport.proxy).toBe('none');
  });
});
