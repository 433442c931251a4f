import { describe, expect, it } from 'vitest';
import type { KiteApiError } from '../http/kite-api-error.js';
import { RateLimiter } from './rate-limiter.js';
import { SlidingWindow } from './sliding-window.js';

function refused(action: () => void): KiteApiError | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error as KiteApiError;
  }
}

describe('sliding window', () => {
  it('allows at most capacity events in any window', () => {
    const window = new SlidingWindow(3, 1_000);
    for (const time of [0, 100, 999]) {
      expect(window.allows(time)).toBe(true);
      window.record(time);
    }
    expect(window.allows(999)).toBe(false);
    expect(window.waitMs(999)).toBe(1);
    expect(window.allows(1_000)).toBe(true);
  });
});

describe('rate limiter', () => {
  it('keeps budgets per user and per class', () => {
    const limiter = new RateLimiter();
    limiter.take('A', 'quote', 0);
    expect(refused(() => limiter.take('A', 'quote', 500))).toMatchObject({
      httpStatus: 429,
      errorType: 'NetworkException',
      message: 'Too many requests',
    });
    expect(refused(() => limiter.take('B', 'quote', 500))).toBeUndefined();
    expect(refused(() => limiter.take('A', 'other', 500))).toBeUndefined();
    expect(refused(() => limiter.take('A', 'quote', 1_000))).toBeUndefined();
  });

  it('does not charge refused requests to the per-second budget', () => {
    const limiter = new RateLimiter({ quotePerSecond: 1 });
    limiter.take('A', 'quote', 0);
    for (let time = 100; time < 1_000; time += 100)
      expect(refused(() => limiter.take('A', 'quote', time))).toBeDefined();
    expect(refused(() => limiter.take('A', 'quote', 1_000))).toBeUndefined();
  });

  it('resets the daily order count at IST midnight', () => {
    const limiter = new RateLimiter({ ordersPerDay: 2 });
    // 2024-11-18 23:59:59 IST and 2024-11-19 00:00:00 IST.
    const beforeMidnight = Date.UTC(2024, 10, 18, 18, 29, 0);
    limiter.take('A', 'orders', beforeMidnight);
    limiter.take('A', 'orders', beforeMidnight + 2_000);
    expect(refused(() => limiter.take('A', 'orders', beforeMidnight + 4_000))?.message).toBe(
      'Maximum allowed order requests exceeded',
    );
    expect(refused(() => limiter.take('A', 'orders', beforeMidnight + 60_000))).toBeUndefined();
  });

  it('rejects nonsense budgets', () => {
    expect(() => new RateLimiter({ quotePerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ ordersPerMinute: 1.5 })).toThrow(RangeError);
  });
});
