/**
 * The sentences a report says about its results: verdicts, failures, the setup stage, an
 * interruption, a baseline change. Every exporter takes its words from here, so the table,
 * markdown, HTML and JUnit never tell the same thing two ways.
 */
import type { AutoStep } from '../core/auto-sweep.js';
import type { BaselineEntry, Report, StrategyResult } from '../core/report.js';
import { ERROR_CLASSES, type ErrorClass, type Protocol } from '../core/types.js';
import { minOf } from '../core/stats.js';
import { MIN_RUNS_FOR_INTERVAL, SAME_WITHIN, timingVerdict } from '../core/summarize.js';
import { formatMs, formatRate, formatSeconds, protocolSuffix, resultLabel, shortLabel } from './format.js';

/** "3 failed: 2 timeout, 1 http5xx (503)" */
export function describeFailures(result: Pick<StrategyResult, 'failed' | 'errors' | 'statusCodes'>): string {
  const parts = ERROR_CLASSES.filter((c) => result.errors[c] > 0).map((c) => {
    const statuses = Object.keys(result.statusCodes).filter((s) => (c === 'http4xx' ? /^4/ : c === 'http5xx' ? /^5/ : /^$/).test(s));
    return `${result.errors[c]} ${c}${statuses.length > 0 ? ` (${statuses.join(', ')})` : ''}`;
  });
  return `${result.failed} failed: ${parts.join(', ')}`;
}

const percent = (rate: number): string => `${Math.round(rate * 100)}%`;
/** The short name sentences use: "bounded (C=5)", "adaptive (→9)", "workers (N=2)", "all"; resultName adds " · h2". */
const strategyName = (r: StrategyResult): string => shortLabel({ strategy: r.strategy, concurrency: r.concurrency, adaptive: r.adaptive, workers: r.workers });
const resultName = (r: StrategyResult): string => shortLabel(r);

/**
 * `fast` against `slow`, from their wall times: "6.1x faster than sequential (0.411 s vs 2.483 s)",
 * "1.3x slower than …", or "about the same as … " within SAME_WITHIN (10%), as the table's
 * verdicts judge it (timingVerdict). A run that failed more is never faster: "failed 9 of 100
 * against 0 for sequential (…)", relation 'more-failures'. `digits`: of the ratio.
 */
export function compareWall(fast: StrategyResult, slow: StrategyResult, slowName = resultLabel(slow), digits = 1): { relation: 'faster' | 'slower' | 'same' | 'more-failures'; text: string } {
  const ratio = slow.wallMs / fast.wallMs;
  const times = `(${formatSeconds(fast.wallMs)} vs ${formatSeconds(slow.wallMs)})`;
  if (fast.failureRate > slow.failureRate) return { relation: 'more-failures', text: `failed ${fast.failed} of ${fast.requests} against ${slow.failed} for ${slowName} ${times}` };
  const verdict = fast.wallMs > 0 ? timingVerdict(ratio, null) : 'same';
  if (verdict === 'faster') return { relation: 'faster', text: `${ratio.toFixed(digits)}x faster than ${slowName} ${times}` };
  if (verdict === 'slower') return { relation: 'slower', text: `${(1 / ratio).toFixed(digits)}x slower than ${slowName} ${times}` };
  return { relation: 'same', text: `about the same as ${slowName} ${times}` };
}

/**
 * With --cpu-work, what the work does to a concurrent result: on one thread it adds up, in
 * threads it is shared. "all is capped by 20 × 20 ms of CPU on one thread (0.401 s measured,
 * of its 0.512 s): concurrency is not parallelism"; null without --cpu-work, and for sequential.
 */
export function cpuWorkLine(r: StrategyResult): string | null {
  if (!r.cpuWork || r.strategy === 'sequential') return null;
  const { perResponseMs, responses, totalMs } = r.cpuWork;
  const work = `${Number(responses.toFixed(1))} × ${perResponseMs} ms of CPU`;
  const threads = r.workers ?? 1;
  if (threads <= 1) return `${resultName(r)} is capped by ${work} on one thread (${formatSeconds(totalMs)} measured, of its ${formatSeconds(r.wallMs)}): concurrency is not parallelism`;
  return `${resultName(r)} shares ${work} among ${threads} threads (${formatSeconds(totalMs / threads)} each, of its ${formatSeconds(r.wallMs)}): threads run it in parallel`;
}

/** The least-failing result other than `r`, the reference when sequential did not run. */
function leastFailing(results: readonly StrategyResult[], r: StrategyResult): StrategyResult | undefined {
  return results.filter((o) => o !== r).reduce<StrategyResult | undefined>((best, o) => (best === undefined || o.failureRate < best.failureRate ? o : best), undefined);
}

/** The verdict sentence of one concurrent result, or null when it has none. */
function verdictLine(r: StrategyResult, all: readonly StrategyResult[]): string | null {
  // Compared like for like: with --protocol h1,h2, against the sequential of the same version.
  const results = all.filter((o) => o.protocol === r.protocol);
  const sequential = results.find((o) => o.strategy === 'sequential');
  const name = resultName(r);
  const seqName = `sequential${protocolSuffix(r)}`;
  if (r.verdict === 'more-failures') {
    const reference = sequential ?? leastFailing(results, r);
    const against = reference === undefined ? '' : reference === sequential ? ` where ${seqName} failed ${percent(reference.failureRate)}` : ` where ${resultLabel(reference)} failed ${percent(reference.failureRate)}`;
    return `${name}: not faster, it failed more: ${r.failed} of ${r.requests} (${percent(r.failureRate)})${against}; ${describeFailures(r)}`;
  }
  if (!sequential || sequential.partial || r.speedup === null) return null;
  const ratio = r.speedup;
  // Timing failures against failures compares nothing worth a verdict.
  if (r.ok === 0 || sequential.ok === 0) {
    return `${name}: no comparison, ${r.ok === 0 ? 'every request failed' : `every ${seqName} request failed`} (${describeFailures(r.ok === 0 ? r : sequential)})`;
  }
  const ci = r.speedupCI95 === null ? '' : `; 95% CI ${r.speedupCI95[0].toFixed(2)}–${r.speedupCI95[1].toFixed(2)}x`;
  const times = `(${formatSeconds(r.wallMs)} vs ${formatSeconds(sequential.wallMs)}${ci})`;
  const failures = r.failed > 0 ? `; ${describeFailures(r)}` : '';
  if (r.verdict === 'inconclusive') {
    return `${name}: inconclusive, ${ratio.toFixed(2)}x against ${seqName} ${times}: the interval includes 1${failures}`;
  }
  if (r.verdict === 'same') return `${name}: about the same as ${seqName}, ${ratio.toFixed(2)}x ${times}${failures}`;
  const relation = ratio >= 1 ? `${ratio.toFixed(2)}x faster than` : `${(1 / ratio).toFixed(2)}x slower than`;
  return `${name}: ${relation} ${seqName} ${times}${failures}`;
}

/**
 * "all: 6.04x faster than sequential (0.411 s vs 2.483 s)", one per concurrent strategy. A
 * result that failed more is never called faster; a difference under 10% (or an interval
 * inside ±10%) is "about the same"; an interval across 1 is "inconclusive".
 */
export function verdictLines(results: readonly StrategyResult[]): string[] {
  return verdictNotes(results).map((n) => n.text);
}

/** The verdict sentences with the verdict each tells, for renderers that mark them (colour). */
export function verdictNotes(results: readonly StrategyResult[]): Array<{ text: string; verdict: StrategyResult['verdict'] }> {
  const notes: Array<{ text: string; verdict: StrategyResult['verdict'] }> = [];
  for (const r of results) {
    const text = r.strategy === 'sequential' ? null : verdictLine(r, results);
    if (text !== null) notes.push({ text, verdict: r.verdict });
    const cpu = cpuWorkLine(r);
    if (cpu !== null) notes.push({ text: cpu, verdict: null });
  }
  return notes;
}

/** The fastest results of one HTTP version by goodput: the best, and those within SAME_WITHIN of it (a tie). */
function fastest(results: readonly StrategyResult[]): { best: StrategyResult; tied: StrategyResult[] } | null {
  const judged = results.filter((r) => r.ok > 0 && r.verdict !== 'more-failures' && !r.partial);
  const best = judged.reduce<StrategyResult | null>((a, b) => (a === null || b.okPerSec > a.okPerSec ? b : a), null);
  if (best === null) return null;
  return { best, tied: judged.filter((r) => r.okPerSec * (1 + SAME_WITHIN) >= best.okPerSec) };
}

/**
 * What the HTTP versions did to the picture, when the run offered HTTP/2: that a server answered
 * over HTTP/1.1 instead; with --protocol h1,h2, each strategy's time under one version against
 * the other, and whether HTTP/2 changes which strategy is fastest (by goodput, a tie within 10%).
 */
export function protocolLines(report: Pick<Report, 'config' | 'results'>): string[] {
  const lines: string[] = [];
  const spoke = report.config.transport.negotiated?.h2;
  if (spoke !== undefined && spoke.length > 0 && !spoke.includes('h2')) {
    lines.push('h2: offered, but every connection spoke HTTP/1.1 (the server chose it by ALPN, or the URL is plain http://): the h2 results measure HTTP/1.1');
  } else if (spoke !== undefined && spoke.includes('h1') && spoke.includes('h2')) {
    lines.push('h2: offered; some servers (or plain http:// URLs) answered over HTTP/1.1');
  }
  const versions = [...new Set(report.results.map((r) => r.protocol).filter((p): p is Protocol => p !== undefined))];
  if (versions.length < 2) return lines;
  const [first, second] = versions as [Protocol, Protocol];
  const ratios: string[] = [];
  for (const r of report.results.filter((o) => o.protocol === second)) {
    const other = report.results.find((o) => o.protocol === first && o.strategy === r.strategy && o.concurrency === r.concurrency);
    if (other && r.wallMs > 0 && r.ok > 0 && other.ok > 0) ratios.push(`${strategyName(r)} ${(other.wallMs / r.wallMs).toFixed(2)}x`);
  }
  if (ratios.length > 0) lines.push(`${second} against ${first}, strategy by strategy (${first} time / ${second} time): ${ratios.join(', ')}`);
  const a = fastest(report.results.filter((r) => r.protocol === first));
  const b = fastest(report.results.filter((r) => r.protocol === second));
  if (a && b) {
    const key = (r: StrategyResult): string => `${r.strategy}@${r.concurrency}`;
    const shared = a.tied.find((r) => b.tied.some((o) => key(o) === key(r)));
    const twin = shared && b.tied.find((o) => key(o) === key(shared));
    lines.push(
      shared && twin
        ? `HTTP/2 does not change the answer: ${strategyName(shared)} is the fastest over ${first} (${formatSeconds(shared.wallMs)}) and over ${second} (${formatSeconds(twin.wallMs)})`
        : `HTTP/2 changes the answer: the fastest over ${first} is ${strategyName(a.best)} (${formatSeconds(a.best.wallMs)}), over ${second} ${strategyName(b.best)} (${formatSeconds(b.best.wallMs)})`,
    );
  }
  return lines;
}

/** "1 run: indicative; --runs 5 for an interval", once, when verdicts rest on fewer runs than an interval needs. */
export function indicativeLine(report: Pick<Report, 'config' | 'results'>): string | null {
  const runs = report.config.runs;
  const timed = report.results.filter((r) => (r.verdict === 'faster' || r.verdict === 'slower' || r.verdict === 'same') && verdictLine(r, report.results) !== null);
  if (!timed.some((r) => r.speedupCI95 === null)) return null;
  return `${runs} run${runs === 1 ? '' : 's'}: indicative; --runs ${MIN_RUNS_FOR_INTERVAL} for an interval`;
}

/** "all (Promise.all): 3 failed: …" for each result with failures that no verdict line told. */
export function untoldFailureLines(results: readonly StrategyResult[]): string[] {
  return results
    .filter((r) => r.failed > 0 && (r.strategy === 'sequential' || verdictLine(r, results) === null))
    .map((r) => `${resultLabel(r)}: ${describeFailures(r)}`);
}

/** What to do about the most common cause of a class of failure; the one home of that advice. */
export function failureAdvice(errorClass: ErrorClass, message: string): string {
  switch (errorClass) {
    case 'timeout':
      return 'raise --timeout or lower -c';
    case 'connect': {
      const refused = /ECONNREFUSED (\S+)$/.exec(message);
      if (/Proxy response \(407\)|Proxy Authentication Required/.test(message)) return 'the proxy wants credentials: --proxy http://user:password@host:port';
      if (/Proxy response/.test(message)) return 'the proxy refused the tunnel: check --proxy or HTTPS_PROXY, or add --no-proxy';
      if (refused) return `nothing listens at ${refused[1]!}`;
      if (/EHOSTUNREACH|ENETUNREACH|ENETDOWN|EHOSTDOWN/.test(message)) return 'no route to the host: check the network';
      return 'check the host and port';
    }
    case 'dns':
      return 'the name does not resolve: check its spelling and the network';
    case 'reset':
      return 'the server closed connections mid-request: it may be overloaded, try a lower -c';
    case 'tls':
      if (/wrong version number|packet length too long|http request/i.test(message)) return 'the server speaks plain http? try an http:// URL';
      if (/self[- ]signed|unable to (get|verify)|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO/i.test(message)) return 'the certificate is not trusted here: trust its CA with --cacert ca.pem, or skip the check with -k';
      if (/expired/i.test(message)) return 'the server\'s certificate has expired: renew it, or skip the check with -k';
      if (/altname|does not match|Hostname\/IP/i.test(message)) return 'the certificate does not name this host: use a name it lists, or skip the check with -k';
      return 'check the server\'s TLS setup';
    case 'http4xx':
      if (message.startsWith('429')) return 'the server limits the rate: --rate or a lower -c';
      if (/^40[13]/.test(message)) return "the server wants credentials: add -H 'Authorization: …'";
      if (message.startsWith('404')) return 'check the URLs';
      return 'the server refused the request: check the URLs and headers';
    case 'http5xx':
      if (message.startsWith('503')) return 'the server is overloaded or down: a lower -c or --rate';
      return 'errors on the server: a lower -c, or --retries for passing ones';
    case 'aborted':
      return message === 'interrupted' ? 'cut off by Ctrl-C' : 'cut off before the end';
    case 'protocol':
      if (/HEADERS?_OVERFLOW|Headers Overflow/i.test(message)) return 'the response headers exceed 16 KB';
      if (/CONTENT_LENGTH_MISMATCH|content-length/i.test(message)) return 'the body did not match its Content-Length';
      if (/^\d+ /.test(message)) return 'the server sent a status outside 100-599';
      return 'the response is not valid HTTP/1.1: is this an HTTP server?';
    case 'fd-limit':
      return 'out of file descriptors: raise ulimit -n or lower the concurrency';
    case 'other':
      if (/not JSON|no movie list/.test(message)) return 'something other than the API answered: check the base URL, a proxy or a captive portal';
      return 'an unknown failure: --details shows each request\'s message';
  }
}

/**
 * One line per class of failure over all results, its most common cause first and what to
 * do: "connect: 30 × ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1 (nothing listens at 127.0.0.1:1)".
 */
export function failureCauseLines(results: readonly Pick<StrategyResult, 'errorExamples'>[]): string[] {
  const lines: string[] = [];
  for (const name of ERROR_CLASSES) {
    const counts = new Map<string, number>();
    for (const r of results) for (const e of r.errorExamples[name] ?? []) counts.set(e.message, (counts.get(e.message) ?? 0) + e.count);
    let top: [string, number] | null = null;
    for (const entry of counts) if (top === null || entry[1] > top[1]) top = entry;
    if (top !== null) lines.push(`${name}: ${top[1]} × ${top[0]} (${failureAdvice(name, top[0])})`);
  }
  return lines;
}

/** "stage 1 · now_playing: 2 requests, 40 items in 0.213 s (run once, before the strategies)" */
export function setupLine(report: Report): string | null {
  const s = report.setup;
  if (!s) return null;
  const why = failureCauseLines([{ errorExamples: s.errorExamples ?? {} }])[0];
  const failed = s.failed > 0 ? `, ${s.failed} failed${why === undefined ? '' : ` (${why})`}` : '';
  return `stage 1 · ${s.name}: ${s.requests} request${s.requests === 1 ? '' : 's'}${failed}, ${s.items} items in ${formatSeconds(s.wallMs)} (run once, before the strategies)`;
}

/** "interrupted: partial results …", or null when the run was not interrupted. */
export function interruptedLine(report: Pick<Report, 'partial' | 'results'>): string | null {
  if (!report.partial) return null;
  return report.results.length > 0
    ? 'interrupted: partial results (requests cut off in flight count as aborted)'
    : 'interrupted before any strategy started: no results';
}

/** The interrupted line as a sentence of its own: "Interrupted: partial results (…)." */
export function interruptedSentence(report: Pick<Report, 'partial' | 'results'>): string | null {
  const line = interruptedLine(report);
  return line === null ? null : `${line[0]!.toUpperCase()}${line.slice(1)}.`;
}

/** A change in percent with its sign: "+12.5%", "-3.0%". */
export function signedPercent(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
}

/** "0.512 s vs 0.498 s (+2.8%; at best +0.4%, 95% CI +0.4% to +5.1%)": one baseline comparison. */
export function baselineChange(c: BaselineEntry): string {
  const interval = c.ci95 === null ? '' : `, 95% CI ${signedPercent(c.ci95[0])} to ${signedPercent(c.ci95[1])}`;
  return `${formatSeconds(c.wallMs)} vs ${formatSeconds(c.baselineWallMs)} (${signedPercent(c.changePct)}; at best ${signedPercent(c.favourableChangePct)}${interval})`;
}

/** "baseline: baseline has 1 run: a gate needs --runs 3 …", one per limit on the judgement. */
export function baselineWarningLines(report: Pick<Report, 'baseline'>): string[] {
  return (report.baseline?.warnings ?? []).map((w) => `baseline: ${w}`);
}

/** "Little's law: the server seems to serve about 10 at once", and where to refine a grid. */
export function recommendationNotes(report: Pick<Report, 'recommendation'>): string[] {
  const rec = report.recommendation;
  if (!rec) return [];
  const notes: string[] = [];
  if (rec.littleEstimate !== null && rec.littleEstimate > 0) {
    notes.push(`Little's law (best goodput × lowest mean latency): the server seems to serve about ${formatEstimate(rec.littleEstimate)} at once`);
  }
  if (rec.refine) notes.push(rec.refine);
  return notes;
}

const formatEstimate = (x: number): string => (x >= 10 ? String(Math.round(x)) : String(x));

/** "auto: C=8 → 78.4 ok/s, p50 102 ms, 0 failed: scales" */
export function autoStepLine(step: AutoStep): string {
  return `auto: C=${step.concurrency} → ${formatRate(step.okPerSec)} ok/s, p50 ${formatMs(step.p50)}, ${step.failed} failed: ${step.verdict}`;
}

/** One line of the verdict banner: what it is about, the answer, and what backs it. */
export interface BannerItem {
  label: string;
  /** The answer itself: a verdict sentence, "-c 6", "PASS" … */
  value: string;
  /** What backs or explains the answer, when something does. */
  detail?: string;
  tone: 'good' | 'bad' | 'warn' | 'plain';
}

/** The verdict banner: its lines, and the state of the whole run (checks first, then failures). */
export interface Banner {
  state: 'pass' | 'fail' | 'warn' | 'plain';
  items: BannerItem[];
}

/** The verdict line's tone, as the table colours it. */
function verdictTone(verdict: StrategyResult['verdict']): BannerItem['tone'] {
  return verdict === 'more-failures' ? 'bad' : verdict === 'inconclusive' ? 'warn' : 'plain';
}

/**
 * Which strategy was fastest like for like: the highest speedup among the results judged
 * faster (the one the table marks), told by its verdict sentence. Without one, why not.
 */
function fastestItem(results: readonly StrategyResult[]): BannerItem {
  const label = 'Fastest like for like';
  if (results.length === 0) return { label, value: 'none: no strategy ran', tone: 'warn' };
  const sequential = results.find((r) => r.strategy === 'sequential');
  const concurrent = results.filter((r) => r.strategy !== 'sequential');
  const told = concurrent.map((r) => ({ r, line: verdictLine(r, results) })).filter((t): t is { r: StrategyResult; line: string } => t.line !== null);
  const faster = told.filter((t) => t.r.verdict === 'faster' && t.r.speedup !== null);
  if (faster.length > 0) {
    const best = faster.reduce((a, b) => (b.r.speedup! > a.r.speedup! ? b : a));
    return { label, value: best.line, tone: 'good' };
  }
  if (sequential === undefined) {
    // Without sequential there is no speedup: the quickest of the results that failed least.
    const finished = results.filter((r) => r.ok > 0 && !r.partial);
    if (finished.length === 0) return { label, value: 'none: no strategy finished with a request ok', tone: 'warn' };
    const fewest = minOf(finished.map((r) => r.failed));
    const best = finished.filter((r) => r.failed === fewest).reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    const among = finished.some((r) => r.failed > fewest) ? ' among the results with the fewest failures' : '';
    return { label, value: `${resultName(best)}: ${formatSeconds(best.wallMs)}`, detail: `the quickest${among}; sequential did not run, so there is no speedup`, tone: 'plain' };
  }
  if (concurrent.length === 0) return { label, value: `${resultName(sequential)} alone: ${formatSeconds(sequential.wallMs)}`, detail: 'no concurrent strategy ran to compare with', tone: 'plain' };
  if (told.length === 0) {
    const why = sequential.partial ? 'sequential was cut off before it finished' : 'no result could be compared with sequential';
    return { label, value: 'no verdict', detail: why, tone: 'warn' };
  }
  // Nothing ok on one side: no timing compares, and the sentence says why.
  const ownSequential = (r: StrategyResult): StrategyResult | undefined => results.find((o) => o.strategy === 'sequential' && o.protocol === r.protocol);
  if (told.every((t) => t.r.ok === 0 || (ownSequential(t.r)?.ok ?? 0) === 0)) return { label, value: 'no verdict', detail: told[0]!.line, tone: 'warn' };
  // None was faster: the quickest one's sentence says what it was instead.
  const quickest = told.reduce((a, b) => (b.r.wallMs < a.r.wallMs ? b : a));
  return { label, value: 'none beat sequential', detail: quickest.line, tone: verdictTone(quickest.r.verdict) };
}

/** A sweep around a single limit: half, it, twice and four times it. */
function sweepAround(limit: number): number[] {
  return [...new Set([Math.max(1, Math.floor(limit / 2)), limit, limit * 2, limit * 4])];
}

/** The recommended limit of a sweep; with one limit measured, the sweep that would find it. */
function limitItem(report: Pick<Report, 'recommendation' | 'results'>): BannerItem | null {
  const label = 'Recommended limit';
  const rec = report.recommendation;
  if (rec) return { label, value: `-c ${rec.concurrency}`, detail: rec.reason, tone: 'good' };
  const limits = [...new Set(report.results.filter((r) => r.strategy === 'bounded' && r.concurrency !== null).map((r) => r.concurrency!))];
  if (limits.length !== 1) return null;
  return { label, value: 'not measured', detail: `one limit ran (C=${limits[0]}); a sweep such as -c ${sweepAround(limits[0]!).join(',')} finds the best`, tone: 'plain' };
}

/** Failed checks the banner names; more are counted. */
const BANNER_FAILED_CHECKS = 3;

/** PASS or FAIL of the thresholds and baseline comparisons, the failed ones named. */
function checksItem(report: Pick<Report, 'thresholds' | 'baseline'>): BannerItem {
  const label = 'Checks';
  const thresholds = report.thresholds ?? [];
  const comparisons = report.baseline?.comparisons ?? [];
  const total = thresholds.length + comparisons.length;
  if (total === 0) return { label, value: 'none', detail: 'add --threshold, --min-speedup or --baseline to gate a run', tone: 'plain' };
  const failed = [
    ...thresholds.filter((t) => !t.pass).map((t) => `${t.expr} on ${t.strategy}: ${t.actual === null ? 'no result' : String(t.actual)}${t.reason ? ` (${t.reason})` : ''}`),
    ...comparisons.filter((c) => !c.pass).map((c) => `baseline ${c.strategy}: ${signedPercent(c.favourableChangePct)} at best, over the +${report.baseline!.maxRegressionPct}% limit`),
  ];
  const noun = `check${total === 1 ? '' : 's'}`;
  if (failed.length === 0) return { label, value: 'PASS', detail: total === 1 ? '1 check passed' : `all ${total} ${noun} passed`, tone: 'good' };
  const named = failed.length > BANNER_FAILED_CHECKS ? [...failed.slice(0, BANNER_FAILED_CHECKS - 1), `${failed.length - BANNER_FAILED_CHECKS + 1} more`] : failed;
  return { label, value: 'FAIL', detail: `${failed.length} of ${total} ${noun} failed: ${named.join('; ')}`, tone: 'bad' };
}

/** How many requests failed over the whole run, and the most common cause. */
function failuresItem(report: Pick<Report, 'results' | 'setup'>): BannerItem | null {
  const failed = report.results.reduce((sum, r) => sum + r.failed, 0) + (report.setup?.failed ?? 0);
  if (failed === 0) return null;
  const requests = report.results.reduce((sum, r) => sum + r.requests, 0) + (report.setup?.requests ?? 0);
  const cause = failureCauseLines([...report.results, ...(report.setup ? [{ errorExamples: report.setup.errorExamples ?? {} }] : [])])[0];
  return { label: 'Failures', value: `${failed} of ${requests} requests failed`, ...(cause === undefined ? {} : { detail: cause }), tone: 'bad' };
}

/**
 * What a reader wants first, in a few lines: the fastest strategy like for like, the limit to
 * use, whether the checks passed, and what failed. The HTML report puts it on top.
 */
export function verdictBanner(report: Pick<Report, 'results' | 'recommendation' | 'thresholds' | 'baseline' | 'setup' | 'partial'>): Banner {
  const interrupted = interruptedSentence(report);
  const checks = checksItem(report);
  const failures = failuresItem(report);
  const items = [
    ...(interrupted === null ? [] : [{ label: 'Run', value: interrupted, tone: 'warn' as const }]),
    fastestItem(report.results),
    limitItem(report),
    checks,
    failures,
  ].filter((item): item is BannerItem => item !== null);
  const state = checks.tone === 'bad' ? 'fail' : interrupted !== null || failures !== null ? 'warn' : checks.tone === 'good' ? 'pass' : 'plain';
  return { state, items };
}

/**
 * batched against bounded at the same C, with their ideals: "batched (C=5): 1.45x slower than
 * bounded (C=5) (1.830 s vs 1.260 s); ideal 1.780 s vs 1.210 s over their own request times:
 * each chunk waits for its slowest request, so the schedule itself costs the difference".
 */
export function batchedLines(results: readonly StrategyResult[]): string[] {
  const lines: string[] = [];
  for (const b of results) {
    if (b.strategy !== 'batched') continue;
    const s = results.find((o) => o.strategy === 'bounded' && o.concurrency === b.concurrency && o.protocol === b.protocol);
    if (!s || !(s.wallMs > 0) || b.idealWallMs === null || s.idealWallMs === null) continue;
    const ideal = `ideal ${formatSeconds(b.idealWallMs)} vs ${formatSeconds(s.idealWallMs)} over their own request times`;
    const c = compareWall(b, s, resultName(s), 2);
    const why = {
      slower: `${ideal}: each chunk waits for its slowest request, so the schedule itself costs the difference`,
      faster: `${ideal}: the schedule does not explain it, the server or the event loop does`,
      same: `${ideal}: requests this even leave a chunk little to wait for`,
      'more-failures': 'it failed more, so it is not faster, whatever its time',
    }[c.relation];
    lines.push(`${resultName(b)}: ${c.text}; ${why}`);
  }
  return lines;
}

/** "adaptive (→10): its limit settled at 10 (from 1, at most 256; 14 refusals or timeouts on the way)". */
export function adaptiveLines(results: readonly StrategyResult[]): string[] {
  return results
    .filter((r): r is StrategyResult & { adaptive: NonNullable<StrategyResult['adaptive']> } => r.adaptive !== undefined)
    .map((r) => {
      const a = r.adaptive;
      const drops = r.errors.timeout + (r.statusCodes['429'] ?? 0) + (r.statusCodes['503'] ?? 0);
      const found = drops > 0 ? `; ${drops} refusal${drops === 1 ? '' : 's'} (429, 503) or timeouts told it where the server's limit is` : '; nothing was refused: the latency gradient alone set it';
      return `${resultName(r)}: its limit settled at ${a.settledLimit} (from ${a.start}, at most ${a.max})${found}`;
    });
}

/**
 * --fail-fast: "all: Promise.all rejected at 0.105 s on request #8 (http5xx: 503 Service
 * Unavailable); 33 requests were still running and kept running: 30 ok, 3 failed, the last
 * ended at 0.412 s".
 */
export function failFastLines(results: readonly StrategyResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const f = r.failFast;
    if (!f) continue;
    if (f.rejectedAtMs === null) {
      lines.push(`${resultName(r)} (--fail-fast): nothing failed, so Promise.all resolved, as allSettled would`);
      continue;
    }
    const on = f.request === null ? '' : ` on request #${f.request.index + 1} (${f.request.error}: ${f.request.message})`;
    const { ok, failed, lastEndMs } = f.survivors;
    const fate = f.stillRunning === 0
      ? 'nothing else was still running'
      : `${f.stillRunning} request${f.stillRunning === 1 ? ' was' : 's were'} still running and kept running: ${ok} ok, ${failed} failed${lastEndMs === null ? '' : `, the last ended at ${formatSeconds(lastEndMs)}`}`;
    lines.push(`${resultName(r)} (--fail-fast): Promise.all rejected at ${formatSeconds(f.rejectedAtMs)}${on}; ${fate}`);
  }
  return lines;
}

/**
 * In a sweep: each limit's wall time predicted from sequential's request times, beside the
 * measurement: "predicted from sequential's request times: C=1 2.480 s (measured 2.503 s), …".
 */
export function predictionLine(results: readonly StrategyResult[]): string | null {
  const bounded = results.filter((r) => r.strategy === 'bounded' && r.predictedWallMs !== null);
  if (bounded.length < 2) return null;
  const parts = bounded.map((r) => `C=${r.concurrency}${protocolSuffix(r)} ${formatSeconds(r.predictedWallMs!)} (measured ${formatSeconds(r.wallMs)})`);
  return `predicted from sequential's request times: ${parts.join(', ')}`;
}

/** What the strategies beyond the three add under the table: batched against bounded, adaptive's limit, --fail-fast, a sweep's predictions. */
export function strategyNotes(results: readonly StrategyResult[]): string[] {
  const prediction = predictionLine(results);
  return [...batchedLines(results), ...adaptiveLines(results), ...failFastLines(results), ...(prediction === null ? [] : [prediction])];
}

/**
 * The heading an exporter shows when its caller gives none (the programmatic API): what ran,
 * told from the Report alone. "pokemon · offline (50 ms) · 10 requests per strategy · seed 42"
 */
export function reportHeading(report: Pick<Report, 'config'>): string {
  const { config } = report;
  const latency = config.latency !== null && config.latency !== undefined && config.latency !== 'default' ? ` (${config.latency} ms)` : '';
  const where = config.offline ? `offline${latency}` : 'live';
  return `${config.target} · ${where} · ${config.count} requests per strategy${config.target === 'urls' ? '' : ` · seed ${config.seed}`}`;
}

/**
 * The notes under the summary table of a document (markdown, HTML), in order: the verdicts,
 * each strategy's own note, HTTP versions, failures nobody explained and their causes, and
 * whether one run can tell. The terminal's table says the same lines with its own colours.
 */
export function summaryNotes(report: Report): string[] {
  const indicative = indicativeLine(report);
  return [...verdictLines(report.results), ...strategyNotes(report.results), ...protocolLines(report), ...untoldFailureLines(report.results), ...failureCauseLines(report.results), ...(indicative === null ? [] : [indicative])];
}
