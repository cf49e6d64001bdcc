/**
 * A planned run carried out and put into words: the pipeline's runs made into the Report. The
 * command line and the programmatic API both measure through here, so a Report means the same
 * whichever of them asked for it.
 */
import { buildReport, type ReportPlan } from '../core/build-report.js';
import { redactUrl } from '../core/redact.js';
import type { Report } from '../core/report.js';
import { runPipeline, type PipelineHooks, type PipelineInput, type PipelineOutput } from './pipeline.js';

export interface MeasureInput extends PipelineInput {
  report: ReportPlan;
}

export interface Measured {
  report: Report;
  run: PipelineOutput;
}

/**
 * Runs the plan and builds its Report. `keepSamples` says, once the request count is known,
 * whether the report carries every request (results[].samples: --details, or a picture to draw).
 * A run whose signal was aborted is reported as partial.
 */
export async function measure(plan: MeasureInput, hooks: PipelineHooks, keepSamples: (count: number) => boolean): Promise<Measured> {
  const run = await runPipeline(plan, hooks);
  const { requests, setup } = run.workload;
  const count = requests.count;
  const report = buildReport(plan.report, {
    startedAt: run.startedAt,
    count,
    requests: requests.shape(),
    groups: run.groups,
    ...(setup ? { setup } : {}),
    interrupted: hooks.signal.aborted,
    ...(run.auto ? { auto: run.auto } : {}),
    ...(keepSamples(count) ? { details: { urlOf: (i: number) => redactUrl(requests.at(i).url, plan.redaction), methodOf: (i: number) => requests.methodAt(i) } } : {}),
  });
  return { report, run };
}
