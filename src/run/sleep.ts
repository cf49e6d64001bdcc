import type { Sleep } from '../core/rate-limit.js';

/**
 * Timers for backoff and rate waits that all end at once when the run is interrupted: one
 * abort listener for the run, not one per wait.
 */
export function createSleeper(signal: AbortSignal): Sleep {
  const waiting = new Set<() => void>();
  signal.addEventListener(
    'abort',
    () => {
      for (const wake of waiting) wake();
      waiting.clear();
    },
    { once: true },
  );
  return (ms) =>
    new Promise<void>((resolve) => {
      if (signal.aborted || !(ms > 0)) {
        resolve();
        return;
      }
      const wake = (): void => {
        clearTimeout(timer);
        waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiting.add(wake);
    });
}
