/**
 * Sending a request costs the loop a socket, a connect system call and a place in undici's pool:
 * 0.05 to 1 ms each, more the more sockets are open. `all` over 100,000 URLs sent in one loop
 * turn blocked the loop for tens of seconds: no timer ran (a 10 s timeout fired at 36 s), no
 * connection was seen open, no Ctrl-C was heard. The pacer sends as many requests per loop turn
 * as fit in a small time budget (and at most a fixed number); the rest wait, in order, for the
 * next turns, with timers, I/O and signals running in between. Every request is still started
 * (handed to the pacer) before any is awaited; its latency runs from when it is actually sent,
 * and the wait before it is queueing, as with --rate.
 */
export interface DispatchPacer {
  /**
   * Sends request `index` now when this turn has room, or in a later turn, in order of arrival;
   * resolves when the send does, or at once, unsent, after releaseAll.
   */
  run(index: number): Promise<void>;
  /** Drops every waiting request unsent (the run was stopped). */
  releaseAll(): void;
}

export interface PacerLimits {
  /** Loop time one turn may spend sending, ms. */
  budgetMs: number;
  /** Requests sent per turn at most. */
  maxPerTurn: number;
}

/** 10 ms of sending per turn keeps timers and Ctrl-C prompt; 1,000 bounds a turn on a fast machine. */
export const PACER_LIMITS: PacerLimits = { budgetMs: 10, maxPerTurn: 1_000 };

/**
 * `send` starts request `index` and returns its promise. The waiting requests are kept as an
 * index and a resolver each, no closure: 100,000 of them wait at the start of `all`.
 */
export function createDispatchPacer(
  send: (index: number) => Promise<void>,
  nextTurn: () => Promise<void>,
  clock: () => number,
  limits: PacerLimits = PACER_LIMITS,
): DispatchPacer {
  let indices: number[] = [];
  let resolvers: Array<(sent?: Promise<void>) => void> = [];
  let head = 0;
  let scheduled = false;
  let turnStartedAt = 0;
  let sentThisTurn = 0;

  const hasRoom = (): boolean => sentThisTurn < limits.maxPerTurn && (sentThisTurn === 0 || clock() - turnStartedAt < limits.budgetMs);
  const schedule = (): void => {
    scheduled = true;
    void nextTurn().then(nextSlice);
  };
  // A turn begins where no slice is scheduled yet: the budget counts from there.
  const beginTurn = (): void => {
    turnStartedAt = clock();
    sentThisTurn = 0;
  };
  const clear = (): void => {
    indices = [];
    resolvers = [];
    head = 0;
  };
  function nextSlice(): void {
    scheduled = false;
    beginTurn();
    while (head < indices.length && hasRoom()) {
      sentThisTurn++;
      const resolve = resolvers[head]!;
      resolvers[head] = undefined!; // let the collector have it now, not when the queue drains
      resolve(send(indices[head++]!));
    }
    if (head === indices.length) clear();
    // Scheduled even when nothing waits, so that sends later in this turn count against it.
    if (sentThisTurn > 0) schedule();
  }

  return {
    run(index) {
      if (!scheduled) {
        beginTurn();
        schedule();
      }
      if (head === indices.length && hasRoom()) {
        sentThisTurn++;
        return send(index);
      }
      indices.push(index);
      return new Promise<void>((resolve) => resolvers.push(resolve));
    },
    releaseAll() {
      for (; head < resolvers.length; head++) resolvers[head]!();
      clear();
    },
  };
}
