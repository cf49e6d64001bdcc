/** The built CLI names the cause of every failure: in the JSON, under the table, and for an ignored proxy. */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { assertBuilt, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { expectOk, parseJsonReport } from '../helpers/expectations.js';
import { expectValidReport } from '../helpers/schema.js';

const servers: Server[] = [];
const sockets = new Set<Socket>();
const url: Record<string, string> = {};

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function raw(response: string): Server {
  return createServer((socket) => socket.on('data', () => socket.write(response)));
}

beforeAll(async () => {
  assertBuilt();
  const plain = await listen(createHttpServer((req, res) => {
    res.statusCode = 503;
    res.end('busy');
  }));
  url.http5xx = `http://127.0.0.1:${plain}/busy`;
  url.tls = `https://127.0.0.1:${plain}/secure`;
  url.malformed = `http://127.0.0.1:${await listen(raw('ICY 200 OK\r\n\r\n'))}/stream`;
  url.overflow = `http://127.0.0.1:${await listen(raw(`HTTP/1.1 200 OK\r\nSet-Cookie: ${'c'.repeat(40_000)}\r\nContent-Length: 0\r\n\r\n`))}/big`;
  const closed = createServer();
  const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as AddressInfo).port)));
  await new Promise((resolve) => closed.close(resolve));
  url.connect = `http://127.0.0.1:${port}/refused`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  cleanupCli();
});

describe('every failure says why', () => {
  test('each failing class carries an example message in the JSON, and --details samples carry theirs', async () => {
    const urls = [url.connect!, url.tls!, url.http5xx!, url.malformed!, url.overflow!];
    const result = await run([...urls, '-s', 'sequential,bounded', '-c', '2', '--json', '--details', '--timeout', '5000']);
    expectOk(result);
    const doc = parseJsonReport<Report>(result);
    expectValidReport(doc);
    for (const r of doc.results) {
      expect(r.errors, describeRun(result)).toMatchObject({ connect: 1, tls: 1, http5xx: 1, protocol: 2, other: 0 });
      const examples = r.errorExamples;
      expect(examples.connect).toEqual([{ message: `ECONNREFUSED: connect ECONNREFUSED ${new URL(url.connect!).host}`, count: 1 }]);
      expect(examples.tls).toHaveLength(1);
      expect(examples.tls![0]!.message).toMatch(/wrong version number|packet length too long/);
      expect(examples.http5xx).toEqual([{ message: '503 Service Unavailable', count: 1 }]);
      expect(examples.protocol!.map((e) => e.count)).toEqual([1, 1]);
      expect(examples.protocol!.map((e) => e.message).join(' | ')).toMatch(/HTTP\/1\.1 protocol.*\|.*OVERFLOW|OVERFLOW.*\|.*HTTP\/1\.1 protocol/);
      expect(Object.keys(examples).sort()).toEqual(['connect', 'http5xx', 'protocol', 'tls']);
      const messages = (r.samples ?? []).map((s) => [s.error, s.message == null ? null : s.message.slice(0, 12)]);
      expect(messages).toEqual([
        ['connect', 'ECONNREFUSED'],
        ['tls', expect.any(String)],
        ['http5xx', '503 Service '],
        ['protocol', expect.any(String)],
        ['protocol', expect.any(String)],
      ]);
    }
  });

  test('the table says the most common cause of each failing class and what to do', async () => {
    const result = await run([url.connect!, url.connect!, url.tls!, '-s', 'sequential', '--no-color']);
    expectOk(result);
    const lines = result.stdout.split('\n');
    expect(lines, describeRun(result)).toContain(`connect: 2 × ECONNREFUSED: connect ECONNREFUSED ${new URL(url.connect!).host} (nothing listens at ${new URL(url.connect!).host})`);
    expect(lines.find((l) => l.startsWith('tls: 1 × '))).toMatch(/\(the server speaks plain http\? try an http:\/\/ URL\)$/);
  });

  test('a set HTTPS_PROXY is used: the heading names it (no credentials), an unreachable proxy gets its own hint; NO_PROXY goes around it', async () => {
    const target = url.connect!.replace('http:', 'https:');
    const env = { HTTPS_PROXY: 'http://user:hunter2@127.0.0.1:9' };
    const result = await run([target, target, '-s', 'sequential,all', '--no-color'], { env });
    expectOk(result);
    expect(result.stdout, describeRun(result)).toMatch(/ · via proxy 127\.0\.0\.1:9 · /);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
    expect(result.stderr).toMatch(/^hint: requests go via proxy 127\.0\.0\.1:9 \(HTTPS_PROXY\) and no request got through it: .*--no-proxy$/m);

    const covered = await run([target, '-s', 'sequential', '--no-color'], { env: { ...env, NO_PROXY: '127.0.0.1' } });
    expectOk(covered);
    expect(covered.stdout).not.toMatch(/via proxy/);
    expect(covered.stderr).not.toMatch(/proxy/i);
  });
});
