/** A counting semaphore: at most `permits` holders at once, waiters served first come first served. */
export class Semaphore {
  readonly permits: number;
  private held = 0;
  private readonly waiters: Array<() => void> = [];
  private head = 0;

  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be an integer >= 1, got ${permits}`);
    this.permits = permits;
  }

  /** Number of permits currently held. */
  get inUse(): number {
    return this.held;
  }

  /** Number of callers waiting for a permit. */
  get waiting(): number {
    return this.waiters.length - this.head;
  }

  acquire(): Promise<void> {
    if (this.held < this.permits) {
      this.held++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    if (this.head < this.waiters.length) {
      // The permit passes straight to the next waiter: `held` stays the same.
      const next = this.waiters[this.head]!;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.waiters.length) {
        this.waiters.splice(0, this.head);
        this.head = 0;
      }
      next();
      return;
    }
    if (this.held === 0) throw new Error('release() without a matching acquire()');
    this.held--;
  }
}
