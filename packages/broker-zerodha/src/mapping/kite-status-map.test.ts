import { canTransition } from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import { KITE_STATUS_MAP, mapKiteStatus } from './kite-status-map.js';

describe('Kite status mapping', () => {
  test("covers Kite's thirteen statuses and the order-update UPDATE", () => {
    expect(Object.keys(KITE_STATUS_MAP).sort()).toEqual(
      [
        'AMO REQ RECEIVED',
        'CANCEL PENDING',
        'CANCELLED',
        'COMPLETE',
        'MODIFIED',
        'MODIFY PENDING',
        'MODIFY VALIDATION PENDING',
        'OPEN',
        'OPEN PENDING',
        'PUT ORDER REQ RECEIVED',
        'REJECTED',
        'TRIGGER PENDING',
        'UPDATE',
        'VALIDATION PENDING',
      ].sort(),
    );
    for (const rule of Object.values(KITE_STATUS_MAP)) expect(rule.source.length).toBeGreaterThan(0);
  });

  test('working statuses are SUBMITTED until something fills, then PARTIALLY_FILLED', () => {
    for (const status of [
      'OPEN',
      'TRIGGER PENDING',
      'MODIFIED',
      'CANCEL PENDING',
      'UPDATE',
      'VALIDATION PENDING',
    ]) {
      expect(mapKiteStatus({ status, filledQuantity: 0 })).toBe('SUBMITTED');
      expect(mapKiteStatus({ status, filledQuantity: 30 })).toBe('PARTIALLY_FILLED');
    }
  });

  test('final statuses ignore quantities: a cancelled IOC remainder stays CANCELLED', () => {
    expect(mapKiteStatus({ status: 'COMPLETE', filledQuantity: 65 })).toBe('FILLED');
    expect(mapKiteStatus({ status: 'CANCELLED', filledQuantity: 20 })).toBe('CANCELLED');
    expect(mapKiteStatus({ status: 'REJECTED', filledQuantity: 0 })).toBe('REJECTED');
  });

  test('unknown statuses are read by their words, then by the filled quantity', () => {
    expect(mapKiteStatus({ status: 'CANCELLED AMO', filledQuantity: 0 })).toBe('CANCELLED');
    expect(mapKiteStatus({ status: 'LAPSED', filledQuantity: 0 })).toBe('CANCELLED');
    expect(mapKiteStatus({ status: 'SOMETHING NEW', filledQuantity: 5 })).toBe('PARTIALLY_FILLED');
  });

  test("Kite's usual sequence (order_info.json) is legal in brokerkit's status table", () => {
    const sequence = [
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'MODIFY VALIDATION PENDING',
      'MODIFY PENDING',
      'MODIFIED',
      'OPEN',
      'COMPLETE',
    ].map((status) => mapKiteStatus({ status, filledQuantity: status === 'COMPLETE' ? 1 : 0 }));
    for (let index = 1; index < sequence.length; index++) {
      expect(canTransition(sequence[index - 1]!, sequence[index]!)).toBe(true);
    }
  });
});
