import { describe, expect, test } from 'vitest';
import { DEFAULT_VIRTUAL_START, RealClock, VirtualClock } from './clock.js';

describe('VirtualClock', () => {
  test('time stands still until advance(), which runs due timers in due-time then scheduling order', () => {
    const clock = new VirtualClock(1_000);
    const seen: string[] = [];
    const record = (label: string) => seen.push(`${label}@${clock.now()}`);
    clock.setTimer(30, record, 'c');
    clock.setTimer(10, record, 'a');
    clock.setTimer(10, record, 'b');
    expect(clock.now()).toBe(1_000);
    clock.advance(20);
    expect(seen).toEqual(['a@1010', 'b@1010']);
    expect(clock.now()).toBe(1_020);
    clock.advance(10);
    expect(seen).toEqual(['a@1010', 'b@1010', 'c@1030']);
  });

  test('timers scheduled by a timer run in the same advance when due', () => {
    const clock = new VirtualClock(0);
    const seen: number[] = [];
    const again = (count: number) => {
      seen.push(clock.now());
      if (count > 0) clock.setTimer(5, again, count - 1);
    };
    clock.setTimer(5, again, 3);
    clock.advance(100);
    expect(seen).toEqual([5, 10, 15, 20]);
  });

  test('cleared timers do not run, even after many are cleared', () => {
    const clock = new VirtualClock(0);
    let runs = 0;
    const count = () => runs++;
    const handles = Array.from({ length: 5_000 }, (_, index) => clock.setTimer(index + 1, count, undefined));
    for (const handle of handles.slice(0, 4_000)) clock.clearTimer(handle);
    expect(clock.pendingTimers).toBe(1_000);
    clock.advance(10_000);
    expect(runs).toBe(1_000);
  });

  test('runAll() runs everything pending and stops runaway timers at the limit', () => {
    const clock = new VirtualClock(0);
    let runs = 0;
    const forever = () => {
      runs++;
      clock.setTimer(1, forever, undefined);
    };
    clock.setTimer(1, forever, undefined);
    clock.runAll(50);
    expect(runs).toBe(50);
  });

  test('refuses to go back in time or to advance by a bad amount', () => {
    const clock = new VirtualClock();
    expect(clock.now()).toBe(DEFAULT_VIRTUAL_START);
    expect(() => clock.advanceTo(DEFAULT_VIRTUAL_START - 1)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });
});

describe('RealClock', () => {
  test('fires timers on wall-clock time with their argument', async () => {
    const clock = new RealClock();
    const started = clock.now();
    const value = await new Promise<string>((resolve) => clock.setTimer(5, resolve, 'done'));
    expect(value).toBe('done');
    expect(clock.now() - started).toBeGreaterThanOrEqual(4);
  });

  test('clearTimer stops a timer', async () => {
    const clock = new RealClock();
    let ran = false;
    const handle = clock.setTimer(
      1,
      () => {
        ran = true;
      },
      undefined,
      true,
    );
    clock.clearTimer(handle);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toBe(false);
  });
});
