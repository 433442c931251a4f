import { ExchangeSimulator, VirtualClock } from '@brokerkit/exchange-sim';
import { describe, expect, test } from 'vitest';
import type { ContractFields } from '../messages/incoming/contract-fields.js';
import { ContractCatalogue } from './contract-catalogue.js';

const blank: ContractFields = {
  conId: undefined,
  symbol: '',
  secType: '',
  lastTradeDateOrContractMonth: '',
  strike: undefined,
  right: '',
  multiplier: '',
  exchange: '',
  primaryExch: '',
  currency: '',
  localSymbol: '',
  tradingClass: '',
};

describe('contract catalogue', () => {
  const simulator = new ExchangeSimulator({ clock: new VirtualClock(), priceStepMs: 0 });
  const catalogue = new ContractCatalogue(simulator);

  test('IB conIds: real ones for the built-ins, the engine hash for the rest, both ways', () => {
    const aapl = catalogue.resolve({
      ...blank,
      symbol: 'AAPL',
      secType: 'STK',
      exchange: 'SMART',
      currency: 'USD',
    });
    expect(aapl.kind).toBe('unique');
    if (aapl.kind !== 'unique') return;
    expect(catalogue.conIdOf(aapl.instrument)).toBe(265598);
    expect(catalogue.byConId(265598)).toBe(aapl.instrument);
    // The engine's own hash of a renamed instrument does not reach it.
    expect(catalogue.byConId(aapl.instrument.conId)).toBeUndefined();
    const gc = catalogue.resolve({
      ...blank,
      symbol: 'GC',
      secType: 'FUT',
      lastTradeDateOrContractMonth: '202412',
    });
    if (gc.kind !== 'unique') throw new Error(gc.kind);
    expect(catalogue.byConId(catalogue.conIdOf(gc.instrument))).toBe(gc.instrument);
  });

  test('resolves by localSymbol alone and by option fields', () => {
    expect(catalogue.resolve({ ...blank, localSymbol: 'EUR.USD', secType: 'CASH' })).toMatchObject({
      kind: 'unique',
    });
    const option = catalogue.resolve({
      ...blank,
      symbol: 'SPY',
      secType: 'OPT',
      lastTradeDateOrContractMonth: '20241220',
      strike: 450,
      right: 'CALL',
    });
    expect(option.kind === 'unique' && option.instrument.localSymbol).toBe('SPY   241220C00450000');
  });

  test('unknown: other security types, a wrong localSymbol, nothing to go by', () => {
    expect(catalogue.resolve({ ...blank, symbol: 'WTI', secType: 'BAG' }).kind).toBe('unknown');
    expect(catalogue.resolve({ ...blank, symbol: 'AAPL', secType: 'STK', localSymbol: 'MSFT' }).kind).toBe(
      'unknown',
    );
    expect(catalogue.resolve(blank).kind).toBe('unknown');
    expect(catalogue.resolve({ ...blank, conId: 42 }).kind).toBe('unknown');
  });

  test('a futures root without a month lists the coming months', () => {
    const rows = catalogue.contractDetailsRows({ ...blank, symbol: 'GC', secType: 'FUT' });
    expect(rows.map((instrument) => instrument.contractMonth)).toEqual([
      '202411',
      '202412',
      '202501',
      '202502',
    ]);
  });
});
