import type { Report } from '../core/report.js';

export interface HintContext {
  /** The live base URL when a preset ran live, else null. */
  liveBaseUrl: string | null;
  offline: boolean;
  /** The preset's own words for a 401, if it has them. */
  unauthorizedHint?: string;
  /** The proxy the requests went through ("host:port") and what chose it (--proxy, HTTPS_PROXY …); null when direct. */
  proxy?: { via: string; source: string } | null;
}

/** How many responses had this status, over the setup stage and every strategy. */
export function countStatus(report: Report, status: number): number {
  const stages = [...(report.setup ? [report.setup] : []), ...report.results];
  return stages.reduce((sum, s) => sum + (s.statusCodes[status] ?? 0), 0);
}

/** The requests went through a proxy: say which, and how to check it or go around it. */
function proxyHint(proxy: { via: string; source: string }, what: string): string {
  return `hint: requests go via proxy ${proxy.via} (${proxy.source}) and ${what}: check the proxy (and its user:password), set NO_PROXY for hosts to reach directly, or add --no-proxy`;
}

/** Failures a proxy causes: it refused the connection or the tunnel (CONNECT answered other than 200), or asked for credentials. */
function proxyFailures(stage: Pick<Report['results'][number], 'errors' | 'statusCodes'> & { errorExamples?: Report['results'][number]['errorExamples'] }): boolean {
  if ((stage.statusCodes[407] ?? 0) > 0) return true;
  return Object.values(stage.errorExamples ?? {}).some((examples) => examples.some((e) => /proxy/i.test(e.message)));
}

/** One line each for what the user can do about the failures seen (nothing when all went well). */
export function failureHints(report: Report, context: HintContext): string[] {
  const hints: string[] = [];
  const stages = [...(report.setup ? [report.setup] : []), ...report.results];
  const attempted = stages.filter((s) => s.requests > 0);
  const unreachable = attempted.length > 0 && attempted.every((s) => s.ok === 0 && s.failed > 0 && s.errors.dns + s.errors.connect === s.failed);
  if (unreachable) {
    hints.push(
      context.proxy
        ? proxyHint(context.proxy, 'no request got through it')
        : context.liveBaseUrl !== null
          ? `hint: could not reach ${context.liveBaseUrl} (no network?); add --offline to use the built-in fixture server`
          : 'hint: no request could connect (dns or connect errors): check the URLs and the network',
    );
  } else if (context.proxy && stages.some((s) => proxyFailures(s))) {
    hints.push(proxyHint(context.proxy, 'some requests failed at the proxy'));
  }
  const undeclared = report.results.reduce((sum, r) => sum + (r.undeclaredGzip ?? 0), 0);
  if (undeclared > 0) {
    hints.push(`note: ${undeclared} response${undeclared === 1 ? ' was' : 's were'} gzip without a Content-Encoding header (recognised by the gzip magic bytes and decoded); the server or a proxy mislabels them`);
  }
  if (countStatus(report, 401) > 0) {
    hints.push(`hint: ${context.unauthorizedHint ?? "the server answered 401 Unauthorized: it wants credentials (add -H 'Authorization: Bearer …')"}`);
  }
  if (countStatus(report, 503) > 0 && context.offline) {
    hints.push('hint: the fixture server answered 503 (over --max-inflight): compare with bounded at a limit below it');
  }
  return hints;
}
