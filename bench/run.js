#!/usr/bin/env node
// async-bench's performance bench (not a test): `npm run bench` builds, then runs this.
//
//   node bench/run.js [--quick] [--only <row>[,<row>...]] [--skip <row>[,<row>...]] [--repeats <n>] [--out <file>] [--check]
//
// Every measurement runs on loopback against bench/server.js in a child process; async-bench and
// the reference scripts run as child processes too, so this process only starts things and
// collects numbers. Each row is repeated (3 times, 1 with --quick) and its median quoted.
// Prints one table on stdout (progress goes to stderr) and writes every row with its raw repeats
// to bench/results/latest.json (or --out).
//
// Exit codes: 0 the bench ran (a missed target is a result); 1 a row could not be measured, the
// results file is malformed (see checkDocument), or --check was given and a target was missed;
// 2 bad usage or dist/ not built.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadAverage, machineInfo } from './lib/machine.js';
import { ROOT } from './lib/proc.js';
import { errorRow } from './lib/row.js';
import { renderTable } from './lib/table.js';
import { ROWS } from './rows/index.js';

const DEFAULT_REPEATS = 3;
const QUICK_REPEATS = 1;
const DEFAULT_OUT = join(ROOT, 'bench', 'results', 'latest.json');
const RESULTS_SCHEMA_VERSION = 1;

const USAGE = `usage: node bench/run.js [options]      (npm run bench builds first)

  --quick              tiny sizes, ${QUICK_REPEATS} repeat (targets only indicative); the scale rows run at full size, about a minute
  --only <rows>        run only these rows (comma-separated, repeatable)
  --skip <rows>        leave these rows out (comma-separated, repeatable)
  --repeats <n>        repeats per row (default ${DEFAULT_REPEATS}, ${QUICK_REPEATS} with --quick)
  --out <file>         where to write the results (default bench/results/latest.json)
  --check              exit 1 when a target is missed
  -h, --help           this text

rows: ${ROWS.map((r) => r.id).join(', ')}`;

function usageError(message) {
  process.stderr.write(`bench: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        skip: { type: 'string', multiple: true },
        repeats: { type: 'string' },
        out: { type: 'string' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    usageError(err.message);
  }
  if (parsed.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const known = new Set(ROWS.map((r) => r.id));
  const names = (list) => (list ? list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) : null);
  const only = names(parsed.only);
  const skip = names(parsed.skip) ?? [];
  for (const name of [...(only ?? []), ...skip]) if (!known.has(name)) usageError(`unknown row '${name}'`);
  let repeats = parsed.quick ? QUICK_REPEATS : DEFAULT_REPEATS;
  if (parsed.repeats !== undefined) {
    repeats = Number(parsed.repeats);
    if (!Number.isInteger(repeats) || repeats < 1 || repeats > 50) usageError(`--repeats must be an integer from 1 to 50, got '${parsed.repeats}'`);
  }
  return { quick: parsed.quick, only, skip, repeats, out: parsed.out ? resolve(parsed.out) : DEFAULT_OUT, check: parsed.check };
}

/** One line per row group saying what its ratio is. */
function legend(rows) {
  const seen = new Map();
  for (const r of rows) if (r.ratio?.definition && !seen.has(r.id)) seen.set(r.id, r.ratio.definition);
  return [...seen].map(([id, definition]) => `ratio of ${id}: ${definition}`);
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) usageError('dist/ is not built: run `npm run bench` (or `npm run build` first)');

  const selected = ROWS.filter((r) => (options.only === null || options.only.includes(r.id)) && !options.skip.includes(r.id));
  const tmpDir = mkdtempSync(join(tmpdir(), 'async-bench-bench-'));
  const ctx = {
    quick: options.quick,
    repeats: options.repeats,
    tmpDir,
    childTimeoutMs: options.quick ? 60_000 : 120_000,
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  const t0 = performance.now();
  const rows = [];
  // Children see the same Ctrl-C (one process group); servers stop when our stdin pipes close.
  process.once('SIGINT', () => {
    rmSync(tmpDir, { recursive: true, force: true });
    process.stderr.write('bench: interrupted; no results written\n');
    process.exit(130);
  });
  try {
    for (const row of selected) {
      const rowStart = performance.now();
      const load = loadAverage();
      let produced;
      try {
        produced = await row.run(ctx);
      } catch (err) {
        ctx.log(`${row.id}: could not be measured: ${err.message}`);
        produced = [errorRow(row.id, row.id, err)];
      }
      const durationMs = Math.round(performance.now() - rowStart);
      for (const r of produced) rows.push({ ...r, loadAverageAtStart: load, rowDurationMs: durationMs });
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  const totalMs = Math.round(performance.now() - t0);

  const judged = rows.filter((r) => typeof r.pass === 'boolean' && !r.error);
  const missed = judged.filter((r) => !r.pass).map((r) => r.measurement);
  const errors = rows.filter((r) => r.error).map((r) => r.measurement);
  const document = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: 'async-bench bench',
    date: startedAt,
    mode: options.quick ? 'quick' : 'full',
    repeats: options.repeats,
    only: options.only,
    machine: { ...machineInfo(), loadAverageBefore: loadBefore, loadAverageAfter: loadAverage() },
    totalMs,
    summary: { rows: rows.length, passed: rows.filter((r) => r.pass === true).length, withTarget: judged.length, missed, errors, skipped: rows.filter((r) => r.skipped).map((r) => r.measurement) },
    rows,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, JSON.stringify(document, null, 2) + '\n');
  const malformed = checkDocument(document, selected);

  const m = document.machine;
  process.stdout.write(
    `async-bench ${m.asyncBenchVersion} bench · ${document.mode}, ${options.repeats} repeat(s), medians · node ${m.node} · ${m.cpus} cpu ${m.cpuModel ?? ''} · load ${loadBefore.join(' ')}\n\n`,
  );
  process.stdout.write(renderTable(rows));
  process.stdout.write('\n' + legend(rows).join('\n') + '\n');
  for (const r of rows) for (const note of r.notes ?? []) process.stdout.write(`note: ${r.measurement}: ${note}\n`);
  for (const r of rows) if (r.error) process.stdout.write(`error: ${r.measurement}: ${r.error.split('\n').slice(0, 3).join(' / ')}\n`);
  if (options.quick) process.stdout.write('quick mode: tiny sizes, one repeat; pass/fail is only indicative\n');
  process.stdout.write(`\ntargets met: ${judged.filter((r) => r.pass).length} of ${judged.length} rows with a target\n`);
  process.stdout.write(`${missed.length === 0 ? 'every target met' : `targets missed: ${missed.join(', ')}`}${errors.length ? `; could not measure: ${errors.join(', ')}` : ''} · ${(totalMs / 1000).toFixed(1)} s · results in ${options.out}\n`);

  for (const problem of malformed) process.stdout.write(`malformed results: ${problem}\n`);

  if (errors.length > 0 || malformed.length > 0 || (options.check && missed.length > 0)) process.exitCode = 1;
}

/**
 * What the results file must hold whatever the figures (the run's own smoke check, formerly a
 * test): every selected row present, each measured or skipped with a reason, and a verdict that
 * is true/false where the row has a target, null where it is only informative.
 */
function checkDocument(document, selected) {
  const problems = [];
  if (document.schemaVersion !== RESULTS_SCHEMA_VERSION) problems.push(`schemaVersion ${document.schemaVersion}`);
  if (document.machine?.node !== process.version) problems.push(`machine.node ${document.machine?.node}, not ${process.version}`);
  const ids = new Set(document.rows.map((r) => r.id));
  for (const row of selected) if (!ids.has(row.id)) problems.push(`no row for ${row.id}`);
  for (const r of document.rows) {
    if (r.error || r.skipped) continue;
    const informative = r.target?.text === '(info)';
    if (informative ? r.pass !== null : typeof r.pass !== 'boolean') problems.push(`${r.measurement}: pass is ${JSON.stringify(r.pass)}`);
    if (r.asyncBench?.median === null || r.asyncBench?.median === undefined) problems.push(`${r.measurement}: no figure`);
  }
  return problems;
}

main().catch((err) => {
  process.stderr.write(`bench: internal error: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
