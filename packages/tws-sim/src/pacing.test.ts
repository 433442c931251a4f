import { expect, test } from 'vitest';
import { PacingMeter } from './pacing.js';

test('50 messages in any one-second window pass; the 51st does not until the window moves', () => {
  const meter = new PacingMeter(50);
  for (let index = 0; index < 50; index++) expect(meter.admit(index * 10)).toBe(true);
  expect(meter.admit(500)).toBe(false);
  expect(meter.admit(999)).toBe(false);
  // The first message (at 0) leaves the window at 1000.
  expect(meter.admit(1_000)).toBe(true);
  expect(meter.admit(1_001)).toBe(false);
  expect(meter.admit(1_010)).toBe(true);
  expect(meter.inWindow(1_010)).toBe(50);
  expect(() => new PacingMeter(0)).toThrow(RangeError);
});
