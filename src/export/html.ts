/**
 * One self-contained HTML page (--report) that answers first: a verdict banner (the fastest
 * strategy like for like, the limit to use, the checks), the command that runs it again, the
 * summary table, then the charts (the sweep curve, each round's wall time, a waterfall and a
 * latency histogram per strategy), the checks in detail and the run's configuration.
 *
 * The charts are SVG written here by hand: no charting library, no code, no font or stylesheet
 * from anywhere, so the file opens offline, weighs tens of kilobytes and a Content-Security-Policy
 * of default-src 'none' can forbid every request outright. An SVG has no viewBox: its x
 * coordinates are percentages of the plot's width and its y coordinates pixels, so it fills any
 * width while its text keeps its CSS size (11 px at 360 px as at 1280 px), and labels that would
 * crowd a narrow screen are hidden there by a media query.
 */
import type { Report, RequestSample, StrategyResult } from '../core/report.js';
import { resultKey } from '../core/result-label.js';
import { maxOf } from '../core/stats.js';
import type { ExportContext } from './exporters.js';
import { formatBytes, formatMs, formatRate, formatSeconds, humanDate, resultLabel, sampleEndMs } from './format.js';
import { binIndex, binsEnd, histogramBins } from './histogram-bins.js';
import { baselineWarningLines, recommendationNotes, setupLine, signedPercent, summaryNotes, verdictBanner } from './prose.js';
import { humanTable, type Tone } from './table-model.js';
import { axisLabel, axisStep } from './waterfall.js';

/** What the page needs besides the report (the terminal's colours and width play no part). */
export type HtmlContext = Pick<ExportContext, 'heading' | 'sample'>;

/** Bars drawn over all waterfalls together: keeps a 100,000-request report well under 1 MB. */
export const HTML_MAX_BARS = 3000;
/** And per strategy, whatever the number of strategies. */
export const HTML_MAX_ROWS = 500;
/** With more results than this, each waterfall is folded behind its caption (<details>). */
export const HTML_OPEN_WATERFALLS = 3;

/** Height of the time axis under a chart, px. */
const AXIS = 26;
/** Tick labels are spaced for a wide plot (about 900 px); every other one is hidden on a narrow screen. */
const WIDE_PLOT = 900;
const TICK_SPACING = 80;

/** Text safe in HTML content and in double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Pixels to one decimal: enough for a screen, and a third of the bytes. */
const n = (x: number): string => String(Math.round(x * 10) / 10);
/** A fraction of the plot's width as a percentage, to a hundredth (a pixel on a 10,000 px plot). */
const pct = (fraction: number): string => `${Math.round(fraction * 10000) / 100}%`;

type Sampled = StrategyResult & { samples: RequestSample[] };

function sampled(results: readonly StrategyResult[]): Sampled[] {
  return results.filter((r): r is Sampled => r.samples !== undefined && r.samples.length > 0);
}

/** Where a label at this fraction of the width anchors, so that it never leaves the plot. */
function anchorAt(fraction: number): string {
  return fraction < 0.04 ? 'start' : fraction > 0.96 ? 'end' : 'middle';
}

/** Labels a narrow screen has room for along an axis. */
const NARROW_LABELS = 5;
/** The labels to hide on a narrow screen: all but every k-th, so that at most five remain. */
const minorClass = (index: number, total: number): string => (index % Math.ceil(total / NARROW_LABELS) === 0 ? '' : ' minor');

/** Vertical grid lines and labels at nice steps along a from..to axis, in ms. */
function timeAxis(from: number, to: number, top: number, height: number, inSeconds: boolean): string {
  const span = to - from;
  const step = axisStep(span, WIDE_PLOT, TICK_SPACING);
  const ticks: number[] = [];
  for (let i = Math.ceil(from / step - 1e-9); i * step <= to + 1e-9; i++) ticks.push(i * step);
  return ticks
    .map((t, i) => {
      const at = (t - from) / span;
      return (
        `<line class="grid" x1="${pct(at)}" x2="${pct(at)}" y1="${top}" y2="${n(top + height)}"/>` +
        `<text class="tick${minorClass(i, ticks.length)}" x="${pct(at)}" y="${n(top + height + 16)}" text-anchor="${anchorAt(at)}">${escapeHtml(axisLabel(t, inSeconds))}</text>`
      );
    })
    .join('');
}

/** A chart: no viewBox (see the top of the file); the class names the kind, the height is in px. */
function chart(kind: string, height: number, label: string, body: string, attributes = ''): string {
  return `<svg class="${kind}"${attributes} height="${n(height)}" role="img" aria-label="${escapeHtml(label)}">${body}</svg>`;
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
  const parts: string[] = [timeAxis(0, totalMs, 0, height, totalMs >= 1000)];
  rows.forEach((s, i) => {
    const from = s.startMs / totalMs;
    // Never zero wide (a zero-width rect is not drawn): the bar's 1 px outline shows a 1 ms request on a 5 s axis.
    const width = Math.max(0.0001, sampleEndMs(s, r) / totalMs - from);
    const state = s.endMs === null ? 'cut' : s.error === null ? 'ok' : 'failed';
    const y = i * rowHeight + (rowHeight - barHeight) / 2;
    parts.push(`<rect class="bar ${state}" x="${pct(from)}" y="${n(y)}" width="${pct(width)}" height="${n(barHeight)}"><title>${escapeHtml(sampleTitle(s, i))}</title></rect>`);
    if (rowHeight >= 10) parts.push(`<text class="row" x="-6" y="${n(y + barHeight - 1)}" text-anchor="end">${i + 1}</text>`);
  });
  const label = resultLabel(r);
  return chart('waterfall', height + AXIS, `waterfall of ${label}: ${rows.length} requests`, parts.join(''), ` data-result="${escapeHtml(resultKey(r))}"`);
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
  // Many results make a long page: each waterfall then waits behind its caption.
  const folded = results.length > HTML_OPEN_WATERFALLS;
  const figures = results.map((r) => {
    const rows = r.samples.slice(0, perStrategy);
    const facts = [`${r.requests} requests`, formatSeconds(r.wallMs), `at most ${r.maxInFlight} in flight`];
    // With --runs the rows are the median run's, while the counts are over every run.
    if (r.runs.length > 1) facts[0] = `${r.samples.length} requests (median run)`;
    if (r.failed > 0) facts.push(`<span class="bad">${r.failed} failed</span>`);
    if (r.partial) facts.push('<span class="warn">partial</span>');
    const caption = `<strong>${escapeHtml(resultLabel(r))}</strong> · ${facts.join(' · ')}`;
    const more = r.samples.length > rows.length ? `<p class="note">The first ${rows.length} of ${r.samples.length} requests are drawn.</p>` : '';
    const body = waterfallSvg(r, rows, totalMs) + more;
    return folded ? `<details class="figure"><summary>${caption}</summary>${body}</details>` : `<figure><figcaption>${caption}</figcaption>${body}</figure>`;
  });
  const median = report.config.runs > 1 ? ' Each strategy shows its median run.' : '';
  const fold = folded ? ` ${results.length} results: open one to see its requests.` : '';
  return `<section id="waterfalls"><h2>Waterfall</h2>
<p>One row per request, from the moment it was sent to its last byte, on one time axis for every strategy: a staircase for sequential, a wall for <code>Promise.all</code>, C lanes for bounded.${median} <span class="key ok">ok</span> <span class="key failed">failed</span> <span class="key cut">cut off</span> Hover a bar for its URL and timings.${fold}</p>
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
  const { axis, bins } = histogramBins(values);
  const counts = values.map((list, i) => {
    const b = bins[i];
    const c = new Array<number>(b?.count ?? 0).fill(0);
    if (b) for (const v of list) c[binIndex(b, v)]!++;
    return c;
  });
  const widths = new Set(bins.filter((b) => b !== null).map((b) => b.width));
  // One count scale too when the bars are alike: heights then compare across strategies.
  const alike = axis !== null && widths.size === 1;
  const globalPeak = Math.max(1, maxOf(counts.flat()));
  const height = 120;
  const top = 14;
  const figures = results.map((r, i) => {
    const b = bins[i];
    const label = resultLabel(r);
    const lat = r.latencyMs;
    const facts = `p50 ${escapeHtml(formatMs(lat.p50))} · p95 ${escapeHtml(formatMs(lat.p95))} · max ${escapeHtml(formatMs(lat.max))}${alike || !b ? '' : ` · bars of ${escapeHtml(formatMs(b.width))}`}`;
    const caption = `<figcaption><strong>${escapeHtml(label)}</strong> · ${facts}</figcaption>`;
    if (!b) return `<figure>${caption}<p class="note">No request completed.</p></figure>`;
    const peak = alike ? globalPeak : Math.max(1, maxOf(counts[i]!));
    const from = axis?.from ?? b.start;
    const span = (axis?.to ?? binsEnd(b)) - from;
    const at = (ms: number): number => (ms - from) / span;
    const parts = [timeAxis(from, from + span, top, height, false)];
    counts[i]!.forEach((count, k) => {
      if (count === 0) return;
      const h = (count / peak) * height;
      const start = b.start + k * b.width;
      parts.push(`<rect class="bin" x="${pct(at(start))}" y="${n(top + height - h)}" width="${pct(b.width / span)}" height="${n(h)}"><title>${count} request${count === 1 ? '' : 's'} of ${formatMs(start)}–${formatMs(start + b.width)}</title></rect>`);
    });
    // p50's label to the left of its line, p95's to the right: close together, they still read.
    for (const [name, value, side] of [['p50', lat.p50, -1], ['p95', lat.p95, 1]] as const) {
      // Over all runs, while the bars are the median run's: a marker may fall outside them.
      const x = Math.max(0, Math.min(1, at(value)));
      const anchor = side < 0 ? (x < 0.1 ? 'start' : 'end') : x > 0.9 ? 'end' : 'start';
      const dx = anchor === 'end' ? -4 : 4;
      parts.push(`<line class="marker" x1="${pct(x)}" x2="${pct(x)}" y1="${top}" y2="${top + height}"/><text class="marker" x="${pct(x)}" dx="${dx}" y="${top - 3}" text-anchor="${anchor}">${name}</text>`);
    }
    parts.push(`<line class="baseline" x1="0" x2="100%" y1="${top + height}" y2="${top + height}"/>`);
    parts.push(`<text class="tick" x="-6" y="${top + 8}" text-anchor="end">${peak}</text><text class="tick" x="-6" y="${top + height}" text-anchor="end">0</text>`);
    return `<figure>${caption}${chart('histogram', top + height + AXIS, `latency histogram of ${label}`, parts.join(''), ` data-result="${escapeHtml(resultKey(r))}"`)}</figure>`;
  });
  const runs = report.config.runs > 1 ? ' Bars count the median run\u2019s requests; the p50 and p95 lines are over all runs.' : '';
  const scale = alike
    ? `Requests per ${escapeHtml(formatMs([...widths][0]!))} of latency, on one axis and one scale for every strategy`
    : axis !== null
      ? 'Requests per bar of latency, on one time axis for every strategy; each strategy\u2019s bars are as wide as its own data asks (in its caption)'
      : 'Requests per bar of latency, each strategy on its own axis (one\u2019s latencies lie in too narrow a range to share one)';
  return `<section id="latency"><h2>Latency distribution</h2>
<p>${scale} (sent to last byte; time waiting for a slot is not latency).${runs}</p>
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
  const x = (i: number): number => 0.04 + (i / (bounded.length - 1)) * 0.92;
  const parts: string[] = [];
  const step = axisStep(peak, height, 40);
  for (let i = 0; i * step <= peak; i++) {
    parts.push(`<line class="grid" x1="0" x2="100%" y1="${n(y(i * step))}" y2="${n(y(i * step))}"/><text class="tick" x="-6" y="${n(y(i * step) + 4)}" text-anchor="end">${String(Number((i * step).toFixed(3)))}</text>`);
  }
  for (const r of refs) {
    parts.push(`<line class="ref" x1="0" x2="100%" y1="${n(y(r.okPerSec))}" y2="${n(y(r.okPerSec))}"/><text class="ref" x="100%" y="${n(y(r.okPerSec) - 4)}" text-anchor="end">${escapeHtml(`${resultLabel(r)}: ${formatRate(r.okPerSec)} ok/s`)}</text>`);
  }
  parts.push(`<text class="tick" x="-6" y="${top - 6}" text-anchor="end">ok/s</text>`);
  for (let i = 1; i < bounded.length; i++) {
    parts.push(`<line class="curve" x1="${pct(x(i - 1))}" y1="${n(y(bounded[i - 1]!.okPerSec))}" x2="${pct(x(i))}" y2="${n(y(bounded[i]!.okPerSec))}"/>`);
  }
  bounded.forEach((r, i) => {
    const best = report.recommendation?.concurrency === r.concurrency;
    const minor = minorClass(i, bounded.length);
    parts.push(`<circle class="point${best ? ' recommended' : ''}${r.failed > 0 ? ' failed' : ''}" cx="${pct(x(i))}" cy="${n(y(r.okPerSec))}" r="${best ? 6 : 4}"><title>${escapeHtml(`C=${r.concurrency}: ${formatRate(r.okPerSec)} ok/s${r.failed > 0 ? `, ${r.failed} failed` : ''}`)}</title></circle>`);
    parts.push(`<text class="tick${minor}" x="${pct(x(i))}" y="${top + height + 16}" text-anchor="middle">C=${r.concurrency}</text>`);
    parts.push(`<text class="value${best ? '' : minor}" x="${pct(x(i))}" y="${n(y(r.okPerSec) - 9)}" text-anchor="middle">${escapeHtml(formatRate(r.okPerSec))}</text>`);
  });
  const rec = report.recommendation
    ? `<p><strong>Recommended concurrency: ${report.recommendation.concurrency}</strong> (${escapeHtml(report.recommendation.reason)})</p>` + recommendationNotes(report).map((l) => `<p class="note">${escapeHtml(l)}</p>`).join('')
    : '';
  return `<section id="sweep"><h2>Concurrency sweep</h2><p>Ok responses per second (goodput) at each bounded limit: where the curve flattens, more concurrency stops paying; failures earn nothing.</p>
<figure>${chart('sweep', top + height + AXIS, 'ok/s by concurrency limit', parts.join(''))}</figure>${rec}</section>`;
}

/** With --runs: every measured round's wall time, a dot each, one strip per result. */
function runsSection(report: Report): string {
  const results = report.results.filter((r) => r.runs.length > 0);
  if (!results.some((r) => r.runs.length > 1)) return '';
  let maxWall = 0;
  for (const r of results) for (const run of r.runs) maxWall = Math.max(maxWall, run.wallMs);
  if (!(maxWall > 0)) maxWall = 1;
  const rowHeight = 36;
  const at = (ms: number): string => pct(ms / maxWall);
  const parts: string[] = [timeAxis(0, maxWall, 0, results.length * rowHeight, maxWall >= 1000)];
  results.forEach((r, i) => {
    const label = resultLabel(r);
    const line = i * rowHeight + 26;
    parts.push(`<text class="label" x="0" y="${i * rowHeight + 13}">${escapeHtml(label)}</text>`);
    parts.push(`<line class="strip" x1="0" x2="100%" y1="${line}" y2="${line}"/>`);
    parts.push(`<line class="median" x1="${at(r.wallMs)}" x2="${at(r.wallMs)}" y1="${line - 8}" y2="${line + 8}"><title>${escapeHtml(`${label}: median ${formatSeconds(r.wallMs)}`)}</title></line>`);
    r.runs.forEach((run, k) => {
      const failed = run.failed > 0 ? `, ${run.failed} failed` : '';
      parts.push(`<circle class="run${run.failed > 0 ? ' failed' : ''}" cx="${at(run.wallMs)}" cy="${line}" r="4"><title>${escapeHtml(`${label}, round ${k + 1}: ${formatSeconds(run.wallMs)}${failed}`)}</title></circle>`);
    });
  });
  const failures = results.some((r) => r.runs.some((run) => run.failed > 0)) ? ' <span class="key failed">failures in the round</span>' : '';
  return `<section id="runs"><h2>Round by round</h2><p>Each measured round's wall time, one dot per round (hover for its number), on one time axis; the tick is the median, the table's Time taken. Rounds that drift, or one far from the rest, show here.${failures}</p>
<figure>${chart('runs', results.length * rowHeight + AXIS, 'wall time of every round, per strategy', parts.join(''))}</figure></section>`;
}

/** adaptive: its limit over the run, a step line, with the limit it settled at dashed. */
function limitTraceSection(report: Report): string {
  const adaptive = report.results.filter((r): r is StrategyResult & { adaptive: NonNullable<StrategyResult['adaptive']> } => r.adaptive !== undefined && r.adaptive.limitTrace.length > 0);
  if (adaptive.length === 0) return '';
  const height = 160;
  const top = 16;
  const figures = adaptive.map((r) => {
    const { limitTrace, settledLimit } = r.adaptive;
    const totalMs = Math.max(r.wallMs, limitTrace[limitTrace.length - 1]![0], 1);
    const peak = Math.max(maxOf(limitTrace.map(([, limit]) => limit)), settledLimit, 1) * 1.1;
    const x = (t: number): string => pct(t / totalMs);
    const y = (v: number): string => n(top + height - (v / peak) * height);
    const parts: string[] = [timeAxis(0, totalMs, top, height, totalMs >= 1000)];
    const step = axisStep(peak, height, 32);
    for (let i = 0; i * step <= peak; i++) parts.push(`<text class="tick" x="-6" y="${n(top + height - ((i * step) / peak) * height + 4)}" text-anchor="end">${String(Number((i * step).toFixed(3)))}</text>`);
    parts.push(`<line class="ref" x1="0" x2="100%" y1="${y(settledLimit)}" y2="${y(settledLimit)}"/><text class="ref" x="100%" y="${n(Number(y(settledLimit)) - 4)}" text-anchor="end">${escapeHtml(`settled at ${settledLimit}`)}</text>`);
    // A step line: each limit holds until the next change (a riser up or down), the last until the run's end.
    limitTrace.forEach(([t, limit], k) => {
      const until = k + 1 < limitTrace.length ? limitTrace[k + 1]![0] : totalMs;
      parts.push(`<line class="curve" x1="${x(t)}" y1="${y(limit)}" x2="${x(until)}" y2="${y(limit)}"/>`);
      const nextLimit = limitTrace[k + 1]?.[1];
      if (nextLimit !== undefined) parts.push(`<line class="curve" x1="${x(until)}" y1="${y(limit)}" x2="${x(until)}" y2="${y(nextLimit)}"/>`);
    });
    parts.push(`<line class="baseline" x1="0" x2="100%" y1="${top + height}" y2="${top + height}"/>`);
    const label = resultLabel(r);
    const caption = `<figcaption><strong>${escapeHtml(label)}</strong> · from ${r.adaptive.start}, at most ${r.adaptive.max} · ${r.failed > 0 ? `<span class="bad">${r.failed} failed</span>` : '0 failed'}</figcaption>`;
    return `<figure>${caption}${chart('limit-trace', top + height + AXIS, `limit of ${label} over time`, parts.join(''), ` data-result="${escapeHtml(resultKey(r))}"`)}</figure>`;
  });
  return `<section id="limit"><h2>Adaptive limit</h2><p>The limit adaptive allowed over the run: it grows while responses come back ok and on time, and backs off at a refusal (429, 503), a timeout or a rising latency.</p>
${figures.join('\n')}</section>`;
}

/**
 * The charts, in the order they appear: each returns its section, or '' when it has nothing to
 * draw. A new chart is one function here.
 */
const CHARTS: ReadonlyArray<(report: Report) => string> = [sweepSection, limitTraceSection, runsSection, waterfallSection, histogramSection];

function table(head: string[], rows: string[][], numeric: (column: number) => boolean = () => false, className = '', label = 'table'): string {
  const cells = (row: string[], tag: 'td' | 'th'): string => row.map((c, i) => `<${tag}${numeric(i) ? ' class="num"' : ''}>${c}</${tag}>`).join('');
  // Wide tables scroll in their own box: the page itself never scrolls sideways.
  return `<div class="scroll" role="region" aria-label="${escapeHtml(label)}" tabindex="0"><table${className ? ` class="${className}"` : ''}><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody></table></div>`;
}

/** Escaped text in which an option (-c, --threshold) never breaks across lines: "-" over "-report" would misread. */
function optionsWhole(text: string): string {
  return escapeHtml(text).replace(/(^|[ (])(--?[A-Za-z][^ ,;)]*)/g, '$1<span class="nw">$2</span>');
}

/** The answer first: the fastest strategy like for like, the limit to use, the checks, the failures. */
function bannerSection(report: Report): string {
  const banner = verdictBanner(report);
  const items = banner.items.map((item) => {
    const value = `<strong class="${item.tone}">${escapeHtml(item.value)}</strong>`;
    const detail = item.detail === undefined ? '' : `<span class="detail">${optionsWhole(item.detail)}</span>`;
    return `<dt>${escapeHtml(item.label)}</dt><dd>${value}${detail}</dd>`;
  });
  const command = report.config.command === undefined ? '' : `<p class="label">Run it again</p><pre class="command"><code>${optionsWhole(report.config.command)}</code></pre>`;
  return `<section id="verdict" class="banner banner-${banner.state}" aria-label="verdict"><dl>${items.join('')}</dl>${command}</section>`;
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
  const notes = summaryNotes(report);
  const stage = setupLine(report);
  return `<section id="summary"><h2>Summary</h2>${stage ? `<p class="note">${escapeHtml(stage)}</p>` : ''}${table(head, rows, (i) => model.aligns[i] === 'right', 'summary', 'results')}
${notes.length > 0 ? `<ul class="verdicts">${notes.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : ''}</section>`;
}

/** "Sat 21 Nov 2026, 22:00 UTC", the ISO time in its title. */
function timeElement(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${escapeHtml(humanDate(iso))}</time>`;
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
    parts.push('<h3>Thresholds</h3>' + table(['', 'Check', 'Result', 'Actual'], rows, (i) => i === 3, '', 'thresholds'));
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
    const saved = b.startedAt ? timeElement(b.startedAt) : 'of unknown date';
    parts.push(`<h3>Baseline</h3><p>Saved run ${saved}; limit +${b.maxRegressionPct}%.</p>${warnings}` + table(['', 'Result', 'Now', 'Saved', 'Change', 'At best'], rows, (i) => i >= 2, '', 'baseline comparisons'));
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
    ['started', report.startedAt ? `${humanDate(report.startedAt)} (${report.startedAt})` : 'unknown'],
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
body{margin:0 auto;max-width:1040px;padding:24px 20px 48px;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;padding-top:8px;border-top:1px solid var(--line)}h3{font-size:16px;margin:18px 0 6px}
p{margin:6px 0}.note,.sub{color:var(--muted)}code{font:13px ui-monospace,"DejaVu Sans Mono",monospace}
.banner{margin:16px 0 8px;padding:12px 16px;border-left:6px solid var(--muted);background:var(--panel);border-radius:6px}
.banner-pass{border-left-color:var(--good)}.banner-fail{border-left-color:var(--bad)}.banner-warn{border-left-color:var(--warn)}
.banner dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:8px 16px;margin:0}
.banner dt{color:var(--muted);font-size:14px;padding-top:1px}.banner dd{margin:0;min-width:0}
.banner strong{font-weight:650}.banner .detail{display:block;color:var(--muted);font-size:14px}
p.label{margin:12px 0 2px;color:var(--muted);font-size:14px}
.nw{white-space:nowrap}pre.command{margin:0;padding:8px 10px;background:var(--bg);border:1px solid var(--line);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere}
.scroll{overflow-x:auto;max-width:100%;background:linear-gradient(to right,var(--bg) 30%,transparent) left/32px 100% no-repeat local,linear-gradient(to left,var(--bg) 30%,transparent) right/32px 100% no-repeat local,radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.25),transparent) left/10px 100% no-repeat scroll,radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.25),transparent) right/10px 100% no-repeat scroll}
table{border-collapse:collapse;margin:8px 0;font-size:14px;width:100%}th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
th{background:var(--panel)}.num{text-align:right;font-variant-numeric:tabular-nums}
.summary td:first-child{font-weight:600}
ul.verdicts{margin:8px 0;padding-left:20px}
figure,details.figure{margin:14px 0;padding:10px 12px;background:var(--panel);border-radius:6px}figcaption,summary{font-size:14px;margin-bottom:4px}
summary{cursor:pointer}details.figure:not([open]) summary{margin-bottom:0}
figure svg,details.figure svg{display:block;width:100%;padding:0 14px 0 38px;overflow:visible}
.grid{stroke:var(--line);stroke-width:1}.baseline{stroke:var(--muted);stroke-width:1}.tick,.row,.value,.ref{fill:var(--muted);font:11px system-ui,"DejaVu Sans",sans-serif}
text.label{fill:var(--fg);font:12px system-ui,"DejaVu Sans",sans-serif}
text.label,text.value,text.ref,text.marker{paint-order:stroke;stroke:var(--panel);stroke-width:3px;stroke-linejoin:round}
.bar{stroke-width:1px}.bar.ok,.bin{fill:var(--ok)}.bar.ok{stroke:var(--ok)}.bar.failed{fill:var(--bad);stroke:var(--bad)}.bar.cut{fill:var(--warn);stroke:var(--warn)}.bar:hover,.bin:hover{opacity:.75}
.bin{stroke:var(--panel);stroke-width:1px}
.marker{stroke:var(--accent);stroke-width:1.5;stroke-dasharray:4 3}text.marker{fill:var(--accent);font:11px system-ui,"DejaVu Sans",sans-serif}
.curve{stroke:var(--ok);stroke-width:2.5;stroke-linecap:round}.point{fill:var(--ok)}.point.recommended{fill:var(--good);stroke:var(--bg);stroke-width:2}.point.failed{fill:var(--bad)}.point.recommended.failed{fill:var(--good);stroke:var(--bad)}
line.ref{stroke:var(--muted);stroke-dasharray:6 4}
.strip{stroke:var(--line);stroke-width:1}.median{stroke:var(--fg);stroke-width:2}.run{fill:var(--ok);fill-opacity:.7}.run.failed{fill:var(--bad)}
.bad{color:var(--bad);font-weight:600}.good{color:var(--good);font-weight:600}.warn{color:var(--warn);font-weight:600}
.key{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}.key.ok{background:var(--ok)}.key.failed{background:var(--bad)}.key.cut{background:var(--warn)}
#config dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 16px;font-size:14px}#config dt{color:var(--muted)}#config dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px}
@media (max-width:700px){.minor{display:none}}
@media (max-width:520px){body{padding:16px 12px 32px}figure,details.figure{padding:8px}.banner{padding:10px 12px}.banner dl{grid-template-columns:minmax(0,1fr);gap:2px}.banner dd{margin-bottom:8px}}
`;

/** The whole page, every byte of it in one string. */
export function renderHtml(report: Report, context: HtmlContext): string {
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
<header><h1>async-bench report</h1><p class="sub">${escapeHtml(context.heading)} · started ${timeElement(report.startedAt)}</p>${context.sample ? `<p class="note">${escapeHtml(context.sample)}</p>` : ''}</header>
${bannerSection(report)}
${summarySection(report)}
${checksSection(report)}
${CHARTS.map((section) => section(report)).filter((html) => html !== '').join('\n')}
${configSection(report)}
${dataBlock(report)}
</body>
</html>
`;
}
