/** The dispatch pacer: how many requests each loop turn sends, in what order, and what a stop does. */
import { describe, expect, it } from 'vitest';
import { runStrategy, type StrategyClient } from '../../src/core/benchmark.js';
import { createDispatchPacer, PACER_LIMITS } from '../../src/core/dispatch-pacer.js';
import type { RequestOutcome } from '../../src/core/types.js';

/** Loop turns the test hands out one at a time. */
function manualTurns() {
  const waiting: Array<() => void> = [];
  return {
    nextTurn: (): Promise<void> => new Promise<void>((resolve) => waiting.push(resolve)),
    /** Ends the current turn: the slice scheduled for the next one runs, then its sends' callbacks. */
    async turn(): Promise<void> {
      const due = waiting.splice(0);
      for (const resolve of due) resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
    get scheduled(): number {
      return waiting.length;
    },
  };
}

describe('createDispatchPacer', () => {
  it('sends at most maxPerTurn requests a turn, in the order they came, and the rest in later turns', async () => {
    const turns = manualTurns();
    const sent: number[] = [];
    const pacer = createDispatchPacer(
      (i) => {
        sent.push(i);
        return Promise.resolve();
      },
      turns.nextTurn,
      () => 0,
      { budgetMs: 10, maxPerTurn: 3 },
    );
    const done = Array.from({ length: 8 }, (_, i) => pacer.run(i));
    expect(sent).toEqual([0, 1, 2]);
    await turns.turn();
    expect(sent).toEqual([0, 1, 2, 3, 4, 5]);
    await turns.turn();
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await Promise.all(done);
    await turns.turn(); // the turn after the last slice finds nothing to do and schedules nothing more
    expect(turns.scheduled).toBe(0);
  });

  it('stops a turn once its time budget is spent (the first send of a turn always goes)', async () => {
    const turns = manualTurns();
    let now = 0;
    const sent: number[] = [];
    const pacer = createDispatchPacer(
      (i) => {
        sent.push(i);
        now += 4; // each send costs the loop 4 ms
        return Promise.resolve();
      },
      turns.nextTurn,
      () => now,
      { budgetMs: 10, maxPerTurn: 1_000 },
    );
    for (let i = 0; i < 7; i++) void pacer.run(i);
    expect(sent).toEqual([0, 1, 2]); // 0, 4 and 8 ms in: room; 12 ms: none
    await turns.turn();
    expect(sent).toEqual([0, 1, 2, 3, 4, 5]);
    await turns.turn();
    expect(sent).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('resolves with the send: a request waiting its turn resolves when its request ends', async () => {
    const turns = manualTurns();
    const ends: Array<() => void> = [];
    const pacer = createDispatchPacer((_i) => new Promise<void>((resolve) => ends.push(resolve)), turns.nextTurn, () => 0, { budgetMs: 10, maxPerTurn: 1 });
    let secondDone = false;
    void pacer.run(0);
    void pacer.run(1).then(() => (secondDone = true));
    await turns.turn();
    expect(ends).toHaveLength(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondDone).toBe(false);
    ends[1]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondDone).toBe(true);
  });

  it('releaseAll lets every waiting request go without sending it', async () => {
    const turns = manualTurns();
    const sent: number[] = [];
    const pacer = createDispatchPacer(
      (i) => {
        sent.push(i);
        return new Promise<void>(() => {});
      },
      turns.nextTurn,
      () => 0,
      { budgetMs: 10, maxPerTurn: 2 },
    );
    const promises = Array.from({ length: 5 }, (_, i) => pacer.run(i));
    expect(sent).toEqual([0, 1]);
    pacer.releaseAll();
    await Promise.all(promises.slice(2)); // released: they settle though never sent
    await turns.turn();
    expect(sent).toEqual([0, 1]);
  });
});

describe('runStrategy with a loop turn to pace by', () => {
  const ok: RequestOutcome = { status: 200, bytes: 1, ttfbMs: 1, error: null };
  const count = PACER_LIMITS.maxPerTurn * 2 + 500;
  const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it('`all` starts every request, sends each exactly once, and never more than a slice in one turn', async () => {
    const sends = new Array<number>(count).fill(0);
    let turn = 0;
    let sentThisTurn = 0;
    let mostInOneTurn = 0;
    let lastTurn = -1;
    const ticker = setInterval(() => turn++, 0);
    const client: StrategyClient = {
      request: (i) => {
        sends[i]!++;
        if (turn !== lastTurn) {
          lastTurn = turn;
          sentThisTurn = 0;
        }
        mostInOneTurn = Math.max(mostInOneTurn, ++sentThisTurn);
        return new Promise((resolve) => setTimeout(resolve, 5, ok));
      },
      close: async () => undefined,
    };
    try {
      const run = await runStrategy({ strategy: 'all', concurrency: null }, count, client, () => performance.now(), { nextTurn });
      expect(sends.every((n) => n === 1)).toBe(true);
      expect(run.partial).toBe(false);
      expect(mostInOneTurn).toBeLessThanOrEqual(PACER_LIMITS.maxPerTurn);
      expect(run.maxInFlight).toBeLessThanOrEqual(count);
      for (let i = 0; i < count; i++) expect(run.samples.completed(i)).toBe(true);
    } finally {
      clearInterval(ticker);
    }
  });

  it('a stop drops the requests still waiting their turn: never sent, not counted as started', async () => {
    const controller = new AbortController();
    let sent = 0;
    const client: StrategyClient = {
      request: () => {
        if (++sent === PACER_LIMITS.maxPerTurn + 10) controller.abort(); // in a later turn, all started
        return Promise.resolve(controller.signal.aborted ? { ...ok, status: 0, error: 'aborted' } : ok);
      },
      close: async () => undefined,
    };
    const run = await runStrategy({ strategy: 'all', concurrency: null }, count, client, () => performance.now(), { nextTurn, signal: controller.signal });
    expect(run.partial).toBe(true);
    let started = 0;
    for (let i = 0; i < count; i++) if (run.samples.started(i)) started++;
    expect(sent).toBe(PACER_LIMITS.maxPerTurn + 10);
    expect(started).toBe(sent);
  });
});
