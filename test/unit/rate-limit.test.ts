/**
 * The --rate limiter (src/core/rate-limit.ts), on a fake clock: sends are spaced exactly
 * 1000 / rate ms apart, whoever asks and however many ask at once; an idle spell earns no burst;
 * the wait goes through the sleep it was given (with the signal), and the CLI's sleeper ends
 * every wait at once on abort.
 */
import { describe, expect, it } from 'vitest';
import { createRateLimiter, type Sleep } from '../../src/core/rate-limit.js';
import { createSleeper } from '../../src/run/sleep.js';
import { FakeClock } from '../helpers/fake-clock.js';

/** Takes `n` turns at once and returns the fake time at which each was granted, in grant order. */
async function grantTimes(clock: FakeClock, take: () => Promise<void>, n: number): Promise<number[]> {
  const times: number[] = [];
  const all = Promise.all(Array.from({ length: n }, () => take().then(() => times.push(clock.now()))));
  await clock.runAll(all);
  return times;
}

describe('createRateLimiter', () => {
  it('20/s: 20 takes at once are granted exactly 50 ms apart, the first at once', async () => {
    const clock = new FakeClock();
    const rate = createRateLimiter(20, clock.now, clock.sleep);
    const times = await grantTimes(clock, () => rate.take(), 20);
    expect(times).toEqual(Array.from({ length: 20 }, (_, k) => k * 50));
  });

  it('spacing is exact for rates that do not divide 1000 (3/s) and below one a second (0.5/s)', async () => {
    for (const [perSecond, n] of [
      [3, 7],
      [0.5, 4],
      [1000, 10],
    ] as const) {
      const clock = new FakeClock();
      const rate = createRateLimiter(perSecond, clock.now, clock.sleep);
      const times = await grantTimes(clock, () => rate.take(), n);
      const interval = 1000 / perSecond;
      times.forEach((t, k) => expect(t).toBeCloseTo(k * interval, 9));
    }
  });

  it('any one-second window holds at most rate + 1 sends', async () => {
    const clock = new FakeClock();
    const rate = createRateLimiter(10, clock.now, clock.sleep);
    const times = await grantTimes(clock, () => rate.take(), 45);
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t <= start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(11);
    }
    expect(times.at(-1)).toBe(4_400);
  });

  it('takes spread over time: a take after the interval has passed is granted at once', async () => {
    const clock = new FakeClock();
    const rate = createRateLimiter(10, clock.now, clock.sleep);
    const granted: number[] = [];
    const take = async (): Promise<void> => {
      await rate.take();
      granted.push(clock.now());
    };
    await clock.runAll(take()); // t = 0
    await clock.advance(250);
    await clock.runAll(take()); // 250: past 100, at once
    await clock.advance(30);
    await clock.runAll(take()); // 280: must wait until 350
    expect(granted).toEqual([0, 250, 350]);
  });

  it('an idle spell earns no burst: after 10 s of nothing, the next takes are spaced again', async () => {
    const clock = new FakeClock();
    const rate = createRateLimiter(4, clock.now, clock.sleep);
    await clock.runAll(rate.take());
    await clock.advance(10_000);
    const times = await grantTimes(clock, () => rate.take(), 4);
    expect(times).toEqual([10_000, 10_250, 10_500, 10_750]);
  });

  it('strategies share nothing: two limiters pace independently', async () => {
    const clock = new FakeClock();
    const a = createRateLimiter(10, clock.now, clock.sleep);
    const b = createRateLimiter(10, clock.now, clock.sleep);
    const times = await grantTimes(clock, () => Promise.all([a.take(), b.take()]).then(() => undefined), 3);
    expect(times).toEqual([0, 100, 200]);
  });

  it('waits only through the sleep it was given, passing the signal, and never sleeps when it need not', async () => {
    const clock = new FakeClock();
    const calls: Array<[number, AbortSignal | undefined]> = [];
    const sleep: Sleep = (ms, signal) => {
      calls.push([ms, signal]);
      return clock.sleep(ms);
    };
    const rate = createRateLimiter(5, clock.now, sleep);
    const signal = new AbortController().signal;
    await clock.runAll(Promise.all([rate.take(signal), rate.take(signal), rate.take(signal)]));
    expect(calls).toEqual([
      [200, signal],
      [400, signal],
    ]);
  });

  it("with the CLI's sleeper, an abort ends every wait at once (no request waits out its turn)", async () => {
    const controller = new AbortController();
    const sleep = createSleeper(controller.signal);
    const rate = createRateLimiter(1, () => performance.now(), sleep); // one a second
    const t0 = performance.now();
    const takes = Promise.all(Array.from({ length: 5 }, () => rate.take(controller.signal)));
    setTimeout(() => controller.abort(), 50);
    await takes;
    expect(performance.now() - t0).toBeLessThan(1_000); // not the 4 s the last would wait
  });

  it("the CLI's sleeper: a wait of 0, NaN or after the abort resolves at once; real waits are kept", async () => {
    const controller = new AbortController();
    const sleep = createSleeper(controller.signal);
    let t0 = performance.now();
    await sleep(0);
    await sleep(Number.NaN);
    expect(performance.now() - t0).toBeLessThan(500); // no timer: loose, for a busy machine
    t0 = performance.now();
    await sleep(120);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    controller.abort();
    t0 = performance.now();
    await sleep(60_000);
    expect(performance.now() - t0).toBeLessThan(5_000); // not the minute asked for
  });
});
