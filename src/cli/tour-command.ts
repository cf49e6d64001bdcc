/**
 * `async-bench tour`: the lessons of src/tour/lessons.ts, each run through the run command's own
 * parser and plan (so the command printed is the command that ran), measured by the same
 * pipeline, then told: a paragraph, the numbers, the command, and one line to take away.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { closestMatch, UsageError } from '../core/errors.js';
import { scrubSecrets } from '../core/redact.js';
import type { Report, StrategyResult } from '../core/report.js';
import { maxOf } from '../core/stats.js';
import { formatMs, formatSeconds, resultLabel, wrapText } from '../export/format.js';
import { interruptedLine, setupLine } from '../export/prose.js';
import { signalExitCode, stopOnSignals, type StopSignal } from '../run/interrupt.js';
import { measure } from '../run/measure.js';
import type { RunOptions } from '../run/settings.js';
import { LESSONS, LESSON_NAMES, type Lesson } from '../tour/lessons.js';
import { colorLevel } from './color.js';
import { EXIT } from './exit-codes.js';
import { outputWidth } from './outputs.js';
import { parseRunArguments } from './parse-run.js';
import { planRun } from './plan.js';
import { createProgress, progressEnabled } from './progress.js';
import type { TourRequest } from './program.js';

/** One lesson as measured: its runs (command and Report) and the line to take away. */
export interface TourLessonResult {
  name: string;
  title: string;
  runs: Array<{ command: string; report: Report }>;
  takeaway: string;
}

/** "name  title", one line per lesson, the names aligned. */
export function renderLessonList(lessons: readonly Lesson[] = LESSONS): string {
  const width = maxOf(lessons.map((l) => l.name.length));
  return lessons.map((l) => `${l.name.padEnd(width)}  ${l.title}\n`).join('');
}

/** The lessons --only picks: all of them, or the one named (a usage error names them all). */
export function selectLessons(only: string | undefined): readonly Lesson[] {
  if (only === undefined) return LESSONS;
  const lesson = LESSONS.find((l) => l.name === only);
  if (lesson !== undefined) return [lesson];
  const suggestion = closestMatch(only, LESSON_NAMES);
  throw new UsageError(`unknown lesson '${only}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; lessons are ${LESSON_NAMES.join(', ')}`);
}

/** A result in one compact line, within 80 columns: "all (Promise.all)  0.411 s  10 ok  p50 250 ms  peak 10 in flight  10 sockets". */
function resultLine(r: StrategyResult, labelWidth: number): string {
  const counts = r.failed > 0 ? `${r.ok} ok, ${r.failed} failed` : `${r.ok} ok`;
  const sockets = r.pool === null ? '' : `  ${r.pool.opened} socket${r.pool.opened === 1 ? '' : 's'}`;
  const partial = r.partial ? '  (partial)' : '';
  return `${resultLabel(r).padEnd(labelWidth)}  ${formatSeconds(r.wallMs).padStart(8)}  ${counts}  p50 ${formatMs(r.latencyMs.p50)}  peak ${r.maxInFlight} in flight${sockets}${partial}`;
}

/** The measured numbers of one run, a few lines of at most some 80 columns. */
export function measuredLines(report: Report): string[] {
  const lines: string[] = [];
  const setup = setupLine(report);
  if (setup !== null) lines.push(setup);
  const width = maxOf(report.results.map((r) => resultLabel(r).length));
  for (const r of report.results) lines.push(resultLine(r, width));
  const interrupted = interruptedLine(report);
  if (interrupted !== null) lines.push(interrupted);
  return lines;
}

/**
 * One lesson as the terminal shows it: title, paragraph, numbers and command per run, takeaway;
 * the prose wrapped to `width` (the terminal's, or 80 into a pipe: outputWidth).
 */
export function renderLesson(lesson: TourLessonResult, paragraph: string, position: string, chalk: ChalkInstance, width: number): string {
  const out = [chalk.bold(`${position} ${lesson.name} · ${lesson.title}`), ...wrapText(paragraph, width, { indent: '' }), ''];
  for (const run of lesson.runs) {
    for (const line of measuredLines(run.report)) out.push(`  ${line}`);
    out.push(chalk.dim(`  $ ${run.command}`));
  }
  out.push(chalk.green(wrapText(`→ ${lesson.takeaway}`, width).join('\n')), '');
  return out.join('\n') + '\n';
}

/** The command a run's Report says reproduces it, as typed with npx. */
function commandOf(report: Report, args: readonly string[]): string {
  return `npx ${report.config.command ?? ['async-bench', ...args].join(' ')}`;
}

export async function tourCommand(options: TourRequest, version: string): Promise<number> {
  if (options.list) {
    if (options.only !== undefined) throw new UsageError('give one of --list and --only');
    process.stdout.write(renderLessonList());
    return EXIT.ok;
  }
  const lessons = selectLessons(options.only);
  // Every run's arguments through the run command's parser before the first request: what is
  // printed as the command is what ran.
  const parsed: RunOptions[][] = [];
  for (const lesson of lessons) {
    const runs: RunOptions[] = [];
    for (const args of lesson.runs) runs.push({ ...(await parseRunArguments(args, version)), commandLine: [...args] });
    parsed.push(runs);
  }

  const level = options.json ? 0 : colorLevel(options.color, process.env, process.stdout.isTTY === true);
  const chalk = new Chalk({ level });
  const progress = await createProgress(progressEnabled(options.quiet, process.env, process.stderr.isTTY === true, process.stderr.columns), level > 0);
  // One controller per run (a run's listeners go with it); a stop signal aborts the current one.
  let controller = new AbortController();
  const signals = stopOnSignals(() => controller.abort());
  const stopSignal = (): StopSignal | null => signals.stoppedBy();
  const secrets = new Set<string>();
  const print = (text: string): void => void process.stdout.write(scrubSecrets(text, [...secrets]));
  const done: TourLessonResult[] = [];
  try {
    for (const [i, lesson] of lessons.entries()) {
      if (stopSignal() !== null) break;
      const runs: TourLessonResult['runs'] = [];
      for (const [j, runOptions] of parsed[i]!.entries()) {
        if (stopSignal() !== null) break;
        controller = new AbortController();
        const plan = await planRun(runOptions, controller.signal);
        progress.start(`${lesson.name}`);
        const { report, run } = await measure(
          plan,
          {
            signal: controller.signal,
            stage: (text) => progress.start(`${lesson.name} · ${text}`),
            strategy: (spec, count, at) => progress.strategy(spec, count, at),
            request: (spec, n, count) => progress.request(spec, n, count),
            warn: (text) => void process.stderr.write(scrubSecrets(text + '\n', [...secrets])),
            autoStep: () => {},
          },
          () => runOptions.details,
        );
        progress.stop();
        for (const secret of run.workload.secrets) secrets.add(secret);
        runs.push({ command: commandOf(report, lesson.runs[j]!), report });
      }
      if (runs.length === 0) break;
      const interrupted = stopSignal() !== null || runs.length < lesson.runs.length;
      const result: TourLessonResult = {
        name: lesson.name,
        title: lesson.title,
        runs,
        takeaway: interrupted ? 'interrupted: no takeaway' : lesson.takeaway(runs.map((r) => r.report)),
      };
      done.push(result);
      if (!options.json) print(renderLesson(result, lesson.paragraph, `[${i + 1}/${lessons.length}]`, chalk, outputWidth(process.stdout, process.env)));
    }
    const signal = stopSignal();
    if (options.json) {
      const document = {
        schemaVersion: 1,
        tool: { name: 'async-bench', version },
        lessons: done,
        ...(signal !== null ? { partial: true } : {}),
      };
      print(JSON.stringify(document, null, 2) + '\n');
    }
    return signal === null ? EXIT.ok : signalExitCode(signal);
  } finally {
    progress.stop();
    signals.release();
  }
}
