/**
 * `async-bench export k6|locust [targets] [options]`: the run's requests and strategies as a
 * script for a load tool that spreads them over many machines. The targets and options are
 * read and checked as the run command reads them; the script goes to stdout.
 */
import { planStrategies } from '../core/benchmark.js';
import { UsageError, closestMatch, quoteInput } from '../core/errors.js';
import { scrubSecrets } from '../core/redact.js';
import type { RequestSpec } from '../core/request.js';
import type { StrategyName } from '../core/types.js';
import { renderK6 } from '../export/k6.js';
import { renderLocust } from '../export/locust.js';
import { describeFailures } from '../export/prose.js';
import { buildScenario } from '../export/scenario.js';
import type { RunOptions } from '../run/settings.js';
import { prepareWorkload } from '../run/workload.js';
import { redactArguments, shellQuote } from './command-line.js';
import { EXIT } from './exit-codes.js';
import { parseRunArguments } from './parse-run.js';
import { planRun } from './plan.js';
import type { ExportRequest } from './program.js';

export const ENGINES = ['k6', 'locust'] as const;
export type Engine = (typeof ENGINES)[number];

function parseEngine(text: string): Engine {
  const engine = ENGINES.find((e) => e === text.trim().toLowerCase());
  if (engine) return engine;
  const suggestion = text.startsWith('-') ? undefined : closestMatch(text, ENGINES);
  throw new UsageError(`export needs an engine first, k6 or locust, got ${quoteInput(text)}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}: async-bench export k6 [targets] [options] > script.js`);
}

/** Options that only make sense for a run on this machine, refused with what to do instead. */
/** The strategies a k6 or Locust script replays (scenario.ts, k6.ts, locust.ts). */
const SCRIPTED: readonly StrategyName[] = ['sequential', 'all', 'bounded'];

function checkExportable(options: RunOptions): void {
  const refuse = (option: string, why: string): never => {
    throw new UsageError(`export: ${option} ${why}`);
  };
  if (options.targets.length === 0 && options.files.length === 0 && options.requestsFile === null && options.har === null) {
    throw new UsageError('export needs what to send: a preset (with --base-url for your server) or URLs, e.g. async-bench export k6 pokemon > script.js');
  }
  if (options.offline) refuse('--offline', "starts a server on this machine only; point the preset at a server the load tool can reach with --base-url (async-bench serve runs the built-in one)");
  if (options.autoConcurrency) refuse('-c auto', 'searches by measuring; give the limits to export instead (-c 4,8,16)');
  if (options.json || options.format !== undefined || options.output !== undefined) refuse('--json, --format and -o', 'do not apply: the script is written to stdout (> script.js)');
  if (options.report !== undefined || options.waterfall !== undefined || options.details) refuse('--report, --waterfall and --details', 'draw a run of this tool; the script has none');
  if (options.baseline !== undefined) refuse('--baseline', "compares runs of this tool; compare the load tool's own results instead");
  const notScripted = options.strategies.filter((s) => !SCRIPTED.includes(s));
  if (notScripted.length > 0) refuse(`-s ${notScripted.join(',')}`, `has no counterpart in the scripts, which replay ${SCRIPTED.join(', ')}; leave it out of -s`);
}

/** What of the run the scripts leave out, each with what to do about it. */
function notCarried(options: RunOptions): string[] {
  const lines: string[] = [];
  const rounds = [options.runs > 1 ? `--runs ${options.runs}` : '', options.warmup > 0 ? `--warmup ${options.warmup}` : ''].filter(Boolean);
  if (rounds.length > 0) lines.push(`${rounds.join(', ')}: run the script once per round`);
  if (options.retries > 0) lines.push(`--retries ${options.retries}: neither k6 nor Locust retries a request`);
  if (options.ratePerSec !== null) lines.push(`--rate ${options.ratePerSec}/s: the strategies send as fast as they can`);
  if (!options.compression) lines.push('--no-compression: the load tool sends its own Accept-Encoding');
  if (options.proxy.kind === 'url') lines.push('--proxy: set HTTPS_PROXY or HTTP_PROXY for the load tool');
  if (options.protocolOption !== null) lines.push(`${options.protocolOption}: k6 speaks HTTP/2 wherever TLS offers it, Locust's HttpUser HTTP/1.1 only`);
  if (options.cacert !== undefined) lines.push("--cacert: add the CA to the load tool's machine (k6 and Locust trust the system's)");
  if (options.failFast) lines.push("--fail-fast: all sends every request; the script does not stop at the first failure");
  if (options.cpuWorkMs > 0) lines.push(`--cpu-work ${options.cpuWorkMs}: the load tool does no work after a response`);
  return lines;
}

export async function exportCommand(request: ExportRequest, version: string): Promise<number> {
  const engine = parseEngine(request.engine);
  const options = await parseRunArguments(request.args, version);
  checkExportable(options);
  const plan = await planRun(options);
  const { target } = plan;
  const workload = await prepareWorkload(target, options, plan.seed, plan.apiKey, new AbortController().signal, plan.redaction, plan.request, plan.caPem);
  try {
    const count = workload.requests.count;
    if (count === 0) {
      const setup = workload.setup;
      const cause = setup ? Object.values(setup.errorExamples ?? {}).flat()[0]?.message : undefined;
      throw new UsageError(`export: nothing to replay${setup ? `: the setup stage (${setup.name}) found nothing to fetch (${describeFailures(setup)}${cause ? `; ${cause}` : ''})` : ''}`);
    }
    const requests: RequestSpec[] = Array.from({ length: count }, (_, i) => workload.requests.at(i));
    const scenario = buildScenario({
      tool: `async-bench ${version}`,
      command: ['async-bench', 'export', engine, ...redactArguments(request.args, plan.redaction)].map(shellQuote).join(' '),
      requests,
      headers: workload.headers,
      strategies: planStrategies(options.strategies, options.concurrency),
      thresholds: plan.report.thresholds,
      failOnError: options.failOnError,
      timeoutMs: options.timeoutMs,
      maxRedirects: options.maxRedirects,
      insecure: options.insecure,
      keepAlive: options.keepAlive,
      notCarried: notCarried(options),
      baseUrl: target.kind === 'preset' ? (options.baseUrl ?? target.preset.liveBaseUrl) : null,
      apiKey: target.kind === 'preset' && plan.apiKey !== null && target.preset.keyVariable !== null
        ? { value: plan.apiKey, variable: target.preset.keyVariable, description: `the ${target.preset.name} API key` }
        : null,
      redaction: plan.redaction,
      secrets: workload.secrets,
    });
    const text = engine === 'k6' ? renderK6(scenario) : renderLocust(scenario);
    // Every secret became a variable; the scrub is the last guard, as for everything printed.
    process.stdout.write(scrubSecrets(text, workload.secrets));
    return EXIT.ok;
  } finally {
    await workload.server?.stop();
  }
}
