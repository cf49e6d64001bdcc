/**
 * -c auto: find the limit by measuring. Double C from 1 while the limit still scales: nothing
 * fails, p50 stays under 1.5x its lowest, and goodput grows by more than 10% and by at least
 * 60% of what linear scaling would give (a doubling that buys +35% means the server stopped
 * keeping up somewhere in between). Then bisect the last bracket, by the same rule against its
 * lower end, down to 1 (or 10% of C above 20). Pure: `measure` runs one limit.
 */
import { QUEUEING_P50 } from './recommend.js';
import type { StrategyResult } from './report.js';

/** A larger limit must grow goodput by more than this share… */
export const AUTO_MIN_GAIN = 0.1;
/** …and by at least this share of linear growth over the limit it is compared with. */
export const AUTO_SCALING_SHARE = 0.6;

/** The growth a limit `next` must earn over `low` to count as still scaling. */
export function requiredGain(low: number, next: number): number {
  return Math.max(AUTO_MIN_GAIN, AUTO_SCALING_SHARE * (next / low - 1));
}

export interface AutoStep {
  concurrency: number;
  okPerSec: number;
  p50: number;
  failed: number;
  /** "start", "scales", or why it does not: "failures", "queueing", "no gain". */
  verdict: string;
}

export interface AutoSweepOptions {
  /** Highest limit to try (-c auto:64; by default the requests per step). */
  ceiling: number;
  /** Requests the whole search may make (--max-requests). */
  maxRequests: number;
  /** Requests one step makes (count × rounds). */
  requestsPerStep: number;
}

export interface AutoSweepResult {
  steps: AutoStep[];
  /** The highest limit that still scaled. */
  best: number;
  /** Where the search ended: the limits on either side of the answer. */
  bracket: [number, number] | null;
  stoppedBy: 'resolution' | 'ceiling' | 'max-requests' | 'interrupted';
}

/** One limit measured; null when the run was interrupted. */
export type MeasureAt = (concurrency: number) => Promise<StrategyResult | null>;

/** Above 20, bisection stops within 10% of C. */
export function autoResolution(low: number): number {
  return low > 20 ? Math.ceil(low * 0.1) : 1;
}

/** Why `next` does not scale beyond `ref`, or null when it does. */
function blocker(next: StrategyResult, ref: StrategyResult, lowestP50: number, minGain: number): string | null {
  if (next.failed > 0) return 'failures';
  if (next.okLatencyMs.p50 > QUEUEING_P50 * lowestP50) return 'queueing';
  return next.okPerSec > ref.okPerSec * (1 + minGain) ? null : 'no gain';
}

export async function autoSweep(measure: MeasureAt, options: AutoSweepOptions, onStep?: (step: AutoStep) => void): Promise<AutoSweepResult> {
  const steps: AutoStep[] = [];
  let spent = 0;
  let lowestP50 = Number.POSITIVE_INFINITY;
  const at = async (c: number, ref: StrategyResult | null, minGain = 0): Promise<{ result: StrategyResult; ok: boolean } | 'budget' | null> => {
    if (spent + options.requestsPerStep > options.maxRequests) return 'budget';
    spent += options.requestsPerStep;
    const result = await measure(c);
    if (result === null) return null;
    if (result.ok > 0) lowestP50 = Math.min(lowestP50, result.okLatencyMs.p50);
    const why = ref === null ? (result.failed > 0 ? 'failures' : null) : blocker(result, ref, lowestP50, minGain);
    const step: AutoStep = { concurrency: c, okPerSec: result.okPerSec, p50: result.okLatencyMs.p50, failed: result.failed, verdict: ref === null ? (why ?? 'start') : (why ?? 'scales') };
    steps.push(step);
    onStep?.(step);
    return { result, ok: why === null };
  };
  const end = (best: number, bracket: [number, number] | null, stoppedBy: AutoSweepResult['stoppedBy']): AutoSweepResult => ({ steps, best, bracket, stoppedBy });

  const first = await at(1, null);
  if (first === null) return end(1, null, 'interrupted');
  if (first === 'budget') return end(1, null, 'max-requests');
  let low = { c: 1, result: first.result };
  if (!first.ok) return end(1, null, 'resolution');
  let high: number | null = null;
  while (high === null) {
    const next = Math.min(low.c * 2, options.ceiling);
    if (next <= low.c) return end(low.c, null, 'ceiling');
    const step = await at(next, low.result, requiredGain(low.c, next));
    if (step === null) return end(low.c, null, 'interrupted');
    if (step === 'budget') return end(low.c, null, 'max-requests');
    if (step.ok) low = { c: next, result: step.result };
    else high = next;
  }
  while (high - low.c > autoResolution(low.c)) {
    const mid = Math.floor((low.c + high) / 2);
    const step = await at(mid, low.result, requiredGain(low.c, mid));
    if (step === null) return end(low.c, [low.c, high], 'interrupted');
    if (step === 'budget') return end(low.c, [low.c, high], 'max-requests');
    if (step.ok) low = { c: mid, result: step.result };
    else high = mid;
  }
  return end(low.c, [low.c, high], 'resolution');
}
