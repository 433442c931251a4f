import { describe, expect, test } from 'vitest';
import { MessagePacer } from './message-pacer.js';

/** The most timestamps (ms, ascending) that fall in any one-second window. */
function mostInOneSecond(sentAt: number[]): number {
  let most = 0;
  for (let first = 0; first < sentAt.length; first++) {
    let inWindow = 0;
    for (let next = first; next < sentAt.length && sentAt[next]! - sentAt[first]! < 1000; next++) inWindow++;
    most = Math.max(most, inWindow);
  }
  return most;
}

describe('message pacing', () => {
  test('a burst of 100 messages never puts more than the limit in any one-second window', async () => {
    const pacer = new MessagePacer(50);
    const sentAt: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 100 }, () =>
        pacer.send(
          () => sentAt.push(performance.now()),
          () => true,
        ),
      ),
    );
    expect(sentAt).toHaveLength(100);
    expect(mostInOneSecond(sentAt)).toBeLessThanOrEqual(50);
    // The budget is used, not wasted: 100 messages at 42/s after a burst of 8.
    expect(performance.now() - started).toBeLessThan(2_600);
    expect(sentAt[0]! - started).toBeLessThan(20);
  });

  test('a message whose connection went away while it waited is not sent', async () => {
    const pacer = new MessagePacer(2);
    let alive = true;
    const sent: string[] = [];
    const first = pacer.send(
      () => sent.push('first'),
      () => alive,
    );
    const second = pacer.send(
      () => sent.push('second'),
      () => alive,
    );
    await first;
    alive = false;
    expect(await second).toBe(false);
    expect(sent).toEqual(['first']);
  });

  test('tokens taken on the fast path count at once, before they are settled', () => {
    const pacer = new MessagePacer(50);
    const taken = Array.from({ length: 10 }, () => pacer.tryTake()).filter(Boolean).length;
    expect(taken).toBe(pacer.burst);
    pacer.settle();
    expect(pacer.tryTake()).toBe(false);
  });

  test('messages well under the rate, each reported written, always find a token at once', async () => {
    // The plugin's pattern for orders: tryTake, write, written. An order every 40 ms is 25/s
    // against a limit of 45/s, so none may be sent to the queue (where it would wait for a refill).
    const pacer = new MessagePacer(45);
    const taken: boolean[] = [];
    for (let order = 0; order < 20; order++) {
      const ok = pacer.tryTake();
      taken.push(ok);
      if (ok) pacer.written();
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(taken).toEqual(Array.from({ length: 20 }, () => true));
  });

  test('fast-path sends mixed with queued ones never put more than the limit in any one-second window', async () => {
    const pacer = new MessagePacer(50);
    const sentAt: number[] = [];
    const started = performance.now();
    for (let issued = 0; issued < 100; issued++) {
      // As the plugin does: a fast-path send leaves the charge to the pacer.
      if (pacer.tryTake()) {
        sentAt.push(performance.now());
        // A little time between sends, as between orders, so refills happen in between.
        await new Promise((resolve) => setTimeout(resolve, 5));
      } else {
        const outcome = pacer.send(
          () => sentAt.push(performance.now()),
          () => true,
        );
        // Waits its turn like an order sent after its pacer slot (one at a time, as a loop would).
        if (outcome instanceof Promise) await outcome;
      }
    }
    expect(sentAt).toHaveLength(100);
    expect(mostInOneSecond(sentAt)).toBeLessThanOrEqual(50);
    expect(performance.now() - started).toBeLessThan(2_600);
  });
});
