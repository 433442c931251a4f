import { InvalidOrderError, type NormalizedOrderRequest } from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import type { KiteInstrument } from './kite-instrument.js';
import {
  checkAgainstInstrument,
  checkOrderBasics,
  isTickMultiple,
  kitePlaceParams,
  onTick,
} from './order-checks.js';

const niftyFuture: KiteInstrument = {
  instrumentToken: '1',
  tradingsymbol: 'NIFTY26JANFUT',
  name: 'NIFTY',
  exchange: 'NFO',
  segment: 'NFO-FUT',
  instrumentType: 'FUT',
  lotSize: 65,
  tickSize: 0.05,
  expiry: '20260127',
  strike: 0,
};
const infy: KiteInstrument = {
  ...niftyFuture,
  tradingsymbol: 'INFY',
  name: 'INFOSYS',
  exchange: 'NSE',
  segment: 'NSE',
  instrumentType: 'EQ',
  lotSize: 1,
  expiry: '',
};

const order = (fields: Partial<NormalizedOrderRequest>): NormalizedOrderRequest =>
  ({
    symbol: 'NIFTY26JANFUT',
    side: 'BUY',
    orderType: 'MARKET',
    tif: 'DAY',
    quantity: 65,
    clientOrderId: 'bk1',
    exchange: 'NFO',
    product: 'NRML',
    ...fields,
  }) as NormalizedOrderRequest;

function issuesOf(run: () => void) {
  try {
    run();
  } catch (error) {
    expect(InvalidOrderError.isInstance(error)).toBe(true);
    return (error as InvalidOrderError).issues;
  }
  throw new Error('expected an InvalidOrderError');
}

describe('order checks', () => {
  test("a quantity off the lot size names the field, the underlying and the dump's lot size", () => {
    const [issue] = issuesOf(() => checkAgainstInstrument(order({ quantity: 50 }), niftyFuture));
    expect(issue?.path).toBe('quantity');
    expect(issue?.message).toMatch(/^quantity 50 is not a multiple of NIFTY's lot size 65/);
    expect(issue?.message).toMatch(/try 65/);
    expect(issuesOf(() => checkAgainstInstrument(order({ quantity: 100 }), niftyFuture))[0]?.message).toMatch(
      /try 65 or 130/,
    );
  });

  test('prices off the tick are refused with a suggestion; prices on it pass', () => {
    const [issue] = issuesOf(() =>
      checkAgainstInstrument(order({ orderType: 'LIMIT', limitPrice: 1800.03, quantity: 1 }), infy),
    );
    expect(issue).toEqual({
      path: 'limitPrice',
      message: "limitPrice 1800.03 is not a multiple of INFY's tick size 0.05 (INFY: try 1800.05)",
    });
    expect(() =>
      checkAgainstInstrument(order({ orderType: 'LIMIT', limitPrice: 1800.05, quantity: 1 }), infy),
    ).not.toThrow();
    expect(isTickMultiple(0.1 + 0.2, 0.05)).toBe(true);
    expect(onTick(0.1 + 0.2, 0.05)).toBe(0.3);
  });

  test('F&O orders must name their product; equities default to CNC; products must fit the segment', () => {
    expect(issuesOf(() => checkOrderBasics(order({ product: undefined })))[0]?.path).toBe('product');
    expect(
      checkOrderBasics(order({ exchange: 'NSE', symbol: 'INFY', product: undefined, quantity: 1 })),
    ).toEqual({
      exchange: 'NSE',
      product: 'CNC',
    });
    expect(issuesOf(() => checkOrderBasics(order({ product: 'CNC' })))[0]?.message).toMatch(
      /CNC is not offered on NFO/,
    );
    expect(issuesOf(() => checkOrderBasics(order({ exchange: undefined })))[0]?.path).toBe('exchange');
  });

  test('quantities are whole numbers and client order ids fit the 20-character Kite tag', () => {
    const issues = issuesOf(() => checkOrderBasics(order({ quantity: 65.5, clientOrderId: 'a'.repeat(21) })));
    expect(issues.map((issue) => issue.path).sort()).toEqual(['clientOrderId', 'quantity']);
  });

  test('contract fields, when given, must match the dump row', () => {
    const issues = issuesOf(() =>
      checkAgainstInstrument(order({ secType: 'OPT', lastTradeDateOrContractMonth: '202602' }), niftyFuture),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(['lastTradeDateOrContractMonth', 'secType']);
    expect(() =>
      checkAgainstInstrument(order({ secType: 'FUT', lastTradeDateOrContractMonth: '202601' }), niftyFuture),
    ).not.toThrow();
  });

  test('market and SL-M orders carry market protection; prices are snapped to the tick; the tag is the client order id', () => {
    expect(kitePlaceParams(order({}), niftyFuture, 'NRML', -1)).toEqual({
      exchange: 'NFO',
      tradingsymbol: 'NIFTY26JANFUT',
      transaction_type: 'BUY',
      quantity: 65,
      product: 'NRML',
      order_type: 'MARKET',
      validity: 'DAY',
      tag: 'bk1',
      market_protection: -1,
    });
    const stop = kitePlaceParams(
      order({ orderType: 'STOP', stopPrice: 24000.1 + 0.2 }),
      niftyFuture,
      'NRML',
      2,
    );
    expect(stop).toMatchObject({ order_type: 'SL-M', trigger_price: 24000.3, market_protection: 2 });
    const stopLimit = kitePlaceParams(
      order({ orderType: 'STOP_LIMIT', stopPrice: 100, limitPrice: 101, tif: 'DAY' }),
      niftyFuture,
      'MIS',
      -1,
    );
    expect(stopLimit).toMatchObject({ order_type: 'SL', price: 101, trigger_price: 100 });
    expect(stopLimit).not.toHaveProperty('market_protection');
    expect(
      kitePlaceParams(order({ orderType: 'LIMIT', limitPrice: 10, tif: 'IOC' }), niftyFuture, 'NRML', -1)
        .validity,
    ).toBe('IOC');
  });
});
