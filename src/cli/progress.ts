import type { RunPosition, StrategySpec } from '../core/benchmark.js';
import { resultLabel } from '../export/format.js';

/** Live progress on stderr; silent when stderr is not a terminal, under CI, or with --quiet. */
export interface Progress {
  start(text: string): void;
  strategy(spec: StrategySpec, count: number, position?: RunPosition): void;
  request(spec: StrategySpec, done: number, count: number): void;
  stop(): void;
}

const SILENT: Progress = { start() {}, strategy() {}, request() {}, stop() {} };
/** Text updates at most this often: ora redraws on its own timer, strings cost per request. */
const UPDATE_EVERY_MS = 50;

/**
 * Progress only for a person watching a real terminal. A pseudo-terminal that reports no
 * width (as under `script`) makes the spinner's line arithmetic divide by zero, so it needs one.
 */
export function progressEnabled(quiet: boolean, env: NodeJS.ProcessEnv, stderrIsTTY: boolean, columns = 80): boolean {
  return !quiet && stderrIsTTY && !env.CI && columns >= 20;
}

export async function createProgress(enabled: boolean, color: boolean): Promise<Progress> {
  if (!enabled) return SILENT;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, color: 'cyan', isEnabled: true, discardStdin: false });
  if (!color) spinner.spinner = 'line';
  let lastUpdate = 0;
  let prefix = '';
  return {
    start(text) {
      spinner.start(text);
    },
    strategy(spec, count, position) {
      prefix = position && (position.rounds > 1 || position.warmup) ? `${position.warmup ? 'warm-up' : 'round'} ${position.round}/${position.rounds} · ` : '';
      spinner.text = `${prefix}${resultLabel(spec)}  0/${count}`;
    },
    request(spec, done, count) {
      const now = Date.now();
      if (done < count && now - lastUpdate < UPDATE_EVERY_MS) return;
      lastUpdate = now;
      spinner.text = `${prefix}${resultLabel(spec)}  ${done}/${count}`;
    },
    stop() {
      spinner.stop();
    },
  };
}
