/**
 * schema/result.schema.json against real documents of the built CLI (a plain run, repeated runs
 * with thresholds, a sweep, tmdb's setup stage, faults, a baseline, an interrupted run), and
 * against broken ones: a renamed field and a wrong type must fail, with every error listed.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanupCli, describeRun, run, type RunResult } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { expectValidReport, schemaErrors } from '../helpers/schema.js';

type Doc = Record<string, unknown> & { results: Array<Record<string, unknown>>; config: Record<string, unknown> };

const BASE = ['--offline', '--latency', '20', '--seed', '1', '--json'];
const CASES: Record<string, { args: string[]; code: number }> = {
  plain: { args: ['pokemon', '-n', '6', ...BASE], code: 0 },
  'runs 3 with thresholds': { args: ['pokemon', '-n', '6', '--runs', '3', '--min-speedup', '1000', '--threshold', 'bounded.p95<5000', ...BASE], code: 1 },
  'sweep -c 1,2,4': { args: ['jsonplaceholder', '-n', '8', '-c', '1,2,4', ...BASE], code: 0 },
  'tmdb --offline (setup stage)': { args: ['tmdb', '-n', '4', '--language', 'de-DE', ...BASE], code: 0 },
  'fixture-server faults': { args: ['pokemon', '-n', '10', '--error-rate', '0.5', '--max-inflight', '3', ...BASE], code: 0 },
};

const docs = new Map<string, Doc>();
let dir: string;
let server: TestServer | undefined;

async function generate(args: string[], code: number, onSpawn?: (child: ChildProcess) => void): Promise<Doc> {
  const result: RunResult = await run(args, { killAfterMs: 25_000, ...(onSpawn ? { onSpawn } : {}) });
  expect(result.code, describeRun(result)).toBe(code);
  return JSON.parse(result.stdout) as Doc;
}

/**
 * Ctrl-C once sequential has its second request (one that never answers) in flight: a partial
 * document with a partial result, whatever the machine's load (no timer to race).
 */
async function interruptedRun(): Promise<Doc> {
  server = await startTestServer();
  const urls = [`${server.url}/ok`, `${server.url}/hang?i=1`, `${server.url}/hang?i=2`];
  const s = server;
  return generate([...urls, '-s', 'sequential', '--json'], 130, (child) => {
    const poll = setInterval(() => {
      if (s.stats.log.some((r) => r.path.startsWith('/hang'))) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 10);
    child.once('exit', () => clearInterval(poll));
  });
}

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'async-bench-schema-'));
  await Promise.all([
    ...Object.entries(CASES).map(async ([name, c]) => {
      docs.set(name, await generate(c.args, c.code));
    }),
    interruptedRun().then((d) => docs.set('partial (SIGINT)', d)),
  ]);
  // A run compared with a saved one (the plain run): the baseline block.
  const saved = join(dir, 'saved.json');
  writeFileSync(saved, JSON.stringify(docs.get('plain')));
  docs.set('baseline', await generate(['pokemon', '-n', '6', '--baseline', saved, '--max-regression', '1000', ...BASE], 0));
}, 90_000);

afterAll(async () => {
  cleanupCli();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await server?.close();
});

const doc = (name: string): Doc => {
  const d = docs.get(name);
  if (!d) throw new Error(`no document for ${name}`);
  return d;
};
const clone = (d: Doc): Doc => structuredClone(d);

describe('schema/result.schema.json accepts what the CLI prints', () => {
  it.each([...Object.keys(CASES), 'partial (SIGINT)', 'baseline'])('%s', (name) => {
    expectValidReport(doc(name));
  });

  it('a run over h1 and h2 (--protocol h1,h2): versions per result, streams, what was negotiated, keys with the version', () => {
    // The shape main() prints (test/e2e/http2.test.ts validates a real one), made from the plain document.
    const d = clone(doc('plain'));
    const h2 = d.results.map((r) => ({ ...structuredClone(r), protocol: 'h2', pool: { opened: 1, peak: 1, staleRetries: 0, peakStreams: 3, h2: 1 } }));
    d.results = [...d.results.map((r) => ({ ...r, protocol: 'h1' })), ...h2];
    d.config.transport = { ...(d.config.transport as object), protocol: 'h1,h2', negotiated: { h1: ['h1'], h2: ['h2'] } };
    (d.fingerprint as Record<string, unknown>).protocol = 'h1,h2';
    d.thresholds = [{ expr: 'all.p95<300', strategy: 'all/h2', actual: 12, pass: true }];
    expectValidReport(d);
  });

  it('the documents exercise the optional parts of the schema', () => {
    expect(doc('plain')).not.toHaveProperty('thresholds');
    expect(doc('runs 3 with thresholds').thresholds).toEqual(expect.arrayContaining([expect.objectContaining({ pass: false })]));
    expect(doc('sweep -c 1,2,4').recommendation).toMatchObject({ concurrency: expect.any(Number) });
    expect(doc('sweep -c 1,2,4').results.map((r) => r.concurrency)).toEqual([1, null, 1, 2, 4]);
    expect(doc('tmdb --offline (setup stage)').setup).toMatchObject({ name: expect.any(String) });
    expect(doc('tmdb --offline (setup stage)').config.language).toBe('de-DE');
    expect(doc('fixture-server faults').config.faults).toMatchObject({ errorRate: 0.5, maxInflight: 3 });
    expect(doc('baseline').baseline).toMatchObject({ maxRegressionPct: 1000 });
    expect(doc('partial (SIGINT)').partial).toBe(true);
    expect(doc('partial (SIGINT)').results).toEqual([expect.objectContaining({ strategy: 'sequential', partial: true, requests: 2, failed: 1 })]);
  });
});

describe('schema/result.schema.json rejects what the contract does not allow', () => {
  it('a renamed field (top level and in a result), with every error listed', () => {
    const d = clone(doc('plain'));
    const r = d.results[0]!;
    r.wall_ms = r.wallMs;
    delete r.wallMs;
    d.started_at = d.startedAt;
    delete d.startedAt;
    const errors = schemaErrors(d);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/results\/0: must have required property 'wallMs'/),
        expect.stringMatching(/^\/results\/0: must NOT have additional properties .*wall_ms/),
        expect.stringMatching(/^\(root\): must have required property 'startedAt'/),
        expect.stringMatching(/^\(root\): must NOT have additional properties .*started_at/),
      ]),
    );
    expect(() => expectValidReport(d)).toThrow(/does not match schema\/result\.schema\.json \(4 errors\):\n/);
  });

  it('a wrong type', () => {
    const d = clone(doc('plain'));
    d.config.seed = '1';
    d.results[0]!.requests = 6.5;
    expect(schemaErrors(d)).toEqual([
      '/config/seed: must be integer {"type":"integer"}',
      '/results/0/requests: must be integer {"type":"integer"}',
    ]);
    expect(() => expectValidReport(d)).toThrow(/\/config\/seed: must be integer[\s\S]*\/results\/0\/requests: must be integer/);
  });

  it('an unknown strategy or error class, and a concurrency that does not fit the strategy', () => {
    const d = clone(doc('plain'));
    const [sequential, all, bounded] = d.results;
    sequential!.strategy = 'parallel';
    (all!.errors as Record<string, number>).teapot = 0;
    all!.concurrency = 5;
    bounded!.concurrency = null;
    const errors = schemaErrors(d).join('\n');
    expect(errors).toMatch(/\/results\/0\/strategy: must be equal to one of the allowed values/);
    expect(errors).toMatch(/\/results\/1\/errors: must NOT have additional properties \{"additionalProperty":"teapot"\}/);
    expect(errors).toMatch(/\/results\/1\/concurrency: must be null/);
    expect(errors).toMatch(/\/results\/2\/concurrency: must be integer/);
  });

  it('an unknown HTTP version anywhere', () => {
    const d = clone(doc('plain'));
    d.config.transport = { ...(d.config.transport as object), protocol: 'h3', negotiated: { h2: ['h3'] } };
    d.results[0]!.protocol = 'h3';
    const errors = schemaErrors(d).join('\n');
    expect(errors).toMatch(/^\/config\/transport\/protocol: must match pattern/m);
    expect(errors).toMatch(/^\/config\/transport\/negotiated\/h2\/0: must be equal to one of the allowed values/m);
    expect(errors).toMatch(/^\/results\/0\/protocol: must be equal to one of the allowed values/m);
  });

  it('partial other than true, and an unknown verdict', () => {
    const d = clone(doc('plain'));
    d.partial = false;
    d.results[1]!.verdict = 'maybe';
    const errors = schemaErrors(d).join('\n');
    expect(errors).toMatch(/^\/partial: must be equal to constant/m);
    expect(errors).toMatch(/^\/results\/1\/verdict: must be equal to one of the allowed values/m);
  });
});

describe('the schema ships with the package', () => {
  it('is in package.json "files"', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema/');
  });
});
