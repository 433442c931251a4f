import { InvalidSymbolError } from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import { DEFAULT_VIRTUAL_START } from './clock.js';
import { InstrumentRegistry } from './instrument-registry.js';

const registry = () => new InstrumentRegistry({ referenceTime: DEFAULT_VIRTUAL_START, errorSource: 'test' });

describe('the built-in universe', () => {
  test('stocks, FX, crypto and NSE equities with their contract specs', () => {
    const instruments = registry();
    expect(instruments.resolve({ symbol: 'AAPL' })).toMatchObject({
      key: 'SMART:AAPL',
      secType: 'STK',
      exchange: 'SMART',
      currency: 'USD',
      tickSize: 0.01,
      lotSize: 1,
      multiplier: 1,
      margin: { kind: 'percent', initial: 0.5, maintenance: 0.25 },
    });
    expect(instruments.resolve({ symbol: 'AAPL', exchange: 'NASDAQ' }).key).toBe('SMART:AAPL');
    expect(
      instruments.resolve({ symbol: 'EUR', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD' }),
    ).toMatchObject({
      key: 'IDEALPRO:EUR.USD',
      tickSize: 0.00005,
    });
    expect(
      instruments.resolve({ symbol: 'BTC', secType: 'CRYPTO', exchange: 'PAXOS', currency: 'USD' }),
    ).toMatchObject({
      lotSize: 0.00000001,
      cashQuantity: true,
      shortable: false,
    });
    for (const symbol of ['RELIANCE', 'INFY']) {
      expect(instruments.resolve({ symbol, exchange: 'NSE' })).toMatchObject({
        currency: 'INR',
        tickSize: 0.05,
        lotSize: 1,
        products: ['CNC', 'MIS'],
        defaultProduct: 'CNC',
      });
    }
  });

  test('futures by IB contract fields: GC (NYMEX or COMEX) and ES', () => {
    const instruments = registry();
    const gold = instruments.resolve({
      symbol: 'GC',
      secType: 'FUT',
      exchange: 'NYMEX',
      lastTradeDateOrContractMonth: '202412',
    });
    expect(gold).toMatchObject({
      key: 'NYMEX:GCZ4',
      localSymbol: 'GCZ4',
      multiplier: 100,
      tickSize: 0.1,
      contractMonth: '202412',
    });
    expect(
      instruments.resolve({
        symbol: 'GC',
        secType: 'FUT',
        exchange: 'COMEX',
        lastTradeDateOrContractMonth: '202412',
      }),
    ).toBe(gold);
    expect(instruments.resolve({ symbol: 'GCZ4' })).toBe(gold);
    const es = instruments.resolve({
      symbol: 'ES',
      secType: 'FUT',
      exchange: 'CME',
      lastTradeDateOrContractMonth: '202503',
    });
    expect(es).toMatchObject({
      localSymbol: 'ESH5',
      multiplier: 50,
      tickSize: 0.25,
      margin: { kind: 'per-contract' },
    });
  });

  test('SPY options by expiry, strike and right, any listed strike', () => {
    const instruments = registry();
    const call = instruments.resolve({
      symbol: 'SPY',
      secType: 'OPT',
      exchange: 'SMART',
      currency: 'USD',
      lastTradeDateOrContractMonth: '20241220',
      strike: 450,
      right: 'C',
      multiplier: '100',
    });
    expect(call).toMatchObject({
      localSymbol: 'SPY   241220C00450000',
      multiplier: 100,
      strike: 450,
      right: 'C',
    });
    // Deep in the money: close to intrinsic value (590 - 450).
    expect(call.initialPrice).toBeGreaterThan(139);
    expect(call.initialPrice).toBeLessThan(145);
    const put = instruments.resolve({
      symbol: 'SPY',
      secType: 'OPT',
      lastTradeDateOrContractMonth: '20250117',
      strike: 600,
      right: 'P',
    });
    expect(put.initialPrice).toBeGreaterThan(10);
    expect(instruments.resolve({ symbol: 'SPY' }).secType).toBe('STK');
  });

  test('NFO futures and options by Kite trading symbol, with the lot sizes', () => {
    const instruments = registry();
    expect(instruments.resolve({ symbol: 'NIFTY24NOVFUT', exchange: 'NFO' })).toMatchObject({
      secType: 'FUT',
      lotSize: 65,
      currency: 'INR',
      expiry: '20241128',
      products: ['NRML', 'MIS'],
      margin: { kind: 'span' },
    });
    expect(instruments.resolve({ symbol: 'BANKNIFTY24DECFUT' }).lotSize).toBe(30);
    expect(instruments.resolve({ symbol: 'FINNIFTY24DECFUT' }).lotSize).toBe(60);
    expect(instruments.resolve({ symbol: 'NIFTY2411924000CE' })).toMatchObject({
      secType: 'OPT',
      strike: 24000,
      right: 'C',
      lotSize: 65,
    });
    expect(instruments.resolve({ symbol: 'BANKNIFTY24DEC52000PE' })).toMatchObject({
      strike: 52000,
      right: 'P',
      lotSize: 30,
    });
  });

  test('IB-style fields reach the same NFO contracts', () => {
    const instruments = registry();
    expect(
      instruments.resolve({
        symbol: 'NIFTY',
        secType: 'FUT',
        exchange: 'NFO',
        lastTradeDateOrContractMonth: '202411',
      }).key,
    ).toBe('NFO:NIFTY24NOVFUT');
    expect(
      instruments.resolve({
        symbol: 'NIFTY',
        secType: 'OPT',
        exchange: 'NFO',
        lastTradeDateOrContractMonth: '20241128',
        strike: 24000,
        right: 'C',
      }).key,
    ).toBe('NFO:NIFTY24NOV24000CE');
  });

  test('conIds are stable and unique', () => {
    const first = registry().list();
    const second = registry().list();
    expect(first.map((instrument) => instrument.conId)).toEqual(second.map((instrument) => instrument.conId));
    expect(new Set(first.map((instrument) => instrument.conId)).size).toBe(first.length);
  });
});

describe('lookup failures are InvalidSymbolError', () => {
  test('an unknown symbol', () => {
    const error = (() => {
      try {
        registry().resolve({ symbol: 'INVALID' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(InvalidSymbolError.isInstance(error)).toBe(true);
    expect((error as InvalidSymbolError).symbol).toBe('INVALID');
    expect((error as InvalidSymbolError).broker).toBe('test');
    expect((error as Error).message).toMatch(/INVALID/);
  });

  test('a futures or options root without the contract fields', () => {
    const instruments = registry();
    expect(() => instruments.resolve({ symbol: 'GC' })).toThrow(/lastTradeDateOrContractMonth/);
    expect(() =>
      instruments.resolve({ symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '202413' }),
    ).toThrow(InvalidSymbolError);
    expect(() =>
      instruments.resolve({ symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20241220' }),
    ).toThrow(/strike and right/);
    expect(() =>
      instruments.resolve({
        symbol: 'SPY',
        secType: 'OPT',
        lastTradeDateOrContractMonth: '20241220',
        strike: 450.3,
        right: 'C',
      }),
    ).toThrow(/steps of 1/);
  });

  test('fields that contradict the instrument', () => {
    const instruments = registry();
    expect(() => instruments.resolve({ symbol: 'AAPL', exchange: 'NSE' })).toThrow(InvalidSymbolError);
    expect(() => instruments.resolve({ symbol: 'EUR', secType: 'CASH', currency: 'JPY' })).toThrow(
      InvalidSymbolError,
    );
    expect(() => instruments.resolve({ symbol: 'NIFTY24NOVFUT', exchange: 'NSE' })).toThrow(
      InvalidSymbolError,
    );
    expect(() =>
      instruments.resolve({ symbol: 'AAPL', secType: 'FUT', lastTradeDateOrContractMonth: '202412' }),
    ).toThrow(InvalidSymbolError);
  });

  test('find() returns undefined instead', () => {
    expect(registry().find({ symbol: 'INVALID' })).toBeUndefined();
  });
});

describe('adding instruments', () => {
  test('a user instrument gets defaults by asset class and can be traded by symbol', () => {
    const instruments = registry();
    const msft = instruments.add({
      symbol: 'MSFT',
      secType: 'STK',
      exchange: 'SMART',
      currency: 'USD',
      tickSize: 0.01,
      price: 415.123,
    });
    expect(msft.initialPrice).toBe(415.12);
    expect(msft.margin).toMatchObject({ kind: 'percent', initial: 0.5 });
    expect(msft.commission).toMatchObject({ perUnit: 0.005 });
    expect(instruments.resolve({ symbol: 'MSFT' })).toBe(msft);
  });

  test('duplicates and invalid definitions are refused with the field named', () => {
    const instruments = registry();
    expect(() =>
      instruments.add({
        symbol: 'AAPL',
        secType: 'STK',
        exchange: 'SMART',
        currency: 'USD',
        tickSize: 0.01,
        price: 1,
      }),
    ).toThrow(/already listed/);
    expect(() =>
      instruments.add({
        symbol: 'X',
        secType: 'STK',
        exchange: 'SMART',
        currency: 'USD',
        tickSize: 0,
        price: 1,
      }),
    ).toThrow(/tickSize/);
    expect(() =>
      instruments.add({
        symbol: 'X',
        secType: 'OPT',
        exchange: 'SMART',
        currency: 'USD',
        tickSize: 0.01,
        price: 1,
      }),
    ).toThrow(/strike/);
    expect(() =>
      instruments.add({
        symbol: 'X',
        secType: 'STK',
        exchange: 'SMART',
        currency: 'USD',
        tickSize: 0.01,
        price: 1,
        margin: { kind: 'percent', initial: 0.2, maintenance: 0.3 },
      }),
    ).toThrow(/maintenance/);
  });

  test('a registry without the built-ins knows nothing', () => {
    const empty = new InstrumentRegistry({ builtIn: false });
    expect(empty.size).toBe(0);
    expect(() => empty.resolve({ symbol: 'AAPL' })).toThrow(InvalidSymbolError);
  });
});
