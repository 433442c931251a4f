import { describe, expect, test } from 'vitest';
import { formatExecutionFilterTime, parseExecutionTime } from './execution-time.js';

describe('execution times in the three forms TWS sends', () => {
  test('Gateway UTC dash form', () => {
    expect(parseExecutionTime('20260610-19:58:22')).toBe(Date.UTC(2026, 5, 10, 19, 58, 22));
  });

  test('local time with an IANA zone, across daylight saving', () => {
    expect(parseExecutionTime('20250708 02:35:00 America/New_York')).toBe(Date.UTC(2025, 6, 8, 6, 35, 0));
    expect(parseExecutionTime('20250108 02:35:00 America/New_York')).toBe(Date.UTC(2025, 0, 8, 7, 35, 0));
    expect(parseExecutionTime('20250108 02:35:00 Europe/Zurich')).toBe(Date.UTC(2025, 0, 8, 1, 35, 0));
  });

  test('older TWS: two spaces, no zone, read as local time', () => {
    expect(parseExecutionTime('20230224  12:04:56')).toBe(new Date(2023, 1, 24, 12, 4, 56).getTime());
  });

  test('anything else is undefined', () => {
    expect(parseExecutionTime('yesterday')).toBeUndefined();
    expect(parseExecutionTime('20250108 02:35:00 Not/AZone')).toBeUndefined();
    expect(parseExecutionTime(undefined)).toBeUndefined();
  });

  test('filter times are written in the UTC dash form', () => {
    expect(formatExecutionFilterTime(Date.UTC(2025, 0, 2, 3, 4, 5))).toBe('20250102-03:04:05');
  });
});
