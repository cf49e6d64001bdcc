import { writeFileSync } from 'node:fs';
import { Chalk } from 'chalk';
import { failedChecks, failedRequests } from '../core/build-report.js';
import { secretScrubber } from '../core/redact.js';
import type { Report } from '../core/report.js';
import { cleanServerText } from '../core/sanitize.js';
import { loadExporter, type ExportContext } from '../export/exporters.js';
import { failureHints } from '../export/hints.js';
import { formatFileSize, wrapText } from '../export/format.js';
import { autoStepLine } from '../export/prose.js';
import { signalExitCode, stopOnSignals, type StopSignal } from '../run/interrupt.js';
import { measure } from '../run/measure.js';
import { strategySpecs, type RunOptions } from '../run/settings.js';
import { colorLevel } from './color.js';
import { EXIT } from './exit-codes.js';
import { describeWriteError, outputWidth, waterfallWanted } from './outputs.js';
import { planRun } from './plan.js';
import { createProgress, progressEnabled } from './progress.js';

/** The report as the JSON and file exporters show it without --details: no per-request samples. */
function withoutSamples(report: Report): Report {
  if (!report.results.some((r) => r.samples !== undefined)) return report;
  return { ...report, results: report.results.map(({ samples: _samples, ...rest }) => rest) };
}

/** Plans, runs, builds the report, writes it where the plan says; returns the exit code. */
export async function runCommand(options: RunOptions): Promise<number> {
  const level = colorLevel(options.color, process.env, process.stdout.isTTY === true);
  // Silent until started, so creating it before the input is checked shows nothing.
  const progress = await createProgress(progressEnabled(options.quiet, process.env, process.stderr.isTTY === true, process.stderr.columns), level > 0, {
    strategies: strategySpecs(options).length,
    rounds: options.runs + options.warmup,
  });
  // Ctrl-C (and SIGTERM, SIGHUP) is ours from the first moment: stop reading input, stop
  // starting requests, abort those in flight, print what was measured, exit 128 + n; a second
  // signal leaves at once.
  const controller = new AbortController();
  const signals = stopOnSignals(() => controller.abort());
  // Read through a function: the handler sets it while this function awaits.
  const stopSignal = (): StopSignal | null => signals.stoppedBy();
  try {
    const plan = await planRun(options, controller.signal);
    const { outputs, reportPath, target } = plan;
    // Loaded before any request: after thousands of connections the process may be short of
    // file descriptors for a while, and the result must still be written.
    const stdoutExporter = await loadExporter(outputs.stdout);
    const fileExporter = outputs.file ? await loadExporter(outputs.file.format) : null;
    const renderHtml = reportPath === null ? null : (await import('../export/html.js')).renderHtml;

    // Every byte printed passes through the scrub: keys and tokens never reach a terminal or a pipe.
    // The scrubber is built once per set of secrets (a URL list may carry a token per line).
    let scrub = secretScrubber(plan.apiKey === null ? [] : [plan.apiKey]);
    const err = (text: string): void => void process.stderr.write(scrub(text));
    /** A line of prose on stderr (a hint, a warning, what was written), wrapped to fit the terminal or 80 columns. */
    const say = (text: string): void => err(wrapText(text, outputWidth(process.stderr, process.env)).join('\n') + '\n');
    const { report, run } = await measure(
      plan,
      {
        signal: controller.signal,
        stage: (text) => progress.start(text),
        strategy: (spec, count, position) => progress.strategy(spec, count, position),
        request: (spec, done, count) => progress.request(spec, done, count),
        warn: (text) => say(text),
        autoStep: (step) => {
          if (!options.quiet) say(autoStepLine(step));
        },
      },
      // The pictures draw from per-request samples; the JSON carries them only with --details.
      (count) => options.details || reportPath !== null || waterfallWanted(options.waterfall, outputs.stdout, process.stdout.isTTY === true, count),
    );
    progress.stop();
    const { workload, groups } = run;
    const count = workload.requests.count;
    scrub = secretScrubber(workload.secrets);
    const waterfall = waterfallWanted(options.waterfall, outputs.stdout, process.stdout.isTTY === true, count);
    const interrupted = stopSignal() !== null;

    // The sample line is made of what the server sent: no control character reaches a terminal or a report.
    const sample = target.kind === 'preset' ? target.preset.sample(run.bodies.filter((b) => b !== undefined)) : null;
    const context: ExportContext = {
      heading:
        `${report.config.target} · ${workload.where}` +
        (run.proxy ? ` · via proxy ${run.proxy.via}` : '') +
        ` · ${count} requests per strategy` +
        (target.kind === 'preset' ? ` · seed ${plan.seed}` : '') +
        (options.insecure ? ' · ⚠ certificates not verified (--insecure)' : '') +
        (options.keepAlive ? '' : ' · no keep-alive') +
        (options.protocols.length > 1 ? ` · each strategy over ${options.protocols.join(' and ')}` : options.protocols[0] === 'h2' ? ' · HTTP/2 offered (ALPN)' : ''),
      sample: sample === null ? null : cleanServerText(sample),
      chalk: new Chalk({ level }),
    };
    if (process.stdout.isTTY && process.stdout.columns) context.columns = process.stdout.columns;
    if (!options.wide) context.width = outputWidth(process.stdout, process.env);
    const published = options.details ? report : withoutSamples(report);
    if (groups.length > 0 || interrupted || outputs.stdout !== 'table') {
      process.stdout.write(scrub(stdoutExporter(waterfall ? report : published, { ...context, waterfall })));
    }
    // The paths were checked before the first request; a write can still fail (a full disk,
    // /dev/full): the result is on stdout already, so one line says which file is missing.
    let writeFailed = false;
    const writeResult = (option: string, path: string, text: () => string): void => {
      try {
        const bytes = Buffer.from(scrub(text()));
        writeFileSync(path, bytes);
        if (!options.quiet) say(`wrote ${path} (${formatFileSize(bytes.length)})`);
      } catch (e) {
        writeFailed = true;
        err(`async-bench: cannot write ${option} '${path}': ${describeWriteError(e)}\n`);
      }
    };
    if (outputs.file && fileExporter) {
      writeResult('-o', outputs.file.path, () => fileExporter(published, { ...context, chalk: new Chalk({ level: 0 }), columns: undefined, width: undefined }));
    }
    if (reportPath !== null && renderHtml) {
      writeResult('--report', reportPath, () => renderHtml(report, context));
    }
    if (report.setup && count === 0 && !interrupted) err('async-bench: the setup stage found nothing to fetch, so no strategy ran\n');
    for (const hint of failureHints(report, {
      liveBaseUrl: target.kind === 'preset' && !options.offline ? target.preset.liveBaseUrl : null,
      offline: options.offline,
      proxy: run.proxy,
      ...(target.kind === 'preset' && target.preset.unauthorizedHint ? { unauthorizedHint: target.preset.unauthorizedHint } : {}),
    })) {
      say(hint);
    }

    const signal = stopSignal();
    if (signal !== null) return signalExitCode(signal);
    if (writeFailed) return EXIT.writeFailed;
    const checks = failedChecks(report);
    if (checks > 0) {
      err(`async-bench: ${checks} check${checks === 1 ? '' : 's'} failed (thresholds or baseline)\n`);
      return EXIT.checkFailed;
    }
    const failed = failedRequests(report);
    if (options.failOnError && failed > 0) {
      err(`async-bench: --fail-on-error: ${failed} request${failed === 1 ? '' : 's'} failed\n`);
      return EXIT.checkFailed;
    }
    return EXIT.ok;
  } finally {
    progress.stop();
    signals.release();
  }
}
