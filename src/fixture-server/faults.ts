import { hashString } from '../core/random.js';
import type { FixtureResponse } from './routes/types.js';

/** Ways the fixture server can say no, like real public APIs under load. */
export interface FaultOptions {
  /** Share of requests answered 500, 0..1; the same paths fail for the same seed. */
  errorRate: number;
  /** Requests per second allowed (a token bucket of that size); above it, 429 with Retry-After. */
  rateLimitPerSec: number | null;
  /** Requests handled at once (queued ones included); above it, an immediate 503. */
  maxInflight: number | null;
  /** Requests served at once; the rest wait in line, first come first served (queueing, not refusing). */
  capacity: number | null;
  /** Mbit/s of one link that every response's bytes share (a token bucket), or null for loopback speed. */
  bandwidthMbps: number | null;
}

export const NO_FAULTS: FaultOptions = { errorRate: 0, rateLimitPerSec: null, maxInflight: null, capacity: null, bandwidthMbps: null };

export function hasFaults(faults: FaultOptions): boolean {
  return faults.errorRate > 0 || faults.rateLimitPerSec !== null || faults.maxInflight !== null || faults.capacity !== null || faults.bandwidthMbps !== null;
}

/** "error rate 0.1, rate limit 20/s, max in flight 10, capacity 5 with a queue, bandwidth 50 Mbit/s" */
export function describeFaults(faults: FaultOptions): string {
  const parts: string[] = [];
  if (faults.errorRate > 0) parts.push(`error rate ${faults.errorRate}`);
  if (faults.rateLimitPerSec !== null) parts.push(`rate limit ${faults.rateLimitPerSec}/s`);
  if (faults.maxInflight !== null) parts.push(`max in flight ${faults.maxInflight}`);
  if (faults.capacity !== null) parts.push(`capacity ${faults.capacity} with a queue`);
  if (faults.bandwidthMbps !== null) parts.push(`bandwidth ${faults.bandwidthMbps} Mbit/s`);
  return parts.join(', ');
}

const jsonError = (status: number, body: unknown, headers: Record<string, string> = {}): FixtureResponse => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
});

/** Salt so that the error draw is independent of the latency draw for the same path. */
const ERROR_SALT = 0x5bd1e995;

export interface FaultGate {
  /** A refusal to send at once (503, 429), or null to go on and handle the request. */
  admit(): FixtureResponse | null;
  /** A 500 to send instead of the real answer (after the usual delay), or null. */
  failure(path: string): FixtureResponse | null;
  /** Called once a handled request has been answered. */
  finished(): void;
  readonly inflight: number;
}

/** The fault state of one server: in-flight count and a token bucket, on the given clock (ms). */
export function createFaultGate(faults: FaultOptions, seed: number, now: () => number): FaultGate {
  let inflight = 0;
  const rate = faults.rateLimitPerSec;
  // The bucket holds at least one token, so that a rate below 1/s still lets requests through.
  const capacity = rate === null ? 0 : Math.max(1, rate);
  let tokens = capacity;
  let refilledAt = now();
  return {
    get inflight() {
      return inflight;
    },
    admit() {
      if (faults.maxInflight !== null && inflight >= faults.maxInflight) {
        return jsonError(503, { error: 'server busy', maxInflight: faults.maxInflight }, { 'retry-after': '1' });
      }
      if (rate !== null) {
        const t = now();
        tokens = Math.min(capacity, tokens + ((t - refilledAt) / 1000) * rate);
        refilledAt = t;
        if (tokens < 1) {
          const waitSeconds = Math.max(1, Math.ceil((1 - tokens) / rate));
          return jsonError(429, { error: 'rate limit exceeded', limitPerSecond: rate }, { 'retry-after': String(waitSeconds) });
        }
        tokens -= 1;
      }
      inflight++;
      return null;
    },
    failure(path) {
      if (faults.errorRate <= 0) return null;
      const draw = hashString(path, (seed ^ ERROR_SALT) >>> 0) / 4294967296;
      return draw < faults.errorRate ? jsonError(500, { error: 'internal server error (injected by --error-rate)' }) : null;
    },
    finished() {
      if (inflight > 0) inflight--;
    },
  };
}

/** The line of a server that serves at most `capacity` requests at once (--capacity). */
export interface ServiceQueue {
  /**
   * Calls start(leave) now when a slot is free, otherwise once one frees up (first come, first
   * served). Returns the same leave function: call it when the request is answered or its
   * client gives up; it frees the slot, or takes a waiting request out of the line. Idempotent.
   */
  enter(start: (leave: () => void) => void): () => void;
  readonly inService: number;
  readonly waiting: number;
  /** The most requests ever in service at once. */
  readonly peakInService: number;
}

interface Ticket {
  start: (leave: () => void) => void;
  leave: () => void;
  state: 'waiting' | 'serving' | 'done';
}

export function createServiceQueue(capacity: number): ServiceQueue {
  if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`capacity must be a whole number of at least 1, got ${capacity}`);
  // An array with a moving head: O(1) per request even with thousands waiting.
  let line: Ticket[] = [];
  let head = 0;
  let inService = 0;
  let waiting = 0;
  let peak = 0;
  const begin = (ticket: Ticket): void => {
    ticket.state = 'serving';
    inService++;
    peak = Math.max(peak, inService);
    ticket.start(ticket.leave);
  };
  const next = (): void => {
    while (inService < capacity && head < line.length) {
      const ticket = line[head]!;
      head++;
      if (ticket.state !== 'waiting') continue; // its client left while it waited
      waiting--;
      begin(ticket);
    }
    if (head === line.length) {
      line = [];
      head = 0;
    } else if (head > 1024 && head * 2 > line.length) {
      line = line.slice(head);
      head = 0;
    }
  };
  return {
    enter(start) {
      const ticket: Ticket = {
        start,
        state: 'waiting',
        leave: () => {
          const was = ticket.state;
          ticket.state = 'done';
          if (was === 'waiting') waiting--;
          else if (was === 'serving') {
            inService--;
            next();
          }
        },
      };
      if (inService < capacity && waiting === 0) begin(ticket);
      else {
        line.push(ticket);
        waiting++;
      }
      return ticket.leave;
    },
    get inService() {
      return inService;
    },
    get waiting() {
      return waiting;
    },
    get peakInService() {
      return peak;
    },
  };
}
