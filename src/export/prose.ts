/**
 * The sentences a report says about its results: verdicts, failures, the setup stage, an
 * interruption, a baseline change. Every exporter takes its words from here, so the table,
 * markdown, HTML and JUnit never tell the same thing two ways.
 */
import type { BaselineEntry, Report, StrategyResult } from '../core/report.js';
import { ERROR_CLASSES, type ErrorClass } from '../core/types.js';
import { formatSeconds, judgedResults, strategyLabel } from './format.js';

/** "3 failed: 2 timeout, 1 http5xx (503)" */
export function describeFailures(result: Pick<StrategyResult, 'failed' | 'errors' | 'statusCodes'>): string {
  const parts = ERROR_CLASSES.filter((c) => result.errors[c] > 0).map((c) => {
    const statuses = Object.keys(result.statusCodes).filter((s) => (c === 'http4xx' ? /^4/ : c === 'http5xx' ? /^5/ : /^$/).test(s));
    return `${result.errors[c]} ${c}${statuses.length > 0 ? ` (${statuses.join(', ')})` : ''}`;
  });
  return `${result.failed} failed: ${parts.join(', ')}`;
}

/**
 * "all: 6.04x faster than sequential (0.411 s vs 2.483 s)", one per concurrent strategy;
 * with repeated runs the speedup carries its spread and 95% interval, and an interval that
 * includes 1 makes the verdict "inconclusive".
 */
export function verdictLines(results: readonly StrategyResult[]): string[] {
  const sequential = results.find((r) => r.strategy === 'sequential');
  if (!sequential) return [];
  return judgedResults(results).map((r) => {
    const ratio = r.speedup!;
    const name = r.strategy === 'bounded' ? `bounded (C=${r.concurrency})` : r.strategy;
    // Timing failures against failures compares nothing worth a verdict.
    if (r.ok === 0 || sequential.ok === 0) {
      return `${name}: no comparison, ${r.ok === 0 ? 'every request failed' : 'every sequential request failed'} (${describeFailures(r.ok === 0 ? r : sequential)})`;
    }
    const spread = r.speedupStddev === null ? '' : ` ± ${r.speedupStddev.toFixed(2)}`;
    const ci = r.speedupCI95 === null ? '' : `; 95% CI ${r.speedupCI95[0].toFixed(2)}–${r.speedupCI95[1].toFixed(2)}x`;
    const times = `(${formatSeconds(r.wallMs)} vs ${formatSeconds(sequential.wallMs)}${ci})`;
    const failures = r.failed > 0 ? `; ${describeFailures(r)}` : '';
    if (r.verdict === 'inconclusive') {
      return `${name}: inconclusive, ${ratio.toFixed(2)}${spread}x against sequential ${times}: the interval includes 1${failures}`;
    }
    const relation = ratio >= 1 ? `${ratio.toFixed(2)}${spread}x faster than` : `${(1 / ratio).toFixed(2)}x slower than`;
    return `${name}: ${relation} sequential ${times}${failures}`;
  });
}

/** "all (Promise.all): 3 failed: …" for each result with failures that no verdict line told. */
export function untoldFailureLines(results: readonly StrategyResult[]): string[] {
  const told = new Set(judgedResults(results));
  return results.filter((r) => r.failed > 0 && !told.has(r)).map((r) => `${strategyLabel(r.strategy, r.concurrency)}: ${describeFailures(r)}`);
}

/** What to do about the most common cause of a class of failure; the one home of that advice. */
export function failureAdvice(errorClass: ErrorClass, message: string): string {
  switch (errorClass) {
    case 'timeout':
      return 'raise --timeout or lower -c';
    case 'connect': {
      const refused = /ECONNREFUSED (\S+)$/.exec(message);
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
      if (/self[- ]signed|unable to (get|verify)|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO/i.test(message)) return 'the certificate is not trusted here: trust its CA with NODE_EXTRA_CA_CERTS=ca.pem';
      if (/expired/i.test(message)) return 'the server\'s certificate has expired';
      if (/altname|does not match|Hostname\/IP/i.test(message)) return 'the certificate does not name this host';
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
  const failed = s.failed > 0 ? `, ${s.failed} failed` : '';
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

/** "0.512 s vs 0.498 s (+2.8%; at best +0.4%)": one baseline comparison. */
export function baselineChange(c: BaselineEntry): string {
  return `${formatSeconds(c.wallMs)} vs ${formatSeconds(c.baselineWallMs)} (${signedPercent(c.changePct)}; at best ${signedPercent(c.favourableChangePct)})`;
}
