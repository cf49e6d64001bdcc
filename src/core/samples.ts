import { ERROR_CLASSES, type ErrorClass, type RequestOutcome } from './types.js';

const NOT_STARTED = 0;
const IN_FLIGHT = 1;
const DONE = 2;

/** Samples as plain data: what a worker thread posts back (see Samples.toData and absorb). */
export interface SamplesData {
  count: number;
  startMs: Float64Array;
  endMs: Float64Array;
  ttfbMs: Float64Array;
  bytes: Float64Array;
  decodedBytes: Float64Array;
  status: Uint16Array;
  errorCode: Uint8Array;
  attempts: Uint8Array;
  firstTryMs: Float64Array;
  cpuWorkMs: Float64Array | null;
  state: Uint8Array;
  causes: Array<[number, string]>;
}

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
  /** --cpu-work done after each response, ms (apart from latency); null while none was done. */
  cpuWorkMs: Float64Array | null = null;
  /** workers: the thread (0, 1 …) that sent each request; null for a run on one thread. */
  thread: Uint8Array | null = null;
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

  recordCpuWork(index: number, ms: number): void {
    (this.cpuWorkMs ??= new Float64Array(this.count))[index] = ms;
  }

  /** The columns as plain typed arrays, to post from a worker thread (their buffers can be transferred). */
  toData(): SamplesData {
    const { count, startMs, endMs, ttfbMs, bytes, decodedBytes, status, errorCode, attempts, firstTryMs, cpuWorkMs, state } = this;
    return { count, startMs, endMs, ttfbMs, bytes, decodedBytes, status, errorCode, attempts, firstTryMs, cpuWorkMs, state, causes: [...this.causes] };
  }

  /**
   * Takes in every request `part` started (one worker thread's share), its times moved by
   * `offsetMs` onto this run's clock, marked as sent by `thread`. Returns how many it took.
   */
  absorb(part: SamplesData, offsetMs: number, thread: number): number {
    if (part.count !== this.count) throw new Error(`samples of ${part.count} requests cannot join a run of ${this.count}`);
    const threads = (this.thread ??= new Uint8Array(this.count));
    const causes = new Map(part.causes);
    let taken = 0;
    for (let i = 0; i < part.count; i++) {
      const state = part.state[i]!;
      if (state === NOT_STARTED) continue;
      if (this.state[i] !== NOT_STARTED) throw new Error(`request ${i} was sent by two threads`);
      this.state[i] = state;
      this.startMs[i] = part.startMs[i]! + offsetMs;
      threads[i] = thread;
      taken++;
      if (state !== DONE) continue;
      this.endMs[i] = part.endMs[i]! + offsetMs;
      this.ttfbMs[i] = part.ttfbMs[i]!;
      this.bytes[i] = part.bytes[i]!;
      this.decodedBytes[i] = part.decodedBytes[i]!;
      this.status[i] = part.status[i]!;
      this.errorCode[i] = part.errorCode[i]!;
      this.attempts[i] = part.attempts[i]!;
      this.firstTryMs[i] = part.firstTryMs[i]!;
      if (part.cpuWorkMs !== null && part.cpuWorkMs[i]! > 0) this.recordCpuWork(i, part.cpuWorkMs[i]!);
      const cause = causes.get(i);
      if (cause !== undefined) this.causes.set(i, this.intern(cause));
    }
    return taken;
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
