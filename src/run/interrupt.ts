/**
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP from the very first moment. This module is main's first
 * import, so its handler is in place before the rest of the program loads: a signal during
 * start-up is remembered, and the run then reports itself interrupted (valid, partial JSON with
 * --json) instead of dying silently.
 */
import { constants } from 'node:os';

/** The signals that stop a run the way Ctrl-C does: partial results, then exit 128 + n. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The code a shell reports for a process this signal ended: 130, 143, 129. */
export function signalExitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

let pending: StopSignal | null = null;
const remember = (signal: StopSignal): void => {
  pending ??= signal;
};
for (const signal of STOP_SIGNALS) process.on(signal, remember);

/**
 * An interrupted run ends through process.exit once its work is done ('exit'): a natural exit
 * closes the signal watchers before the process is gone, and another Ctrl-C in that instant
 * would end it by the signal instead of 128 + n. process.exit keeps them to the last.
 */
function endThroughExit(): void {
  process.once('exit', (code) => process.exit(code));
}

/**
 * Hands the stop signals to the run's own handler, calling it at once if one came during
 * start-up. Returns the function that lets go of them again.
 */
export function takeOverInterrupts(handler: (signal: StopSignal) => void): () => void {
  let interrupted = false;
  const listeners = STOP_SIGNALS.map((signal) => {
    const listener = (): void => {
      if (!interrupted) endThroughExit();
      interrupted = true;
      handler(signal);
    };
    // The new listener first: with none at all, even for an instant, Node stops watching the
    // signal, and one landing in that instant is lost.
    process.on(signal, listener);
    process.off(signal, remember);
    return [signal, listener] as const;
  });
  if (pending !== null) {
    const signal = pending;
    pending = null;
    endThroughExit();
    interrupted = true;
    handler(signal);
  }
  // Once interrupted, the listeners stay till exit: a later signal still ends in 128 + n, never the signal's death.
  return () => {
    if (interrupted) return;
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

/** What a command that measures holds while it runs: the stop signal that came, if one did. */
export interface StopWatch {
  /** The first stop signal received, or null. */
  stoppedBy(): StopSignal | null;
  /** Lets go of the signals (kept when one came: a second must still leave at once). */
  release(): void;
}

/**
 * Ctrl-C (and SIGTERM, SIGHUP) for a command that measures: the first signal calls `stop`
 * (stop starting requests, abort those in flight, then report what was measured); a second one
 * leaves at once with its own code, 128 + n.
 */
export function stopOnSignals(stop: () => void): StopWatch {
  let stoppedBy: StopSignal | null = null;
  const release = takeOverInterrupts((signal) => {
    if (stoppedBy !== null) process.exit(signalExitCode(signal));
    stoppedBy = signal;
    stop();
  });
  return { stoppedBy: () => stoppedBy, release };
}

/**
 * For commands that do not run a benchmark: the signals are theirs (or the default) again. One
 * that came during start-up is raised again, so that it is not lost.
 */
export function releaseInterrupts(): void {
  for (const signal of STOP_SIGNALS) process.off(signal, remember);
  if (pending !== null) {
    const signal = pending;
    pending = null;
    process.kill(process.pid, signal);
  }
}
