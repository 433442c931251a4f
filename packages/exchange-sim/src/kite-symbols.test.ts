import { describe, expect, test } from 'vitest';
import {
  formatKiteFuture,
  formatKiteOption,
  isValidDate,
  lastThursday,
  parseKiteSymbol,
} from './kite-symbols.js';

describe('Kite trading symbols', () => {
  test('monthly futures', () => {
    expect(parseKiteSymbol('NIFTY24NOVFUT')).toEqual({
      root: 'NIFTY',
      secType: 'FUT',
      contractMonth: '202411',
      expiry: '20241128',
      weekly: false,
      strike: undefined,
      right: undefined,
    });
    expect(formatKiteFuture('BANKNIFTY', '202412')).toBe('BANKNIFTY24DECFUT');
  });

  test('monthly and weekly options', () => {
    expect(parseKiteSymbol('NIFTY24NOV24000CE')).toMatchObject({
      expiry: '20241128',
      strike: 24000,
      right: 'C',
      weekly: false,
    });
    expect(parseKiteSymbol('NIFTY2411924000CE')).toMatchObject({
      expiry: '20240119',
      strike: 24000,
      right: 'C',
      weekly: true,
    });
    expect(parseKiteSymbol('NIFTY24N2124000PE')).toMatchObject({
      expiry: '20241121',
      strike: 24000,
      right: 'P',
      weekly: true,
    });
    expect(parseKiteSymbol('NIFTY2580724400CE')).toMatchObject({ expiry: '20250807', strike: 24400 });
  });

  test('format picks the monthly form on the last Thursday and the weekly form otherwise', () => {
    expect(formatKiteOption('NIFTY', '20241128', 24000, 'C')).toBe('NIFTY24NOV24000CE');
    expect(formatKiteOption('NIFTY', '20241121', 24000, 'P')).toBe('NIFTY24N2124000PE');
    expect(formatKiteOption('NIFTY', '20240119', 24000, 'C')).toBe('NIFTY2411924000CE');
    for (const symbol of ['NIFTY24NOV24000CE', 'NIFTY24N2124000PE', 'BANKNIFTY24O0351500CE']) {
      const parsed = parseKiteSymbol(symbol)!;
      expect(formatKiteOption(parsed.root, parsed.expiry, parsed.strike!, parsed.right!)).toBe(symbol);
    }
  });

  test('rejects what does not follow the scheme', () => {
    for (const symbol of [
      'AAPL',
      'NIFTY24XYZFUT',
      'NIFTY2413224000CE',
      'NIFTY24NOV24000XE',
      'nifty24novfut',
    ]) {
      expect(parseKiteSymbol(symbol)).toBeUndefined();
    }
  });

  test('dates', () => {
    expect(lastThursday(2024, 11)).toBe('20241128');
    expect(lastThursday(2024, 12)).toBe('20241226');
    expect(lastThursday(2025, 1)).toBe('20250130');
    expect(isValidDate('20240229')).toBe(true);
    expect(isValidDate('20230229')).toBe(false);
    expect(isValidDate('2024-01-01')).toBe(false);
  });
});
