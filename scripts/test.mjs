// `npm test`: build, then the type check, the linter and the test suite side by side (on two
// cores the checks fit into the suite's waits). Each check's output is printed when it ends;
// the exit code is the first failure's, so nothing that failed can be missed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

/** Runs a command; buffered: its output is printed in one piece when it ends. */
function step(label, command, args, { buffered }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const out = [];
    if (buffered) {
      child.stdout.on('data', (c) => out.push(c));
      child.stderr.on('data', (c) => out.push(c));
    }
    child.on('close', (code, signal) => {
      const text = Buffer.concat(out).toString('utf8').trim();
      const ok = code === 0;
      if (buffered) process.stdout.write(`${label}: ${ok ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`}\n${ok || text === '' ? '' : `${text}\n`}`);
      resolve(ok ? 0 : (code ?? 1));
    });
  });
}

const RESULTS = 'test-output/vitest-results.json';
rmSync(new URL(`../${RESULTS}`, import.meta.url), { force: true });

const build = await step('build', process.execPath, ['scripts/build.mjs'], { buffered: true });
if (build !== 0) process.exit(build);
const codes = await Promise.all([
  // Both keep what they learnt in node_modules/.cache: a second run checks only what changed.
  step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/async-bench/check.tsbuildinfo'], { buffered: true }),
  step('lint', bin('eslint'), ['--cache', '--cache-location', 'node_modules/.cache/async-bench/eslint', '.'], { buffered: true }),
  step('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${RESULTS}`, ...process.argv.slice(2)], { buffered: false }),
]);
// The last line says what ran, plainly, for any reader of the log.
const resultsFile = new URL(`../${RESULTS}`, import.meta.url);
if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  process.stdout.write(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped\n`);
}
process.exit(codes.find((c) => c !== 0) ?? 0);
