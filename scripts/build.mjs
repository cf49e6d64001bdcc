// Builds dist/ from src/: each module transpiled on its own by esbuild (the layout stays src's,
// in a fraction of a second), then the declaration files of the package's types (tsc,
// incremental: only what changed is checked again). The type check of everything is
// `npm run typecheck`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
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

const isModule = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');

// The JavaScript is built afresh; declarations stay for tsc to bring up to date, except those
// whose module is gone. Without them all, tsc's record of what it emitted is stale too.
for (const path of files(dist, (name) => !name.endsWith('.d.ts'))) rmSync(path);
for (const path of files(dist, (name) => name.endsWith('.d.ts'))) {
  if (!existsSync(join(src, relative(dist, path)).replace(/\.d\.ts$/, '.ts'))) rmSync(path);
}
if (!existsSync(join(dist, 'index.d.ts'))) rmSync(buildInfo, { force: true });

const entryPoints = files(src, isModule);
await build({ entryPoints, outdir: dist, outbase: src, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const types = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);
process.stdout.write(`built ${entryPoints.length} modules and their declarations into ${relative(process.cwd(), dist) || 'dist'}\n`);
