/**
 * A k6 script (an ES module) that replays a run's requests, strategy by strategy: sequential as
 * one VU iterating, all as one http.batch with batch and batchPerHost raised to the request
 * count, bounded as C VUs sharing the iterations. Thresholds go over where k6 has the metric.
 */
import { maxOf } from '../core/stats.js';
import type { Threshold, ThresholdOp } from '../core/thresholds.js';
import { slotMs, type Scenario, type ScriptRequest, type ScriptText, type ScriptThreshold } from './scenario.js';

/** A JavaScript string literal (JSON's, which every ES engine reads). */
const str = (text: string): string => JSON.stringify(text);

/** Script text as a JavaScript expression: "literal" + VARS.NAME + … */
export function jsText(text: ScriptText): string {
  if (text.length === 0) return '""';
  return text.map((part) => (typeof part === 'string' ? str(part) : `VARS.${part.variable}`)).join(' + ');
}

function jsHeaders(headers: ScriptRequest['headers']): string {
  return `{ ${headers.map(([name, value]) => `${str(name)}: ${jsText(value)}`).join(', ')} }`;
}

function jsRequest(r: ScriptRequest): string {
  const headers = r.headers.length === 0 ? 'null' : jsHeaders(r.headers);
  const body = r.body === null ? 'null' : 'text' in r.body ? jsText(r.body.text) : `encoding.b64decode(${str(r.body.base64)})`;
  return `  [${str(r.method)}, ${jsText(r.url)}, ${headers}, ${body}],`;
}

const PERCENTILE: Partial<Record<Threshold['metric'], string>> = { p50: 'p(50)', p90: 'p(90)', p95: 'p(95)', p99: 'p(99)' };

/** One threshold in k6's terms: metric (tag filled in later) and expression, or why it has none. */
export function k6Threshold(t: Threshold): { metric: 'http_req_duration' | 'http_req_failed'; expression: string } | { reason: string } {
  const percentile = PERCENTILE[t.metric];
  if (percentile !== undefined) return { metric: 'http_req_duration', expression: `${percentile}${t.op}${t.value}` };
  if (t.metric === 'errorRate') return { metric: 'http_req_failed', expression: `rate${t.op}${t.value}` };
  if (t.metric === 'failed') {
    // "No failure" is a rate of 0; a count of failures has no k6 metric per scenario.
    const none: Array<[ThresholdOp, number]> = [['==', 0], ['<', 1], ['<=', 0]];
    if (none.some(([op, value]) => op === t.op && value === t.value)) return { metric: 'http_req_failed', expression: 'rate==0' };
    return { reason: 'k6 counts failures as a rate (http_req_failed), not a number' };
  }
  if (t.metric === 'speedup') return { reason: 'k6 does not compare one scenario with another' };
  if (t.metric === 'wallMs') return { reason: "k6 has no metric for a scenario's wall time" };
  return { reason: "k6's request rate (http_reqs) is over the whole test, not one scenario" };
}

/** The THRESHOLDS table by scenario, and the comment lines that say what became of each check. */
function thresholdPlan(scenario: Scenario): { table: Map<string, Map<string, string[]>>; comments: string[] } {
  const table = new Map<string, Map<string, string[]>>();
  const comments: string[] = [];
  const add = (t: ScriptThreshold): void => {
    const translated = k6Threshold(t.threshold);
    if ('reason' in translated) {
      comments.push(`//   ${t.expr}: not translated (${translated.reason})`);
      return;
    }
    for (const id of t.strategies) {
      const metric = `${translated.metric}{scenario:${id}}`;
      const byMetric = table.get(id) ?? new Map<string, string[]>();
      table.set(id, byMetric.set(metric, [...(byMetric.get(metric) ?? []), translated.expression]));
    }
    comments.push(`//   ${t.expr}: ${translated.metric} ${translated.expression} in ${t.strategies.join(', ')}`);
  };
  scenario.thresholds.forEach(add);
  if (scenario.failOnError) comments.push('//   --fail-on-error: http_req_failed rate==0');
  return { table, comments };
}

export function renderK6(scenario: Scenario): string {
  const n = scenario.requests.length;
  const required = scenario.variables.filter((v) => v.fallback === null);
  const { table, comments } = thresholdPlan(scenario);
  const width = maxOf([...scenario.strategies.map((s) => s.id.length), 8]);
  const describe = (strategy: Scenario['strategies'][number]): string => {
    if (strategy.strategy === 'sequential') return `1 VU, ${n} iterations in order (shared-iterations)`;
    if (strategy.strategy === 'all') return `every request at once in one http.batch (batch and batchPerHost ${n})`;
    return `${strategy.inFlight} VUs share ${n} iterations (shared-iterations): ${strategy.inFlight} in flight at most`;
  };
  const lines: string[] = [
    `// ${scenario.tool}: the requests of`,
    `//   ${scenario.command}`,
    '// for k6, one scenario per strategy (k6 run script.js).',
    '//',
    '// Scenarios:',
    ...scenario.strategies.map((s) => `//   ${s.id.padEnd(width)}  ${describe(s)}`),
    `// They run one after another, each in a slot long enough for all its requests to time out`,
    `// (${scenario.timeoutMs} ms each); k6 run -e STRATEGY=${scenario.strategies.at(-1)?.id ?? 'sequential'} script.js runs that one alone.`,
  ];
  const add = (...parts: Array<string | readonly string[]>): void => {
    for (const part of parts) if (typeof part === 'string') lines.push(part);
    else for (const line of part) lines.push(line);
  };
  if (scenario.variables.length > 0) {
    add('//', '// Environment (k6 run -e NAME=value, or the shell\'s variables):');
    for (const v of scenario.variables) add(`//   ${v.name}: ${v.description}${v.fallback === null ? ' (required)' : ` (default ${v.fallback})`}`);
  }
  if (comments.length > 0) add('//', '// Thresholds:', comments);
  if (scenario.notCarried.length > 0) add('//', '// Not carried over:', scenario.notCarried.map((line) => `//   ${line}`));
  add(
    '',
    "import http from 'k6/http';",
    "import exec from 'k6/execution';",
    (scenario.requests.some((r) => r.body !== null && 'base64' in r.body) ? ["import encoding from 'k6/encoding';"] : []),
    '',
    'const VARS = {',
    scenario.variables.map((v) => `  ${v.name}: __ENV.${v.name}${v.fallback === null ? '' : ` || ${str(v.fallback)}`},`),
    '};',
    `for (const name of [${required.map((v) => str(v.name)).join(', ')}]) {`,
    '  if (VARS[name] === undefined) throw new Error(`set ${name} (k6 run -e ${name}=...): the script never holds a secret`);',
    '}',
    '',
    `const HEADERS = ${scenario.headers.length === 0 ? '{}' : jsHeaders(scenario.headers)};`,
    `const TIMEOUT = '${scenario.timeoutMs}ms';`,
    '',
    '// [method, url, headers over HEADERS, body]',
    'const REQUESTS = [',
    scenario.requests.map(jsRequest),
    '];',
    '',
    'const STRATEGIES = {',
  );
  for (const s of scenario.strategies) {
    const run = s.strategy === 'all'
      ? `{ executor: 'per-vu-iterations', exec: 'batch', vus: 1, iterations: 1 }`
      : `{ executor: 'shared-iterations', exec: 'replay', vus: ${s.inFlight}, iterations: ${n} }`;
    add(`  ${s.id}: { scenario: ${run}, slotMs: ${slotMs(s, n, scenario.timeoutMs)} },`);
  }
  add('};', '', 'const THRESHOLDS = {');
  for (const [id, byMetric] of table) {
    add(`  ${id}: { ${[...byMetric].map(([metric, expressions]) => `${str(metric)}: [${expressions.map(str).join(', ')}]`).join(', ')} },`);
  }
  add(
    '};',
    '',
    "const chosen = (__ENV.STRATEGY || Object.keys(STRATEGIES).join(',')).split(',').map((name) => name.trim()).filter(Boolean);",
    'const scenarios = {};',
    `const thresholds = {${scenario.failOnError ? " http_req_failed: ['rate==0'] " : ''}};`,
    'let startMs = 0;',
    'for (const name of chosen) {',
    '  const strategy = STRATEGIES[name];',
    "  if (strategy === undefined) throw new Error(`STRATEGY: no strategy ${name}; this script has ${Object.keys(STRATEGIES).join(', ')}`);",
    '  scenarios[name] = Object.assign({}, strategy.scenario, { startTime: `${startMs}ms`, maxDuration: `${strategy.slotMs}ms` });',
    '  Object.assign(thresholds, THRESHOLDS[name]);',
    '  startMs += strategy.slotMs;',
    '}',
    '',
    'export const options = {',
    '  scenarios,',
    '  thresholds,',
    `  batch: ${Math.max(n, 1)},`,
    `  batchPerHost: ${Math.max(n, 1)},`,
    `  maxRedirects: ${scenario.maxRedirects},`,
    '  discardResponseBodies: true,',
    (scenario.insecure ? ['  insecureSkipTLSVerify: true,'] : []),
    (scenario.keepAlive ? [] : ['  noConnectionReuse: true,']),
    '};',
    '',
    'function params(headers) {',
    '  return { headers: headers === null ? HEADERS : Object.assign({}, HEADERS, headers), timeout: TIMEOUT };',
    '}',
    '',
    '// sequential and bounded: each iteration sends the next request of the list.',
    'export function replay() {',
    '  const [method, url, headers, body] = REQUESTS[exec.scenario.iterationInTest % REQUESTS.length];',
    '  http.request(method, url, body, params(headers));',
    '}',
    '',
    '// all: every request at once.',
    'export function batch() {',
    '  http.batch(REQUESTS.map(([method, url, headers, body]) => ({ method, url, body, params: params(headers) })));',
    '}',
    '',
  );
  return lines.join('\n');
}
