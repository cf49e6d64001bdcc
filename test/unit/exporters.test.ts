/**
 * The file exporters (markdown, CSV, JUnit XML) on fixed reports: golden strings for markdown
 * and CSV, and for JUnit a minimal XML parser that checks the document is well formed.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { emptyErrorCounts, type Report, type StrategyResult } from '../../src/core/report.js';
import { CSV_HEADER, csvField, renderCsv } from '../../src/export/csv.js';
import type { ExportContext } from '../../src/export/exporters.js';
import { escapeXml, renderJunit } from '../../src/export/junit.js';
import { markdownCell, renderMarkdown } from '../../src/export/markdown.js';
import { makeConfig, makeReport, makeResult, plainRun } from '../helpers/report-fixtures.js';

const ESC = '\u001b';
const HEADING = 'pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42';
/** Exporters get a colour-capable chalk on purpose: files must carry no ANSI whatever it is. */
const context = (heading = HEADING): ExportContext => ({ heading, sample: 'Pokémon: #25 pikachu', chalk: new Chalk({ level: 3 }) });

function result(overrides: Partial<StrategyResult>): StrategyResult {
  return makeResult({ statusCodes: { '200': 10 }, ...overrides });
}

const PLAIN = plainRun();
const SEQUENTIAL = PLAIN.sequential;
const ALL = PLAIN.all;
const BOUNDED = { ...PLAIN.bounded, queueWaitMs: { mean: 150.2, p50: 140, p95: 300.1, max: 310 } };

function report(results: StrategyResult[], extra: Partial<Report> = {}): Report {
  return makeReport(results, extra);
}

// A sweep of three rounds with a failure, a setup stage, a recommendation, thresholds and a baseline.
const runs3 = (walls: [number, number, number], failed = 0): StrategyResult['runs'] => walls.map((wallMs) => ({ wallMs, ok: 10 - failed, failed }));
const SEQ3 = result({
  strategy: 'sequential', concurrency: 1, wallMs: 2483, requests: 30, ok: 30, reqPerSec: 4.03, speedup: 1,
  latencyMs: { min: 104.2, mean: 248.3, p50: 251.7, p90: 380, p95: 391.5, p99: 398.3, max: 399.9 },
  runs: runs3([2450, 2483, 2520]), wallMsStats: { median: 2483, mean: 2484.333, stddev: 35.019, min: 2450, max: 2520 },
  pool: { opened: 1, peak: 1, staleRetries: 0 }, eventLoopDelayP99Ms: 0.512,
});
const ALL3 = result({
  strategy: 'all', concurrency: null, wallMs: 411, requests: 30, ok: 30, reqPerSec: 24.33, maxInFlight: 10, speedup: 6.041,
  latencyMs: { min: 103.9, mean: 250.1, p50: 250.4, p90: 390, p95: 400.5, p99: 409.7, max: 410.9 },
  runs: runs3([405, 411, 430]), wallMsStats: { median: 411, mean: 415.333, stddev: 13.051, min: 405, max: 430 },
  speedupStddev: 0.213, speedupCI95: [5.7, 6.2], verdict: 'faster', pool: { opened: 10, peak: 10, staleRetries: 0 }, eventLoopDelayP99Ms: 3.25,
});
const B2 = result({
  strategy: 'bounded', concurrency: 2, wallMs: 1250.5, requests: 30, ok: 30, reqPerSec: 8, maxInFlight: 2, speedup: 1.986,
  latencyMs: { min: 100.1, mean: 249.9, p50: 250, p90: 380.2, p95: 390.7, p99: 398, max: 399 },
  runs: runs3([1240, 1250.5, 1262]), wallMsStats: { median: 1250.5, mean: 1250.833, stddev: 11.003, min: 1240, max: 1262 },
  speedupStddev: 0.034, speedupCI95: [1.95, 2.01], verdict: 'faster',
  queueWaitMs: { mean: 500.5, p50: 480, p95: 1000.2, max: 1010 }, pool: { opened: 2, peak: 2, staleRetries: 0 }, eventLoopDelayP99Ms: 0.9,
});
const B4 = result({
  strategy: 'bounded', concurrency: 4, wallMs: 700, requests: 30, ok: 27, failed: 3, reqPerSec: 14.29, maxInFlight: 4, speedup: 3.547,
  latencyMs: { min: 1.5, mean: 230, p50: 240.25, p90: 370, p95: 388, p99: 397.9, max: 399.5 },
  errors: { ...emptyErrorCounts(), http5xx: 3 }, statusCodes: { '200': 27, '503': 3 },
  runs: runs3([690, 700, 715], 1), wallMsStats: { median: 700, mean: 701.667, stddev: 12.583, min: 690, max: 715 },
  speedupStddev: 0.077, speedupCI95: [3.4, 3.7], verdict: 'faster',
  queueWaitMs: { mean: 240.1, p50: 230, p95: 480, max: 500 }, pool: { opened: 6, peak: 4, staleRetries: 0 }, eventLoopDelayP99Ms: 1.1,
});
const RICH = report([SEQ3, ALL3, B2, B4], {
  config: makeConfig({ target: 'tmdb', concurrency: [2, 4], latency: '100-400', seed: 7, language: 'en-US', runs: 3, warmup: 1 }),
  setup: { name: 'now_playing', requests: 1, ok: 1, failed: 0, wallMs: 213.4, items: 20, errors: emptyErrorCounts(), statusCodes: { '200': 1 } },
  recommendation: { concurrency: 4, reqPerSec: 14.29, okPerSec: 14.29, reason: 'C=4 has the best throughput (14.29 req/s)', littleEstimate: null, bracket: null, method: 'grid' },
  thresholds: [
    { expr: 'speedup>=3', strategy: 'all', actual: 6.041, pass: true },
    { expr: 'speedup>=3', strategy: 'bounded@2', actual: 1.986, pass: false },
    { expr: 'speedup>=3', strategy: 'bounded@4', actual: 3.547, pass: true },
    { expr: 'bounded.errorRate==0', strategy: 'bounded@4', actual: 0.1, pass: false },
  ],
  baseline: {
    startedAt: '2026-11-20T10:00:00.000Z',
    maxRegressionPct: 10,
    comparisons: [
      { strategy: 'sequential', baselineWallMs: 2400, wallMs: 2483, changePct: 3.458, favourableChangePct: 1.2, ci95: null, pass: true },
      { strategy: 'all', baselineWallMs: 300, wallMs: 411, changePct: 37, favourableChangePct: 30.5, ci95: null, pass: false },
    ],
  },
});
const HEADING_RICH = 'tmdb · offline (100-400 ms) · 10 requests per strategy · seed 7';

// Interrupted during all: sequential complete, all cut off.
const PARTIAL = report(
  [
    SEQUENTIAL,
    result({
      strategy: 'all', concurrency: null, wallMs: 300, ok: 6, failed: 4, reqPerSec: 33.33, maxInFlight: 10, speedup: null, partial: true,
      errors: { ...emptyErrorCounts(), aborted: 4 }, statusCodes: { '200': 6 },
    }),
  ],
  { partial: true },
);

describe('renderMarkdown', () => {
  it('renders the golden summary of a plain run', () => {
    expect(renderMarkdown(report([SEQUENTIAL, ALL, BOUNDED]), context())).toBe(
      [
        '### async-bench: pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42 · 1 run',
        '',
        '| Strategy | Requests | OK | Failed | Time taken | Req/s | p50 | p95 | max | Speedup | Sockets | Loop p99 | Eff. |',
        '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| sequential | 10 | 10 | 0 | 2.483 s | 4.0 | 252 ms | 392 ms | 400 ms | 1.00x | – | – | – |',
        '| all (Promise.all) | 10 | 10 | 0 | 0.411 s | 24.3 | 250 ms | 401 ms | 411 ms | **6.04x** | – | – | – |',
        '| bounded (C=5) | 10 | 10 | 0 | 0.512 s | 19.5 | 249 ms | 385 ms | 398 ms | 4.85x | – | – | – |',
        '',
        '- all: 6.04x faster than sequential (0.411 s vs 2.483 s)',
        '- bounded (C=5): 4.85x faster than sequential (0.512 s vs 2.483 s)',
        '- 1 run: indicative; --runs 5 for an interval',
        '',
      ].join('\n'),
    );
  });

  it('renders spreads, failures, the setup stage, the recommendation, thresholds and baseline', () => {
    expect(renderMarkdown(RICH, context(HEADING_RICH))).toBe(
      [
        '### async-bench: tmdb · offline (100-400 ms) · 10 requests per strategy · seed 7 · 3 runs, 1 warm-up',
        '',
        'stage 1 · now_playing: 1 request, 20 items in 0.213 s (run once, before the strategies)',
        '',
        '| Strategy | Requests | OK | Failed | Time taken | Req/s | p50 | p95 | max | Speedup | Sockets | Loop p99 | Eff. |',
        '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| sequential | 30 | 30 | 0 | 2.483 s (2.450–2.520) | 4.0 | 252 ms | 392 ms | 400 ms | 1.00x | 1 | 0.51 ms | – |',
        '| all (Promise.all) | 30 | 30 | 0 | 0.411 s (0.405–0.430) | 24.3 | 250 ms | 401 ms | 411 ms | **6.04x (5.70–6.20)** | 10 | 3.25 ms | – |',
        '| bounded (C=2) | 30 | 30 | 0 | 1.250 s (1.240–1.262) | 8.0 | 250 ms | 391 ms | 399 ms | 1.99x (1.95–2.01) | 2 | 0.90 ms | – |',
        '| bounded (C=4) | 30 | 27 | 3 | 0.700 s (0.690–0.715) | 14.3 | 240 ms | 388 ms | 400 ms | 3.55x (3.40–3.70) | 6 | 1.10 ms | – |',
        '',
        '- all: 6.04x faster than sequential (0.411 s vs 2.483 s; 95% CI 5.70–6.20x)',
        '- bounded (C=2): 1.99x faster than sequential (1.250 s vs 2.483 s; 95% CI 1.95–2.01x)',
        '- bounded (C=4): 3.55x faster than sequential (0.700 s vs 2.483 s; 95% CI 3.40–3.70x); 3 failed: 3 http5xx (503)',
        '',
        '**Recommended concurrency: 4** (C=4 has the best throughput (14.29 req/s))',
        '',
        '**Thresholds**',
        '',
        '- ✅ `speedup>=3` on all: 6.041',
        '- ❌ `speedup>=3` on bounded@2: 1.986',
        '- ✅ `speedup>=3` on bounded@4: 3.547',
        '- ❌ `bounded.errorRate==0` on bounded@4: 0.1',
        '',
        '**Baseline** (saved run 2026-11-20T10:00:00.000Z; limit +10%)',
        '',
        '- ✅ sequential: 2.483 s vs 2.400 s (+3.5%; at best +1.2%)',
        '- ❌ all: 0.411 s vs 0.300 s (+37.0%; at best +30.5%)',
        '',
      ].join('\n'),
    );
  });

  it('marks partial results, tells failures no verdict told, and ends with the interruption', () => {
    expect(renderMarkdown(PARTIAL, context())).toBe(
      [
        '### async-bench: pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42 · 1 run',
        '',
        '| Strategy | Requests | OK | Failed | Time taken | Req/s | p50 | p95 | max | Speedup | Sockets | Loop p99 | Eff. |',
        '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| sequential | 10 | 10 | 0 | 2.483 s | 4.0 | 252 ms | 392 ms | 400 ms | 1.00x | – | – | – |',
        '| all (Promise.all) (partial) | 10 | 6 | 4 | 0.300 s | 33.3 | 0.00 ms | 0.00 ms | 0.00 ms | – | – | – | – |',
        '',
        '- all (Promise.all): 4 failed: 4 aborted',
        '',
        '> ⚠️ Interrupted: partial results (requests cut off in flight count as aborted).',
        '',
      ].join('\n'),
    );
  });

  it('says so when interrupted before any strategy ran, and names the seed of a URL list', () => {
    const empty = report([], { partial: true, config: { ...report([]).config, target: 'urls', seed: 99 } });
    expect(renderMarkdown(empty, context('urls · live example.com · 2 requests per strategy'))).toBe(
      [
        '### async-bench: urls · live example.com · 2 requests per strategy · seed 99 · 1 run',
        '',
        'No strategy ran.',
        '',
        '> ⚠️ Interrupted before any strategy started: no results.',
        '',
      ].join('\n'),
    );
  });

  it('escapes | in cells so a value cannot break the row, and carries no ANSI', () => {
    expect(markdownCell('a|b')).toBe('a\\|b');
    expect(markdownCell('line\nbreak\r\nhere')).toBe('line break here');
    for (const r of [report([SEQUENTIAL, ALL, BOUNDED]), RICH, PARTIAL]) {
      const out = renderMarkdown(r, context());
      expect(out).not.toContain(ESC);
      // Every table row has the header's 14 unescaped pipes.
      for (const row of out.split('\n').filter((l) => l.startsWith('|'))) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(15);
    }
  });
});

describe('renderCsv', () => {
  const HEADER =
    'strategy,concurrency,requests,ok,failed,wall_ms,wall_ms_stddev,req_per_sec,p50_ms,p90_ms,p95_ms,p99_ms,max_ms,speedup,speedup_stddev,' +
    'sockets_opened,loop_delay_p99_ms,error_timeout,error_connect,error_dns,error_reset,error_tls,error_http4xx,error_http5xx,error_aborted,error_protocol,error_fd-limit,error_other,verdict,' +
    'ideal_wall_ms,efficiency,predicted_wall_ms';

  it('renders the golden CSV of a plain run: header, one row per result, LF, empty cells for none', () => {
    expect(renderCsv(report([SEQUENTIAL, ALL, BOUNDED]))).toBe(
      [
        HEADER,
        'sequential,1,10,10,0,2483,,4.03,251.7,380,391.5,398.3,399.9,1,,,,0,0,0,0,0,0,0,0,0,0,0,,,,',
        'all,,10,10,0,411,,24.33,250.4,390,400.5,409.7,410.9,6.041,,,,0,0,0,0,0,0,0,0,0,0,0,faster,,,',
        'bounded,5,10,10,0,512.4,,19.52,248.6,371,385.2,396.1,398.2,4.846,,,,0,0,0,0,0,0,0,0,0,0,0,faster,,,',
        '',
      ].join('\n'),
    );
  });

  it('renders spreads, sockets, loop delay and error classes of repeated runs', () => {
    expect(renderCsv(RICH)).toBe(
      [
        HEADER,
        'sequential,1,30,30,0,2483,35.019,4.03,251.7,380,391.5,398.3,399.9,1,,1,0.512,0,0,0,0,0,0,0,0,0,0,0,,,,',
        'all,,30,30,0,411,13.051,24.33,250.4,390,400.5,409.7,410.9,6.041,0.213,10,3.25,0,0,0,0,0,0,0,0,0,0,0,faster,,,',
        'bounded,2,30,30,0,1250.5,11.003,8,250,380.2,390.7,398,399,1.986,0.034,2,0.9,0,0,0,0,0,0,0,0,0,0,0,faster,,,',
        'bounded,4,30,27,3,700,12.583,14.29,240.25,370,388,397.9,399.5,3.547,0.077,6,1.1,0,0,0,0,0,0,3,0,0,0,0,faster,,,',
        '',
      ].join('\n'),
    );
  });

  it('has one column per error class, and rows as wide as the header', () => {
    expect(CSV_HEADER.filter((h) => h.startsWith('error_'))).toEqual(Object.keys(emptyErrorCounts()).map((c) => `error_${c}`));
    // verdict and the columns after it were added last: older readers' columns keep their places.
    expect(CSV_HEADER.slice(CSV_HEADER.indexOf('verdict'))).toEqual(['verdict', 'ideal_wall_ms', 'efficiency', 'predicted_wall_ms']);
    const lines = renderCsv(PARTIAL).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.split(',')).toHaveLength(CSV_HEADER.length);
    expect(lines[2]).toBe('all,,10,6,4,300,,33.33,0,0,0,0,0,,,,,0,0,0,0,0,0,0,4,0,0,0,,,,');
  });

  it('quotes fields as RFC 4180 says, and writes numbers without exponents', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.0000001)).toBe('0.0000001');
    expect(csvField(1e21)).toBe('1000000000000000000000');
    expect(csvField(Number.NaN)).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// A minimal XML 1.0 reader: enough to prove a document well formed (one root, balanced tags,
// quoted attributes, only the predefined entities and character references, no raw < or & in
// text or attributes, no character XML forbids) and to look at what it holds.

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw < in ${where}`);
  if (FORBIDDEN.test(raw)) throw new Error(`a character XML 1.0 forbids in ${where}`);
  return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    const code = m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : parseInt(m[1]!, 10);
    const ch = String.fromCodePoint(code);
    if (FORBIDDEN.test(ch)) throw new Error(`&${ref}; is a character XML 1.0 forbids, in ${where}`);
    return ch;
  });
}

function parseXml(xml: string): XmlElement {
  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  if (rest === xml) throw new Error('no XML declaration');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (text.length > 0) {
      const parent = stack.at(-1);
      if (!parent) {
        if (text.trim() !== '') throw new Error(`text outside the root: ${JSON.stringify(text)}`);
      } else {
        parent.text += decode(text, `<${parent.name}> text`);
      }
    }
    if (lt === -1) break;
    rest = rest.slice(lt);
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(rest);
    if (close) {
      const open = stack.pop();
      if (open?.name !== close[1]) throw new Error(`</${close[1]}> closes <${open?.name ?? 'nothing'}>`);
      rest = rest.slice(close[0].length);
      continue;
    }
    const tag = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"]*")*)\s*(\/?)>/.exec(rest);
    if (!tag) throw new Error(`malformed tag at ${JSON.stringify(rest.slice(0, 60))}`);
    const el: XmlElement = { name: tag[1]!, attrs: {}, children: [], text: '' };
    for (const [, name, value] of tag[2]!.matchAll(/([A-Za-z_][\w.:-]*)="([^"]*)"/g)) {
      if (name! in el.attrs) throw new Error(`duplicate attribute ${name} on <${el.name}>`);
      el.attrs[name!] = decode(value!, `${el.name}@${name}`);
    }
    const parent = stack.at(-1);
    if (parent) parent.children.push(el);
    else if (root) throw new Error('a second root element');
    else root = el;
    if (tag[3] !== '/') stack.push(el);
    rest = rest.slice(tag[0].length);
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

const all = (el: XmlElement, name: string): XmlElement[] => [
  ...el.children.filter((c) => c.name === name),
  ...el.children.flatMap((c) => all(c, name)),
];

describe('renderJunit', () => {
  it('renders one passing "benchmark ran" testcase and the properties when there is no check', () => {
    const xml = renderJunit(report([SEQUENTIAL, ALL, BOUNDED]), context());
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="async-bench" tests="1" failures="0" errors="0" skipped="0" time="3.406">',
        '  <testsuite name="async-bench" tests="1" failures="0" errors="0" skipped="0" time="3.406" timestamp="2026-11-21T22:00:00.000Z">',
        '    <properties>',
        '      <property name="heading" value="pokemon · offline (100-400 ms) · 10 requests per strategy · seed 42"/>',
        '      <property name="tool.version" value="0.1.0"/>',
        '      <property name="startedAt" value="2026-11-21T22:00:00.000Z"/>',
        '      <property name="node" value="v20.20.2"/>',
        '      <property name="platform" value="linux-x64"/>',
        '      <property name="cpus" value="2"/>',
        '      <property name="target" value="pokemon"/>',
        '      <property name="count" value="10"/>',
        '      <property name="strategies" value="sequential,all,bounded"/>',
        '      <property name="concurrency" value="5"/>',
        '      <property name="offline" value="true"/>',
        '      <property name="latency" value="default"/>',
        '      <property name="seed" value="42"/>',
        '      <property name="runs" value="1"/>',
        '      <property name="warmup" value="0"/>',
        '      <property name="timeoutMs" value="10000"/>',
        '      <property name="sequential.wallMs" value="2483"/>',
        '      <property name="sequential.reqPerSec" value="4.03"/>',
        '      <property name="sequential.failed" value="0"/>',
        '      <property name="sequential.speedup" value="1"/>',
        '      <property name="all.wallMs" value="411"/>',
        '      <property name="all.reqPerSec" value="24.33"/>',
        '      <property name="all.failed" value="0"/>',
        '      <property name="all.speedup" value="6.041"/>',
        '      <property name="all.verdict" value="faster"/>',
        '      <property name="bounded@5.wallMs" value="512.4"/>',
        '      <property name="bounded@5.reqPerSec" value="19.52"/>',
        '      <property name="bounded@5.failed" value="0"/>',
        '      <property name="bounded@5.speedup" value="4.846"/>',
        '      <property name="bounded@5.verdict" value="faster"/>',
        '    </properties>',
        '    <testcase name="benchmark ran" classname="async-bench" time="3.406"/>',
        '    <system-out>all: 6.04x faster than sequential (0.411 s vs 2.483 s)',
        'bounded (C=5): 4.85x faster than sequential (0.512 s vs 2.483 s)</system-out>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(all(root, 'testsuite')).toHaveLength(1);
  });

  it('has one testcase per threshold result and baseline comparison; failed checks carry <failure>', () => {
    const root = parseXml(renderJunit(RICH, context(HEADING_RICH)));
    const [suite] = all(root, 'testsuite');
    expect(suite!.attrs).toMatchObject({ name: 'async-bench', tests: '6', failures: '3', errors: '0' });
    expect(root.attrs).toMatchObject({ tests: '6', failures: '3' });
    // Total measuring time: every run of every result plus the setup stage, in seconds.
    expect(suite!.attrs.time).toBe('14.770');
    const cases = all(suite!, 'testcase').map((c) => ({
      name: c.attrs.name,
      classname: c.attrs.classname,
      time: c.attrs.time,
      failure: all(c, 'failure').map((f) => f.attrs.message)[0] ?? null,
    }));
    expect(cases).toEqual([
      { name: 'speedup>=3', classname: 'async-bench.all', time: '0.411', failure: null },
      { name: 'speedup>=3', classname: 'async-bench.bounded@2', time: '1.250', failure: 'bounded@2: actual 1.986, expected speedup>=3' },
      { name: 'speedup>=3', classname: 'async-bench.bounded@4', time: '0.700', failure: null },
      { name: 'bounded.errorRate==0', classname: 'async-bench.bounded@4', time: '0.700', failure: 'bounded@4: actual 0.1, expected bounded.errorRate==0' },
      { name: 'baseline: wall time within +10%', classname: 'async-bench.sequential', time: '2.483', failure: null },
      {
        name: 'baseline: wall time within +10%',
        classname: 'async-bench.all',
        time: '0.411',
        failure: 'all: actual +30.5% at best, expected at most +10% against the baseline',
      },
    ]);
    const failures = all(suite!, 'failure');
    expect(failures.map((f) => f.attrs.type)).toEqual(['threshold', 'threshold', 'baseline']);
    expect(failures[0]!.text).toBe('expected speedup>=3\nactual   1.986 (bounded@2)');
    expect(failures[2]!.text).toBe('all: 0.411 s vs 0.300 s (+37.0%; at best +30.5%)\nlimit +10% (baseline run 2026-11-20T10:00:00.000Z)');
    const props = Object.fromEntries(all(suite!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ target: 'tmdb', seed: '7', runs: '3', warmup: '1', recommendedConcurrency: '4', 'bounded@4.failed': '3' });
    const [out] = all(suite!, 'system-out');
    expect(out!.text.split('\n')[0]).toBe('stage 1 · now_playing: 1 request, 20 items in 0.213 s (run once, before the strategies)');
  });

  it('fails a threshold with no value to check (an interrupted run)', () => {
    const r = report([SEQUENTIAL], { partial: true, thresholds: [{ expr: 'all.p95<300', strategy: 'all', actual: null, pass: false }] });
    const root = parseXml(renderJunit(r, context()));
    const [testcase] = all(root, 'testcase');
    expect(testcase!.attrs).toEqual({ name: 'all.p95<300', classname: 'async-bench.all', time: '0.000' });
    expect(all(testcase!, 'failure')[0]!.attrs.message).toBe('all: actual no result, expected all.p95<300');
    const props = Object.fromEntries(all(root, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props.partial).toBe('true');
  });

  it('escapes &, <, >, quotes and control characters, and stays well formed', () => {
    const nasty = `a<b & c>"d" 'e'\u001b[31m\u0000\ttab\nnew\rline \ud800 done`;
    const r = report([SEQUENTIAL, ALL], {
      thresholds: [{ expr: nasty, strategy: 'all', actual: 1, pass: false }],
      baseline: { startedAt: '<"&">', maxRegressionPct: 5, comparisons: [{ strategy: 'all', baselineWallMs: 100, wallMs: 411, changePct: 311, favourableChangePct: 300, ci95: null, pass: false }] },
    });
    const xml = renderJunit(r, context(`pokemon & <friends> · "seed" 'x'`));
    expect(xml).not.toContain(ESC);
    expect(FORBIDDEN.test(xml)).toBe(false);
    const root = parseXml(xml);
    const [testcase] = all(root, 'testcase');
    // The markup characters, tab, LF and CR survive a round trip; forbidden ones become visible escapes.
    const expected = `a<b & c>"d" 'e'\\u001b[31m\\u0000\ttab\nnew\rline \\ud800 done`;
    expect(testcase!.attrs.name).toBe(expected);
    expect(all(testcase!, 'failure')[0]!.attrs.message).toBe(`all: actual 1, expected ${expected}`);
    expect(all(testcase!, 'failure')[0]!.text).toBe(`expected ${expected}\nactual   1 (all)`);
    const props = Object.fromEntries(all(root, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props.heading).toBe(`pokemon & <friends> · "seed" 'x'`);
    expect(all(root, 'failure')[1]!.text).toContain('(baseline run <"&">)');
  });

  it('escapeXml maps each special character', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
    expect(escapeXml('\t\n\r')).toBe('&#9;&#10;&#13;');
    expect(escapeXml('\u0001\u001f\ufffe')).toBe('\\u0001\\u001f\\ufffe');
    expect(escapeXml('😀 é')).toBe('😀 é');
  });
});
