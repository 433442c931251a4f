/**
 * At most `capacity` events in any window of `windowMs`: a ring of the last `capacity` accepted
 * timestamps. A request is allowed when the oldest of them left the window. O(1), no allocation.
 */
export class SlidingWindow {
  readonly #times: Float64Array;
  #head = 0;
  #count = 0;

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a whole number >= 1, got ${capacity}`);
    this.#times = new Float64Array(capacity);
  }

  /** True when one more event fits at `now` (nothing is recorded). */
  allows(now: number): boolean {
    if (this.#count < this.capacity) return true;
    return this.#times[this.#head]! <= now - this.windowMs;
  }

  /** Records an event at `now` (call after `allows`). */
  record(now: number): void {
    this.#times[this.#head] = now;
    this.#head = (this.#head + 1) % this.capacity;
    if (this.#count < this.capacity) this.#count++;
  }

  /** Milliseconds until one more event fits (0 when it fits now). */
  waitMs(now: number): number {
    if (this.allows(now)) return 0;
    return this.#times[this.#head]! + this.windowMs - now;
  }
}
