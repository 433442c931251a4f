import { KiteApiError } from '../http/kite-api-error.js';
import type { RateClass } from '../http/router.js';
import { istDayNumber } from '../time/ist-time.js';
import { SlidingWindow } from './sliding-window.js';

/**
 * Request budgets per class. Defaults are Kite's published limits (kite-connect-api.md section 5):
 * quote 1/s, historical 3/s, orders 10/s + 400/min + 5000/day, everything else 10/s.
 */
export interface RateLimits {
  quotePerSecond: number;
  historicalPerSecond: number;
  ordersPerSecond: number;
  ordersPerMinute: number;
  /** Order requests (place, modify, cancel) per IST calendar day, counting refused ones. */
  ordersPerDay: number;
  otherPerSecond: number;
}

/** Kite Connect's limits as published in 2025-2026. */
export const KITE_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({
  quotePerSecond: 1,
  historicalPerSecond: 3,
  ordersPerSecond: 10,
  ordersPerMinute: 400,
  ordersPerDay: 5000,
  otherPerSecond: 10,
});

/** Message of the 429 body (pykiteconnect #165, kiteconnectjs verified). */
export const TOO_MANY_REQUESTS = 'Too many requests';
/** Message once the daily order cap is used up (kite.trade forum 7679 / 51118). */
export const DAILY_ORDER_CAP_EXCEEDED = 'Maximum allowed order requests exceeded';

interface Budget {
  second: SlidingWindow;
  minute: SlidingWindow | undefined;
  day: number;
  dayCount: number;
}

/**
 * Per-user, per-class sliding windows. A request over a limit gets HTTP 429 with
 * `{"status":"error","message":"Too many requests","data":null,"error_type":"NetworkException"}`;
 * refused requests do not use up the per-second or per-minute budget.
 */
export class RateLimiter {
  #limits: RateLimits;
  #enabled: boolean;
  readonly #budgets = new Map<string, Budget>();

  constructor(limits: Partial<RateLimits> = {}, enabled = true) {
    this.#limits = resolveLimits(limits);
    this.#enabled = enabled;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  get limits(): Readonly<RateLimits> {
    return this.#limits;
  }

  /** Turns limiting on or off; with `limits`, replaces the budgets (and forgets what was used). */
  configure(enabled: boolean, limits?: Partial<RateLimits>): void {
    this.#enabled = enabled;
    if (limits !== undefined) {
      this.#limits = resolveLimits({ ...this.#limits, ...limits });
      this.#budgets.clear();
    }
  }

  /** Forgets every recorded request. */
  reset(): void {
    this.#budgets.clear();
  }

  /** Throws the 429 KiteApiError when `key` (a user) has used up `rateClass` at `now`; records the request otherwise. */
  take(key: string, rateClass: RateClass, now: number): void {
    if (!this.#enabled) return;
    const budget = this.#budget(key, rateClass);
    if (rateClass === 'orders') {
      const day = istDayNumber(now);
      if (budget.day !== day) {
        budget.day = day;
        budget.dayCount = 0;
      }
      if (budget.dayCount >= this.#limits.ordersPerDay) {
        throw new KiteApiError(429, 'NetworkException', DAILY_ORDER_CAP_EXCEEDED);
      }
    }
    if (!budget.second.allows(now) || (budget.minute !== undefined && !budget.minute.allows(now))) {
      throw new KiteApiError(429, 'NetworkException', TOO_MANY_REQUESTS);
    }
    budget.second.record(now);
    budget.minute?.record(now);
    budget.dayCount++;
  }

  #budget(key: string, rateClass: RateClass): Budget {
    const id = `${rateClass}|${key}`;
    let budget = this.#budgets.get(id);
    if (budget === undefined) {
      const limits = this.#limits;
      const perSecond =
        rateClass === 'quote'
          ? limits.quotePerSecond
          : rateClass === 'historical'
            ? limits.historicalPerSecond
            : rateClass === 'orders'
              ? limits.ordersPerSecond
              : limits.otherPerSecond;
      budget = {
        second: new SlidingWindow(perSecond, 1_000),
        minute: rateClass === 'orders' ? new SlidingWindow(limits.ordersPerMinute, 60_000) : undefined,
        day: -1,
        dayCount: 0,
      };
      this.#budgets.set(id, budget);
    }
    return budget;
  }
}

function resolveLimits(limits: Partial<RateLimits>): RateLimits {
  const resolved = { ...KITE_RATE_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`rate limit ${name} must be a whole number >= 1, got ${value}`);
  }
  return resolved;
}
