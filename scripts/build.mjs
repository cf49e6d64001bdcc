// Builds dist/ from src/ with esbuild, then the package's declaration files with tsc (the type
// check of everything is `npm run typecheck`):
// - every module transpiled on its own, src's layout kept (what the package's importers load);
// - then the entry points a process or thread starts on, the CLI (dist/cli/main.js), the fixture
//   server's worker (dist/fixture-server/worker.js) and the workers strategy's thread
//   (dist/run/workers-thread.js), bundled over the transpiled ones, with the
//   code behind lazy imports split into dist/chunks/: a process loads a few files instead of some
//   80 modules, and `--version` or a usage error never loads the run. undici stays external (its
//   deep imports load from node_modules, see src/http/transport.ts).
// - then the .d.ts files beside them (tsconfig.build.json; "types" in package.json), incremental:
//   only what changed is checked again, a second or so on a rebuild.
// Entries and chunks sit two levels below the package root, as src's modules do, so paths built
// from import.meta.url ('../../package.json', src/core/built-module.ts) hold in every form.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const buildInfo = join(root, 'node_modules/.cache/async-bench/types.tsbuildinfo');

/** Every file under dir whose name passes `keep`. */
function files(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

const isDeclaration = (name) => name.endsWith('.d.ts');

// The JavaScript is built afresh (chunks included); declarations stay for tsc to bring up to
// date, except those whose module is gone. Without them all, tsc's record of what it wrote is
// stale too, and it starts over.
for (const path of files(dist, (name) => !isDeclaration(name))) rmSync(path);
for (const path of files(dist, isDeclaration)) {
  if (!existsSync(join(src, relative(dist, path)).replace(/\.d\.ts$/, '.ts'))) rmSync(path);
}
if (!existsSync(join(dist, 'index.d.ts'))) rmSync(buildInfo, { force: true });

const common = { format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };
const entryPoints = files(src, (name) => name.endsWith('.ts') && !isDeclaration(name));
await build({ ...common, entryPoints, outdir: dist, outbase: src });

const BUNDLES = ['cli/main.ts', 'fixture-server/worker.ts', 'run/workers-thread.ts'];
await build({
  ...common,
  entryPoints: BUNDLES.map((entry) => join(src, entry)),
  outdir: dist,
  outbase: src,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  allowOverwrite: true,
  external: ['undici', 'undici/*'],
  // CommonJS dependencies (cli-table3) call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const types = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);

const sizes = BUNDLES.map((entry) => `${entry.replace(/\.ts$/, '.js')} ${Math.round(statSync(join(dist, entry.replace(/\.ts$/, '.js'))).size / 1024)} KB`);
process.stdout.write(`built ${entryPoints.length} modules and their declarations into ${relative(process.cwd(), dist) || 'dist'}; bundled ${sizes.join(', ')}\n`);
