/** Assertions shared by the end-to-end and unit suites. */
import { expect } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import type { Report, StrategyResult } from '../../src/core/report.js';
import type { StrategyName } from '../../src/core/types.js';
import { describeRun, type RunResult } from './cli.js';
import { expectValidReport } from './schema.js';

/** stdout of a --json run, parsed: it must be one JSON document, valid against the schema. */
export function parseJsonReport<T>(result: RunResult): T {
  let doc: unknown;
  try {
    doc = JSON.parse(result.stdout);
  } catch (err) {
    throw new Error(`stdout is not one JSON document (${(err as Error).message})\n${describeRun(result)}`);
  }
  expectValidReport(doc);
  return doc as T;
}

/** The run finished with exit code 0 (the output is shown when it did not). */
export function expectOk(result: RunResult): void {
  expect(result.code, describeRun(result)).toBe(0);
}

/** Bad usage: exit 2, nothing on stdout, exactly one "async-bench: …" line on stderr. */
export function expectUsageError(result: RunResult, message: RegExp): void {
  const context = describeRun(result);
  expect(result.code, context).toBe(2);
  expect(result.stdout, context).toBe('');
  expect(result.stderr, context).toMatch(/^async-bench: [^\n]+\n$/);
  expect(result.stderr, context).toMatch(message);
}

/** Runs fn, expects a UsageError, and returns its message. */
export function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).message;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

/** Text that must never reach stderr, whatever the run: each with what it would mean. */
const FORBIDDEN_ON_STDERR: Array<[string, RegExp]> = [
  ['an unhandled rejection or error', /unhandled/i],
  ['a warning from node', /Warning|\(node:\d+\)/],
  ['a stack trace', /^\s+at\s.+(?::\d+:\d+\)?|<anonymous>\)?)$/m],
  ['an internal error', /internal error|TypeError|RangeError|ReferenceError/],
  ['a broken pipe', /EPIPE/],
];

/** No stack trace, node warning, unhandled rejection or internal error on stderr. */
export function expectCleanStderr(result: RunResult): void {
  for (const [what, pattern] of FORBIDDEN_ON_STDERR) {
    expect(result.stderr, `stderr shows ${what}\n${describeRun(result)}`).not.toMatch(pattern);
  }
}

/** The result of one strategy in a report; a clear error when it is missing. */
export function byStrategy(doc: Report, strategy: StrategyName): StrategyResult {
  const r = doc.results.find((x) => x.strategy === strategy);
  if (!r) throw new Error(`no ${strategy} result in ${JSON.stringify(doc.results.map((x) => x.strategy))}`);
  return r;
}
