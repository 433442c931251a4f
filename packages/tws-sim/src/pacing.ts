/**
 * Message-rate meter for one connection (protocol doc 5): TWS allows 50 client messages in any
 * one-second window; the next one is a violation (code 100). Time is the host's monotonic clock,
 * not the simulator's virtual clock, because pacing is about the socket.
 */
export class PacingMeter {
  readonly #times: Float64Array;
  #next = 0;
  #count = 0;

  /** @param maxPerSecond messages allowed in any 1,000 ms window. */
  constructor(
    readonly maxPerSecond: number,
    readonly windowMs = 1_000,
  ) {
    if (!Number.isInteger(maxPerSecond) || maxPerSecond < 1) {
      throw new RangeError(`maxPerSecond must be a whole number >= 1, got ${maxPerSecond}`);
    }
    this.#times = new Float64Array(maxPerSecond);
  }

  /**
   * Counts one message at `now` (ms) and says whether it is within the limit. A refused message
   * is not counted, so a client that slows down is served again as its window moves on.
   */
  admit(now: number): boolean {
    if (this.#count === this.maxPerSecond) {
      const oldest = this.#times[this.#next]!;
      if (now - oldest < this.windowMs) return false;
    } else {
      this.#count++;
    }
    this.#times[this.#next] = now;
    this.#next = (this.#next + 1) % this.maxPerSecond;
    return true;
  }

  /** Messages counted in the window ending at `now`. */
  inWindow(now: number): number {
    let count = 0;
    for (let index = 0; index < this.#count; index++) if (now - this.#times[index]! < this.windowMs) count++;
    return count;
  }
}
