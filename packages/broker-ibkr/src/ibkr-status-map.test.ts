import { describe, expect, test } from 'vitest';
import { IBKR_STATUS_MAP, isFinalIbStatus, toCoreStatus } from './ibkr-status-map.js';

const none = { filled: 0, tif: 'DAY' as const, rejected: false };

describe('IB status -> brokerkit status', () => {
  test('every IB status has a row with a source', () => {
    for (const [status, row] of Object.entries(IBKR_STATUS_MAP)) {
      expect(row.source, status).toMatch(/ibkr-tws-protocol\.md/);
    }
  });

  test('the table as a user sees it', () => {
    expect(toCoreStatus('ApiPending', none)).toBe('PENDING');
    expect(toCoreStatus('PendingSubmit', none)).toBe('PENDING');
    expect(toCoreStatus('PreSubmitted', none)).toBe('SUBMITTED');
    expect(toCoreStatus('Submitted', none)).toBe('SUBMITTED');
    expect(toCoreStatus('PendingCancel', none)).toBe('SUBMITTED');
    expect(toCoreStatus('ApiCancelled', none)).toBe('CANCELLED');
    expect(toCoreStatus('Cancelled', none)).toBe('CANCELLED');
    expect(toCoreStatus('Filled', none)).toBe('FILLED');
    expect(toCoreStatus('Inactive', none)).toBe('REJECTED');
  });

  test('a working order with fills is PARTIALLY_FILLED, also while its cancel is pending', () => {
    expect(toCoreStatus('Submitted', { ...none, filled: 10 })).toBe('PARTIALLY_FILLED');
    expect(toCoreStatus('PendingCancel', { ...none, filled: 10 })).toBe('PARTIALLY_FILLED');
    expect(toCoreStatus('Filled', { ...none, filled: 10 })).toBe('FILLED');
  });

  test('Inactive is a rejection, except an unfilled IOC/FOK or a partly filled order, which were cancelled', () => {
    expect(toCoreStatus('Inactive', { ...none, tif: 'FOK' })).toBe('CANCELLED');
    expect(toCoreStatus('Inactive', { ...none, tif: 'IOC' })).toBe('CANCELLED');
    expect(toCoreStatus('Inactive', { ...none, tif: 'FOK', rejected: true })).toBe('REJECTED');
    expect(toCoreStatus('Inactive', { ...none, filled: 5 })).toBe('CANCELLED');
  });

  test('unknown statuses say nothing', () => {
    expect(toCoreStatus('Unknown', none)).toBeUndefined();
    expect(toCoreStatus('SomethingNew', none)).toBeUndefined();
  });

  test('final IB statuses', () => {
    expect(['Filled', 'Cancelled', 'ApiCancelled', 'Inactive'].every(isFinalIbStatus)).toBe(true);
    expect(['PreSubmitted', 'Submitted', 'PendingCancel', 'PendingSubmit'].some(isFinalIbStatus)).toBe(false);
  });
});
