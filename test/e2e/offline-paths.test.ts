/**
 * Paths of the built-in server as targets (`async-bench /posts --offline`), run in process:
 * the list in one request, and the two usage errors (a path without --offline, a URL with it).
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { expectOk, expectUsageError, parseJsonReport } from '../helpers/expectations.js';
import { runBuiltInProcess } from '../helpers/in-process.js';

describe('a path with --offline', () => {
  it('/posts --offline -n 1: one request for the whole list, from the built-in server', async () => {
    const result = await runBuiltInProcess(['/posts', '--offline', '-n', '1', '-s', 'sequential', '--latency', '0', '--json']);
    expectOk(result);
    const doc = parseJsonReport<Report>(result);
    expect(doc.config).toMatchObject({ target: 'urls', offline: true, latency: '0' });
    const [seq] = doc.results;
    expect(seq).toMatchObject({ strategy: 'sequential', requests: 1, ok: 1, failed: 0 });
    expect(seq!.decodedBytes).toBeGreaterThan(20_000);
  });

  it('a path without --offline is a usage error naming --offline, before any request', async () => {
    expectUsageError(await runBuiltInProcess(['/posts', '-n', '1']), /^async-bench: a path \('\/posts'\) is a route of the built-in server: add --offline, or give a full http\(s\) URL\n$/);
  });

  it('a URL with --offline stays refused', async () => {
    expectUsageError(await runBuiltInProcess(['http://127.0.0.1:9/posts', '--offline']), /--offline serves a preset, or paths such as \/posts, from the built-in server; it does not apply to URLs/);
  });
});
