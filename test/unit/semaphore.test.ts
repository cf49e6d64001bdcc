import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/core/semaphore.js';
import { flushMicrotasks } from '../helpers/fake-clock.js';

describe('Semaphore', () => {
  it('hands out exactly `permits` permits without waiting', async () => {
    const sem = new Semaphore(3);
    let granted = 0;
    for (let i = 0; i < 5; i++) void sem.acquire().then(() => granted++);
    await flushMicrotasks();
    expect(granted).toBe(3);
    expect(sem.inUse).toBe(3);
    expect(sem.waiting).toBe(2);
    expect(sem.permits).toBe(3);
  });

  it('serves waiters first come, first served', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const order: number[] = [];
    for (let i = 0; i < 4; i++) void sem.acquire().then(() => order.push(i));
    await flushMicrotasks();
    expect(order).toEqual([]);
    for (let i = 0; i < 4; i++) {
      sem.release();
      await flushMicrotasks();
      expect(order).toEqual([0, 1, 2, 3].slice(0, i + 1));
    }
  });

  it('release passes the permit to the next waiter (inUse stays, waiting drops)', async () => {
    const sem = new Semaphore(2);
    await sem.acquire();
    await sem.acquire();
    let third = false;
    void sem.acquire().then(() => {
      third = true;
    });
    await flushMicrotasks();
    expect(third).toBe(false);
    expect(sem.waiting).toBe(1);
    sem.release();
    await flushMicrotasks();
    expect(third).toBe(true);
    expect(sem.inUse).toBe(2);
    expect(sem.waiting).toBe(0);
    // A newcomer cannot jump in: the released permit went to the waiter.
    let fourth = false;
    void sem.acquire().then(() => {
      fourth = true;
    });
    await flushMicrotasks();
    expect(fourth).toBe(false);
  });

  it('release without waiters frees a permit for the next acquire', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    sem.release();
    expect(sem.inUse).toBe(0);
    await sem.acquire();
    expect(sem.inUse).toBe(1);
  });

  it('keeps FIFO order across many waiters (queue compaction)', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const order: number[] = [];
    const n = 3000;
    for (let i = 0; i < n; i++) void sem.acquire().then(() => order.push(i));
    for (let i = 0; i < n; i++) {
      sem.release();
      await Promise.resolve();
    }
    await flushMicrotasks();
    expect(order).toHaveLength(n);
    expect(order.every((v, i) => v === i)).toBe(true);
    expect(sem.waiting).toBe(0);
    expect(sem.inUse).toBe(1);
  });

  it('throws on release without acquire', () => {
    const sem = new Semaphore(2);
    expect(() => sem.release()).toThrow(/without a matching acquire/);
  });

  it('throws on one release too many', async () => {
    const sem = new Semaphore(2);
    await sem.acquire();
    sem.release();
    expect(() => sem.release()).toThrow(/without a matching acquire/);
    expect(sem.inUse).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s permits', (permits) => {
    expect(() => new Semaphore(permits)).toThrow(RangeError);
  });
});
