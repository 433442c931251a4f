import { describe, expect, test } from 'vitest';
import { MessagePacer } from './message-pacer.js';

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
    for (let first = 0; first < sentAt.length; first++) {
      let inWindow = 0;
      for (let next = first; next < sentAt.length && sentAt[next]! - sentAt[first]! < 1000; next++)
        inWindow++;
      expect(inWindow).toBeLessThanOrEqual(50);
    }
    // The budget is used, not wasted: 100 messages at ~45/s after a burst of 5.
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
});
