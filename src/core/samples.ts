import { ERROR_CLASSES, type ErrorClass, type RequestOutcome } from './types.js';

const NOT_STARTED = 0;
const IN_FLIGHT = 1;
const DONE = 2;

/**
 * Per-request measurements of one strategy run, kept column-wise in typed arrays
 * (about 50 bytes a request) so that 100,000-URL runs stay small.
 * Times are ms since the run's start.
 */
export class Samples {
  readonly count: number;
  readonly startMs: Float64Array;
  readonly endMs: Float64Array;
  readonly ttfbMs: Float64Array;
  readonly bytes: Float64Array;
  /** Body bytes after Content-Encoding was undone. */
  readonly decodedBytes: Float64Array;
  readonly status: Uint16Array;
  /** 0 = ok, otherwise 1 + index into ERROR_CLASSES. */
  readonly errorCode: Uint8Array;
  /** Attempts made (1 without retries; at most 255 recorded). */
  readonly attempts: Uint8Array;
  /** The first attempt's latency; equals the latency without retries. */
  readonly firstTryMs: Float64Array;
  private readonly state: Uint8Array;
  /** Why each failed request failed, by index; only failures have one, and equal texts share one string. */
  private readonly causes = new Map<number, string>();
  private readonly interned = new Map<string, string>();

  constructor(count: number) {
    this.count = count;
    this.startMs = new Float64Array(count);
    this.endMs = new Float64Array(count);
    this.ttfbMs = new Float64Array(count).fill(Number.NaN);
    this.bytes = new Float64Array(count);
    this.decodedBytes = new Float64Array(count);
    this.status = new Uint16Array(count);
    this.errorCode = new Uint8Array(count);
    this.attempts = new Uint8Array(count);
    this.firstTryMs = new Float64Array(count);
    this.state = new Uint8Array(count);
  }

  markStart(index: number, atMs: number): void {
    this.startMs[index] = atMs;
    this.state[index] = IN_FLIGHT;
  }

  record(index: number, atMs: number, outcome: RequestOutcome): void {
    this.endMs[index] = atMs;
    this.ttfbMs[index] = outcome.ttfbMs;
    this.bytes[index] = outcome.bytes;
    this.decodedBytes[index] = outcome.decodedBytes ?? outcome.bytes;
    this.status[index] = outcome.status;
    this.errorCode[index] = outcome.error === null ? 0 : ERROR_CLASSES.indexOf(outcome.error) + 1;
    if (outcome.error !== null && outcome.cause !== undefined) this.causes.set(index, this.intern(outcome.cause));
    this.attempts[index] = Math.min(255, outcome.attempts ?? 1);
    this.firstTryMs[index] = outcome.firstTryMs ?? atMs - this.startMs[index]!;
    this.state[index] = DONE;
  }

  /** Whether request `index` was started (requests never started are not counted). */
  started(index: number): boolean {
    return this.state[index] !== NOT_STARTED;
  }

  completed(index: number): boolean {
    return this.state[index] === DONE;
  }

  error(index: number): ErrorClass | null {
    const code = this.errorCode[index] ?? 0;
    return code === 0 ? null : ERROR_CLASSES[code - 1]!;
  }

  /** Why request `index` failed, when it failed and a cause was recorded. */
  cause(index: number): string | null {
    return this.causes.get(index) ?? null;
  }

  /** 10,000 refusals carry one message string, not 10,000 copies of it. */
  private intern(text: string): string {
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    this.interned.set(text, text);
    return text;
  }

  latencyMs(index: number): number {
    return this.endMs[index]! - this.startMs[index]!;
  }
}

/**
 * Values gathered from samples into one typed array of a known capacity, then sorted in place
 * for percentiles: a summary of 100,000 requests allocates one Float64Array per figure, not a
 * growing plain array and then a sorted copy of it.
 */
export class SampleColumn {
  private readonly values: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.values.length) throw new RangeError(`SampleColumn holds ${this.values.length} values`);
    this.values[this.size++] = value;
  }

  /** The values pushed, sorted ascending in place: a view, not a copy. */
  sorted(): Float64Array {
    return this.values.subarray(0, this.size).sort();
  }
}
