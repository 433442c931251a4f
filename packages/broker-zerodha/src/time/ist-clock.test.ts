import { describe, expect, test } from 'vitest';
import {
  formatIstDateTime,
  istMidnight,
  kiteTimestampToEpoch,
  nextIstBoundary,
  parseIstTimeOfDay,
  previousIstBoundary,
} from './ist-clock.js';

describe('IST clock', () => {
  test('the next 06:00 IST after an evening login is the next morning', () => {
    const login = Date.parse('2026-01-15T14:00:00Z'); // 19:30 IST
    const expiry = nextIstBoundary(login, parseIstTimeOfDay('06:00'));
    expect(formatIstDateTime(expiry)).toBe('2026-01-16 06:00:00');
    expect(formatIstDateTime(previousIstBoundary(login, parseIstTimeOfDay('06:00')))).toBe(
      '2026-01-15 06:00:00',
    );
    // Just before 06:00 IST the boundary is the same morning.
    expect(
      formatIstDateTime(nextIstBoundary(Date.parse('2026-01-16T00:29:00Z'), parseIstTimeOfDay('06:00'))),
    ).toBe('2026-01-16 06:00:00');
  });

  test('IST midnight and Kite timestamps', () => {
    expect(new Date(istMidnight(Date.parse('2026-01-15T20:00:00Z'))).toISOString()).toBe(
      '2026-01-15T18:30:00.000Z',
    );
    expect(kiteTimestampToEpoch('2026-01-15 09:15:00')).toBe(Date.parse('2026-01-15T03:45:00Z'));
    expect(kiteTimestampToEpoch('09:15:00')).toBeUndefined();
    expect(kiteTimestampToEpoch(null)).toBeUndefined();
  });

  test('times of day must be HH:MM', () => {
    expect(() => parseIstTimeOfDay('6am')).toThrow(/HH:MM/);
    expect(parseIstTimeOfDay('08:30')).toBe(30_600_000);
  });
});
