/**
 * The process at its edges, end to end through the built CLI (issue 12, items 8-11):
 *   - a closed stdout (| head) never changes the exit code the run earns;
 *   - -o and --report paths that cannot be written: exit 2 before the first request, or, when
 *     the write itself fails at the end, the result on stdout and exit 1;
 *   - SIGTERM and SIGHUP stop a run the way Ctrl-C does: partial results, exit 143 and 129;
 *   - a Ctrl-C while input is read (a FIFO that never closes, stdin, --baseline) ends the run.
 * Every server is started here on 127.0.0.1 (port 0). Signals are sent when something happened
 * (the server saw a request, the CLI opened a FIFO), never after a fixed sleep; time bounds are
 * five times what is expected.
 *
 * Runs about the process spawn the built CLI: a closed or full stdout, signals, FIFOs and
 * stdin. The paths that cannot be written and the files refused at once are the built CLI's
 * main() in this process (one at a time).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { assertBuilt, BIN, cleanupCli, cliEnv, describeRun, NODE_ARGS, run, type RunResult } from '../helpers/cli.js';
import { expectCleanStderr, expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';

/** A loopback server: /ok answers at once, /hang never answers (until the server closes). */
interface TestServer {
  url: string;
  /** Requests seen whose URL contains `part`. */
  count(part: string): number;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const seen: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req.url ?? '');
    if (req.url?.startsWith('/hang')) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    res.setHeader('content-type', 'text/plain');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (part) => seen.filter((u) => u.includes(part)).length,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let server: TestServer;
let tmp: string;

beforeAll(async () => {
  assertBuilt();
  server = await startServer();
  tmp = mkdtempSync(join(tmpdir(), 'async-bench-process-'));
});

afterAll(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  cleanupCli();
});

/** `n` URLs of the /ok route, tagged so that this test's requests can be counted apart. */
const okUrls = (tag: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${server.url}/ok?tag=${tag}&i=${i}`);

/** Polls `ready` every 10 ms; once it holds, sends `signal` and records when, and when the CLI exited. */
function signalWhen(ready: (child: ChildProcess) => boolean, signal: NodeJS.Signals): { onSpawn: (child: ChildProcess) => void; times: { sentAt: number; exitAt: number } } {
  const times = { sentAt: Number.NaN, exitAt: Number.NaN };
  return {
    times,
    onSpawn(child) {
      const poll = setInterval(() => {
        if (!ready(child)) return;
        clearInterval(poll);
        times.sentAt = performance.now();
        child.kill(signal);
      }, 10);
      child.once('exit', () => {
        times.exitAt = performance.now();
        clearInterval(poll);
      });
    },
  };
}

/** Whether process `pid` has `path` open (Linux: /proc/<pid>/fd). */
function hasOpen(pid: number | undefined, path: string): boolean {
  if (pid === undefined) return false;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function mkfifo(name: string): string {
  const path = join(tmp, name);
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${made.stderr.toString()}`);
  return path;
}

/** Runs the CLI with a file of the test's own as its stdin or stdout (the CLI helper pipes both). */
async function runWithFile(args: string[], path: string, slot: 'stdin' | 'stdout'): Promise<RunResult> {
  const fd = openSync(path, slot === 'stdin' ? 'r' : 'w');
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      const t0 = performance.now();
      const stdio: Array<'pipe' | 'ignore' | number> = slot === 'stdin' ? [fd, 'pipe', 'pipe'] : ['ignore', fd, 'pipe'];
      const child = spawn(process.execPath, [...NODE_ARGS, BIN, ...args], { cwd: tmp, env: cliEnv(), stdio });
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('error', reject);
      child.once('close', (code, signal) => {
        clearTimeout(killer);
        resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
      });
    });
  } finally {
    closeSync(fd);
  }
}

// -----------------------------------------------------------------------------------------------

describe('a closed stdout (| head) keeps the exit code the run earned', () => {
  // 300 requests a strategy with --details: about 150 KB of JSON, more than a pipe holds, so the
  // CLI is still writing when the reader leaves and its write meets EPIPE.
  const big = (tag: string): string[] => [...okUrls(tag, 300), '--details', '--json', '-q'];

  /** Reads the first chunk of stdout, then closes the pipe, as `| head -c 10` does. */
  const readAFewBytesThenClose = (child: ChildProcess): void => {
    child.stdout!.once('data', () => child.stdout!.destroy());
  };

  test('a failed check (--min-speedup 1000) still exits 1 when the reader leaves after a few bytes', async () => {
    const result = await run([...big('epipe-fail'), '--min-speedup', '1000'], { onSpawn: readAFewBytesThenClose, killAfterMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/check.* failed/);
    expectCleanStderr(result);
    // The reader did leave early: it never got the whole document.
    expect(() => JSON.parse(result.stdout)).toThrow();
  }, 90_000);

  test('a passing run exits 0 when the reader leaves after a few bytes', async () => {
    const result = await run(big('epipe-pass'), { onSpawn: readAFewBytesThenClose, killAfterMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(0);
    expectCleanStderr(result);
    expect(() => JSON.parse(result.stdout)).toThrow();
  }, 90_000);

  test('--fail-on-error with a stdout closed before the first byte exits 1 (the table output)', async () => {
    const result = await run([`${server.url}/ok?tag=epipe-foe`, 'http://127.0.0.1:1/refused', '--fail-on-error', '-s', 'sequential'], { closeStdout: true, killAfterMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/--fail-on-error: 1 request failed/);
    expectCleanStderr(result);
  });

  test('a reader that left before the run wrote anything (2>&1 | head): the warning that meets EPIPE mid-run does not end the run; a failed check still exits 1', async () => {
    // Over 5,000 URLs, `all` warns on stderr before it starts: that write is the one that meets
    // the closed pipe, long before the exit code is decided.
    const path = join(tmp, 'urls-5001.txt');
    writeFileSync(path, okUrls('epipe-early', 5_001).join('\n') + '\n');
    const result = await run(['--file', path, '-s', 'all', '--threshold', 'all.reqPerSec>1000000000'], {
      closeStdout: true,
      onSpawn: (child) => child.stderr!.destroy(),
      killAfterMs: 60_000,
    });
    expect(result.code, describeRun(result)).toBe(1);
    expect(server.count('tag=epipe-early')).toBe(5_001);
  }, 90_000);

  test('interrupted with a closed stdout: still 130', async () => {
    const tag = 'epipe-sigint';
    const { onSpawn } = signalWhen(() => server.count(`/hang?tag=${tag}`) >= 1, 'SIGINT');
    const result = await run([`${server.url}/hang?tag=${tag}`, '--json', '--timeout', '30000'], { closeStdout: true, onSpawn, killAfterMs: 20_000 });
    expect(result.code, describeRun(result)).toBe(130);
    expectCleanStderr(result);
  });

  test('stdout on a full disk (/dev/full): one line on stderr and exit 1, not a crash', async () => {
    const result = await runWithFile([...okUrls('devfull-stdout', 2), '--json'], '/dev/full', 'stdout');
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toBe('async-bench: cannot write to stdout: ENOSPC\n');
  });
});

// -----------------------------------------------------------------------------------------------

describe('-o and --report paths that cannot be written', () => {
  // Tests run as root: permission bits stop nothing, so the paths are ones that stop root too.
  const aFile = (): string => {
    const path = join(tmp, 'a-regular-file');
    writeFileSync(path, 'x');
    return path;
  };

  test.each([
    ['-o under /proc', (): string[] => ['-o', '/proc/async-bench-result.json'], /cannot write -o '\/proc\/async-bench-result.json': no such file or directory \(ENOENT\)/],
    ['--report under /proc', (): string[] => ['--report', '/proc/async-bench-report.html'], /cannot write --report '\/proc\/async-bench-report.html': no such file or directory/],
    ['-o under a regular file', (): string[] => ['-o', join(aFile(), 'result.json')], /cannot write -o '.*a-regular-file\/result.json': no directory/],
    ['--report under a regular file', (): string[] => ['--report', join(aFile(), 'report.html')], /cannot write --report '.*a-regular-file\/report.html': no directory/],
    ['-o into /sys (read-only for root too)', (): string[] => ['--format', 'json', '-o', '/sys/async-bench-result'], /cannot write -o '\/sys\/async-bench-result': /],
  ])('%s: exit 2 with one line, before the first request', async (label, args, message) => {
    const tag = `unwritable-${label.replace(/\W+/g, '-')}`;
    const result = await runBuiltInProcess([...okUrls(tag, 2), ...args()]);
    expectUsageError(result, message);
    expect(server.count(`tag=${tag}`)).toBe(0);
  });

  test.each([
    ['-o', ['--format', 'json', '-o', '/dev/full']],
    ['--report', ['--report', '/dev/full']],
  ])('%s /dev/full: the write fails at the end (ENOSPC): the result is on stdout anyway, one line names the path, exit 1', async (option, args) => {
    const result = await runBuiltInProcess([...okUrls(`devfull-${option}`, 3), '--json', '-q', ...args]);
    expect(result.code, describeRun(result)).toBe(1);
    const doc = parseJsonReport<Report>(result);
    expect(doc.results.length).toBe(3);
    expect(result.stderr).toBe(`async-bench: cannot write ${option} '/dev/full': no space left on device (ENOSPC)\n`);
  });

  test('a writable -o is checked without a trace: a new file is not left behind when the run stops at a usage error, an existing one keeps its content', async () => {
    const fresh = join(tmp, 'fresh.json');
    const kept = join(tmp, 'kept.json');
    writeFileSync(kept, 'old content');
    expectUsageError(await runBuiltInProcess([...okUrls('probe', 1), '-o', fresh, '--threshold', 'nonsense']), /threshold/);
    expectUsageError(await runBuiltInProcess([...okUrls('probe', 1), '-o', kept, '--threshold', 'nonsense']), /threshold/);
    expect(existsSync(fresh)).toBe(false);
    expect(readFileSync(kept, 'utf8')).toBe('old content');
    expect(server.count('tag=probe')).toBe(0);
  });
});

// -----------------------------------------------------------------------------------------------

describe('SIGTERM and SIGHUP stop a run the way Ctrl-C does', () => {
  /** One /ok, then three requests that hang: with -s all, four in flight when the signal comes. */
  const urls = (tag: string): string[] => [`${server.url}/ok?tag=${tag}`, ...[1, 2, 3].map((i) => `${server.url}/hang?tag=${tag}&i=${i}`)];

  test.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s once the server saw the hanging requests: valid partial JSON, exit %i within 5 s', async (signal, code) => {
    const tag = `stop-${signal}`;
    const { onSpawn, times } = signalWhen(() => server.count(`/hang?tag=${tag}`) >= 3, signal);
    const result = await run([...urls(tag), '-s', 'all', '--timeout', '30000', '--json'], { onSpawn, killAfterMs: 20_000 });
    const context = describeRun(result);
    expect(result.code, context).toBe(code);
    expect(result.signal, context).toBeNull();
    expect(times.exitAt - times.sentAt, context).toBeLessThan(5_000);
    expectCleanStderr(result);
    const doc = parseJsonReport<Report>(result);
    expect(doc.partial).toBe(true);
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ strategy: 'all', partial: true, requests: 4, ok: 1, failed: 3 });
    expect(doc.results[0]!.errors.aborted).toBe(3);
  });

  test('SIGTERM with the table output: the partial table is printed, exit 143', async () => {
    const tag = 'stop-table';
    const { onSpawn } = signalWhen(() => server.count(`/hang?tag=${tag}`) >= 1, 'SIGTERM');
    const result = await run([...urls(tag), '-s', 'sequential', '--timeout', '30000', '--no-color'], { onSpawn, killAfterMs: 20_000 });
    expect(result.code, describeRun(result)).toBe(143);
    expect(result.stdout).toMatch(/sequential[^\n]*\(partial\)/);
    expectCleanStderr(result);
  });

  test('a second signal leaves at once with its own code (SIGINT, then SIGTERM: 143) within 5 s', async () => {
    // Two signals sent back to back may be handled in either order (the kernel can hand them to
    // different threads of the process), and then SIGINT is the second: 130. So up to five tries,
    // each of which must leave within 5 s with one of the two codes, until SIGTERM comes second.
    const codes: Array<number | string | null> = [];
    for (let attempt = 0; attempt < 5 && !codes.includes(143) && !codes.includes('SIGTERM'); attempt++) {
      const tag = `stop-twice-${attempt}`;
      const times = { sentAt: Number.NaN, exitAt: Number.NaN };
      const result = await run([...urls(tag), '-s', 'all', '--timeout', '30000', '--json'], {
        onSpawn: (child) => {
          const poll = setInterval(() => {
            if (server.count(`/hang?tag=${tag}`) < 3) return;
            clearInterval(poll);
            times.sentAt = performance.now();
            child.kill('SIGINT');
            child.kill('SIGTERM');
          }, 10);
          child.once('exit', () => {
            times.exitAt = performance.now();
            clearInterval(poll);
          });
        },
        killAfterMs: 20_000,
      });
      const context = describeRun(result);
      // 143 from the tool, or SIGTERM's own default action once the tool has let go of it.
      codes.push(result.signal ?? result.code);
      expect([130, 143, 'SIGTERM'], context).toContain(result.signal ?? result.code);
      expect(times.exitAt - times.sentAt, context).toBeLessThan(5_000);
      expectCleanStderr(result);
    }
    expect(codes.some((code) => code === 143 || code === 'SIGTERM'), `exits: ${codes.join(', ')}`).toBe(true);
  });
});

// -----------------------------------------------------------------------------------------------

describe('Ctrl-C while input is read', () => {
  test('--file FIFO that no one ever writes: exit 130 within 5 s, valid partial JSON with no results', async () => {
    const fifo = mkfifo('urls-never-written');
    let pid: number | undefined;
    const { onSpawn, times } = signalWhen(() => hasOpen(pid, fifo), 'SIGINT');
    const result = await run(['--file', fifo, '--json'], {
      onSpawn: (child) => {
        pid = child.pid;
        onSpawn(child);
      },
      killAfterMs: 20_000,
    });
    const context = describeRun(result);
    expect(result.code, context).toBe(130);
    expect(times.exitAt - times.sentAt, context).toBeLessThan(5_000);
    expectCleanStderr(result);
    const doc = parseJsonReport<Report>(result);
    expect(doc.partial).toBe(true);
    expect(doc.results).toEqual([]);
  });

  test('--file FIFO whose writer sent a URL and stays open: exit 130 within 5 s, no request sent', async () => {
    const fifo = mkfifo('urls-open-writer');
    let writer: FileHandle | undefined;
    let wrote = false;
    const { onSpawn, times } = signalWhen(() => wrote, 'SIGINT');
    try {
      const result = await run(['--file', fifo, '--no-color'], {
        onSpawn: (child) => {
          onSpawn(child);
          // Opening the write end completes once the CLI has opened the read end.
          void openFile(fifo, 'w').then(async (handle) => {
            writer = handle;
            await handle.write(`${server.url}/ok?tag=fifo-writer\n`);
            wrote = true;
          });
        },
        killAfterMs: 20_000,
      });
      expect(result.code, describeRun(result)).toBe(130);
      expect(times.exitAt - times.sentAt).toBeLessThan(5_000);
      expect(result.stdout).toMatch(/interrupted before any strategy started/);
      expectCleanStderr(result);
      expect(server.count('tag=fifo-writer')).toBe(0);
    } finally {
      await writer?.close();
    }
  });

  test('--baseline FIFO that no one writes: exit 130 within 5 s, valid partial JSON, no request sent', async () => {
    const fifo = mkfifo('baseline-never-written');
    let pid: number | undefined;
    const { onSpawn, times } = signalWhen(() => hasOpen(pid, fifo), 'SIGINT');
    const result = await run([`${server.url}/ok?tag=fifo-baseline`, '--baseline', fifo, '--json'], {
      onSpawn: (child) => {
        pid = child.pid;
        onSpawn(child);
      },
      killAfterMs: 20_000,
    });
    expect(result.code, describeRun(result)).toBe(130);
    expect(times.exitAt - times.sentAt).toBeLessThan(5_000);
    expectCleanStderr(result);
    const doc = parseJsonReport<Report>(result);
    expect(doc.partial).toBe(true);
    expect(doc.results).toEqual([]);
    expect(server.count('tag=fifo-baseline')).toBe(0);
  });

  test('--file - with a stdin that stays open: exit 130 within 5 s once the CLI is reading', async () => {
    let readingStdin = false;
    const { onSpawn, times } = signalWhen(() => readingStdin, 'SIGINT');
    const result = await run(['--file', '-', '--json'], {
      holdStdin: true,
      onSpawn: (child) => {
        onSpawn(child);
        // 256 KB of comment lines: more than a pipe holds, so the write completes only once the
        // CLI has read most of it.
        child.stdin!.write('# a comment line that the URL list skips, sixty-four bytes long\n'.repeat(4096), () => {
          readingStdin = true;
        });
      },
      killAfterMs: 20_000,
    });
    expect(result.code, describeRun(result)).toBe(130);
    expect(times.exitAt - times.sentAt).toBeLessThan(5_000);
    expectCleanStderr(result);
    expect(parseJsonReport<Report>(result).partial).toBe(true);
  });

  test.each([
    ['--file /dev/zero', (): string[] => ['--file', '/dev/zero'], /\/dev\/zero:1 is not a line of text/],
    ['--baseline /dev/zero', (): string[] => [`${server.url}/ok?tag=zero-baseline`, '--baseline', '/dev/zero'], /--baseline '\/dev\/zero' is not JSON \(it contains NUL bytes\)/],
  ])('%s is refused at once (exit 2, one line), without reading on', async (_label, args, message) => {
    const result = await runBuiltInProcess(args());
    expectUsageError(result, message);
    expect(result.ms).toBeLessThan(10_000);
  });

  test('stdin from /dev/zero (--file -) is refused at once too', async () => {
    const result = await runWithFile(['--file', '-'], '/dev/zero', 'stdin');
    expectUsageError(result, /stdin:1 is not a line of text/);
    expect(result.ms).toBeLessThan(10_000);
  });
});
