/**
 * Ideal wall times: how long a strategy would take over given request durations if scheduling
 * cost nothing (no event-loop turn, no socket to open, no wait between one request and the
 * next). Measured against the actual wall time, the gap is the tool's, the event loop's or the
 * connection's; the ideal itself is what the strategy's shape costs. Pure arithmetic.
 *
 * - sequential: the sum;
 * - all: the longest;
 * - bounded (C): greedy list scheduling on C lanes in input order (each request takes the lane
 *   that frees first);
 * - batched (C): the sum of each chunk's longest;
 * - adaptive: list scheduling where each request may start only while fewer than the limit in
 *   force when it was actually sent are running.
 */

/** A binary min-heap of numbers: the lanes' end times. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): number {
    return this.items[0]!;
  }

  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= x) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = x;
  }

  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * Makespan of greedy list scheduling in input order: request i starts no earlier than request
 * i-1, as soon as fewer than lanes(i) requests are running. With a constant number of lanes C,
 * that is C lanes each taking the next request the moment it frees.
 */
export function listScheduleMs(durations: ArrayLike<number>, lanes: number | ((index: number) => number)): number {
  const lanesOf = typeof lanes === 'number' ? (): number => lanes : lanes;
  const running = new MinHeap();
  let start = 0;
  let makespan = 0;
  for (let i = 0; i < durations.length; i++) {
    const cap = Math.max(1, lanesOf(i));
    while (running.size > 0 && running.peek() <= start) running.pop();
    while (running.size >= cap) start = Math.max(start, running.pop());
    const end = start + durations[i]!;
    running.push(end);
    if (end > makespan) makespan = end;
  }
  return makespan;
}

/** Promise.all over consecutive chunks of `size`: each chunk lasts as long as its longest request. */
export function batchedMs(durations: ArrayLike<number>, size: number): number {
  const chunk = Math.max(1, Math.floor(size));
  let total = 0;
  for (let from = 0; from < durations.length; from += chunk) {
    let longest = 0;
    for (let i = from; i < Math.min(durations.length, from + chunk); i++) longest = Math.max(longest, durations[i]!);
    total += longest;
  }
  return total;
}

export function sumMs(durations: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < durations.length; i++) total += durations[i]!;
  return total;
}

export function maxMs(durations: ArrayLike<number>): number {
  let longest = 0;
  for (let i = 0; i < durations.length; i++) longest = Math.max(longest, durations[i]!);
  return longest;
}

/** What the ideal of one strategy needs besides the durations. */
export interface IdealShape {
  strategy: string;
  /** C of bounded and batched. */
  concurrency: number | null;
  /** adaptive: the limit each request was sent under, by position in `durations`. */
  limits?: ArrayLike<number>;
}

/** The ideal wall time of a strategy over these durations (in input order), ms; null when it has none. */
export function idealWallMs(shape: IdealShape, durations: ArrayLike<number>): number | null {
  switch (shape.strategy) {
    case 'sequential':
      return sumMs(durations);
    case 'all':
      return maxMs(durations);
    case 'bounded':
      return shape.concurrency === null ? null : listScheduleMs(durations, shape.concurrency);
    case 'batched':
      return shape.concurrency === null ? null : batchedMs(durations, shape.concurrency);
    case 'adaptive': {
      const limits = shape.limits;
      return limits === undefined ? null : listScheduleMs(durations, (i) => limits[i]!);
    }
    default:
      return null;
  }
}
