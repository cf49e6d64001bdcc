/**
 * The HTML report as a pure function of a Report: what it contains, that it refers to nothing
 * outside itself, that text from the run cannot break out of its markup, and that it stays
 * small however many requests were made. The browser test (test/browser) opens a real one.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RequestSample, StrategyResult } from '../../src/core/report.js';
import { checkReportPath } from '../../src/cli/outputs.js';
import { HTML_MAX_ROWS, escapeHtml, renderHtml } from '../../src/export/html.js';
import { usageMessage } from '../helpers/expectations.js';
import { makeReport, makeResult } from '../helpers/report-fixtures.js';

const CONTEXT = { heading: 'pokemon · offline (100-400 ms) · 20 requests per strategy · seed 42', sample: 'Pokémon: #25 pikachu' };

function sample(i: number, startMs: number, endMs: number | null, extra: Partial<RequestSample> = {}): RequestSample {
  return { url: `http://127.0.0.1:8080/api/v2/pokemon/${i + 1}`, startMs, endMs, ttfbMs: endMs === null ? null : (endMs - startMs) * 0.9, status: 200, bytes: 6000, error: null, ...extra };
}

/** count requests of 100-300 ms for each strategy shape. */
function results(count: number): StrategyResult[] {
  const d = (i: number): number => 100 + ((i * 37) % 200);
  let t = 0;
  const seq = Array.from({ length: count }, (_, i) => {
    const s = sample(i, t, t + d(i));
    t += d(i);
    return s;
  });
  const all = Array.from({ length: count }, (_, i) => sample(i, 0, d(i)));
  const free = [0, 0, 0, 0, 0];
  const bounded = Array.from({ length: count }, (_, i) => {
    const slot = free.indexOf(Math.min(...free));
    const start = free[slot]!;
    free[slot] = start + d(i);
    return sample(i, start, start + d(i), i === 3 ? { error: 'http5xx', status: 503 } : {});
  });
  const wall = (list: RequestSample[]): number => list.reduce((max, s) => Math.max(max, s.endMs ?? 0), 0);
  return [
    makeResult({ strategy: 'sequential', concurrency: 1, requests: count, wallMs: wall(seq), speedup: 1, samples: seq }),
    makeResult({ strategy: 'all', concurrency: null, requests: count, wallMs: wall(all), maxInFlight: count, speedup: 10, samples: all }),
    makeResult({ strategy: 'bounded', concurrency: 5, requests: count, failed: 1, wallMs: wall(bounded), maxInFlight: 5, speedup: 4, samples: bounded }),
  ];
}

/** The inside of each element `<tag class="cls" ...>…</tag>`, in document order. */
function elements(html: string, tag: string, cls: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag} class="${cls}"[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[0]);
}

describe('renderHtml', () => {
  const html = renderHtml(makeReport(results(20), {}, { count: 20, headers: ['authorization: ***', 'x-trace: abc'] }), CONTEXT);

  it('draws one waterfall per strategy with one bar per request', () => {
    const waterfalls = elements(html, 'svg', 'waterfall');
    expect(waterfalls).toHaveLength(3);
    expect(waterfalls.map((svg) => /data-result="([^"]+)"/.exec(svg)![1])).toEqual(['sequential', 'all', 'bounded@5']);
    for (const svg of waterfalls) expect(svg.match(/<rect class="bar /g)).toHaveLength(20);
    // The failed request is drawn as failed, and its bar says why.
    expect(waterfalls[2]!.match(/<rect class="bar failed"/g)).toHaveLength(1);
    expect(waterfalls[2]).toContain('http5xx 503');
  });

  it('draws one latency histogram per strategy that counts every completed request', () => {
    const histograms = elements(html, 'svg', 'histogram');
    expect(histograms).toHaveLength(3);
    for (const svg of histograms) {
      const counted = [...svg.matchAll(/<title>(\d+) requests? of/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(counted).toBe(20);
      expect(svg).toContain('>p50</text>');
      expect(svg).toContain('>p95</text>');
    }
  });

  it('has the summary table, verdicts, configuration with headers as given (already redacted)', () => {
    expect(html).toContain('<table class="summary">');
    expect(html).toContain('<td>bounded (C=5)</td>');
    expect(html).toContain('all: 10.00x faster than sequential');
    expect(html).toContain('<dt>headers</dt><dd>authorization: ***\nx-trace: abc</dd>');
    expect(html).toContain('<dt>seed</dt><dd>42</dd>');
  });

  it('refers to nothing outside itself, and forbids it too', () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    expect(html).not.toMatch(/\s(src|href|srcset|action|xlink:href)=/i);
    expect(html).not.toMatch(/url\(|@import|<link|<iframe|<img|<object|<embed/i);
    // The only script is data, never code.
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script type="application/json" id="report-data">']);
  });

  it('carries the report as JSON without samples, and no text can close the block early', () => {
    const evil = makeResult({ strategy: 'sequential', samples: [sample(0, 0, 10, { url: 'http://h/?q=</script><script>alert(1)</script><!--' })] });
    const page = renderHtml(makeReport([evil]), { heading: '<b>x</b>', sample: null });
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<b>x</b>');
    expect(page).toContain('&lt;b&gt;x&lt;/b&gt;');
    const data = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(page)![1]!;
    const parsed = JSON.parse(data) as { results: Array<Record<string, unknown>> };
    expect(parsed.results[0]).not.toHaveProperty('samples');
    expect(page.match(/<\/script>/g)).toHaveLength(1);
  });

  it('draws the sweep curve only with two or more limits, and the checks only when there are some', () => {
    expect(html).not.toContain('class="sweep"');
    expect(html).not.toContain('id="checks"');
    const sweep = [...results(10), makeResult({ strategy: 'bounded', concurrency: 8, reqPerSec: 40 })];
    const page = renderHtml(
      makeReport(sweep, {
        recommendation: { concurrency: 5, reqPerSec: 30, okPerSec: 30, reason: 'the knee', littleEstimate: null, bracket: null, method: 'grid' },
        thresholds: [{ expr: 'speedup>=3', strategy: 'all', actual: 10, pass: true }, { expr: 'bounded.p95<100', strategy: 'bounded@5', actual: 250, pass: false }],
      }),
      CONTEXT,
    );
    const curve = elements(page, 'svg', 'sweep');
    expect(curve).toHaveLength(1);
    expect(curve[0]!.match(/<circle class="point/g)).toHaveLength(2);
    expect(curve[0]).toMatch(/<circle class="point recommended( failed)?" cx="4%"/); // C=5, the first point
    expect(page).toContain('Recommended concurrency: 5');
    expect(page).toContain('<code>bounded.p95&lt;100</code>');
    expect(page).toContain('<span class="bad">FAIL</span>');
  });

  it('stays under 1 MB however many requests: at most 500 bars per strategy, the rest counted', () => {
    const big = renderHtml(makeReport(results(100_000)), CONTEXT);
    expect(Buffer.byteLength(big)).toBeLessThan(1_000_000);
    for (const svg of elements(big, 'svg', 'waterfall')) expect(svg.match(/<rect class="bar /g)).toHaveLength(HTML_MAX_ROWS);
    expect(big).toContain(`The first ${HTML_MAX_ROWS} of 100000 requests are drawn.`);
    // A 20-request report is a few tens of kilobytes.
    expect(Buffer.byteLength(html)).toBeLessThan(100_000);
  });

  it('says so when no strategy ran, or the run was interrupted', () => {
    const empty = renderHtml(makeReport([], { partial: true }), CONTEXT);
    expect(empty).toContain('No strategy ran.');
    expect(empty).toContain('Interrupted before any strategy started: no results.');
    expect(empty).not.toContain('class="waterfall"');
  });

  it('answers first: the verdict banner and the command to run it again, above the table and every chart', () => {
    const all = results(20).map((r) => (r.strategy === 'sequential' ? r : { ...r, verdict: 'faster' as const }));
    const command = "async-bench pokemon --offline -n 20 -H 'Authorization: ***' --seed 42";
    const page = renderHtml(makeReport(all, { thresholds: [{ expr: 'speedup>=3', strategy: 'all', actual: 10, pass: true }] }, { command }), CONTEXT);
    const banner = /<section id="verdict" class="banner banner-(\w+)"[\s\S]*?<\/section>/.exec(page)!;
    expect(banner[1]).toBe('warn'); // bounded's failed request
    expect(banner[0]).toContain('<dt>Fastest like for like</dt><dd><strong class="good">all: 10.00x faster than sequential (');
    expect(banner[0]).toContain('<dt>Recommended limit</dt><dd><strong class="plain">not measured</strong><span class="detail">one limit ran (C=5); a sweep such as <span class="nw">-c</span> 2,5,10,20 finds the best</span></dd>');
    expect(banner[0]).toContain('<dt>Checks</dt><dd><strong class="good">PASS</strong><span class="detail">1 check passed</span></dd>');
    expect(banner[0]).toContain('<dt>Failures</dt><dd><strong class="bad">1 of 60 requests failed</strong>');
    expect(banner[0]).toContain('<pre class="command"><code>async-bench pokemon <span class="nw">--offline</span> <span class="nw">-n</span> 20 <span class="nw">-H</span> &#39;Authorization: ***&#39; <span class="nw">--seed</span> 42</code></pre>');
    const at = (marker: string): number => page.indexOf(marker);
    expect(at('id="verdict"')).toBeGreaterThan(at('<body>'));
    expect(at('id="verdict"')).toBeLessThan(at('<table class="summary">'));
    expect(at('<table class="summary">')).toBeLessThan(at('<svg'));
    // A report without a command line (from code) has no command block.
    expect(html).not.toContain('class="command"');
  });

  it('tells the date as people read it, with the ISO form in its title', () => {
    expect(html).toContain('started <time datetime="2026-11-21T22:00:00.000Z" title="2026-11-21T22:00:00.000Z">Sat 21 Nov 2026, 22:00 UTC</time>');
  });

  it('fits any width: no SVG has a viewBox (x in percent, text at its CSS size), tables scroll in their own box', () => {
    expect(html).not.toContain('viewBox');
    expect(html).toMatch(/<div class="scroll" role="region" aria-label="results" tabindex="0"><table class="summary">/);
    for (const svg of elements(html, 'svg', 'waterfall')) expect(svg).toMatch(/<rect class="bar ok" x="[\d.]+%" y="[\d.]+" width="[\d.]+%"/);
  });

  it('folds each waterfall behind its caption when there are more than three results', () => {
    expect(html).not.toContain('<details');
    const four = [...results(10), makeResult({ strategy: 'bounded', concurrency: 8, samples: results(10)[2]!.samples })];
    const page = renderHtml(makeReport(four), CONTEXT);
    expect(page.match(/<details class="figure"><summary><strong>[^<]+<\/strong> · 10 requests/g)).toHaveLength(4);
    expect(page.match(/<details class="figure">[\s\S]*?<svg class="waterfall"[\s\S]*?<\/details>/g)).toHaveLength(4);
    expect(page).toContain('4 results: open one to see its requests.');
  });

  it('draws at least 10 histogram bars from 30 requests on', () => {
    const page = renderHtml(makeReport(results(30)), CONTEXT);
    for (const svg of elements(page, 'svg', 'histogram')) expect(svg.match(/<rect class="bin"/g)!.length).toBeGreaterThanOrEqual(10);
  });

  it('with --runs, a strip per result with a dot for every round and a tick at the median', () => {
    expect(html).not.toContain('id="runs"');
    const rounds = (walls: number[], failedIn = -1): Partial<StrategyResult> => ({
      runs: walls.map((wallMs, i) => ({ wallMs, ok: 10, failed: i === failedIn ? 1 : 0 })),
      wallMs: [...walls].sort((a, b) => a - b)[1]!,
    });
    const page = renderHtml(
      makeReport([makeResult({ strategy: 'sequential', ...rounds([2500, 2400, 2600]) }), makeResult({ strategy: 'all', concurrency: null, ...rounds([400, 900, 410], 1) })], {}, { runs: 3 }),
      CONTEXT,
    );
    const strip = elements(page, 'svg', 'runs');
    expect(strip).toHaveLength(1);
    expect(strip[0]!.match(/<circle class="run/g)).toHaveLength(6);
    expect(strip[0]!.match(/<circle class="run failed"/g)).toHaveLength(1);
    expect(strip[0]).toContain('<title>all (Promise.all), round 2: 0.900 s, 1 failed</title>');
    expect(strip[0]).toContain('<line class="median" x1="96.15%"'); // 2500 of 2600 ms
    expect(page.indexOf('id="sweep"')).toBe(-1);
  });

  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('checkReportPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'async-bench-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const table = { stdout: 'table' as const, file: null };

  it('accepts a file in an existing directory', () => {
    expect(checkReportPath(join(dir, 'out.html'), table)).toBe(join(dir, 'out.html'));
  });

  it('refuses stdout, a missing directory, a directory, and the -o file', () => {
    expect(usageMessage(() => checkReportPath('-', table))).toMatch(/--report needs a file name/);
    expect(usageMessage(() => checkReportPath(join(dir, 'nope', 'out.html'), table))).toMatch(/no directory/);
    mkdirSync(join(dir, 'sub.html'));
    expect(usageMessage(() => checkReportPath(join(dir, 'sub.html'), table))).toMatch(/it is a directory/);
    const plan = { stdout: 'table' as const, file: { path: join(dir, 'same.html'), format: 'markdown' as const } };
    expect(usageMessage(() => checkReportPath(join(dir, 'same.html'), plan))).toMatch(/--report and -o both name/);
  });
});
