import { describe, expect, test } from 'vitest';
import {
  buildContract,
  contractKey,
  describeCandidate,
  expiryOf,
  qualifiedContract,
  requestContractKey,
} from './contract-builder.js';

describe('contracts per asset class (the spec examples)', () => {
  test('STK defaults to SMART / USD', () => {
    expect(buildContract({ symbol: 'aapl' })).toEqual({
      symbol: 'AAPL',
      secType: 'STK',
      exchange: 'SMART',
      currency: 'USD',
    });
  });

  test('FUT carries its contract month and no default exchange', () => {
    expect(buildContract({ symbol: 'GC', secType: 'FUT', lastTradeDateOrContractMonth: '202412' })).toEqual({
      symbol: 'GC',
      secType: 'FUT',
      currency: 'USD',
      lastTradeDateOrContractMonth: '202412',
    });
    expect(
      buildContract({
        symbol: 'GC',
        secType: 'FUT',
        exchange: 'NYMEX',
        lastTradeDateOrContractMonth: '202412',
      }).exchange,
    ).toBe('NYMEX');
  });

  test('OPT carries expiry, strike, right and a numeric multiplier', () => {
    expect(
      buildContract({
        symbol: 'SPY',
        secType: 'OPT',
        lastTradeDateOrContractMonth: '20241220',
        strike: 450,
        right: 'C',
        multiplier: '100',
      }),
    ).toEqual({
      symbol: 'SPY',
      secType: 'OPT',
      exchange: 'SMART',
      currency: 'USD',
      lastTradeDateOrContractMonth: '20241220',
      strike: 450,
      right: 'C',
      multiplier: 100,
    });
  });

  test('CASH defaults to IDEALPRO, CRYPTO to PAXOS', () => {
    expect(buildContract({ symbol: 'EUR', secType: 'CASH', currency: 'USD' })).toMatchObject({
      exchange: 'IDEALPRO',
      currency: 'USD',
    });
    expect(buildContract({ symbol: 'BTC', secType: 'CRYPTO' })).toMatchObject({
      exchange: 'PAXOS',
      currency: 'USD',
    });
  });

  test('qualification keeps SMART routing and takes the conId; expiries with a time are trimmed', () => {
    const requested = buildContract({ symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '202512' });
    const qualified = qualifiedContract(requested, {
      contract: {
        conId: 42,
        symbol: 'ES',
        secType: 'FUT' as never,
        exchange: 'CME',
        currency: 'USD',
        lastTradeDateOrContractMonth: '20251219 08:30 US/Central',
        multiplier: 50,
        localSymbol: 'ESZ5',
      },
    });
    expect(qualified).toMatchObject({
      conId: 42,
      exchange: 'CME',
      lastTradeDateOrContractMonth: '20251219',
      multiplier: 50,
      localSymbol: 'ESZ5',
    });
    expect(expiryOf('20250620')).toBe('20250620');
    expect(contractKey(requested)).toBe('FUT|ES||USD|202512|||');
  });

  test('candidates of an ambiguous lookup are described so a user can pick one', () => {
    expect(
      describeCandidate({
        contract: {
          conId: 7,
          symbol: 'GC',
          secType: 'FUT' as never,
          exchange: 'COMEX',
          currency: 'USD',
          lastTradeDateOrContractMonth: '20241227',
          multiplier: 100,
          localSymbol: 'GCZ4',
        },
      }),
    ).toBe('GC FUT COMEX USD 20241227 x100 (GCZ4, conId 7)');
  });

  test('the cache key of a request is the key of its contract', () => {
    const requests = [
      { symbol: 'aapl' },
      { symbol: 'ES', secType: 'FUT' as const, lastTradeDateOrContractMonth: '202512' },
      { symbol: 'GC', secType: 'FUT' as const, exchange: 'COMEX', multiplier: '100' },
      { symbol: 'SPY', secType: 'OPT' as const, strike: 450.5, right: 'C' as const, currency: 'USD' },
      { symbol: 'EUR', secType: 'CASH' as const },
      { symbol: 'BTC', secType: 'CRYPTO' as const, exchange: 'PAXOS' },
    ];
    for (const request of requests) {
      expect(requestContractKey(request)).toBe(contractKey(buildContract(request)));
    }
  });
});
