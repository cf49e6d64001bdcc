import type { ChalkInstance } from 'chalk';
import type { Recommendation, StrategyResult } from '../core/report.js';
import { maxOf } from '../core/stats.js';
import { formatRate } from './format.js';

/**
 * Goodput (ok responses a second) against the bounded limit, one bar per limit, fitted to `columns`: the knee of the
 * curve is where more concurrency stops paying. Plain characters, so it reads without colour.
 */
export function renderSweepChart(results: readonly StrategyResult[], columns: number, chalk: ChalkInstance, recommended?: Recommendation): string {
  const bounded = results.filter((r) => r.strategy === 'bounded');
  if (bounded.length < 2) return '';
  const labels = bounded.map((r) => `C=${r.concurrency}`);
  const values = bounded.map((r) => formatRate(r.okPerSec) + ' ok/s' + (r.failed > 0 ? `, ${r.failed} failed` : ''));
  const labelWidth = maxOf(labels.map((l) => l.length));
  const valueWidth = maxOf(values.map((v) => v.length));
  const barWidth = Math.max(10, Math.min(60, columns - labelWidth - valueWidth - 6));
  const best = Math.max(maxOf(bounded.map((r) => r.okPerSec)), 0);
  const lines = ['ok/s by concurrency limit'];
  bounded.forEach((r, i) => {
    const length = best > 0 ? Math.max(1, Math.round((r.okPerSec / best) * barWidth)) : 1;
    const bar = '#'.repeat(length).padEnd(barWidth);
    const mark = recommended?.concurrency === r.concurrency ? ' <' : '';
    const painted = r.failed > 0 ? chalk.red(bar) : recommended?.concurrency === r.concurrency ? chalk.green(bar) : chalk.cyan(bar);
    lines.push(`${labels[i]!.padStart(labelWidth)} |${painted}| ${values[i]}${mark}`);
  });
  return lines.join('\n');
}
