import { describe, expect, test } from 'vitest';
import { fastParseOrderRequest } from './fast-order-request.js';
import { orderRequestSchema } from './order-request.js';

/** Drops keys whose value is undefined: `{ a: undefined }` and `{}` mean the same order. */
const defined = (value: object) =>
  Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));

// A small seeded generator, so a failure can be replayed.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Per field: its first `VALID[key]` values are valid, the rest are not. */
const VALID: Record<string, number> = {
  symbol: 2,
  side: 2,
  quantity: 3,
  cashQty: 1,
  orderType: 5,
  limitPrice: 1,
  stopPrice: 1,
  tif: 4,
  secType: 5,
  exchange: 2,
  currency: 1,
  lastTradeDateOrContractMonth: 2,
  strike: 1,
  right: 2,
  multiplier: 2,
  product: 3,
  clientOrderId: 2,
  order_type: 0,
};

const POOLS: Record<string, unknown[]> = {
  symbol: ['AAPL', ' AAPL ', '', '   ', 7, 'NIFTY24NOVFUT'],
  side: ['BUY', 'SELL', 'buy', 'HOLD', 1],
  quantity: [100, 1, 0.5, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, '10'],
  cashQty: [10_000, 0, -5, '1'],
  orderType: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT', 'TRAILING_STOP', 'MKT'],
  limitPrice: [190.5, 0, -1, Number.NaN, '1'],
  stopPrice: [180, 0, Number.POSITIVE_INFINITY],
  tif: ['DAY', 'GTC', 'IOC', 'FOK', 'GTD', 0],
  secType: ['STK', 'FUT', 'OPT', 'CASH', 'CRYPTO', 'FOP'],
  exchange: ['SMART', ' NSE ', '', 5],
  currency: ['USD', 'usd', 'EURO', 1],
  lastTradeDateOrContractMonth: ['202412', '20241220', '2024-12', 202412],
  strike: [450, 0, -450],
  right: ['C', 'P', 'CALL'],
  multiplier: ['100', '0.5', 'x100', 100],
  product: ['CNC', 'MIS', 'NRML', 'BO'],
  clientOrderId: ['abc-1', 'a'.repeat(64), 'a'.repeat(65), 'bad id', ''],
  order_type: ['MARKET'],
};

function randomOrder(next: () => number): Record<string, unknown> {
  const order: Record<string, unknown> = {};
  for (const [key, pool] of Object.entries(POOLS)) {
    const required = key === 'symbol' || key === 'side' || key === 'orderType';
    const chance = required ? 0.97 : key === 'order_type' ? 0.02 : key === 'quantity' ? 0.85 : 0.2;
    if (next() >= chance) continue;
    // Mostly valid values, so that the accepting paths are reached often; invalid ones now and then.
    const valid = VALID[key] ?? 0;
    const pick = valid > 0 && next() < 0.85 ? Math.floor(next() * valid) : Math.floor(next() * pool.length);
    order[key] = pool[pick];
  }
  return order;
}

describe('fastParseOrderRequest', () => {
  test('accepts only what the schema accepts, and returns what the schema returns', () => {
    const next = random(20261124);
    let accepted = 0;
    for (let index = 0; index < 200_000; index++) {
      const order = randomOrder(next);
      const fast = fastParseOrderRequest(order);
      const slow = orderRequestSchema.safeParse(order);
      if (fast === undefined) continue;
      accepted++;
      expect(slow.success, JSON.stringify(order)).toBe(true);
      expect(defined(fast)).toEqual(defined(slow.data!));
    }
    expect(accepted).toBeGreaterThan(10_000); // the generator reaches the accepting paths
  });

  test('leaves anything but a plain object to the schema', () => {
    const order = { symbol: 'AAPL', side: 'BUY', quantity: 1, orderType: 'MARKET' };
    class OrderClass {
      symbol = 'AAPL';
      side = 'BUY';
      quantity = 1;
      orderType = 'MARKET';
    }
    const inputs: unknown[] = [
      Object.assign(Object.create(null), order),
      new OrderClass(),
      { ...order, constructor: Object },
      Object.assign([], order),
      new Proxy(order, {}),
    ];
    const proxied = fastParseOrderRequest(inputs.pop());
    for (const input of inputs) expect(fastParseOrderRequest(input)).toBeUndefined();
    // A proxy over a plain object reads as the object does; inherited fields as the schema reads them.
    expect(proxied).toEqual({ ...order, tif: 'DAY' });
    const inherited = Object.assign(Object.create({ tif: 'GTC' }), order);
    expect(fastParseOrderRequest(inherited)).toEqual(orderRequestSchema.parse(inherited));
    expect(fastParseOrderRequest(order)).toEqual({ ...order, tif: 'DAY' });
  });

  test('takes the common orders of every asset class', () => {
    const orders = [
      { symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' },
      {
        symbol: 'AAPL',
        side: 'SELL',
        quantity: 5,
        orderType: 'LIMIT',
        limitPrice: 190.25,
        tif: 'GTC',
        clientOrderId: 'x-1',
      },
      {
        symbol: 'GC',
        secType: 'FUT',
        exchange: 'NYMEX',
        currency: 'USD',
        lastTradeDateOrContractMonth: '202412',
        side: 'BUY',
        quantity: 1,
        orderType: 'STOP',
        stopPrice: 2400,
      },
      {
        symbol: 'SPY',
        secType: 'OPT',
        lastTradeDateOrContractMonth: '20241220',
        strike: 450,
        right: 'C',
        multiplier: '100',
        side: 'BUY',
        quantity: 1,
        orderType: 'STOP_LIMIT',
        stopPrice: 5,
        limitPrice: 5.1,
      },
      {
        symbol: 'BTC',
        secType: 'CRYPTO',
        exchange: 'PAXOS',
        currency: 'USD',
        side: 'BUY',
        cashQty: 10_000,
        orderType: 'MARKET',
        tif: 'IOC',
      },
      {
        symbol: 'NIFTY24NOVFUT',
        exchange: 'NFO',
        side: 'BUY',
        quantity: 65,
        orderType: 'MARKET',
        product: 'NRML',
      },
    ];
    for (const order of orders) {
      const fast = fastParseOrderRequest(order);
      expect(fast, JSON.stringify(order)).toBeDefined();
      expect(defined(fast!)).toEqual(defined(orderRequestSchema.parse(order)));
    }
  });

  test('leaves everything unusual to the schema', () => {
    for (const input of [null, [], 'AAPL', Object.create({ symbol: 'AAPL' }), new Map()]) {
      expect(fastParseOrderRequest(input)).toBeUndefined();
    }
  });
});
