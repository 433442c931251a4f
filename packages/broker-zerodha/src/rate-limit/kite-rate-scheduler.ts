import { RateLimitError } from '@brokerkit/core';
// p-queue is ESM-only. Imported for its types here and loaded with a dynamic import() at run time, so
// the CommonJS build works on every Node 20 (require() of ES modules needs Node 20.19+).
import type PQueue from 'p-queue';
import { istDayNumber, istMidnight } from '../time/ist-clock.js';
import type { KiteRateLimits, KiteRequestClass } from './kite-rate-limits.js';

/**
 * Why p-queue (sindresorhus/p-queue 9.x, Node >= 20, maintained, no native code): requests that
 * must wait for their turn wait in a p-queue, which gives priorities (a cancel overtakes waiting
 * placements) and AbortSignal removal of a waiting request whose caller gave up. bottleneck
 * (unmaintained since 2019) and limiter (token bucket + fixed windows) were rejected: bottleneck
 * runs every job through setTimeout (about 1 ms each), and neither token buckets nor fixed windows
 * keep a *sliding* window under its limit at a window edge, which is how Kite counts.
 *
 * How the windows are kept: a request holds one slot of each window it belongs to from before it is
 * sent until `windowMs` after its answer (or failure) arrived, and a window has `limit` slots. The
 * server saw the request at some instant between the send and the answer, so any `windowMs` span of
 * server time holds at most `limit` requests, whatever the network jitter. The cost is one round
 * trip per window (about 99% of the allowance on a fast link). When nobody waits and a slot is free
 * the request goes at once, without touching the queue (microseconds per request).
 */

/**
 * A sliding window of `limit` requests per `windowMs`, as a count of slots in use. Slots come back
 * `windowMs` after their request's answer; the times are kept in order (every release waits the
 * same `windowMs`), and one timer, armed for the oldest, gives back every slot that is due.
 */
interface SlotWindow {
  limit: number;
  windowMs: number;
  inUse: number;
  /** When each held slot comes back (`performance.now()` ms), oldest first, from `head`. */
  due: number[];
  head: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** One budget (orders, quotes, others): its windows and the line of requests waiting for them. */
interface Budget {
  windows: SlotWindow[];
  /** Waiting requests in priority order; paused while every slot is taken. */
  line: PQueue;
  /** Wakes a request that started just as the last slot was taken. */
  wake: (() => void) | undefined;
}

/** How one request is scheduled. */
export interface ScheduleOptions<T = unknown> {
  /**
   * Checks the answer in the same step that starts its slots' hold (one promise hop fewer than a
   * `.then` of the caller's); throw to turn an answer into a failure.
   */
  onAnswer?: (value: T) => T;
  /** Turns a failure into the error the caller sees, in the same step. */
  onFailure?: (error: unknown) => never;
  /** Higher runs first among waiting requests (cancel > modify > place). Default 0. */
  priority?: number;
  /**
   * Give up waiting after this many ms: the request is not sent and a RateLimitError says so. Set it
   * below the caller's timeout so that "not sent" is told apart from "sent, no answer".
   */
  maxWaitMs?: number;
}

/** What the scheduler reports for diagnostics and tests. */
export interface SchedulerStats {
  /** Requests waiting for a slot, per class. */
  waiting: Record<KiteRequestClass, number>;
  /** Order requests sent in the current IST day. */
  ordersToday: number;
}

/** Extra hold after each answer, for clock rounding between this process and the server. */
const SAFETY_MARGIN_MS = 10;

/**
 * Schedules Kite requests within Kite's limits: orders 10/s, 400/min and 5000/day; quotes 1/s;
 * everything else 10/s (or the overrides given). Requests over the per-second and per-minute
 * budgets wait their turn; the daily allowance is refused at once (waiting until midnight IST is
 * never what a caller wants).
 */
export class KiteRateScheduler {
  readonly #budgets: Record<KiteRequestClass, Budget>;
  readonly #ordersPerDay: number;
  readonly #now: () => number;
  #day = -1;
  #ordersToday = 0;

  private constructor(Queue: typeof PQueue, limits: KiteRateLimits, now: () => number) {
    const window = (limit: number, windowMs: number): SlotWindow => ({
      limit,
      windowMs: windowMs + SAFETY_MARGIN_MS,
      inUse: 0,
      due: [],
      head: 0,
      timer: undefined,
    });
    const budget = (windows: SlotWindow[]): Budget => ({
      windows,
      line: new Queue({ concurrency: 1 }),
      wake: undefined,
    });
    this.#budgets = {
      orders: budget([window(limits.ordersPerSecond, 1_000), window(limits.ordersPerMinute, 60_000)]),
      quotes: budget([window(limits.quotesPerSecond, 1_000)]),
      others: budget([window(limits.othersPerSecond, 1_000)]),
    };
    this.#ordersPerDay = limits.ordersPerDay;
    this.#now = now;
  }

  /** Creates a scheduler (async because p-queue is loaded on first use). */
  static async create(limits: KiteRateLimits, now: () => number = Date.now): Promise<KiteRateScheduler> {
    const { default: Queue } = await import('p-queue');
    return new KiteRateScheduler(Queue, limits, now);
  }

  /** Runs `send` when the class's budget allows; resolves or rejects with what `send` did. */
  schedule<T>(
    requestClass: KiteRequestClass,
    send: () => Promise<T>,
    options: ScheduleOptions<T> = {},
  ): Promise<T> {
    const orders = requestClass === 'orders';
    const budget = this.#budgets[requestClass];
    try {
      if (orders) this.#checkDailyAllowance();
    } catch (error) {
      return Promise.reject(error);
    }
    // The common case, with no await in between: a slot is free and nobody waits.
    if (budget.line.size === 0 && budget.line.pending === 0 && hasRoom(budget)) {
      take(budget);
      if (orders) this.#ordersToday++;
      return this.#run(budget, send, options);
    }
    return this.#scheduleAfterWait(requestClass, budget, send, options);
  }

  async #scheduleAfterWait<T>(
    requestClass: KiteRequestClass,
    budget: Budget,
    send: () => Promise<T>,
    options: ScheduleOptions<T>,
  ): Promise<T> {
    await this.#waitForTurn(requestClass, budget, options);
    if (requestClass === 'orders') {
      // The day may have ended, or others used the allowance, while this request waited.
      try {
        this.#checkDailyAllowance();
      } catch (error) {
        this.#giveBack(budget, false);
        throw error;
      }
      this.#ordersToday++;
    }
    return this.#run(budget, send, options);
  }

  /** Sends, then holds the slots for a window after the answer (or failure). */
  #run<T>(budget: Budget, send: () => Promise<T>, options: ScheduleOptions<T>): Promise<T> {
    let sent: Promise<T>;
    try {
      sent = send();
    } catch (error) {
      this.#giveBack(budget, true);
      return Promise.reject(error);
    }
    const { onAnswer, onFailure } = options;
    return sent.then(
      (value) => {
        this.#giveBack(budget, true);
        return onAnswer === undefined ? value : onAnswer(value);
      },
      (error: unknown) => {
        this.#giveBack(budget, true);
        if (onFailure !== undefined) onFailure(error);
        throw error;
      },
    );
  }

  stats(): SchedulerStats {
    this.#rollDay();
    const waiting = (requestClass: KiteRequestClass) => {
      const { line } = this.#budgets[requestClass];
      return line.size + line.pending;
    };
    return {
      waiting: { orders: waiting('orders'), quotes: waiting('quotes'), others: waiting('others') },
      ordersToday: this.#ordersToday,
    };
  }

  async #waitForTurn(
    requestClass: KiteRequestClass,
    budget: Budget,
    options: Pick<ScheduleOptions, 'priority' | 'maxWaitMs'>,
  ): Promise<void> {
    const abort = options.maxWaitMs === undefined ? undefined : new AbortController();
    const timer =
      abort === undefined ? undefined : setTimeout(() => abort.abort(), Math.max(0, options.maxWaitMs ?? 0));
    const started = this.#now();
    try {
      // The line is paused while every slot is taken, so that when one frees up the waiting request
      // with the highest priority (not the oldest) takes it.
      if (!hasRoom(budget)) budget.line.pause();
      await budget.line.add(
        async ({ signal }) => {
          while (!hasRoom(budget)) {
            // Only reached if a slot was taken between the start and now; wait for the next one.
            budget.line.pause();
            await new Promise<void>((resolve) => {
              budget.wake = resolve;
              signal?.addEventListener('abort', () => resolve(), { once: true });
            });
            budget.wake = undefined;
            signal?.throwIfAborted();
          }
          take(budget);
          if (!hasRoom(budget)) budget.line.pause();
        },
        { priority: options.priority ?? 0, ...(abort === undefined ? {} : { signal: abort.signal }) },
      );
    } catch (error) {
      if (abort?.signal.aborted) {
        throw new RateLimitError({
          message: `zerodha: waited ${this.#now() - started} ms for Kite's ${requestClass} rate limit; the request was not sent`,
          hint: 'too many requests are queued; send fewer at once or raise the operation timeout',
          broker: 'zerodha',
          retryAfterMs: 1_000,
        });
      }
      throw error;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /** Gives the slots back: at once when nothing was sent, else a window after the answer. */
  #giveBack(budget: Budget, sent: boolean): void {
    if (!sent) {
      for (const window of budget.windows) window.inUse--;
      this.#wakeLine(budget);
      return;
    }
    // A monotonic clock: a wall-clock step (NTP) must not hand slots back early.
    const now = performance.now();
    for (const window of budget.windows) {
      window.due.push(now + window.windowMs);
      if (window.timer === undefined) this.#arm(budget, window);
    }
  }

  /** Arms the window's timer for its oldest held slot. */
  #arm(budget: Budget, window: SlotWindow): void {
    const next = window.due[window.head];
    if (next === undefined) return;
    window.timer = setTimeout(
      () => this.#release(budget, window),
      Math.max(0, Math.ceil(next - performance.now())),
    );
    window.timer.unref?.();
  }

  /** Gives back every slot of the window that is due, then lets waiting requests go. */
  #release(budget: Budget, window: SlotWindow): void {
    window.timer = undefined;
    const now = performance.now();
    while (window.head < window.due.length && window.due[window.head]! <= now) {
      window.head++;
      window.inUse--;
    }
    if (window.head > 1_024 && window.head * 2 > window.due.length) {
      window.due.splice(0, window.head);
      window.head = 0;
    }
    this.#arm(budget, window);
    this.#wakeLine(budget);
  }

  #wakeLine(budget: Budget): void {
    if (!hasRoom(budget)) return;
    if (budget.wake !== undefined) budget.wake();
    else if (budget.line.isPaused) budget.line.start();
  }

  #rollDay(): void {
    const day = istDayNumber(this.#now());
    if (day !== this.#day) {
      this.#day = day;
      this.#ordersToday = 0;
    }
  }

  #checkDailyAllowance(): void {
    this.#rollDay();
    if (this.#ordersToday < this.#ordersPerDay) return;
    const now = this.#now();
    throw new RateLimitError({
      message: `zerodha: Kite's daily allowance of ${this.#ordersPerDay} order requests is used up; the request was not sent`,
      hint: 'Kite counts every order request (placed, modified, cancelled, refused) per day; it resets at midnight IST',
      broker: 'zerodha',
      retryAfterMs: istMidnight(now) + 86_400_000 - now,
    });
  }
}

function hasRoom(budget: Budget): boolean {
  for (const window of budget.windows) if (window.inUse >= window.limit) return false;
  return true;
}

function take(budget: Budget): void {
  for (const window of budget.windows) window.inUse++;
}
