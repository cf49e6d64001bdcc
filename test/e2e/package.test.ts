/**
 * The package as a user installs it: `npm pack` once, the tarball unpacked into a temporary
 * project's node_modules, its dependencies linked from this repository's node_modules (no
 * network; a dependency missing from package.json would not resolve). There, a script imports
 * `async-bench` and `async-bench/schema.json` and runs benchmark() against the loopback test
 * server, the bin still answers, and a TypeScript file using the API passes `tsc --noEmit`
 * against the declaration files in the tarball (skipLibCheck, for speed: the declarations were
 * checked when tsc wrote them; the file's expected errors show that no type came out as any).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Report } from '../../src/index.js';
import { assertBuilt, NETWORK_GUARD, PACKAGE_VERSION, ROOT } from '../helpers/cli.js';
import { expectValidReport } from '../helpers/schema.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const run = promisify(execFile);
const SLOW = { timeout: 60_000 };

let dir: string;
let project: string;
let server: TestServer;

beforeAll(async () => {
  assertBuilt();
  if (!existsSync(join(ROOT, 'dist/index.d.ts'))) throw new Error('dist/index.d.ts is missing: `npm run build` writes the declaration files');
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'async-bench-pack-'));
  project = join(dir, 'project');
  // --ignore-scripts: packing must not rebuild dist/ under the other test files' feet.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  await run('tar', ['-xzf', join(dir, filename), '-C', join(project, 'node_modules')]);
  renameSync(join(project, 'node_modules/package'), join(project, 'node_modules/async-bench'));
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/async-bench/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  // What npm would install: the package's dependencies (and, for the type check, Node's types).
  for (const name of [...Object.keys(manifest.dependencies), '@types/node', 'typescript']) {
    const link = join(project, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-async-bench', private: true, type: 'module' }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('the tarball ships the built code, its declarations, the schema and the bin, and no tests', () => {
  const pkg = join(project, 'node_modules/async-bench');
  for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/api/benchmark.d.ts', 'schema/result.schema.json', 'bin/async-bench.js']) expect(existsSync(join(pkg, file)), file).toBe(true);
  expect(existsSync(join(pkg, 'test'))).toBe(false);
  expect(existsSync(join(pkg, 'src'))).toBe(false);
});

test('import { benchmark } from "async-bench" runs against a loopback server; the schema imports; bad input is a UsageError; only the exports are reachable', SLOW, async () => {
  writeFileSync(
    join(project, 'main.mjs'),
    `import { benchmark, toMarkdown, UsageError } from 'async-bench';
import schema from 'async-bench/schema.json' with { type: 'json' };
const base = process.argv[2];
const events = [];
const report = await benchmark([base + '/ok?case=pack&i=1', base + '/ok?case=pack&i=2'], { strategies: ['sequential', 'all'], onProgress: (e) => events.push(e.type) });
const usage = await benchmark('pokemon', { count: 0 }).catch((e) => ({ usageError: e instanceof UsageError, name: e.name, message: e.message }));
const deep = await import('async-bench/dist/cli/main.js').then(() => 'imported', (e) => e.code);
process.stdout.write(JSON.stringify({ report, markdown: toMarkdown(report), schemaId: schema.$id, usage, events: events.length, deep }));
`,
  );
  const { stdout, stderr } = await run(process.execPath, ['--import', NETWORK_GUARD, 'main.mjs', server.url], { cwd: project });
  expect(stderr).toBe('');
  const out = JSON.parse(stdout) as { report: Report; markdown: string; schemaId: string; usage: { usageError: boolean; name: string; message: string }; events: number; deep: string };
  expectValidReport(out.report);
  expect(out.report.tool).toEqual({ name: 'async-bench', version: PACKAGE_VERSION });
  expect(out.report.results.map((r) => [r.strategy, r.ok]).sort()).toEqual([['all', 2], ['sequential', 2]]);
  expect(server.count('case=pack')).toBe(4);
  expect(out.markdown).toMatch(/^### async-bench: urls · live · 2 requests per strategy/);
  expect(out.schemaId).toBe((JSON.parse(readFileSync(join(ROOT, 'schema/result.schema.json'), 'utf8')) as { $id: string }).$id);
  expect(out.usage).toEqual({ usageError: true, name: 'UsageError', message: '--count must be at least 1, got 0' });
  expect(out.events).toBeGreaterThan(4);
  expect(out.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  // The bin keeps working from the installed package.
  const version = await run(process.execPath, [join(project, 'node_modules/async-bench/bin/async-bench.js'), '--version'], { cwd: project });
  expect(version.stdout.trim()).toBe(PACKAGE_VERSION);
});

test('a TypeScript file that uses the API type-checks against the shipped declarations (tsc --noEmit), and misuse does not', SLOW, async () => {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], resolveJsonModule: true }, files: ['uses.ts'] }),
  );
  writeFileSync(
    join(project, 'uses.ts'),
    `import { benchmark, toCsv, toHtml, UsageError, type BenchmarkOptions, type BenchmarkProgress, type Report, type StrategyResult } from 'async-bench';
import schema from 'async-bench/schema.json' with { type: 'json' };

const options: BenchmarkOptions = {
  count: 20,
  concurrency: [1, 2, 4],
  strategies: ['sequential', 'bounded'],
  headers: { 'x-team': 'search' },
  thresholds: ['bounded.p95<300'],
  proxy: false,
  signal: AbortSignal.timeout(30_000),
  onProgress: (event: BenchmarkProgress) => {
    if (event.type === 'request') console.log(event.strategy, event.done, event.requests);
  },
};

export async function nightly(): Promise<string> {
  try {
    const report: Report = await benchmark('pokemon', { ...options, offline: true });
    const fastest: StrategyResult | undefined = report.results.find((r) => r.verdict === 'faster');
    const failed: number = report.results.reduce((sum, r) => sum + r.failed, 0);
    return \`\${fastest?.strategy ?? 'none'} \${failed} \${report.partial === true} \${schema.title} \${toCsv(report).length + toHtml(report, { heading: 'nightly' }).length}\`;
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
}

// @ts-expect-error count is a number
void benchmark('pokemon', { count: '20' });
// @ts-expect-error no such strategy
void benchmark('pokemon', { strategies: ['fastest'] });
// @ts-expect-error no such option
void benchmark('pokemon', { conccurency: 4 });
// The Report's types are whole (skipLibCheck would let a type the declarations lost become any).
export function typed(report: Report): void {
  // @ts-expect-error wallMs is a number
  report.results[0]?.wallMs.toUpperCase();
  // @ts-expect-error errors are counted by class
  void report.results[0]?.errors.teapot;
  // @ts-expect-error a progress event's type is one of five
  const event: BenchmarkProgress = { type: 'finished' };
  void event;
}
`,
  );
  const tsc = join(project, 'node_modules/typescript/bin/tsc');
  const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch((err: { stdout: string; code: number }) => err);
  expect('code' in result ? result.stdout : '').toBe('');
});
