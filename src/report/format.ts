/** Number and label formatting shared by the human-readable exporters. */
import type { StrategyName } from '../core/types.js';

export function strategyLabel(strategy: StrategyName, concurrency: number | null): string {
  if (strategy === 'bounded') return `bounded (C=${concurrency ?? '?'})`;
  if (strategy === 'all') return 'all (Promise.all)';
  return 'sequential';
}

/** Wall times: seconds with three decimals, as "2.483 s". */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** Latencies: precision that fits the size, from "0.42 ms" to "312 ms". */
export function formatMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

export function formatSpeedup(ratio: number | null): string {
  return ratio === null ? '–' : `${ratio.toFixed(2)}x`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** Keeps the rule under a cli-table3 header and drops those between body rows: one compact table. */
export function withoutRowRules(rendered: string): string {
  const rows = rendered.split('\n');
  return rows.filter((row, i) => i <= 2 || i === rows.length - 1 || !row.includes('┼')).join('\n');
}
