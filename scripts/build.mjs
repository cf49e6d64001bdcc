// Builds dist/ from src/ with esbuild (types are tsc's job, in `npm run typecheck`):
// - every module transpiled on its own, src's layout kept (what the package's importers load);
// - then the two entry points a process starts on, the CLI (dist/cli/main.js) and the fixture
//   server's worker (dist/fixture-server/worker.js), bundled over the transpiled ones, with the
//   code behind lazy imports split into dist/chunks/: a process loads a few files instead of some
//   80 modules, and `--version` or a usage error never loads the run. undici stays external (its
//   deep imports load from node_modules, see src/http/transport.ts).
// Entries and chunks sit two levels below the package root, as src's modules do, so paths built
// from import.meta.url ('../../package.json', src/core/built-module.ts) hold in every form.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

/** Every .ts module under src/, declaration files left out. */
function modules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const common = { format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };
rmSync(dist, { recursive: true, force: true });
const entryPoints = modules(src);
await build({ ...common, entryPoints, outdir: dist, outbase: src });

const BUNDLES = ['cli/main.ts', 'fixture-server/worker.ts'];
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
const sizes = BUNDLES.map((entry) => `${entry.replace(/\.ts$/, '.js')} ${Math.round(statSync(join(dist, entry.replace(/\.ts$/, '.js'))).size / 1024)} KB`);
process.stdout.write(`built ${entryPoints.length} modules into ${relative(process.cwd(), dist) || 'dist'}; bundled ${sizes.join(', ')}\n`);
