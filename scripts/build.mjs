// Builds dist/ from src/: each module transpiled on its own by esbuild (types are tsc's job, in
// `npm run typecheck`), so the layout stays src's and the build takes a fraction of a second.
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

/** Every .ts module under src/, declaration files left out. */
function modules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
const entryPoints = modules(src);
await build({ entryPoints, outdir: join(root, 'dist'), outbase: src, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
process.stdout.write(`built ${entryPoints.length} modules into ${relative(process.cwd(), join(root, 'dist')) || 'dist'}\n`);
