import { describe, expect, test } from 'vitest';
import { canTransition, isFinalStatus, ORDER_STATUS_TRANSITIONS } from './order-status-transitions.js';
import type { OrderStatus } from './schemas/enums.js';

describe('order status table', () => {
  test('a fill may race a cancel, but filled and rejected orders never move', () => {
    expect(canTransition('CANCELLED', 'FILLED')).toBe(true);
    expect(canTransition('FILLED', 'CANCELLED')).toBe(false);
    expect(canTransition('FILLED', 'SUBMITTED')).toBe(false);
    expect(canTransition('REJECTED', 'SUBMITTED')).toBe(false);
    expect(canTransition('PARTIALLY_FILLED', 'SUBMITTED')).toBe(false);
  });

  test('the same status again is always allowed (brokers resend updates)', () => {
    for (const status of Object.keys(ORDER_STATUS_TRANSITIONS) as OrderStatus[]) {
      expect(canTransition(status, status)).toBe(true);
    }
  });

  test('a broker may reject an order it first accepted (Kite risk checks)', () => {
    expect(canTransition('SUBMITTED', 'REJECTED')).toBe(true);
    expect(canTransition('PENDING', 'REJECTED')).toBe(true);
  });

  test('final statuses', () => {
    expect(['FILLED', 'CANCELLED', 'REJECTED'].every((status) => isFinalStatus(status as OrderStatus))).toBe(
      true,
    );
    expect(
      ['PENDING', 'SUBMITTED', 'PARTIALLY_FILLED'].some((status) => isFinalStatus(status as OrderStatus)),
    ).toBe(false);
  });
});
