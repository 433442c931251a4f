import { describe, expect, test } from 'vitest';
import { assertValidCommission, commissionFor } from './commission.js';
import {
  CRYPTO_COMMISSION,
  FX_COMMISSION,
  US_OPTION_COMMISSION,
  US_STOCK_COMMISSION,
  ZERODHA_INTRADAY_COMMISSION,
  ZERODHA_OPTION_COMMISSION,
} from './instrument.js';

describe('commission schedules', () => {
  test('US stocks: 0.005 per share, minimum 1, at most 1% of value', () => {
    expect(commissionFor(US_STOCK_COMMISSION, 100, 22_500)).toBe(1);
    expect(commissionFor(US_STOCK_COMMISSION, 1_000, 225_000)).toBe(5);
    expect(commissionFor(US_STOCK_COMMISSION, 1_000, 50)).toBe(0.5);
  });

  test('options per contract, FX and crypto by value with minimums', () => {
    expect(commissionFor(US_OPTION_COMMISSION, 10, 5_000)).toBe(6.5);
    expect(commissionFor(FX_COMMISSION, 20_000, 21_100)).toBe(2);
    expect(commissionFor(FX_COMMISSION, 2_000_000, 2_110_000)).toBe(42.2);
    expect(commissionFor(CRYPTO_COMMISSION, 0.1, 9_000)).toBe(16.2);
  });

  test('Zerodha: 0.03% capped at 20, options flat 20 per order', () => {
    expect(commissionFor(ZERODHA_INTRADAY_COMMISSION, 10, 12_900)).toBe(3.87);
    expect(commissionFor(ZERODHA_INTRADAY_COMMISSION, 65, 1_560_000)).toBe(20);
    expect(commissionFor(ZERODHA_OPTION_COMMISSION, 65, 10_000)).toBe(20);
    expect(commissionFor(ZERODHA_OPTION_COMMISSION, 0, 0)).toBe(0);
  });

  test('assertValidCommission names the bad field', () => {
    expect(() => assertValidCommission({ perUnit: -1 }, 'X')).toThrow(/commission.perUnit/);
  });
});
