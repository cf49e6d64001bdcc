/**
 * JUnit XML, for CI test reporters (GitHub, GitLab, Jenkins, Azure): one <testsuite
 * name="async-bench"> with one <testcase> per check, i.e. per threshold result (name = the
 * expression, classname = "async-bench.<result>") and per baseline comparison; a failed check
 * carries a <failure> with the actual against the expected value. Without any check there is
 * one passing testcase, "benchmark ran". Times are seconds; the run's settings and each result's
 * headline numbers are <properties>.
 */
import type { Report, StrategyResult } from '../core/report.js';
import { resultKey } from '../core/result-label.js';
import type { ExportContext } from './exporters.js';
import { baselineChange, baselineWarningLines, interruptedLine, setupLine, signedPercent, verdictLines } from './prose.js';

/**
 * Text made safe for XML 1.0 content and attribute values: the five markup characters as
 * entities; tab, LF and CR as character references (so attribute normalisation keeps them);
 * the control characters XML 1.0 cannot carry at all (not even as references), and lone
 * surrogates, written out as visible "\u001b" escapes.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\t\n\r]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      case '\t':
        return '&#9;';
      case '\n':
        return '&#10;';
      case '\r':
        return '&#13;';
      default:
        return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** Element text: like escapeXml, but line breaks and tabs stay as they are (readable in the file). */
function escapeText(text: string): string {
  return text.split('\n').map((line) => escapeXml(line).replace(/&#9;/g, '\t')).join('\n');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

const attrs = (pairs: ReadonlyArray<readonly [string, string | number]>): string =>
  pairs.map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`).join('');

interface Case {
  name: string;
  classname: string;
  timeMs: number;
  failure: { message: string; type: string; detail: string } | null;
}

/** The result a check names ("all", "bounded@8"); undefined for "any" or a missing result. */
function resultFor(report: Report, key: string): StrategyResult | undefined {
  return report.results.find((r) => resultKey(r) === key);
}

function cases(report: Report): Case[] {
  const out: Case[] = [];
  for (const t of report.thresholds ?? []) {
    const actual = t.actual === null ? 'no result' : String(t.actual);
    out.push({
      name: t.expr,
      classname: `async-bench.${t.strategy}`,
      timeMs: resultFor(report, t.strategy)?.wallMs ?? 0,
      failure: t.pass
        ? null
        : {
            message: `${t.strategy}: actual ${actual}, expected ${t.expr}${t.reason ? ` (${t.reason})` : ''}`,
            type: 'threshold',
            detail:
              t.actual === null
                ? `expected ${t.expr}, but ${t.strategy} has no value to check (the run was interrupted or the result is missing)`
                : `expected ${t.expr}\nactual   ${actual} (${t.strategy})${t.reason ? `\nreason   ${t.reason}` : ''}`,
          },
    });
  }
  const b = report.baseline;
  for (const c of b?.comparisons ?? []) {
    const change = baselineChange(c);
    out.push({
      name: `baseline: wall time within +${b!.maxRegressionPct}%`,
      classname: `async-bench.${c.strategy}`,
      timeMs: c.wallMs,
      failure: c.pass
        ? null
        : {
            message: `${c.strategy}: actual ${signedPercent(c.favourableChangePct)} at best, expected at most +${b!.maxRegressionPct}% against the baseline`,
            type: 'baseline',
            detail: `${c.strategy}: ${change}\nlimit +${b!.maxRegressionPct}% (baseline run ${b!.startedAt})`,
          },
    });
  }
  if (out.length === 0) {
    out.push({ name: 'benchmark ran', classname: 'async-bench', timeMs: totalMs(report), failure: null });
  }
  return out;
}

/** Time spent measuring: every run of every result, and the setup stage. */
function totalMs(report: Report): number {
  const runs = report.results.reduce((sum, r) => sum + r.runs.reduce((s, run) => s + run.wallMs, 0), 0);
  return runs + (report.setup?.wallMs ?? 0);
}

function properties(report: Report, context: ExportContext): Array<[string, string | number]> {
  const { config } = report;
  const props: Array<[string, string | number]> = [
    ['heading', context.heading],
    ['tool.version', report.tool.version],
    ['startedAt', report.startedAt],
    ['node', report.environment.node],
    ['platform', `${report.environment.platform}-${report.environment.arch}`],
    ['cpus', report.environment.cpus],
    ['target', config.target],
    ['count', config.count],
    ['strategies', config.strategies.join(',')],
    ['concurrency', config.concurrency.join(',')],
    ['offline', String(config.offline)],
    ['latency', config.latency ?? ''],
    ['seed', config.seed],
    ['runs', config.runs],
    ['warmup', config.warmup],
    ['timeoutMs', config.timeoutMs],
  ];
  if (report.partial) props.push(['partial', 'true']);
  if (report.recommendation) props.push(['recommendedConcurrency', report.recommendation.concurrency]);
  for (const r of report.results) {
    const key = resultKey(r);
    props.push([`${key}.wallMs`, r.wallMs], [`${key}.reqPerSec`, r.reqPerSec], [`${key}.failed`, r.failed]);
    if (r.speedup !== null) props.push([`${key}.speedup`, r.speedup]);
    if (r.verdict !== null) props.push([`${key}.verdict`, r.verdict]);
  }
  return props;
}

export function renderJunit(report: Report, context: ExportContext): string {
  const all = cases(report);
  const failures = all.filter((c) => c.failure !== null).length;
  const time = seconds(totalMs(report));
  const counts = [['tests', all.length], ['failures', failures], ['errors', 0], ['skipped', 0], ['time', time]] as const;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([['name', 'async-bench'], ...counts])}>`,
    `  <testsuite${attrs([['name', 'async-bench'], ...counts, ['timestamp', report.startedAt]])}>`,
    '    <properties>',
    ...properties(report, context).map(([name, value]) => `      <property${attrs([['name', name], ['value', value]])}/>`),
    '    </properties>',
  ];
  for (const c of all) {
    const head = `    <testcase${attrs([['name', c.name], ['classname', c.classname], ['time', seconds(c.timeMs)]])}`;
    if (c.failure === null) {
      out.push(`${head}/>`);
    } else {
      out.push(`${head}>`, `      <failure${attrs([['message', c.failure.message], ['type', c.failure.type]])}>${escapeText(c.failure.detail)}</failure>`, '    </testcase>');
    }
  }
  const summary = [setupLine(report), ...verdictLines(report.results)].filter((l): l is string => l !== null);
  const interrupted = interruptedLine(report);
  if (interrupted) summary.push(interrupted);
  for (const w of baselineWarningLines(report)) summary.push(w);
  if (summary.length > 0) out.push(`    <system-out>${escapeText(summary.join('\n'))}</system-out>`);
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
