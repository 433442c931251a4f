import { describe, expect, it } from 'vitest';
import {
  formatIstCandleTime,
  formatIstDateTime,
  formatIstTime,
  istDatePrefix,
  istTimeOfDayMs,
  nextIstTimeOfDay,
  parseIstDateTime,
} from './ist-time.js';

// 2024-11-18 14:30:05 UTC = 2024-11-18 20:00:05 IST.
const INSTANT = Date.UTC(2024, 10, 18, 14, 30, 5);

describe('IST time', () => {
  it('formats Kite timestamps in IST', () => {
    expect(formatIstDateTime(INSTANT)).toBe('2024-11-18 20:00:05');
    expect(formatIstDateTime(INSTANT + 999)).toBe('2024-11-18 20:00:05');
    expect(formatIstDateTime(INSTANT + 1_000)).toBe('2024-11-18 20:00:06');
    expect(formatIstTime(INSTANT)).toBe('20:00:05');
    expect(istDatePrefix(INSTANT)).toBe('241118');
    expect(formatIstCandleTime(INSTANT)).toBe('2024-11-18T20:00:05+0530');
    // 23:00 UTC is already the next day in IST.
    expect(formatIstDateTime(Date.UTC(2024, 10, 18, 23, 0))).toBe('2024-11-19 04:30:00');
  });

  it('finds the next occurrence of an IST time of day', () => {
    const sixAm = istTimeOfDayMs('06:00', 'expiry');
    expect(nextIstTimeOfDay(INSTANT, sixAm)).toBe(Date.UTC(2024, 10, 19, 0, 30));
    expect(nextIstTimeOfDay(Date.UTC(2024, 10, 19, 0, 30), sixAm)).toBe(Date.UTC(2024, 10, 20, 0, 30));
    expect(() => istTimeOfDayMs('24:00', 'expiry')).toThrow(RangeError);
  });

  it('parses historical-data dates as IST and refuses impossible ones', () => {
    expect(parseIstDateTime('2024-11-18 20:00:05')).toBe(INSTANT);
    expect(parseIstDateTime('2024-11-18')).toBe(Date.UTC(2024, 10, 17, 18, 30));
    expect(parseIstDateTime('2024-02-30')).toBeUndefined();
    expect(parseIstDateTime('18/11/2024')).toBeUndefined();
  });
});
