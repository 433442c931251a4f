import { describe, expect, test } from 'vitest';
import { toInputIssues } from '../validation.js';
import { orderRequestSchema } from './order-request.js';

const issuesOf = (input: unknown) => {
  const parsed = orderRequestSchema.safeParse(input);
  if (parsed.success) return [];
  return toInputIssues(parsed.error, Object.keys(orderRequestSchema.shape));
};

const base = { symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' };

describe('order request schema', () => {
  test('the spec examples for each asset class are valid', () => {
    const examples = [
      { ...base, secType: 'STK', exchange: 'SMART', currency: 'USD' },
      {
        ...base,
        symbol: 'GC',
        secType: 'FUT',
        exchange: 'NYMEX',
        currency: 'USD',
        lastTradeDateOrContractMonth: '202412',
        quantity: 1,
      },
      {
        ...base,
        symbol: 'SPY',
        secType: 'OPT',
        exchange: 'SMART',
        currency: 'USD',
        lastTradeDateOrContractMonth: '20241220',
        strike: 450,
        right: 'C',
        multiplier: '100',
        quantity: 1,
      },
      { ...base, symbol: 'EUR', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD', quantity: 20000 },
      {
        symbol: 'BTC',
        secType: 'CRYPTO',
        exchange: 'PAXOS',
        currency: 'USD',
        side: 'BUY',
        cashQty: 10000,
        orderType: 'MARKET',
      },
      { ...base, symbol: 'RELIANCE', exchange: 'NSE', quantity: 10, product: 'CNC' },
      { ...base, symbol: 'NIFTY24NOVFUT', exchange: 'NFO', quantity: 65, product: 'NRML' },
      { ...base, orderType: 'LIMIT', limitPrice: 450, tif: 'GTC' },
      { ...base, orderType: 'STOP', stopPrice: 440 },
      { ...base, orderType: 'STOP_LIMIT', stopPrice: 440, limitPrice: 439, tif: 'GTC' },
    ];
    for (const example of examples) expect(issuesOf(example)).toEqual([]);
  });

  test('tif defaults to DAY', () => {
    expect(orderRequestSchema.parse(base).tif).toBe('DAY');
  });

  test('prices must match the order type', () => {
    expect(issuesOf({ ...base, orderType: 'LIMIT' })).toEqual([
      { path: 'limitPrice', message: 'required for LIMIT orders' },
    ]);
    expect(issuesOf({ ...base, orderType: 'STOP_LIMIT', limitPrice: 1 })).toEqual([
      { path: 'stopPrice', message: 'required for STOP_LIMIT orders' },
    ]);
    expect(issuesOf({ ...base, limitPrice: 10 })[0]?.path).toBe('limitPrice');
  });

  test('quantity must be positive, finite, and exclusive with cashQty', () => {
    expect(issuesOf({ ...base, quantity: -5 })).toEqual([
      { path: 'quantity', message: 'quantity must be greater than 0' },
    ]);
    expect(issuesOf({ ...base, quantity: Number.NaN })[0]?.path).toBe('quantity');
    expect(issuesOf({ ...base, quantity: undefined })).toEqual([
      { path: 'quantity', message: 'give either quantity or cashQty' },
    ]);
    expect(issuesOf({ ...base, cashQty: 100 })[0]?.path).toBe('cashQty');
  });

  test('futures and options need their contract fields', () => {
    expect(issuesOf({ ...base, secType: 'FUT' }).map((issue) => issue.path)).toEqual([
      'lastTradeDateOrContractMonth',
    ]);
    expect(issuesOf({ ...base, secType: 'OPT' }).map((issue) => issue.path)).toEqual([
      'lastTradeDateOrContractMonth',
      'strike',
      'right',
    ]);
    expect(issuesOf({ ...base, strike: 100 })[0]?.path).toBe('strike');
  });

  test('unknown keys are refused, with the camelCase spelling suggested for snake_case', () => {
    expect(issuesOf({ ...base, order_type: 'MARKET', foo: 1 })).toEqual([
      { path: 'order_type', message: 'unknown field; did you mean "orderType"?' },
      { path: 'foo', message: 'unknown field; remove it' },
    ]);
  });

  test('enums list their allowed values', () => {
    expect(issuesOf({ ...base, side: 'HOLD' })).toEqual([
      { path: 'side', message: 'must be one of "BUY", "SELL"' },
    ]);
    expect(issuesOf({ ...base, symbol: undefined })).toEqual([{ path: 'symbol', message: 'is required' }]);
  });
});
