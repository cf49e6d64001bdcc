/** Number and label formatting shared by the human-readable exporters. */
import type { RequestSample, StrategyResult } from '../core/report.js';
import type { Protocol, StrategyName } from '../core/types.js';

/** What a label adds to a strategy's name: adaptive's settled limit, workers' threads. */
export interface LabelDetail {
  settledLimit?: number | null;
  threads?: number;
}

/**
 * "bounded (C=5)", "all (Promise.all)"; adaptive with the limit it settled at when known,
 * "adaptive (→9)"; workers with its threads and limit, "workers (N=2, C=10)".
 */
export function strategyLabel(strategy: StrategyName, concurrency: number | null, detail: LabelDetail = {}): string {
  const { settledLimit, threads } = detail;
  if (strategy === 'bounded' || strategy === 'batched') return `${strategy} (C=${concurrency ?? '?'})`;
  if (strategy === 'workers') {
    const facts = [...(threads === undefined ? [] : [`N=${threads}`]), ...(concurrency === null ? [] : [`C=${concurrency}`])];
    return facts.length === 0 ? 'workers' : `workers (${facts.join(', ')})`;
  }
  if (strategy === 'all') return 'all (Promise.all)';
  if (strategy === 'adaptive') return settledLimit === undefined || settledLimit === null ? 'adaptive' : `adaptive (→${settledLimit})`;
  return strategy;
}

/** " · h2" after a result's name when the run compared HTTP versions; nothing otherwise. */
export function protocolSuffix(result: { protocol?: Protocol }): string {
  return result.protocol === undefined ? '' : ` · ${result.protocol}`;
}

/**
 * A result's (or a spec's) name: "all (Promise.all)", adaptive with the limit it settled at once a
 * result knows it ("adaptive (→9)"), workers with its threads ("workers (N=2, C=10)"), and " · h2" after it when the run compared HTTP versions.
 */
export function resultLabel(result: { strategy: StrategyName; concurrency: number | null; protocol?: Protocol; adaptive?: { settledLimit?: number; start?: number }; workers?: number; threads?: number }): string {
  return strategyLabel(result.strategy, result.concurrency, { settledLimit: result.adaptive?.settledLimit, threads: result.workers ?? result.threads }) + protocolSuffix(result);
}

/** The short name of sentences and a narrow table: "all" for all (Promise.all), the rest as resultLabel ("bounded (C=5) · h2"). */
export function shortLabel(result: Parameters<typeof resultLabel>[0]): string {
  return result.strategy === 'all' ? `all${protocolSuffix(result)}` : resultLabel(result);
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

/** "2.483 s" or, with repeated runs, the median with its range: "2.483 s (2.401–2.552)" (never median ± σ). */
export function formatWall(r: StrategyResult): string {
  if (r.runs.length < 2) return formatSeconds(r.wallMs);
  return `${formatSeconds(r.wallMs)} (${(r.wallMsStats.min / 1000).toFixed(3)}–${(r.wallMsStats.max / 1000).toFixed(3)})`;
}

/** "6.04x", with its 95% interval when there is one: "6.04x (5.81–6.30)"; a dash without sequential. */
export function formatSpeedupSpread(r: StrategyResult): string {
  if (r.speedup === null) return '–';
  return r.speedupCI95 === null ? formatSpeedup(r.speedup) : `${formatSpeedup(r.speedup)} (${r.speedupCI95[0].toFixed(2)}–${r.speedupCI95[1].toFixed(2)})`;
}

/** Where a request's bar ends: its last byte, or the end of the run for one cut off in flight. */
export function sampleEndMs(sample: RequestSample, result: StrategyResult): number {
  return sample.endMs ?? Math.max(result.wallMs, sample.startMs);
}

/** Columns a text takes on a terminal: colour codes take none, and each character one (the tool prints no wide ones). */
export function displayWidth(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/**
 * A line of prose as lines of at most `width` columns, broken between words (at `separator`,
 * which continuation lines start with, after `indent`): "a · b · c" at a narrow width reads
 * "a · b" and "  · c". A word longer than the width (a URL) stays whole on its own line.
 */
export function wrapText(text: string, width: number, options: { indent?: string; separator?: string } = {}): string[] {
  const indent = options.indent ?? '  ';
  const separator = options.separator ?? ' ';
  if (displayWidth(text) <= width) return [text];
  const words = text.split(separator);
  const lead = indent + separator.trimStart();
  const lines: string[] = [];
  let line = words[0]!;
  for (const word of words.slice(1)) {
    const joined = line + separator + word;
    if (displayWidth(joined) <= width) line = joined;
    else {
      lines.push(line);
      line = lead + word;
    }
  }
  lines.push(line);
  return lines;
}

/** A file's size as `ls -h` would put it in words: "512 B", "36 KB", "1.4 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Sat 21 Nov 2026, 22:00 UTC" from an ISO time; the text as given when it is no date. */
export function humanDate(iso: string): string {
  const d = new Date(iso);
  if (iso === '' || Number.isNaN(d.getTime())) return iso;
  const two = (x: number): string => String(x).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]!} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}
