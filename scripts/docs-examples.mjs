// `npm run docs:examples`: runs every captured example of the README (a fenced block under a
// `<!-- example -->` line) with the built CLI, offline, and writes what it printed under its
// command. The seeds are in the commands, so a capture changes only where the tool did. An
// argument runs only the examples whose commands contain it (`npm run docs:examples -- tmdb`).
// A test runs the same commands and checks that their output keeps the capture's shape
// (test/e2e/readme-examples.test.ts); run this script when it says the README drifted.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactJson, findExamples, replaceOutputs, shortenReport } from './readme-examples.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const readmePath = join(root, 'README.md');
const bin = join(root, 'bin', 'async-bench.js');
/** No example takes this long; one that does is stuck. */
const LIMIT_MS = 300_000;

/** What the examples run with: a pipe (80 columns, no colour, no progress) and no stray settings. */
function environment(extra) {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
}

/**
 * Runs one command in `cwd` and gives what it printed: stdout and stderr in the order written
 * (both go to one file), or, with `json`, the JSON document alone, shortened and laid out.
 */
function capture(command, options, cwd) {
  return new Promise((resolve, reject) => {
    const both = join(cwd, '.output');
    const fd = openSync(both, 'w');
    const toFile = command.stdoutTo !== null || options.json ? openSync(join(cwd, command.stdoutTo ?? '.stdout'), 'w') : fd;
    const stdio = options.stopAt !== null ? ['ignore', 'pipe', fd] : ['ignore', toFile, fd];
    const child = spawn(process.execPath, [bin, ...command.args], { cwd, env: environment(command.env), stdio });
    const killer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    let seen = '';
    if (options.stopAt !== null) {
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        seen += chunk;
        const at = seen.indexOf(options.stopAt);
        if (at !== -1 && !child.killed) {
          seen = seen.slice(0, at + options.stopAt.length);
          child.kill('SIGINT');
        }
      });
    }
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      closeSync(fd);
      if (toFile !== fd) closeSync(toFile);
      if (signal === 'SIGKILL') return reject(new Error(`stuck: async-bench ${command.args.join(' ')}`));
      if (options.stopAt !== null) return resolve(seen);
      if (command.stdoutTo !== null) return resolve('');
      if (options.json) {
        const text = readFileSync(join(cwd, '.stdout'), 'utf8');
        try {
          return resolve(compactJson(shortenReport(JSON.parse(text))));
        } catch {
          return reject(new Error(`not JSON (exit ${code}): async-bench ${command.args.join(' ')}\n${text}${readFileSync(both, 'utf8')}`));
        }
      }
      resolve(readFileSync(both, 'utf8'));
    });
  });
}

const readme = readFileSync(readmePath, 'utf8');
const examples = findExamples(readme);
// `npm run docs:examples -- tmdb`: only the examples whose commands contain "tmdb".
const only = process.argv.slice(2).find((arg) => arg !== '--');
const dir = mkdtempSync(join(tmpdir(), 'async-bench-docs-'));
const outputs = [];
try {
  for (const example of examples) {
    if (only !== undefined && !example.steps.some((step) => step.text.includes(only))) {
      outputs.push(example.steps.map((step) => step.output));
      continue;
    }
    const captured = [];
    for (const step of example.steps) {
      const started = performance.now();
      captured.push(await capture(step.command, example.options, dir));
      process.stdout.write(`README line ${example.line}: ${step.text.replace(/\\\n\s*/g, '')} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    }
    outputs.push(captured);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(readmePath, replaceOutputs(readme, outputs));
process.stdout.write(`wrote ${only === undefined ? examples.length : `the ${JSON.stringify(only)}`} examples into README.md\n`);
