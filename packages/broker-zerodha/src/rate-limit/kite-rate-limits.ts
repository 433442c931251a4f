/** Kite's request budgets (kite-connect-api.md section 5). */
export interface KiteRateLimits {
  /** Order requests (place, modify, cancel) per second. */
  ordersPerSecond: number;
  ordersPerMinute: number;
  /** Order requests per IST day, refused ones included. */
  ordersPerDay: number;
  /** /quote, /quote/ohlc, /quote/ltp per second. */
  quotesPerSecond: number;
  /** Every other endpoint, per second. */
  othersPerSecond: number;
}

/** The limits Kite publishes (2025-2026). */
export const KITE_RATE_LIMITS: Readonly<KiteRateLimits> = Object.freeze({
  ordersPerSecond: 10,
  ordersPerMinute: 400,
  ordersPerDay: 5_000,
  quotesPerSecond: 1,
  othersPerSecond: 10,
});

/** Which budget a request draws on. */
export type KiteRequestClass = 'orders' | 'quotes' | 'others';
