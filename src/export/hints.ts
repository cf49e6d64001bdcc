import type { Report } from '../core/report.js';

export interface HintContext {
  /** The live base URL when a preset ran live, else null. */
  liveBaseUrl: string | null;
  offline: boolean;
  /** The preset's own words for a 401, if it has them. */
  unauthorizedHint?: string;
  /** A proxy variable that is set but not used (HTTPS_PROXY…), if any. */
  ignoredProxy?: string | null;
}

/** How many responses had this status, over the setup stage and every strategy. */
export function countStatus(report: Report, status: number): number {
  const stages = [...(report.setup ? [report.setup] : []), ...report.results];
  return stages.reduce((sum, s) => sum + (s.statusCodes[status] ?? 0), 0);
}

/** One line each for what the user can do about the failures seen (nothing when all went well). */
export function failureHints(report: Report, context: HintContext): string[] {
  const hints: string[] = [];
  const stages = [...(report.setup ? [report.setup] : []), ...report.results];
  const attempted = stages.filter((s) => s.requests > 0);
  const unreachable = attempted.length > 0 && attempted.every((s) => s.ok === 0 && s.failed > 0 && s.errors.dns + s.errors.connect === s.failed);
  if (unreachable) {
    const proxy = context.ignoredProxy ? `; ${context.ignoredProxy} is set, but async-bench does not use proxies yet: the requests went direct` : '';
    hints.push(
      context.liveBaseUrl !== null
        ? `hint: could not reach ${context.liveBaseUrl} (no network?)${proxy}; add --offline to use the built-in fixture server`
        : `hint: no request could connect (dns or connect errors): check the URLs and the network${proxy}`,
    );
  }
  if (countStatus(report, 401) > 0) {
    hints.push(`hint: ${context.unauthorizedHint ?? "the server answered 401 Unauthorized: it wants credentials (add -H 'Authorization: Bearer …')"}`);
  }
  if (countStatus(report, 429) > 0) {
    hints.push('hint: the server answered 429 Too Many Requests: lower the bounded limit (-c) or fetch fewer at once');
  }
  if (countStatus(report, 503) > 0 && context.offline) {
    hints.push('hint: the fixture server answered 503 (over --max-inflight): compare with bounded at a limit below it');
  }
  return hints;
}
