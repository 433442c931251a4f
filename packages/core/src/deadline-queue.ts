/**
 * The deadline of one call: `settle()` when the call is answered; it returns false if the deadline
 * had already expired (its `onExpire` ran, so the caller was told "timed out").
 */
export interface Deadline {
  settle(): boolean;
}

/** A deadline that never expires (the operation's timeout is disabled). */
export const NO_DEADLINE: Deadline = Object.freeze({ settle: () => true });

/** How many ticks of the queue's timer make up one timeout: a deadline is at most 1/16 late. */
const TICKS_PER_TIMEOUT = 16;

/** Idle ticks (no deadline open, none added) after which the timer stops: one timeout's worth. */
const IDLE_TICKS_BEFORE_STOP = TICKS_PER_TIMEOUT;

class QueuedDeadline implements Deadline {
  constructor(
    private readonly queue: DeadlineQueue,
    /** The tick at which it expires (unless settled). */
    readonly dueTick: number,
    public onExpire: (() => void) | undefined,
  ) {}

  settle(): boolean {
    // Here rather than through a queue method: one call fewer on every answer.
    if (this.onExpire === undefined) return false;
    this.onExpire = undefined;
    this.queue.dropSettled();
    return true;
  }
}

/**
 * Deadlines of one duration, for calls that all time out after the same number of milliseconds.
 * They expire in the order they were added, so one timer serves them all.
 *
 * The timer ticks 16 times per timeout while deadlines are open, and a deadline counts ticks
 * rather than reading a clock: adding one is an object and an array push, with no clock read
 * (a clock read costs microseconds on a cold CPU, and a call starts on every order). A deadline
 * expires at the first tick at least `ms` after it was added: never early, and at most `ms / 16`
 * late (plus the timer's own lateness). Settled deadlines leave the queue once the ones before
 * them are settled or expired (answers mostly come in order). The timer stops after a timeout's
 * worth of ticks with no deadline open and none added, so a steady flow of calls does not re-arm
 * it for each one, and an idle process is not woken. Only timers are used, so fake timers in a
 * user's tests behave.
 */
export class DeadlineQueue {
  readonly #tickMs: number;
  #entries: (QueuedDeadline | undefined)[] = [];
  #head = 0;
  /** Ticks so far. */
  #tick = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Ticks in a row with no deadline open at the tick and none added since the last one. */
  #idleTicks = 0;
  #addedSinceTick = false;

  constructor(ms: number) {
    this.#tickMs = Math.max(1, Math.ceil(ms / TICKS_PER_TIMEOUT));
  }

  /** Starts a deadline `ms` from now; `onExpire` runs if it is not settled by then. */
  add(onExpire: () => void): Deadline {
    this.#addedSinceTick = true;
    let dueTick: number;
    if (this.#timer === undefined) {
      // The timer starts now, so its ticks count whole periods from this moment.
      this.#armTick();
      dueTick = this.#tick + TICKS_PER_TIMEOUT;
    } else {
      // Part of the current period has gone by: one tick more makes up for it.
      dueTick = this.#tick + TICKS_PER_TIMEOUT + 1;
    }
    const deadline = new QueuedDeadline(this, dueTick, onExpire);
    this.#entries.push(deadline);
    return deadline;
  }

  /** Open (unsettled, unexpired) deadlines and settled ones still queued behind an open one. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  readonly #onTick = (): void => {
    this.#timer = undefined;
    const tick = ++this.#tick;
    const entries = this.#entries;
    try {
      while (this.#head < entries.length) {
        const deadline = entries[this.#head]!;
        const onExpire = deadline.onExpire;
        if (onExpire !== undefined && deadline.dueTick > tick) break;
        entries[this.#head] = undefined;
        this.#head++;
        if (onExpire !== undefined) {
          deadline.onExpire = undefined;
          onExpire();
        }
      }
    } finally {
      // Even if an onExpire threw, the deadlines behind it keep their timer.
      this.dropSettled();
      const idle = this.#head === entries.length && !this.#addedSinceTick;
      this.#idleTicks = idle ? this.#idleTicks + 1 : 0;
      this.#addedSinceTick = false;
      if (this.#timer === undefined && this.#idleTicks < IDLE_TICKS_BEFORE_STOP) this.#armTick();
    }
  };

  #armTick(): void {
    this.#timer = setTimeout(this.#onTick, this.#tickMs);
    this.#timer.unref?.();
  }

  /** @internal Moves the head past settled deadlines (called when one settles, and at each tick). */
  dropSettled(): void {
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
