import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock.js';

describe('FakeClock (test helper)', () => {
  it('fires timers in time order at their exact virtual time', async () => {
    const clock = new FakeClock();
    const seen: Array<[string, number]> = [];
    const run = Promise.all([
      clock.sleep(30).then(() => seen.push(['a', clock.now()])),
      clock.sleep(10).then(() => seen.push(['b', clock.now()])),
      clock.sleep(20).then(() => seen.push(['c', clock.now()])),
    ]);
    await clock.runAll(run);
    expect(seen).toEqual([
      ['b', 10],
      ['c', 20],
      ['a', 30],
    ]);
    expect(clock.now()).toBe(30);
    expect(clock.pending).toBe(0);
  });

  it('fires equal times in registration order and chains sleeps from the current time', async () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const chain = async (name: string, first: number, second: number): Promise<number> => {
      await clock.sleep(first);
      seen.push(`${name}@${clock.now()}`);
      await clock.sleep(second);
      seen.push(`${name}@${clock.now()}`);
      return clock.now();
    };
    const ends = await clock.runAll(Promise.all([chain('x', 5, 5), chain('y', 5, 1)]));
    expect(seen).toEqual(['x@5', 'y@5', 'y@6', 'x@10']);
    expect(ends).toEqual([10, 6]);
  });

  it('advance moves time by exactly ms, firing only the timers due', async () => {
    const clock = new FakeClock();
    let fired = 0;
    void clock.sleep(10).then(() => fired++);
    void clock.sleep(25).then(() => fired++);
    await clock.advance(20);
    expect(clock.now()).toBe(20);
    expect(fired).toBe(1);
    expect(clock.pending).toBe(1);
    await clock.advance(5);
    expect(fired).toBe(2);
  });

  it('runAll reports a deadlock instead of hanging', async () => {
    const clock = new FakeClock();
    await expect(clock.runAll(new Promise<void>(() => undefined))).rejects.toThrow(/deadlock at t=0/);
  });

  it('runAll passes a rejection through', async () => {
    const clock = new FakeClock();
    const failing = clock.sleep(5).then(() => {
      throw new Error('boom');
    });
    await expect(clock.runAll(failing)).rejects.toThrow('boom');
    expect(clock.now()).toBe(5);
  });
});
