/**
 * The deadline of one call: `settle()` when the call is answered; it returns false if the deadline
 * had already expired (its `onExpire` ran, so the caller was told "timed out").
 */
export interface Deadline {
  settle(): boolean;
}

/** A deadline that never expires (the operation's timeout is disabled). */
export const NO_DEADLINE: Deadline = Object.freeze({ settle: () => true });

class QueuedDeadline implements Deadline {
  constructor(
    private readonly queue: DeadlineQueue,
    readonly at: number,
    public onExpire: (() => void) | undefined,
  ) {}

  settle(): boolean {
    return this.queue.settle(this);
  }
}

/**
 * Deadlines of one duration, for calls that all time out after the same number of milliseconds.
 * They expire in the order they were added, so a queue with a single timer keeps them: the timer
 * is armed for the oldest open deadline and, when it fires, expires every one that is due and
 * re-arms for the next. Compared with a setTimeout/clearTimeout pair per call, a call costs an
 * array push and a flag, and an answered call leaves nothing behind once the calls before it are
 * answered too (answers mostly come in order; the queue drops settled entries from its head).
 *
 * The timer is the source of truth for "due": a fired timer expires the deadline it was armed
 * for even if `performance.now()` disagrees, so fake timers in a user's tests behave.
 */
export class DeadlineQueue {
  readonly #ms: number;
  #entries: (QueuedDeadline | undefined)[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The deadline the pending timer was armed for. */
  #armedFor = 0;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** Starts a deadline `ms` from now; `onExpire` runs if it is not settled by then. */
  add(onExpire: () => void): Deadline {
    const deadline = new QueuedDeadline(this, performance.now() + this.#ms, onExpire);
    this.#entries.push(deadline);
    if (this.#timer === undefined) this.#arm(deadline.at, this.#ms);
    return deadline;
  }

  /** Open (unsettled, unexpired) deadlines and settled ones still queued behind an open one. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** @internal Called through `Deadline.settle()`. */
  settle(deadline: QueuedDeadline): boolean {
    if (deadline.onExpire === undefined) return false;
    deadline.onExpire = undefined;
    this.#dropSettled();
    return true;
  }

  #arm(at: number, delay: number): void {
    this.#armedFor = at;
    this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(delay)));
    this.#timer.unref?.();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = Math.max(this.#armedFor, performance.now());
    const entries = this.#entries;
    try {
      while (this.#head < entries.length) {
        const deadline = entries[this.#head]!;
        const onExpire = deadline.onExpire;
        if (onExpire !== undefined && deadline.at > now) break;
        entries[this.#head] = undefined;
        this.#head++;
        if (onExpire !== undefined) {
          deadline.onExpire = undefined;
          onExpire();
        }
      }
    } finally {
      // Even if an onExpire threw, the deadlines behind it keep their timer.
      this.#dropSettled();
      const next = entries[this.#head];
      if (next !== undefined && this.#timer === undefined) this.#arm(next.at, next.at - now);
    }
  };

  #dropSettled(): void {
    const entries = this.#entries;
    while (this.#head < entries.length && entries[this.#head]!.onExpire === undefined) {
      entries[this.#head] = undefined;
      this.#head++;
    }
    if (this.#head === entries.length) {
      entries.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      entries.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
