/**
 * The fixture server's fault gate (src/fixture-server/faults.ts) on an injected clock: every
 * admission, refusal and Retry-After value is an exact number.
 */
import { describe, expect, it } from 'vitest';
import { NO_FAULTS, createFaultGate, createServiceQueue, describeFaults, hasFaults, type FaultGate, type FaultOptions } from '../../src/fixture-server/faults.js';
import type { FixtureResponse } from '../../src/fixture-server/routes/types.js';

/** A clock that moves only when the test says so (milliseconds). */
function manualClock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

const faults = (partial: Partial<FaultOptions>): FaultOptions => ({ ...NO_FAULTS, ...partial });

/** Admits n requests in a row; returns how many were let through (the rest refused). */
function admitMany(gate: FaultGate, n: number): { admitted: number; refusals: FixtureResponse[] } {
  let admitted = 0;
  const refusals: FixtureResponse[] = [];
  for (let i = 0; i < n; i++) {
    const refusal = gate.admit();
    if (refusal === null) admitted++;
    else refusals.push(refusal);
  }
  return { admitted, refusals };
}

function header(response: FixtureResponse, name: string): string | undefined {
  const entry = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

describe('createFaultGate: no faults', () => {
  it('admits everything and never fails a path', () => {
    const clock = manualClock();
    const gate = createFaultGate(NO_FAULTS, 1, clock.now);
    expect(admitMany(gate, 1000).admitted).toBe(1000);
    expect(gate.inflight).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(gate.failure(`/api/v2/pokemon/${i}`)).toBeNull();
  });
});

describe('createFaultGate: token bucket (--rate-limit)', () => {
  it('starts full: exactly n requests pass at once, the next one gets 429', () => {
    const clock = manualClock(5_000);
    const gate = createFaultGate(faults({ rateLimitPerSec: 20 }), 1, clock.now);
    const { admitted, refusals } = admitMany(gate, 60);
    expect(admitted).toBe(20);
    expect(refusals).toHaveLength(40);
    for (const r of refusals) {
      expect(r.status).toBe(429);
      expect(header(r, 'retry-after')).toBe('1');
      expect(header(r, 'content-type')).toMatch(/application\/json/);
      expect(JSON.parse(r.body)).toEqual({ error: 'rate limit exceeded', limitPerSecond: 20 });
    }
  });

  it('refills n tokens a second, continuously', () => {
    const clock = manualClock();
    const gate = createFaultGate(faults({ rateLimitPerSec: 8 }), 1, clock.now);
    expect(admitMany(gate, 8).admitted).toBe(8);
    expect(gate.admit()?.status).toBe(429);
    clock.advance(62.5); // half a token
    expect(gate.admit()?.status).toBe(429);
    clock.advance(62.5); // one token
    expect(gate.admit()).toBeNull();
    expect(gate.admit()?.status).toBe(429);
    clock.advance(500); // 4 tokens
    expect(admitMany(gate, 10).admitted).toBe(4);
  });

  it('never holds more than n tokens, however long it stayed idle', () => {
    const clock = manualClock();
    const gate = createFaultGate(faults({ rateLimitPerSec: 4 }), 1, clock.now);
    clock.advance(60_000);
    expect(admitMany(gate, 100).admitted).toBe(4);
    clock.advance(3_600_000);
    expect(admitMany(gate, 100).admitted).toBe(4);
  });

  it('refusals cost no token and hold no in-flight slot', () => {
    const clock = manualClock();
    const gate = createFaultGate(faults({ rateLimitPerSec: 2 }), 1, clock.now);
    expect(admitMany(gate, 50).admitted).toBe(2);
    expect(gate.inflight).toBe(2);
    clock.advance(500); // exactly one token back, even after 48 refusals
    expect(admitMany(gate, 5).admitted).toBe(1);
    expect(gate.inflight).toBe(3);
  });

  it('Retry-After is the whole seconds until a token is back (at least 1)', () => {
    const clock = manualClock();
    const gate = createFaultGate(faults({ rateLimitPerSec: 3 }), 1, clock.now);
    admitMany(gate, 3);
    const refusal = gate.admit();
    expect(refusal?.status).toBe(429);
    const seconds = Number(header(refusal!, 'retry-after'));
    expect(seconds).toBe(1);
    // Waiting what it says is enough.
    clock.advance(seconds * 1000);
    expect(gate.admit()).toBeNull();
  });

  // BUG (see the report): the bucket's capacity is the rate itself, so with a rate below 1/s it
  // never holds a whole token, and every request is refused with a Retry-After that never comes true.
  it('a rate below 1/s still admits one request, and another once Retry-After has passed', () => {
    const clock = manualClock();
    const gate = createFaultGate(faults({ rateLimitPerSec: 0.5 }), 1, clock.now);
    expect(gate.admit(), 'the first request to a fresh server').toBeNull();
    const refusal = gate.admit();
    expect(refusal?.status).toBe(429);
    const seconds = Number(header(refusal!, 'retry-after'));
    expect(seconds).toBe(2);
    clock.advance(seconds * 1000);
    expect(gate.admit(), `after the ${seconds} s Retry-After asked for`).toBeNull();
  });
});

describe('createFaultGate: max in flight (--max-inflight)', () => {
  it('admits exactly n at once, answers 503 with Retry-After above it', () => {
    const gate = createFaultGate(faults({ maxInflight: 3 }), 1, manualClock().now);
    const { admitted, refusals } = admitMany(gate, 10);
    expect(admitted).toBe(3);
    expect(gate.inflight).toBe(3);
    expect(refusals).toHaveLength(7);
    for (const r of refusals) {
      expect(r.status).toBe(503);
      expect(header(r, 'retry-after')).toBe('1');
      expect(JSON.parse(r.body)).toEqual({ error: 'server busy', maxInflight: 3 });
    }
  });

  it('each finished() frees one slot; never goes below zero', () => {
    const gate = createFaultGate(faults({ maxInflight: 2 }), 1, manualClock().now);
    expect(admitMany(gate, 2).admitted).toBe(2);
    expect(gate.admit()?.status).toBe(503);
    gate.finished();
    expect(gate.inflight).toBe(1);
    expect(gate.admit()).toBeNull();
    expect(gate.admit()?.status).toBe(503);
    gate.finished();
    gate.finished();
    gate.finished(); // one too many
    expect(gate.inflight).toBe(0);
    expect(admitMany(gate, 5).admitted).toBe(2);
  });

  it('a 503 does not spend a rate-limit token (the in-flight check comes first)', () => {
    const clock = manualClock();
    const gate = createFaultGate(faults({ maxInflight: 1, rateLimitPerSec: 2 }), 1, clock.now);
    expect(gate.admit()).toBeNull(); // token 1 of 2, slot taken
    for (let i = 0; i < 5; i++) expect(gate.admit()?.status).toBe(503);
    gate.finished();
    expect(gate.admit(), 'the second token is still there').toBeNull();
    gate.finished();
    expect(gate.admit()?.status).toBe(429);
  });
});

describe('createFaultGate: injected 500s (--error-rate)', () => {
  const paths = Array.from({ length: 10_000 }, (_, i) => `/api/v2/pokemon/${i + 1}?n=${i}`);
  const failing = (gate: FaultGate): string[] => paths.filter((p) => gate.failure(p) !== null);

  it('the same seed fails the same paths, in any gate and any order', () => {
    const a = createFaultGate(faults({ errorRate: 0.3 }), 9, manualClock().now);
    const b = createFaultGate(faults({ errorRate: 0.3 }), 9, manualClock(123_456).now);
    const first = failing(a);
    expect(failing(a)).toEqual(first);
    expect(failing(b)).toEqual(first);
    expect([...paths].reverse().filter((p) => b.failure(p) !== null).reverse()).toEqual(first);
  });

  it('another seed fails other paths', () => {
    const a = failing(createFaultGate(faults({ errorRate: 0.3 }), 9, manualClock().now));
    const b = failing(createFaultGate(faults({ errorRate: 0.3 }), 10, manualClock().now));
    expect(b).not.toEqual(a);
    const overlap = b.filter((p) => a.includes(p)).length;
    // Independent draws: about 0.3 * 0.3 of the paths fail under both.
    expect(overlap / paths.length).toBeGreaterThan(0.06);
    expect(overlap / paths.length).toBeLessThan(0.12);
  });

  it.each([0.05, 0.1, 0.3, 0.5, 0.9])('fails a share close to errorRate %s over 10,000 paths', (rate) => {
    const share = failing(createFaultGate(faults({ errorRate: rate }), 42, manualClock().now)).length / paths.length;
    expect(Math.abs(share - rate)).toBeLessThanOrEqual(0.02);
  });

  it('a lower rate fails a subset of what a higher rate fails (same seed)', () => {
    const low = failing(createFaultGate(faults({ errorRate: 0.1 }), 5, manualClock().now));
    const high = new Set(failing(createFaultGate(faults({ errorRate: 0.4 }), 5, manualClock().now)));
    expect(low.every((p) => high.has(p))).toBe(true);
  });

  it('errorRate 0 fails nothing, 1 fails everything', () => {
    expect(failing(createFaultGate(faults({ errorRate: 0 }), 3, manualClock().now))).toHaveLength(0);
    expect(failing(createFaultGate(faults({ errorRate: 1 }), 3, manualClock().now))).toHaveLength(paths.length);
  });

  it('the failure is a JSON 500, and it does not touch the in-flight count', () => {
    const gate = createFaultGate(faults({ errorRate: 1, maxInflight: 5 }), 3, manualClock().now);
    const response = gate.failure('/posts/1');
    expect(response?.status).toBe(500);
    expect(header(response!, 'content-type')).toMatch(/application\/json/);
    expect(JSON.parse(response!.body)).toEqual({ error: 'internal server error (injected by --error-rate)' });
    expect(gate.inflight).toBe(0);
  });
});

describe('describeFaults and hasFaults', () => {
  it.each<[Partial<FaultOptions>, string, boolean]>([
    [{}, '', false],
    [{ errorRate: 0.1 }, 'error rate 0.1', true],
    [{ rateLimitPerSec: 20 }, 'rate limit 20/s', true],
    [{ maxInflight: 10 }, 'max in flight 10', true],
    [{ errorRate: 0.1, rateLimitPerSec: 20, maxInflight: 10 }, 'error rate 0.1, rate limit 20/s, max in flight 10', true],
    [{ errorRate: 0.25, maxInflight: 1 }, 'error rate 0.25, max in flight 1', true],
    [{ rateLimitPerSec: 2.5 }, 'rate limit 2.5/s', true],
    [{ capacity: 5 }, 'capacity 5 with a queue', true],
    [{ maxInflight: 20, capacity: 5 }, 'max in flight 20, capacity 5 with a queue', true],
  ])('%j -> %j', (partial, text, any) => {
    expect(describeFaults(faults(partial))).toBe(text);
    expect(hasFaults(faults(partial))).toBe(any);
  });
});

describe('createServiceQueue (--capacity): at most n in service, the rest wait first come first served', () => {
  /** Enters requests 0..count-1; records the order they start in and keeps each one's leave. */
  function enterMany(capacity: number, count: number) {
    const queue = createServiceQueue(capacity);
    const started: number[] = [];
    const leaves = Array.from({ length: count }, (_, i) => queue.enter(() => started.push(i)));
    return { queue, started, leaves };
  }

  it('starts the first n at once and holds the rest', () => {
    const { queue, started } = enterMany(5, 20);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(queue.inService).toBe(5);
    expect(queue.waiting).toBe(15);
  });

  it('each finished request lets the longest-waiting one in, never more than n at once', () => {
    const { queue, started, leaves } = enterMany(5, 20);
    for (const i of [2, 0, 4, 1, 3]) leaves[i]!();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let i = 5; i < 20; i++) leaves[i]!();
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(queue.peakInService).toBe(5);
    expect(queue.inService).toBe(0);
    expect(queue.waiting).toBe(0);
  });

  it('a request whose client left while waiting is never started and takes no slot', () => {
    const { queue, started, leaves } = enterMany(2, 6);
    leaves[2]!(); // gives up in line
    leaves[3]!();
    expect(queue.waiting).toBe(2);
    leaves[0]!();
    expect(started).toEqual([0, 1, 4]);
    leaves[1]!();
    expect(started).toEqual([0, 1, 4, 5]);
    expect(queue.inService).toBe(2);
  });

  it('leave is idempotent: a second call frees nothing more', () => {
    const { queue, started, leaves } = enterMany(1, 3);
    leaves[0]!();
    leaves[0]!();
    expect(started).toEqual([0, 1]);
    expect(queue.inService).toBe(1);
    expect(queue.waiting).toBe(1);
  });

  it('a request that finishes within its own start (no delay) frees its slot for the next', () => {
    const queue = createServiceQueue(1);
    const started: number[] = [];
    const held = queue.enter(() => started.push(0));
    for (let i = 1; i <= 3; i++) {
      queue.enter((leave) => {
        started.push(i);
        leave();
      });
    }
    held();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(queue.inService).toBe(0);
    expect(queue.peakInService).toBe(1);
  });

  it('capacity must be a whole number of at least 1', () => {
    expect(() => createServiceQueue(0)).toThrow(RangeError);
    expect(() => createServiceQueue(1.5)).toThrow(RangeError);
  });
});
