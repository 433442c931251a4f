/** An opaque handle returned by `Clock.setTimer`, for `clearTimer`. */
export interface TimerHandle {
  readonly __timerHandle: true;
}

/**
 * The simulator's source of time and timers. Callbacks take one argument so that callers pass a
 * long-lived function plus the object it acts on, instead of allocating a closure per timer.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Runs `callback(arg)` after `delayMs`. A `background` timer (price steps, session close) does
   * not keep a Node process alive; others (fills, cancels, reconnects) do until they fire.
   */
  setTimer<T>(delayMs: number, callback: (arg: T) => void, arg: T, background?: boolean): TimerHandle;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimer(handle: TimerHandle): void;
}

/** Wall-clock time and Node timers. The default clock. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer<T>(delayMs: number, callback: (arg: T) => void, arg: T, background = false): TimerHandle {
    const timer = setTimeout(callback, Math.max(0, delayMs), arg);
    if (background) timer.unref();
    return timer as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  }
}

interface ScheduledTimer extends TimerHandle {
  at: number;
  sequence: number;
  callback: ((arg: unknown) => void) | undefined;
  arg: unknown;
}

/** 2024-11-18 14:30 UTC (09:30 in New York): a Monday, before the spec's example expiries. */
export const DEFAULT_VIRTUAL_START = Date.UTC(2024, 10, 18, 14, 30);

/**
 * Virtual time for tests and benchmarks. Time stands still until `advance(ms)`, which runs every
 * timer that falls due, in order of due time and then of scheduling, with `now()` equal to each
 * timer's due time while it runs. Nothing depends on the wall clock, so runs are reproducible.
 *
 * @example
 * const clock = new VirtualClock();
 * const simulator = new ExchangeSimulator({ clock, seed: 7 });
 * clock.advance(1_000); // fills, triggers and expiries due in the next second happen now
 */
export class VirtualClock implements Clock {
  #now: number;
  #sequence = 0;
  #heap: ScheduledTimer[] = [];
  #cleared = 0;

  constructor(start: number = DEFAULT_VIRTUAL_START) {
    if (!Number.isFinite(start)) throw new RangeError(`start must be epoch milliseconds, got ${start}`);
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    let count = 0;
    for (const timer of this.#heap) if (timer.callback !== undefined) count++;
    return count;
  }

  setTimer<T>(delayMs: number, callback: (arg: T) => void, arg: T): TimerHandle {
    const timer: ScheduledTimer = {
      __timerHandle: true,
      at: this.#now + Math.max(0, delayMs),
      sequence: this.#sequence++,
      callback: callback as (arg: unknown) => void,
      arg,
    };
    this.#push(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = handle as ScheduledTimer;
    if (timer.callback === undefined) return;
    timer.callback = undefined;
    timer.arg = undefined;
    // Cleared timers stay in the heap until due; rebuild it when they are most of it.
    if (++this.#cleared > 1024 && this.#cleared * 2 > this.#heap.length) this.#compact();
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms))
      throw new RangeError(`advance() takes a finite ms >= 0, got ${ms}`);
    this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `time` (epoch ms), running every timer due until then. */
  advanceTo(time: number): void {
    if (time < this.#now) throw new RangeError(`cannot go back in time (now ${this.#now}, asked ${time})`);
    for (;;) {
      const next = this.#heap[0];
      if (next === undefined || next.at > time) break;
      this.#pop();
      const callback = next.callback;
      if (callback === undefined) {
        this.#cleared = Math.max(0, this.#cleared - 1);
        continue;
      }
      this.#now = next.at;
      const arg = next.arg;
      next.callback = undefined;
      next.arg = undefined;
      callback(arg);
    }
    this.#now = time;
  }

  /** Runs timers until none is left, up to `limit` of them (to stop runaway repeating timers). */
  runAll(limit = 100_000): void {
    for (let count = 0; count < limit; count++) {
      const next = this.#heap[0];
      if (next === undefined) return;
      if (next.callback === undefined) {
        this.#pop();
        this.#cleared = Math.max(0, this.#cleared - 1);
        continue;
      }
      this.advanceTo(next.at);
    }
  }

  #compact(): void {
    const live = this.#heap.filter((timer) => timer.callback !== undefined);
    this.#heap = [];
    this.#cleared = 0;
    for (const timer of live) this.#push(timer);
  }

  #before(a: ScheduledTimer, b: ScheduledTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.sequence < b.sequence);
  }

  #push(timer: ScheduledTimer): void {
    const heap = this.#heap;
    heap.push(timer);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(heap[index]!, heap[parent]!)) break;
      const swap = heap[index]!;
      heap[index] = heap[parent]!;
      heap[parent] = swap;
      index = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.#before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      const swap = heap[index]!;
      heap[index] = heap[smallest]!;
      heap[smallest] = swap;
      index = smallest;
    }
  }
}
