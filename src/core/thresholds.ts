import { UsageError, closestMatch, quoteInput } from './errors.js';
import type { StrategyResult, ThresholdResult } from './report.js';
import { resultKey } from './result-label.js';
import { STRATEGIES, keyedByLimit, type StrategyName } from './types.js';

export const THRESHOLD_METRICS = ['speedup', 'wallMs', 'reqPerSec', 'p50', 'p90', 'p95', 'p99', 'failed', 'errorRate'] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];
export type ThresholdOp = '<=' | '>=' | '==' | '<' | '>';

/** A pass/fail check on the results: `[strategy[@C].]metric op number`. */
export interface Threshold {
  expr: string;
  /** Null: every result the metric applies to. */
  strategy: StrategyName | null;
  /** With "bounded@8": only that limit. */
  concurrency: number | null;
  metric: ThresholdMetric;
  op: ThresholdOp;
  value: number;
}

const EXPR = /^\s*(?:([A-Za-z]+)(?:@(\d+))?\s*\.\s*)?([A-Za-z0-9]+)\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Parses one expression; a typo (unknown metric or strategy) is a usage error, never a silent pass. */
export function parseThreshold(expr: string): Threshold {
  const match = EXPR.exec(expr);
  if (!match) {
    throw new UsageError(`--threshold ${quoteInput(expr)} does not parse: expected [strategy.]metric op number, e.g. 'speedup>=3' or 'bounded.p95<300'`);
  }
  const [, strategyText, concurrencyText, metricText, op, valueText] = match;
  const metric = THRESHOLD_METRICS.find((m) => m.toLowerCase() === metricText!.toLowerCase());
  if (!metric) {
    const suggestion = closestMatch(metricText!, THRESHOLD_METRICS);
    throw new UsageError(
      `--threshold ${quoteInput(expr)}: unknown metric ${quoteInput(metricText!)}${suggestion ? ` (did you mean ${quoteInput(suggestion)}?)` : ''}; metrics are ${THRESHOLD_METRICS.join(', ')}`,
    );
  }
  let strategy: StrategyName | null = null;
  if (strategyText !== undefined) {
    const name = STRATEGIES.find((s) => s === strategyText.toLowerCase());
    if (!name) {
      const suggestion = closestMatch(strategyText, STRATEGIES);
      throw new UsageError(
        `--threshold ${quoteInput(expr)}: unknown strategy ${quoteInput(strategyText)}${suggestion ? ` (did you mean ${quoteInput(suggestion)}?)` : ''}; strategies are ${STRATEGIES.join(', ')}`,
      );
    }
    strategy = name;
  }
  // As results are keyed (resultKey): bounded@8, batched@8, workers@8.
  if (concurrencyText !== undefined && (strategy === null || !keyedByLimit(strategy, Number(concurrencyText)))) {
    throw new UsageError(`--threshold ${quoteInput(expr)}: only bounded, batched and workers take a limit (bounded@8)`);
  }
  return { expr: expr.trim(), strategy, concurrency: concurrencyText === undefined ? null : Number(concurrencyText), metric: metric, op: op as ThresholdOp, value: Number(valueText) };
}

/**
 * Refuses thresholds that could never be checked in this run: a strategy or limit that will
 * not run, or a speedup without sequential to compare with.
 */
export function checkThresholdsApply(thresholds: readonly Threshold[], strategies: readonly StrategyName[], concurrency: readonly number[]): void {
  for (const t of thresholds) {
    if (t.strategy !== null && !strategies.includes(t.strategy)) {
      throw new UsageError(`--threshold ${quoteInput(t.expr)} names ${t.strategy}, which is not among the strategies run (${strategies.join(', ')})`);
    }
    if (t.concurrency !== null && !concurrency.includes(t.concurrency)) {
      throw new UsageError(`--threshold ${quoteInput(t.expr)} names ${t.strategy ?? 'bounded'}@${t.concurrency}, but -c is ${concurrency.join(',')}`);
    }
    if (t.metric === 'speedup' && !strategies.includes('sequential')) {
      throw new UsageError(`--threshold ${quoteInput(t.expr)}: speedup is measured against sequential, which is not among the strategies run`);
    }
    if (t.metric === 'speedup' && t.strategy === null && !strategies.some((s) => s !== 'sequential')) {
      throw new UsageError(`--threshold ${quoteInput(t.expr)}: speedup applies to the concurrent strategies, and none is among the strategies run`);
    }
    if (t.metric === 'speedup' && t.strategy === 'sequential') {
      throw new UsageError(`--threshold ${quoteInput(t.expr)}: sequential's speedup is 1 by definition; name all or bounded`);
    }
  }
}

/** The value of a metric for one result; null when it has none (speedup without sequential). */
export function metricValue(result: StrategyResult, metric: ThresholdMetric): number | null {
  switch (metric) {
    case 'speedup':
      return result.speedup;
    case 'wallMs':
      return result.wallMs;
    case 'reqPerSec':
      return result.reqPerSec;
    case 'failed':
      return result.failed;
    case 'errorRate':
      return result.requests > 0 ? result.failed / result.requests : 0;
    default:
      return result.latencyMs[metric];
  }
}

function compare(actual: number, op: ThresholdOp, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
  }
}

/** Whether a threshold applies to a result: its strategy and limit, and speedup only to concurrent ones. */
function applies(t: Threshold, r: StrategyResult): boolean {
  if (t.strategy !== null && t.strategy !== r.strategy) return false;
  if (t.concurrency !== null && t.concurrency !== r.concurrency) return false;
  return !(t.metric === 'speedup' && r.strategy === 'sequential');
}

/** Every threshold against every result it applies to; a threshold with nothing to check fails. */
export function evaluateThresholds(thresholds: readonly Threshold[], results: readonly StrategyResult[]): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const t of thresholds) {
    const targets = results.filter((r) => applies(t, r));
    if (targets.length === 0) {
      const label = t.strategy === null ? 'any' : t.concurrency === null ? t.strategy : `${t.strategy}@${t.concurrency}`;
      out.push({ expr: t.expr, strategy: label, actual: null, pass: false });
      continue;
    }
    for (const r of targets) {
      const actual = metricValue(r, t.metric);
      const check: ThresholdResult = { expr: t.expr, strategy: resultKey(r), actual: actual === null ? null : Math.round(actual * 1e6) / 1e6, pass: actual !== null && compare(actual, t.op, t.value) };
      // A strategy that failed more is never faster: no speedup check passes on it.
      if (t.metric === 'speedup' && r.verdict === 'more-failures') {
        check.pass = false;
        check.reason = `${resultKey(r)} failed more than ${results.some((o) => o.strategy === 'sequential') ? 'sequential' : 'the least-failing result'}: ${r.failed} of ${r.requests} failed`;
      }
      out.push(check);
    }
  }
  return out;
}

/** --min-speedup x: speedup >= x for every concurrent strategy. */
export function minSpeedupThreshold(x: number): Threshold {
  return { expr: `speedup>=${x}`, strategy: null, concurrency: null, metric: 'speedup', op: '>=', value: x };
}
