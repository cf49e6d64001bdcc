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
/** The clock in the line moves on while no request ends (a slow server). */
const TICK_MS = 500;

/**
 * Progress only for a person watching a real terminal. A pseudo-terminal that reports no
 * width (as under `script`) makes the spinner's line arithmetic divide by zero, so it needs one.
 */
export function progressEnabled(quiet: boolean, env: NodeJS.ProcessEnv, stderrIsTTY: boolean, columns = 80): boolean {
  return !quiet && stderrIsTTY && !env.CI && columns >= 20;
}

/** What the progress line needs to know of the plan: how many strategies, and rounds of each. */
export interface ProgressPlan {
  /** Strategy runs in a round (each bounded limit is one). */
  strategies: number;
  /** Rounds, warm-up ones included. */
  rounds: number;
}

/** "0:07", "1:36", "1:02:03": elapsed and remaining time at a glance. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

const keyOf = (spec: StrategySpec): string => `${spec.strategy}:${spec.concurrency ?? ''}:${spec.protocol ?? ''}`;
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The words of the progress line: "round 2/5 · bounded (C=5) 34/50 · 0:12 · ETA 0:30". The
 * ETA comes from the strategy runs already measured: once every strategy has run once, each
 * run still to come is expected to take as long as that strategy's runs so far took on
 * average. Before that (and beyond the plan, as -c auto's search goes) there is no ETA.
 */
export class ProgressLine {
  private readonly startedAt: number;
  private readonly durations = new Map<string, number[]>();
  private readonly started = new Map<string, number>();
  private current: { key: string; label: string; since: number; done: number; count: number } | null = null;
  private prefix = '';

  constructor(
    private readonly plan: ProgressPlan,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  strategy(spec: StrategySpec, count: number, position?: RunPosition): void {
    this.finishCurrent();
    const key = keyOf(spec);
    this.started.set(key, (this.started.get(key) ?? 0) + 1);
    this.prefix = position && (position.rounds > 1 || position.warmup) ? `${position.warmup ? 'warm-up' : 'round'} ${position.round}/${position.rounds} · ` : '';
    this.current = { key, label: resultLabel(spec), since: this.now(), done: 0, count };
  }

  request(done: number, count: number): void {
    if (this.current === null) return;
    this.current.done = done;
    this.current.count = count;
  }

  /** Expected time left, ms; null when the runs measured so far cannot tell. */
  remainingMs(): number | null {
    // Every strategy of the plan measured once, and nothing beyond it (-c auto's search) yet.
    if (this.current === null || this.durations.size !== this.plan.strategies) return null;
    let left = 0;
    for (const [key, times] of this.durations) {
      left += Math.max(0, this.plan.rounds - (this.started.get(key) ?? 0)) * mean(times);
    }
    const expected = this.durations.get(this.current.key);
    if (expected === undefined) return null;
    return left + Math.max(0, mean(expected) - (this.now() - this.current.since));
  }

  text(): string {
    const elapsed = formatClock(this.now() - this.startedAt);
    if (this.current === null) return elapsed;
    const eta = this.remainingMs();
    return `${this.prefix}${this.current.label} ${this.current.done}/${this.current.count} · ${elapsed}${eta === null ? '' : ` · ETA ${formatClock(eta)}`}`;
  }

  private finishCurrent(): void {
    if (this.current === null) return;
    const times = this.durations.get(this.current.key) ?? [];
    times.push(this.now() - this.current.since);
    this.durations.set(this.current.key, times);
  }
}

/** The line cut to the terminal's width (the spinner takes two columns): it never wraps. */
function fitLine(text: string, columns: number): string {
  const room = Math.max(10, columns - 3);
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

export async function createProgress(enabled: boolean, color: boolean, plan: ProgressPlan = { strategies: 0, rounds: 0 }): Promise<Progress> {
  if (!enabled) return SILENT;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, color: 'cyan', isEnabled: true, discardStdin: false });
  if (!color) spinner.spinner = 'line';
  const columns = (): number => process.stderr.columns || 80;
  let line: ProgressLine | null = null;
  let lastUpdate = 0;
  let ticker: NodeJS.Timeout | null = null;
  const show = (): void => {
    if (line !== null) spinner.text = fitLine(line.text(), columns());
  };
  return {
    start(text) {
      spinner.start(fitLine(text, columns()));
    },
    strategy(spec, count, position) {
      line ??= new ProgressLine(plan, () => performance.now());
      line.strategy(spec, count, position);
      show();
      if (ticker === null) {
        ticker = setInterval(show, TICK_MS);
        ticker.unref();
      }
    },
    request(_spec, done, count) {
      line?.request(done, count);
      const now = Date.now();
      if (done < count && now - lastUpdate < UPDATE_EVERY_MS) return;
      lastUpdate = now;
      show();
    },
    stop() {
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
      spinner.stop();
    },
  };
}
