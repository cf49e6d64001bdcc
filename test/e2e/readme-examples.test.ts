/**
 * The README cannot drift: every captured example (a block under `<!-- example -->`, written by
 * `npm run docs:examples`) is run again here, and its output must keep the capture's shape: the
 * same lines, numbers masked (scripts/readme-examples.mjs says what else is set aside). The runs
 * go through the built CLI's main() in this process, one after the other, with the fixture server's delays
 * divided by 20 (they are numbers too) so that the whole README runs in a few seconds; `serve`
 * runs until stopped, so it is the one spawned process.
 * The JSON example is checked for its fields: the same key paths as a new run, and every field
 * the schema knows of schemaVersion 1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compactJson, findExamples, jsonPaths, shapeOf, shortenReport, type Step } from '../../scripts/readme-examples.mjs';
import { PRESETS } from '../../src/targets/presets/index.js';
import { ROOT, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { SCHEMA_PATH, expectValidReport } from '../helpers/schema.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const EXAMPLES = findExamples(README);
/** The server's delays are divided by this, unless the example says `scale=N`. */
const SCALE = 20;
/** Runs of a command before its output is said to have drifted from the README. */
const ATTEMPTS = 3;

let dir = '';
beforeAll(() => {
  // Files the examples write (out.html, base.json) land here, and relative paths read from here.
  dir = mkdtempSync(join(tmpdir(), 'async-bench-readme-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  cleanupCli();
});

/** "100-400" at scale 10: "10-40"; whole milliseconds, and never 0 unless it was. */
function scaled(latency: string, scale: number): string {
  return latency
    .split('-')
    .map((ms) => (Number(ms) === 0 ? '0' : String(Math.max(1, Math.round(Number(ms) / scale)))))
    .join('-');
}

/** The command's arguments with the offline server's delays divided by `scale`. */
function quicker(args: readonly string[], scale: number): string[] {
  const out = [...args];
  const at = out.indexOf('--latency');
  if (at !== -1) out[at + 1] = scaled(out[at + 1]!, scale);
  else if (out.includes('--offline')) {
    const preset = PRESETS.find((p) => out.includes(p.name));
    if (preset) out.push('--latency', scaled(`${preset.defaultLatency.minMs}-${preset.defaultLatency.maxMs}`, scale));
  }
  return out;
}

/** Runs one step as the README shows it (into a pipe: 80 columns unless the step sets COLUMNS). */
async function runStep(step: Step, scale: number, stdoutOnly = false): Promise<string> {
  const { env, args, stdoutTo } = step.command;
  const result = await runBuiltInProcess(quicker(args, scale), { cwd: dir, env: { COLUMNS: undefined, ...env } });
  outputs.set(step.text, result.output);
  if (stdoutTo !== null) {
    writeFileSync(join(dir, stdoutTo), result.stdout);
    return '';
  }
  return stdoutOnly ? result.stdout : result.output;
}

/** What each command printed when last run here, by its text. */
const outputs = new Map<string, string>();

const name = (steps: readonly Step[]): string => steps.map((s) => s.text.replace(/\\\n\s*/g, '')).join(' && ');

describe('the README examples keep their shape', () => {
  test('there are examples, and npm run docs:examples is how they are written', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(15);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['docs:examples']).toContain('scripts/docs-examples.mjs');
  });

  for (const example of EXAMPLES.filter((e) => !e.options.json && e.options.stopAt === null)) {
    test(`README line ${example.line}: ${name(example.steps)}`, async () => {
      for (const step of example.steps) {
        // A verdict is timing: a starved CPU can turn "faster" into "slower" for one run. A
        // README that drifted differs every time; a run that met a stall is run again.
        // The same command shown twice (the first example, again under Presets) runs once.
        let output = outputs.get(step.text) ?? '';
        for (let attempt = 1; attempt <= ATTEMPTS && shapeOf(output).join('\n') !== shapeOf(step.output).join('\n'); attempt++) {
          output = await runStep(step, example.options.scale ?? SCALE);
        }
        expect(shapeOf(output), `${step.text}\n--- now ---\n${output}\n--- README ---\n${step.output}\n(npm run docs:examples rewrites the README's captures)`).toEqual(shapeOf(step.output));
      }
    });
  }

  for (const example of EXAMPLES.filter((e) => e.options.stopAt !== null)) {
    test(`README line ${example.line}: ${name(example.steps)} (spawned, stopped once it has said all)`, async () => {
      const [step] = example.steps;
      const args = step!.command.args.map((a, i, all) => (all[i - 1] === '--port' ? '0' : a));
      const stopAt = example.options.stopAt!;
      const result = await run(args, {
        killAfterMs: 20_000,
        onSpawn: (child) => {
          let seen = '';
          child.stdout?.on('data', (chunk: Buffer) => {
            seen += chunk.toString();
            if (seen.includes(stopAt)) child.kill('SIGINT');
          });
        },
      });
      expect(result.stdout, describeRun(result)).toContain(stopAt);
      expect(shapeOf(result.stdout.slice(0, result.stdout.indexOf(stopAt) + stopAt.length))).toEqual(shapeOf(step!.output));
    });
  }
});

describe('the JSON example', () => {
  const example = EXAMPLES.find((e) => e.options.json)!;
  const shown = JSON.parse(example.steps.at(-1)!.output) as { results: unknown[] };

  test('is one valid document, laid out as the script lays it out', () => {
    expectValidReport(shown);
    expect(example.steps.at(-1)!.output).toBe(compactJson(shown));
  });

  test('has the fields of a new run of its commands', async () => {
    let output = '';
    for (const step of example.steps) output = await runStep(step, example.options.scale ?? SCALE, true);
    const now = shortenReport(JSON.parse(output) as { results: unknown[] });
    expect([...jsonPaths(shown)].sort()).toEqual([...jsonPaths(now)].sort());
  });

  test('shows every field of schemaVersion 1, but those no single run can have', () => {
    // Each of these is named in the README's list under the example, with when it appears.
    const apart: Record<string, string> = {
      '.partial': '`partial: true`',
      '.results[].partial': '`partial: true`',
      '.results[].undeclaredGzip': '`undeclaredGzip`',
      '.setup.errorExamples': '`errorExamples` when it failed',
      '.setup.errorExamples.*[].message': '`errorExamples` when it failed',
      '.setup.errorExamples.*[].count': '`errorExamples` when it failed',
      '.recommendation.refine': '`refine`',
      '.results[].protocol': 'With `--protocol h1,h2`, each result has `protocol`',
      '.config.transport.negotiated.h1': '`negotiated`',
      // Options no example combines with the rest (other strategies, threads, --cpu-work).
      '.config.adaptive': '`config.adaptive: {start, max}`',
      '.config.adaptive.max': '`config.adaptive: {start, max}`',
      '.config.adaptive.start': '`config.adaptive: {start, max}`',
      '.results[].adaptive': '`results[].adaptive`',
      '.results[].adaptive.limitTrace': '`results[].adaptive`',
      '.results[].adaptive.max': '`results[].adaptive`',
      '.results[].adaptive.settledLimit': '`results[].adaptive`',
      '.results[].adaptive.start': '`results[].adaptive`',
      '.config.failFast': '`config.failFast`',
      '.results[].failFast': '`results[].failFast`',
      '.results[].failFast.rejectedAtMs': '`results[].failFast`',
      '.results[].failFast.request': '`results[].failFast`',
      '.results[].failFast.request.error': '`results[].failFast`',
      '.results[].failFast.request.index': '`results[].failFast`',
      '.results[].failFast.request.message': '`results[].failFast`',
      '.results[].failFast.stillRunning': '`results[].failFast`',
      '.results[].failFast.survivors': '`results[].failFast`',
      '.results[].failFast.survivors.failed': '`results[].failFast`',
      '.results[].failFast.survivors.lastEndMs': '`results[].failFast`',
      '.results[].failFast.survivors.ok': '`results[].failFast`',
      '.config.workers': '`config.workers`',
      '.results[].workers': '`workers` the\n  threads used',
      '.results[].samples[].thread': 'each sample has its `thread`',
      '.config.cpuWorkMs': '`config.cpuWorkMs`',
      '.results[].cpuWork': '`results[].cpuWork: {perResponseMs, responses, totalMs}`',
      '.results[].cpuWork.perResponseMs': '`results[].cpuWork: {perResponseMs, responses, totalMs}`',
      '.results[].cpuWork.responses': '`results[].cpuWork: {perResponseMs, responses, totalMs}`',
      '.results[].cpuWork.totalMs': '`results[].cpuWork: {perResponseMs, responses, totalMs}`',
      '.results[].samples[].cpuWorkMs': '`samples[].cpuWorkMs`',
      '.fingerprint.cpuWorkMs': 'The fingerprint\n  records `workers` and `cpuWorkMs`',
      '.fingerprint.workers': 'The fingerprint\n  records `workers` and `cpuWorkMs`',
    };
    const shownPaths = jsonPaths(shown);
    const missing = schemaPaths().filter((p) => !shownPaths.has(p) && !(p in apart));
    expect(missing).toEqual([]);
    const section = README.slice(README.indexOf('## JSON output'), README.indexOf('## Secrets'));
    for (const words of new Set(Object.values(apart))) expect(section).toContain(words);
  });
});

/** Every property path the schema defines: ".results[].latencyMs.p50"; the keys of a map as "*". */
function schemaPaths(): string[] {
  type Node = { $ref?: string; properties?: Record<string, Node>; items?: Node; additionalProperties?: Node | boolean; anyOf?: Node[]; oneOf?: Node[]; allOf?: Node[] };
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Node & { $defs?: Record<string, Node> };
  const paths = new Set<string>();
  const walk = (node: Node, path: string, depth: number): void => {
    if (depth > 12) return;
    if (node.$ref) return walk(schema.$defs![node.$ref.split('/').at(-1)!]!, path, depth + 1);
    for (const n of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) walk(n, path, depth + 1);
    for (const [key, n] of Object.entries(node.properties ?? {})) {
      paths.add(`${path}.${key}`);
      walk(n, `${path}.${key}`, depth + 1);
    }
    if (node.items) walk(node.items, `${path}[]`, depth + 1);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`, depth + 1);
  };
  walk(schema, '', 0);
  return [...paths].sort();
}
