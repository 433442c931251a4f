import { RateLimitError } from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import { KITE_RATE_LIMITS } from './kite-rate-limits.js';
import { KiteRateScheduler } from './kite-rate-scheduler.js';

const limits = { ...KITE_RATE_LIMITS, ordersPerSecond: 5, ordersPerMinute: 8, othersPerSecond: 3 };

/** Records when each request "reached the server" (the moment send ran). */
function recorder() {
  const sent: number[] = [];
  const send =
    (latencyMs = 2) =>
    async () => {
      sent.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return sent.length;
    };
  return { sent, send };
}

function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (const start of times)
    best = Math.max(best, times.filter((t) => t >= start && t < start + windowMs).length);
  return best;
}

describe('KiteRateScheduler', () => {
  test('never sends more than the per-second limit in any one-second window', async () => {
    const scheduler = await KiteRateScheduler.create(limits);
    const { sent, send } = recorder();
    const started = Date.now();
    await Promise.all(Array.from({ length: 12 }, () => scheduler.schedule('others', send())));
    expect(sent).toHaveLength(12);
    expect(maxInWindow(sent, 1_000)).toBeLessThanOrEqual(3);
    // 12 requests at 3/s: four rounds, the last one starting just after 3 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('orders respect the per-minute limit as well as the per-second one', async () => {
    const scheduler = await KiteRateScheduler.create(limits);
    const { sent, send } = recorder();
    const results = Array.from({ length: 9 }, () =>
      scheduler.schedule('orders', send(), { maxWaitMs: 2_500 }),
    );
    const settled = await Promise.allSettled(results);
    // 8 per minute: the ninth waits for a minute slot, gives up after 2.5 s and is not sent.
    expect(sent).toHaveLength(8);
    expect(maxInWindow(sent, 1_000)).toBeLessThanOrEqual(5);
    const refused = settled.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(1);
    const reason = (refused[0] as PromiseRejectedResult).reason;
    expect(RateLimitError.isInstance(reason)).toBe(true);
    expect(reason.message).toMatch(/was not sent/);
  });

  test('a slot is held until a window after the answer, so a slow answer delays the next request', async () => {
    const scheduler = await KiteRateScheduler.create({ ...limits, othersPerSecond: 1 });
    const { sent, send } = recorder();
    await Promise.all([scheduler.schedule('others', send(300)), scheduler.schedule('others', send(1))]);
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(1_300);
  });

  test('higher priority waiting requests go first', async () => {
    const scheduler = await KiteRateScheduler.create({ ...limits, othersPerSecond: 1 });
    const order: string[] = [];
    const run = (name: string, priority: number) =>
      scheduler.schedule(
        'others',
        async () => {
          order.push(name);
        },
        { priority },
      );
    await Promise.all([run('first', 0), run('low', 0), run('high', 2)]);
    expect(order).toEqual(['first', 'high', 'low']);
  });

  test('the daily order allowance is refused at once with the time until midnight IST', async () => {
    const scheduler = await KiteRateScheduler.create({ ...limits, ordersPerDay: 2 });
    await scheduler.schedule('orders', async () => 1);
    await scheduler.schedule('orders', async () => 2);
    const sent: number[] = [];
    const error = await scheduler
      .schedule('orders', async () => {
        sent.push(1);
      })
      .catch((caught: unknown) => caught);
    expect(sent).toEqual([]);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(0);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(86_400_000);
    expect(scheduler.stats().ordersToday).toBe(2);
  });

  test('a failing request releases its slot and rejects with its own error', async () => {
    const scheduler = await KiteRateScheduler.create(limits);
    await expect(
      scheduler.schedule('others', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(scheduler.stats().waiting.others).toBe(0);
  });
});
