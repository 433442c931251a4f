import type { Execution } from './order.js';

/**
 * The most recent executions of one account, in a ring of fixed capacity: a long run keeps the
 * last `capacity` executions and forgets older ones (IB's reqExecutions and Kite's trades report
 * a day at most, so a bounded window is what a venue offers too).
 */
export class ExecutionLog {
  readonly #ring: Array<Execution | undefined>;
  #next = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`capacity must be an integer >= 0, got ${capacity}`);
    this.#ring = new Array(capacity).fill(undefined);
  }

  get size(): number {
    return this.#size;
  }

  add(execution: Execution): void {
    if (this.capacity === 0) return;
    this.#ring[this.#next] = execution;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
  }

  /** Retained executions with `sequence` greater than `afterSequence`, oldest first. */
  since(afterSequence = -1): Execution[] {
    const result: Execution[] = [];
    const start = (this.#next - this.#size + this.capacity) % Math.max(1, this.capacity);
    for (let offset = 0; offset < this.#size; offset++) {
      const execution = this.#ring[(start + offset) % this.capacity]!;
      if (execution.sequence > afterSequence) result.push(execution);
    }
    return result;
  }
}
