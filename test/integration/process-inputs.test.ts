/**
 * The process's inputs and outputs at their edges, in process: reads that a signal ends (a FIFO
 * no one writes, a stream that never ends), inputs that cannot be text, output paths probed by
 * opening them, and the exit code of each stop signal.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { checkReportPath, planOutputs } from '../../src/cli/outputs.js';
import { UsageError } from '../../src/core/errors.js';
import { readBaseline } from '../../src/run/baseline-file.js';
import { signalExitCode, STOP_SIGNALS } from '../../src/run/interrupt.js';
import { readUrlFile, readUrlLines } from '../../src/targets/url-list.js';
import { usageMessage } from '../helpers/expectations.js';

const dir = mkdtempSync(join(tmpdir(), 'async-bench-process-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mkfifo(name: string): string {
  const path = join(dir, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
}

/** Aborts `controller` on the next turn of the loop, once the read has surely started. */
const abortSoon = (controller: AbortController): void => void setImmediate(() => controller.abort());

describe('stop signals', () => {
  it('exit 128 + the signal number: 130, 143, 129', () => {
    expect(STOP_SIGNALS.map(signalExitCode)).toEqual([130, 143, 129]);
  });
});

describe('reads that a signal ends', () => {
  it('readUrlFile on a FIFO no one writes rejects with an AbortError, not a usage error', async () => {
    const controller = new AbortController();
    const read = readUrlFile(mkfifo('urls'), undefined, controller.signal);
    abortSoon(controller);
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('readUrlFile on a stdin that stays open rejects with an AbortError', async () => {
    const stdin = new PassThrough();
    stdin.write('https://a.example/1\n');
    const controller = new AbortController();
    const read = readUrlFile('-', stdin, controller.signal);
    abortSoon(controller);
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('readBaseline on a FIFO no one writes rejects with an AbortError', async () => {
    const controller = new AbortController();
    const read = readBaseline(mkfifo('baseline'), undefined, controller.signal);
    abortSoon(controller);
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('an already aborted signal reads nothing at all', async () => {
    const path = join(dir, 'urls.txt');
    writeFileSync(path, 'https://a.example/1\n');
    await expect(readUrlFile(path, undefined, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('without a signal, a FIFO is read to its end like a file', async () => {
    const fifo = mkfifo('urls-written');
    const read = readUrlFile(fifo);
    // The writer's open completes once the reader has opened: a child process plays the writer.
    const writer = spawn('sh', ['-c', `printf 'https://a.example/1\\n# c\\nhttps://b.example/2\\n' > '${fifo}'`]);
    const status = new Promise((resolve) => writer.once('close', resolve));
    expect(await read).toEqual(['https://a.example/1', 'https://b.example/2']);
    expect(await status).toBe(0);
  });
});

describe('inputs that cannot be text', () => {
  it('a line that never ends is judged as it comes: binary bytes fail at the first chunk', async () => {
    let served = 0;
    // An endless stream of NUL bytes with no newline, like /dev/zero.
    const zeros = new Readable({
      read() {
        served++;
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    await expect(readUrlLines(zeros, 'zeros')).rejects.toThrow(/^zeros:1 is not a line of text/);
    expect(served).toBeLessThan(5);
    zeros.destroy();
  });

  it('the line number counts the lines before the endless one; a comment line may hold anything', async () => {
    await expect(readUrlLines(Readable.from(['https://a.example/1\n# \u0000 comment\n', '\u0000\u0000']), 'f')).rejects.toThrow(/^f:3 is not a line of text/);
  });

  it('--baseline /dev/zero is refused as not JSON', async () => {
    await expect(readBaseline('/dev/zero', undefined)).rejects.toThrow(/--baseline '\/dev\/zero' is not JSON \(it contains NUL bytes\)/);
  });
});

describe('output paths are probed by opening them', () => {
  it('a path under /proc or /sys is refused (root too), naming the option and the cause', () => {
    expect(usageMessage(() => planOutputs(false, 'json', '/proc/async-bench.json'))).toBe("cannot write -o '/proc/async-bench.json': no such file or directory (ENOENT)");
    expect(usageMessage(() => checkReportPath('/proc/async-bench.html', { stdout: 'table', file: null }))).toMatch(/^cannot write --report '\/proc\/async-bench.html': /);
    expect(() => planOutputs(false, 'json', '/sys/async-bench.json')).toThrow(UsageError);
  });

  it('/dev/full opens: its failure only shows when written', () => {
    expect(planOutputs(false, 'json', '/dev/full')).toEqual({ stdout: 'table', file: { path: '/dev/full', format: 'json' } });
  });

  it('a new file is created and removed again; an existing one keeps its content', () => {
    const fresh = join(dir, 'fresh.json');
    const kept = join(dir, 'kept.json');
    writeFileSync(kept, 'old');
    planOutputs(false, undefined, fresh);
    planOutputs(false, undefined, kept);
    expect(existsSync(fresh)).toBe(false);
    expect(readFileSync(kept, 'utf8')).toBe('old');
  });

  it('a FIFO no one reads yet is accepted without blocking', () => {
    const fifo = mkfifo('out.json');
    expect(planOutputs(false, 'json', fifo).file).toEqual({ path: fifo, format: 'json' });
  });
});
