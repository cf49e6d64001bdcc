/**
 * One self-contained HTML page (--report): the summary table, a waterfall and a latency
 * histogram per strategy, the sweep curve and the checks when there are any, and the run's
 * configuration. The charts are SVG written here by hand: no charting library, no code, no
 * font or stylesheet from anywhere, so the file opens offline, weighs tens of kilobytes and a
 * Content-Security-Policy of default-src 'none' can forbid every request outright.
 */
import type { Report, RequestSample, StrategyResult } from '../core/report.js';
import { resultKey } from '../core/result-label.js';
import { maxOf } from '../core/stats.js';
import type { ExportContext } from './exporters.js';
import { formatBytes, formatMs, formatRate, formatSeconds, sampleEndMs, resultLabel } from './format.js';
import { baselineWarningLines, failureCauseLines, indicativeLine, interruptedSentence, protocolLines, recommendationNotes, setupLine, signedPercent, untoldFailureLines, verdictLines } from './prose.js';
import { humanTable, type Tone } from './table-model.js';
import { axisLabel, axisStep } from './waterfall.js';

/** What the page needs besides the report (the terminal's colours and width play no part). */
export type HtmlContext = Pick<ExportContext, 'heading' | 'sample'>;

/** Bars drawn over all waterfalls together: keeps a 100,000-request report well under 1 MB. */
export const HTML_MAX_BARS = 3000;
/** And per strategy, whatever the number of strategies. */
export const HTML_MAX_ROWS = 500;

/** Chart geometry in SVG user units (the SVG scales to the page's width). */
const WIDTH = 960;
const LEFT = 44;
const RIGHT = 16;
const PLOT = WIDTH - LEFT - RIGHT;
const AXIS = 26;

/** Text safe in HTML content and in double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Coordinates to one decimal: enough for a screen, and a third of the bytes. */
const n = (x: number): string => String(Math.round(x * 10) / 10);

type Sampled = StrategyResult & { samples: RequestSample[] };

function sampled(results: readonly StrategyResult[]): Sampled[] {
  return results.filter((r): r is Sampled => r.samples !== undefined && r.samples.length > 0);
}

/** Vertical grid lines and labels at nice steps along a 0..total axis, in ms. */
function timeAxis(totalMs: number, top: number, height: number, unit: 'time' | 'latency'): string {
  const step = axisStep(totalMs, PLOT, 80);
  const inSeconds = unit === 'time' && totalMs >= 1000;
  const parts: string[] = [];
  for (let i = 0; i * step <= totalMs + 1e-9; i++) {
    const x = LEFT + ((i * step) / totalMs) * PLOT;
    parts.push(`<line class="grid" x1="${n(x)}" x2="${n(x)}" y1="${top}" y2="${n(top + height)}"/>`);
    const text = unit === 'time' ? axisLabel(i * step, inSeconds) : axisLabel(i * step, false);
    parts.push(`<text class="tick" x="${n(x)}" y="${n(top + height + 16)}" text-anchor="${i === 0 ? 'start' : 'middle'}">${escapeHtml(text)}</text>`);
  }
  return parts.join('');
}

function sampleTitle(s: RequestSample, index: number): string {
  const latency = s.endMs === null ? 'cut off' : formatMs(s.endMs - s.startMs);
  const outcome = s.error === null ? String(s.status) : `${s.error}${s.status > 0 ? ` ${s.status}` : ''}`;
  const ttfb = s.ttfbMs === null ? '' : `, first byte after ${formatMs(s.ttfbMs)}`;
  return `#${index + 1} ${s.url}\n${latency} (sent at ${formatMs(s.startMs)}${ttfb}) · ${outcome} · ${formatBytes(s.bytes)}`;
}

/** One waterfall: a row per request, a bar from sent to last byte, on the shared axis. */
function waterfallSvg(r: Sampled, rows: RequestSample[], totalMs: number): string {
  const rowHeight = Math.max(1, Math.min(14, 480 / rows.length));
  const height = rows.length * rowHeight;
  const barHeight = rowHeight >= 4 ? rowHeight - 3 : rowHeight;
  const scale = (t: number): number => LEFT + (t / totalMs) * PLOT;
  const parts: string[] = [timeAxis(totalMs, 0, height, 'time')];
  rows.forEach((s, i) => {
    const x = scale(s.startMs);
    // At least a pixel: a 1 ms request on a 5 s axis must still be seen.
    const width = Math.max(1, scale(sampleEndMs(s, r)) - x);
    const state = s.endMs === null ? 'cut' : s.error === null ? 'ok' : 'failed';
    const y = i * rowHeight + (rowHeight - barHeight) / 2;
    parts.push(`<rect class="bar ${state}" x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(barHeight)}"><title>${escapeHtml(sampleTitle(s, i))}</title></rect>`);
    if (rowHeight >= 10) parts.push(`<text class="row" x="${LEFT - 6}" y="${n(y + barHeight - 1)}" text-anchor="end">${i + 1}</text>`);
  });
  const label = resultLabel(r);
  return `<svg class="waterfall" data-result="${escapeHtml(resultKey(r))}" viewBox="0 0 ${WIDTH} ${n(height + AXIS)}" role="img" aria-label="${escapeHtml(`waterfall of ${label}: ${rows.length} requests`)}">${parts.join('')}</svg>`;
}

function waterfallSection(report: Report): string {
  const results = sampled(report.results);
  if (results.length === 0) return '';
  const perStrategy = Math.max(1, Math.min(HTML_MAX_ROWS, Math.floor(HTML_MAX_BARS / results.length)));
  let totalMs = 0;
  for (const r of results) {
    totalMs = Math.max(totalMs, r.wallMs);
    for (const s of r.samples.slice(0, perStrategy)) totalMs = Math.max(totalMs, s.startMs, sampleEndMs(s, r));
  }
  if (!(totalMs > 0)) totalMs = 1;
  const figures = results.map((r) => {
    const rows = r.samples.slice(0, perStrategy);
    const facts = [`${r.requests} requests`, formatSeconds(r.wallMs), `at most ${r.maxInFlight} in flight`];
    if (r.failed > 0) facts.push(`<span class="bad">${r.failed} failed</span>`);
    if (r.partial) facts.push('<span class="warn">partial</span>');
    const more = r.samples.length > rows.length ? `<p class="note">The first ${rows.length} of ${r.samples.length} requests are drawn.</p>` : '';
    return `<figure><figcaption><strong>${escapeHtml(resultLabel(r))}</strong> · ${facts.join(' · ')}</figcaption>${waterfallSvg(r, rows, totalMs)}${more}</figure>`;
  });
  const median = report.config.runs > 1 ? ' Each strategy shows its median run.' : '';
  return `<section id="waterfalls"><h2>Waterfall</h2>
<p>One row per request, from the moment it was sent to its last byte, on one time axis for every strategy: a staircase for sequential, a wall for <code>Promise.all</code>, C lanes for bounded.${median} <span class="key ok">ok</span> <span class="key failed">failed</span> <span class="key cut">cut off</span> Hover a bar for its URL and timings.</p>
${figures.join('\n')}</section>`;
}

/** Latencies of the completed requests drawn, ms. */
function latencies(r: Sampled): number[] {
  return r.samples.filter((s) => s.endMs !== null).map((s) => s.endMs! - s.startMs);
}

function histogramSection(report: Report): string {
  const results = sampled(report.results);
  if (results.length === 0) return '';
  const values = results.map(latencies);
  let maxLatency = 0;
  for (const list of values) maxLatency = Math.max(maxLatency, maxOf(list));
  for (const r of results) maxLatency = Math.max(maxLatency, r.latencyMs.max);
  const domain = maxLatency > 0 ? maxLatency : 1;
  // About two bins per square root of the requests (6 to 40), each a nice number of ms wide.
  const most = maxOf(values.map((v) => v.length));
  const target = Math.max(6, Math.min(40, Math.round(2 * Math.sqrt(most))));
  const bin = axisStep(domain, target, 1);
  const bins = Math.max(1, Math.ceil(domain / bin));
  const total = bins * bin;
  const counts = values.map((list) => {
    const c = new Array<number>(bins).fill(0);
    for (const v of list) c[Math.min(bins - 1, Math.floor(v / bin))]!++;
    return c;
  });
  const peak = Math.max(1, maxOf(counts.flat()));
  const height = 120;
  const top = 14;
  const figures = results.map((r, i) => {
    const parts = [timeAxis(total, top, height, 'latency')];
    counts[i]!.forEach((count, b) => {
      if (count === 0) return;
      const h = (count / peak) * height;
      const x = LEFT + ((b * bin) / total) * PLOT;
      const w = (bin / total) * PLOT;
      parts.push(`<rect class="bin" x="${n(x + 0.5)}" y="${n(top + height - h)}" width="${n(Math.max(1, w - 1))}" height="${n(h)}"><title>${count} request${count === 1 ? '' : 's'} of ${formatMs(b * bin)}–${formatMs((b + 1) * bin)}</title></rect>`);
    });
    // p50's label to the left of its line, p95's to the right: close together, they still read.
    for (const [name, value, side] of [['p50', r.latencyMs.p50, -1], ['p95', r.latencyMs.p95, 1]] as const) {
      const x = LEFT + (value / total) * PLOT;
      parts.push(`<line class="marker" x1="${n(x)}" x2="${n(x)}" y1="${top}" y2="${top + height}"/><text class="marker" x="${n(x + side * 4)}" y="${top - 3}" text-anchor="${side < 0 ? 'end' : 'start'}">${name} ${escapeHtml(formatMs(value))}</text>`);
    }
    parts.push(`<line class="baseline" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${top + height}" y2="${top + height}"/>`);
    parts.push(`<text class="tick" x="${LEFT - 6}" y="${top + 8}" text-anchor="end">${peak}</text><text class="tick" x="${LEFT - 6}" y="${top + height}" text-anchor="end">0</text>`);
    const label = resultLabel(r);
    return `<figure><figcaption><strong>${escapeHtml(label)}</strong> · p50 ${escapeHtml(formatMs(r.latencyMs.p50))} · p95 ${escapeHtml(formatMs(r.latencyMs.p95))} · max ${escapeHtml(formatMs(r.latencyMs.max))}</figcaption><svg class="histogram" data-result="${escapeHtml(resultKey(r))}" viewBox="0 0 ${WIDTH} ${top + height + AXIS}" role="img" aria-label="${escapeHtml(`latency histogram of ${label}`)}">${parts.join('')}</svg></figure>`;
  });
  const runs = report.config.runs > 1 ? ' Bars count the median run\u2019s requests; the p50 and p95 lines are over all runs.' : '';
  return `<section id="latency"><h2>Latency distribution</h2>
<p>Requests per ${escapeHtml(formatMs(bin))} of latency (sent to last byte; time waiting for a slot is not latency), on one scale for every strategy.${runs}</p>
${figures.join('\n')}</section>`;
}

/** Goodput (ok/s) against the bounded limit, with sequential and all as dashed reference lines. */
function sweepSection(report: Report): string {
  const bounded = report.results.filter((r) => r.strategy === 'bounded').sort((a, b) => (a.concurrency ?? 0) - (b.concurrency ?? 0));
  if (bounded.length < 2) return '';
  const refs = report.results.filter((r) => r.strategy !== 'bounded');
  const height = 220;
  const top = 16;
  const peak = Math.max(maxOf([...bounded, ...refs].map((r) => r.okPerSec)), 1) * 1.1;
  const y = (v: number): number => top + height - (v / peak) * height;
  const x = (i: number): number => LEFT + 30 + (i / (bounded.length - 1)) * (PLOT - 60);
  const parts: string[] = [];
  const step = axisStep(peak, height, 40);
  for (let i = 0; i * step <= peak; i++) {
    parts.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${n(y(i * step))}" y2="${n(y(i * step))}"/><text class="tick" x="${LEFT - 6}" y="${n(y(i * step) + 4)}" text-anchor="end">${String(Number((i * step).toFixed(3)))}</text>`);
  }
  for (const r of refs) {
    parts.push(`<line class="ref" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${n(y(r.okPerSec))}" y2="${n(y(r.okPerSec))}"/><text class="ref" x="${WIDTH - RIGHT}" y="${n(y(r.okPerSec) - 4)}" text-anchor="end">${escapeHtml(`${resultLabel(r)}: ${formatRate(r.okPerSec)} ok/s`)}</text>`);
  }
  parts.push(`<text class="tick" x="${LEFT - 6}" y="${top - 6}" text-anchor="end">ok/s</text>`);
  parts.push(`<polyline class="curve" points="${bounded.map((r, i) => `${n(x(i))},${n(y(r.okPerSec))}`).join(' ')}"/>`);
  bounded.forEach((r, i) => {
    const best = report.recommendation?.concurrency === r.concurrency;
    parts.push(`<circle class="point${best ? ' recommended' : ''}${r.failed > 0 ? ' failed' : ''}" cx="${n(x(i))}" cy="${n(y(r.okPerSec))}" r="${best ? 6 : 4}"><title>${escapeHtml(`C=${r.concurrency}: ${formatRate(r.okPerSec)} ok/s${r.failed > 0 ? `, ${r.failed} failed` : ''}`)}</title></circle>`);
    parts.push(`<text class="tick" x="${n(x(i))}" y="${top + height + 16}" text-anchor="middle">C=${r.concurrency}</text>`);
    parts.push(`<text class="value" x="${n(x(i))}" y="${n(y(r.okPerSec) - 9)}" text-anchor="middle">${escapeHtml(formatRate(r.okPerSec))}</text>`);
  });
  const rec = report.recommendation
    ? `<p><strong>Recommended concurrency: ${report.recommendation.concurrency}</strong> (${escapeHtml(report.recommendation.reason)})</p>` + recommendationNotes(report).map((l) => `<p class="note">${escapeHtml(l)}</p>`).join('')
    : '';
  return `<section id="sweep"><h2>Concurrency sweep</h2><p>Ok responses per second (goodput) at each bounded limit: where the curve flattens, more concurrency stops paying; failures earn nothing.</p>
<figure><svg class="sweep" viewBox="0 0 ${WIDTH} ${top + height + AXIS}" role="img" aria-label="ok/s by concurrency limit">${parts.join('')}</svg></figure>${rec}</section>`;
}

function table(head: string[], rows: string[][], numeric: (column: number) => boolean = () => false, className = ''): string {
  const cells = (row: string[], tag: 'td' | 'th'): string => row.map((c, i) => `<${tag}${numeric(i) ? ' class="num"' : ''}>${c}</${tag}>`).join('');
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody></table>`;
}

function summarySection(report: Report): string {
  if (report.results.length === 0) return '<section id="summary"><h2>Summary</h2><p>No strategy ran.</p></section>';
  const model = humanTable(report);
  const tag: Record<Tone, (html: string) => string> = {
    plain: (h) => h,
    ok: (h) => h,
    bad: (h) => `<span class="bad">${h}</span>`,
    strong: (h) => h,
    best: (h) => `<strong>${h}</strong>`,
  };
  const rows = model.rows.map((cells) => cells.map((c) => tag[c.tone](escapeHtml(c.text)) + (c.note ? ` <span class="warn">${escapeHtml(c.note.trim())}</span>` : '')));
  const head = model.headers;
  const notes = [...verdictLines(report.results), ...protocolLines(report), ...untoldFailureLines(report.results), ...failureCauseLines(report.results), ...[indicativeLine(report)].filter((l): l is string => l !== null)];
  const stage = setupLine(report);
  return `<section id="summary"><h2>Summary</h2>${stage ? `<p class="note">${escapeHtml(stage)}</p>` : ''}${table(head, rows, (i) => model.aligns[i] === 'right', 'summary')}
${notes.length > 0 ? `<ul class="verdicts">${notes.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : ''}</section>`;
}

function checksSection(report: Report): string {
  const parts: string[] = [];
  if (report.thresholds && report.thresholds.length > 0) {
    const rows = report.thresholds.map((t) => [
      t.pass ? '<span class="good">pass</span>' : '<span class="bad">FAIL</span>',
      `<code>${escapeHtml(t.expr)}</code>`,
      escapeHtml(t.strategy),
      (t.actual === null ? 'no result' : escapeHtml(String(t.actual))) + (t.reason ? ` (${escapeHtml(t.reason)})` : ''),
    ]);
    parts.push('<h3>Thresholds</h3>' + table(['', 'Check', 'Result', 'Actual'], rows, (i) => i === 3));
  }
  const b = report.baseline;
  if (b) {
    const rows = b.comparisons.map((c) => [
      c.pass ? '<span class="good">pass</span>' : '<span class="bad">FAIL</span>',
      escapeHtml(c.strategy),
      escapeHtml(formatSeconds(c.wallMs)),
      escapeHtml(formatSeconds(c.baselineWallMs)),
      escapeHtml(signedPercent(c.changePct)),
      escapeHtml(signedPercent(c.favourableChangePct)),
    ]);
    const warnings = baselineWarningLines(report).map((w) => `<p class="warn">${escapeHtml(w)}</p>`).join('');
    parts.push(`<h3>Baseline</h3><p>Saved run ${escapeHtml(b.startedAt || 'of unknown date')}; limit +${b.maxRegressionPct}%.</p>${warnings}` + table(['', 'Result', 'Now', 'Saved', 'Change', 'At best'], rows, (i) => i >= 2));
  }
  return parts.length === 0 ? '' : `<section id="checks"><h2>Checks</h2>${parts.join('\n')}</section>`;
}

function configSection(report: Report): string {
  const c = report.config;
  const entries: Array<[string, string]> = [
    ['target', c.target],
    ['requests per strategy', String(c.count)],
    ['strategies', c.strategies.join(', ')],
    ['concurrency', c.concurrency.join(', ')],
    ['runs', `${c.runs} measured, ${c.warmup} warm-up`],
    ['timeout', `${c.timeoutMs} ms`],
    ['retries', String(c.retries)],
    ['rate', c.ratePerSec === null ? 'none' : `${c.ratePerSec}/s`],
    ['redirects', String(c.maxRedirects)],
    ['offline', c.offline ? `yes, latency ${c.latency ?? 'default'}` : 'no'],
    ['seed', String(c.seed)],
    ['headers', c.headers.length === 0 ? 'none' : c.headers.join('\n')],
  ];
  if (c.language !== undefined) entries.push(['language', c.language]);
  if (c.faults) entries.push(['faults', `error rate ${c.faults.errorRate}, rate limit ${c.faults.rateLimitPerSec ?? 'none'}, max in flight ${c.faults.maxInflight ?? 'none'}, capacity ${c.faults.capacity ?? 'none'}${c.faults.bandwidthMbps ? `, bandwidth ${c.faults.bandwidthMbps} Mbit/s` : ''}`]);
  const env = report.environment;
  entries.push(
    ['started', report.startedAt],
    ['tool', `${report.tool.name} ${report.tool.version}`],
    ['environment', `Node ${env.node}, ${env.platform} ${env.arch}, ${env.cpus} CPUs`],
  );
  return `<section id="config"><h2>Configuration</h2><dl>${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl></section>`;
}

/** The report as JSON inside the page, for scripts; samples left out (the charts draw them). */
function dataBlock(report: Report): string {
  const light = { ...report, results: report.results.map(({ samples: _samples, ...rest }) => rest) };
  // "<" escaped: no "</script>" or "<!--" inside a URL can end the block early.
  const json = JSON.stringify(light).replace(/</g, '\\u003c');
  return `<script type="application/json" id="report-data">${json}</script>`;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1d232b;--muted:#5b6570;--bg:#fff;--panel:#f5f7f9;--line:#d9dee3;--ok:#2f7fc1;--bad:#c8323c;--warn:#d9861c;--good:#23875a;--accent:#6b4fbb}
@media (prefers-color-scheme:dark){:root{--fg:#e3e7eb;--muted:#9aa4ae;--bg:#15191e;--panel:#1d232a;--line:#323a43;--ok:#5aa6e6;--bad:#f0656e;--warn:#f0a94a;--good:#4cc38a;--accent:#a993f0}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1040px;padding:24px 20px 48px;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;padding-top:8px;border-top:1px solid var(--line)}h3{font-size:16px;margin:18px 0 6px}
p{margin:6px 0}.note,.sub{color:var(--muted)}code{font:13px ui-monospace,"DejaVu Sans Mono",monospace}
table{border-collapse:collapse;margin:8px 0;font-size:14px;width:100%}th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
th{background:var(--panel)}.num{text-align:right;font-variant-numeric:tabular-nums}
.summary td:first-child{font-weight:600}
ul.verdicts{margin:8px 0;padding-left:20px}
figure{margin:14px 0;padding:10px 12px;background:var(--panel);border-radius:6px}figcaption{font-size:14px;margin-bottom:4px}
svg{display:block;width:100%;height:auto;overflow:visible}
.grid{stroke:var(--line);stroke-width:1}.baseline{stroke:var(--muted);stroke-width:1}.tick,.row,.value,.ref{fill:var(--muted);font:11px system-ui,"DejaVu Sans",sans-serif}
.bar.ok,.bin{fill:var(--ok)}.bar.failed{fill:var(--bad)}.bar.cut{fill:var(--warn)}.bar:hover,.bin:hover{opacity:.75}
.marker{stroke:var(--accent);stroke-width:1.5;stroke-dasharray:4 3}text.marker{stroke:none;fill:var(--accent);font:11px system-ui,"DejaVu Sans",sans-serif}
.curve{fill:none;stroke:var(--ok);stroke-width:2.5}.point{fill:var(--ok)}.point.recommended{fill:var(--good);stroke:var(--bg);stroke-width:2}.point.failed{fill:var(--bad)}
line.ref{stroke:var(--muted);stroke-dasharray:6 4}
.bad{color:var(--bad);font-weight:600}.good{color:var(--good);font-weight:600}.warn{color:var(--warn);font-weight:600}
.key{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}.key.ok{background:var(--ok)}.key.failed{background:var(--bad)}.key.cut{background:var(--warn)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;font-size:14px}dt{color:var(--muted)}dd{margin:0;white-space:pre-wrap;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px}
`;

/** The whole page, every byte of it in one string. */
export function renderHtml(report: Report, context: HtmlContext): string {
  const interrupted = interruptedSentence(report);
  const partial = interrupted ? `<p class="warn">${escapeHtml(interrupted)}</p>` : '';
  const title = `async-bench: ${context.heading}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(`${report.tool.name} ${report.tool.version}`)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>async-bench report</h1><p class="sub">${escapeHtml(context.heading)} · started ${escapeHtml(report.startedAt)}</p>${partial}${context.sample ? `<p class="note">${escapeHtml(context.sample)}</p>` : ''}</header>
${summarySection(report)}
${waterfallSection(report)}
${histogramSection(report)}
${sweepSection(report)}
${checksSection(report)}
${configSection(report)}
${dataBlock(report)}
</body>
</html>
`;
}
