/**
 * Ctrl-C from the very first moment. This module is main's first import, so its handler is in
 * place before the rest of the program loads: a Ctrl-C during start-up is remembered, and the
 * run then reports itself interrupted (valid, partial JSON with --json) instead of dying silently.
 */
let pending = false;
const remember = (): void => {
  pending = true;
};
process.on('SIGINT', remember);

/** Hands Ctrl-C to the run's own handler, calling it at once if one came during start-up. */
export function takeOverInterrupts(handler: () => void): () => void {
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    handler();
  };
  // The new listener first: with none at all, even for an instant, Node stops watching the
  // signal, and a Ctrl-C landing in that instant is lost.
  process.on('SIGINT', onSigint);
  process.off('SIGINT', remember);
  if (pending) {
    pending = false;
    onSigint();
  }
  // Once interrupted, the listener stays till exit: a later Ctrl-C still ends in 130, never the signal's death.
  return () => {
    if (!interrupted) process.off('SIGINT', onSigint);
  };
}

/** For commands that do not run a benchmark: Ctrl-C is theirs (or the default) again. */
export function releaseInterrupts(): void {
  process.off('SIGINT', remember);
}
