import { afterEach, describe, expect, test, vi } from 'vitest';
import { DeadlineQueue, NO_DEADLINE } from './deadline-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.useRealTimers();
});

describe('DeadlineQueue', () => {
  test('a deadline not settled in time expires once, not before its time; settling it then says it lost', async () => {
    const queue = new DeadlineQueue(30);
    const started = performance.now();
    let expiredAfter: number | undefined;
    let expirations = 0;
    const deadline = queue.add(() => {
      expirations++;
      expiredAfter = performance.now() - started;
    });
    await sleep(80);
    expect(expirations).toBe(1);
    expect(expiredAfter).toBeGreaterThanOrEqual(29);
    expect(deadline.settle()).toBe(false);
    expect(queue.size).toBe(0);
  });

  test('a deadline settled in time never expires, and the queue keeps nothing of it', async () => {
    const queue = new DeadlineQueue(20);
    let expirations = 0;
    const deadline = queue.add(() => expirations++);
    expect(queue.size).toBe(1);
    expect(deadline.settle()).toBe(true);
    expect(queue.size).toBe(0);
    await sleep(50);
    expect(expirations).toBe(0);
  });

  test('deadlines added over time each expire at their own time, in order', async () => {
    const queue = new DeadlineQueue(40);
    const started = performance.now();
    const expired: { index: number; at: number }[] = [];
    for (let index = 0; index < 3; index++) {
      const addedAt = performance.now() - started;
      queue.add(() => expired.push({ index, at: performance.now() - started - addedAt }));
      await sleep(15);
    }
    await sleep(80);
    expect(expired.map((entry) => entry.index)).toEqual([0, 1, 2]);
    for (const entry of expired) expect(entry.at).toBeGreaterThanOrEqual(39);
  });

  test('an answer out of order is kept only until the calls before it are answered or expire', async () => {
    const queue = new DeadlineQueue(30);
    const expired: string[] = [];
    queue.add(() => expired.push('first'));
    const second = queue.add(() => expired.push('second'));
    expect(second.settle()).toBe(true);
    expect(queue.size).toBe(2);
    await sleep(70);
    expect(expired).toEqual(['first']);
    expect(queue.size).toBe(0);
  });

  test('a deadline added while an older, answered one still has its timer pending gets its full time', async () => {
    const queue = new DeadlineQueue(40);
    queue.add(() => {}).settle();
    await sleep(25);
    const started = performance.now();
    let expiredAfter: number | undefined;
    queue.add(() => {
      expiredAfter = performance.now() - started;
    });
    await sleep(30);
    expect(expiredAfter).toBeUndefined();
    await sleep(50);
    expect(expiredAfter).toBeGreaterThanOrEqual(39);
  });

  test('with fake timers that leave performance.now() alone, the timer alone decides', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const queue = new DeadlineQueue(10_000);
    let expirations = 0;
    queue.add(() => expirations++);
    vi.advanceTimersByTime(9_999);
    expect(expirations).toBe(0);
    vi.advanceTimersByTime(1);
    expect(expirations).toBe(1);
  });

  test('a deadline added between ticks expires no earlier than its time and at most a sixteenth late', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const queue = new DeadlineQueue(1_600); // ticks every 100 ms while deadlines are open
    queue.add(() => {}).settle(); // starts the ticks
    vi.advanceTimersByTime(30); // 30 ms into a tick
    let expirations = 0;
    queue.add(() => expirations++);
    vi.advanceTimersByTime(1_599);
    expect(expirations).toBe(0);
    vi.advanceTimersByTime(100);
    expect(expirations).toBe(1);
  });

  test('the timer keeps ticking while calls keep coming, and stops a timeout after the last one', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const queue = new DeadlineQueue(1_600);
    for (let call = 0; call < 50; call++) {
      queue.add(() => {}).settle();
      vi.advanceTimersByTime(60);
      expect(vi.getTimerCount()).toBe(1);
    }
    vi.advanceTimersByTime(1_800);
    expect(vi.getTimerCount()).toBe(0);
    // A later call starts it again and still gets its full time.
    let expirations = 0;
    queue.add(() => expirations++);
    vi.advanceTimersByTime(1_599);
    expect(expirations).toBe(0);
    vi.advanceTimersByTime(1);
    expect(expirations).toBe(1);
  });

  test('a million calls answered in order leave an empty queue', () => {
    const queue = new DeadlineQueue(10_000);
    for (let index = 0; index < 1_000_000; index++) queue.add(() => {}).settle();
    expect(queue.size).toBe(0);
  });

  test('NO_DEADLINE (a disabled timeout) always settles in time', () => {
    expect(NO_DEADLINE.settle()).toBe(true);
    expect(NO_DEADLINE.settle()).toBe(true);
  });
});
