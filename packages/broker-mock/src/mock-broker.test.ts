import { inspect } from 'node:util';
import {
  BrokerFactory,
  BrokerRegistry,
  createBroker,
  type Fill,
  InsufficientFundsError,
  InvalidConfigError,
  InvalidOrderError,
  InvalidSymbolError,
  OrderRejectedError,
  type OrderRequest,
  type OrderUpdateEvent,
} from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import type { MockBrokerConfigInput } from './config.js';
import plugin, { MockBroker } from './index.js';

const AAPL = { symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' } as const;

async function connected(config: MockBrokerConfigInput = {}) {
  const broker = new MockBroker({ clock: 'virtual', randomWalk: false, ...config });
  await broker.connect();
  const updates: OrderUpdateEvent[] = [];
  const fills: Fill[] = [];
  broker.on('orderUpdate', (event) => updates.push(event));
  broker.on('fill', (fill) => fills.push(fill));
  return { broker, updates, fills };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('the spec example', () => {
  test('placeOrder returns SUBMITTED and the order is FILLED after fillDelaySeconds', async () => {
    const { broker, updates, fills } = await connected({ fillDelaySeconds: 1 });
    const order = await broker.placeOrder(AAPL);
    expect(order.orderId).toBeTruthy();
    expect(order.status).toBe('SUBMITTED');
    await broker.advanceTime(999);
    expect(await broker.getOrderStatus(order.orderId)).toBe('SUBMITTED');
    await broker.advanceTime(1);
    expect(await broker.getOrderStatus(order.orderId)).toBe('FILLED');
    const record = await broker.getOrder(order.orderId);
    expect(record).toMatchObject({
      filledQuantity: 100,
      remainingQuantity: 0,
      averageFillPrice: 225,
      clientOrderId: order.clientOrderId,
    });
    expect(updates.map((event) => [event.previousStatus, event.order.status])).toEqual([
      ['PENDING', 'SUBMITTED'],
      ['SUBMITTED', 'FILLED'],
    ]);
    expect(fills).toEqual([
      expect.objectContaining({
        orderId: order.orderId,
        quantity: 100,
        price: 225,
        commission: 1,
        commissionCurrency: 'USD',
      }),
    ]);
    expect(await broker.getOpenPositions()).toEqual([
      expect.objectContaining({
        symbol: 'AAPL',
        secType: 'STK',
        quantity: 100,
        averagePrice: 225,
        currency: 'USD',
      }),
    ]);
  });

  test('on the real clock (the default) the fill arrives after the delay by itself', async () => {
    const broker = new MockBroker({ fillDelaySeconds: 0.005 });
    await broker.connect();
    const filled = new Promise<Fill>((resolve) => broker.once('fill', resolve));
    const order = await broker.placeOrder(AAPL);
    expect(order.status).toBe('SUBMITTED');
    expect((await filled).orderId).toBe(order.orderId);
    expect(await broker.getOrderStatus(order.orderId)).toBe('FILLED');
    await broker.disconnect();
    broker.simulator.dispose();
  });

  test('with fillDelaySeconds 0 the acknowledgement is already FILLED', async () => {
    const { broker } = await connected({ fillDelaySeconds: 0 });
    expect((await broker.placeOrder(AAPL)).status).toBe('FILLED');
  });

  test('a fresh account has the initial balance as cash and equity', async () => {
    const { broker } = await connected({ initialBalance: 250_000, currency: 'EUR' });
    expect(await broker.getAccountBalance()).toMatchObject({
      currency: 'EUR',
      cash: 250_000,
      equity: 250_000,
      marginUsed: 0,
      marginAvailable: 250_000,
      buyingPower: 250_000,
    });
  });
});

describe('every asset class of the spec trades', () => {
  test.each<[string, OrderRequest]>([
    [
      'a stock',
      {
        symbol: 'AAPL',
        secType: 'STK',
        exchange: 'SMART',
        currency: 'USD',
        side: 'BUY',
        quantity: 100,
        orderType: 'MARKET',
      },
    ],
    [
      'a gold future',
      {
        symbol: 'GC',
        secType: 'FUT',
        exchange: 'NYMEX',
        currency: 'USD',
        lastTradeDateOrContractMonth: '202412',
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
      },
    ],
    [
      'an SPY option',
      {
        symbol: 'SPY',
        secType: 'OPT',
        exchange: 'SMART',
        currency: 'USD',
        lastTradeDateOrContractMonth: '20241220',
        strike: 450,
        right: 'C',
        multiplier: '100',
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
      },
    ],
    [
      'EUR.USD',
      {
        symbol: 'EUR',
        secType: 'CASH',
        exchange: 'IDEALPRO',
        currency: 'USD',
        side: 'BUY',
        quantity: 20_000,
        orderType: 'MARKET',
      },
    ],
    [
      'bitcoin by cash amount',
      {
        symbol: 'BTC',
        secType: 'CRYPTO',
        exchange: 'PAXOS',
        currency: 'USD',
        side: 'BUY',
        cashQty: 10_000,
        orderType: 'MARKET',
      },
    ],
    [
      'an NSE stock (CNC)',
      { symbol: 'RELIANCE', exchange: 'NSE', side: 'BUY', quantity: 10, orderType: 'MARKET', product: 'CNC' },
    ],
    [
      'a NIFTY future (NRML)',
      {
        symbol: 'NIFTY24NOVFUT',
        exchange: 'NFO',
        side: 'BUY',
        quantity: 65,
        orderType: 'MARKET',
        product: 'NRML',
      },
    ],
    [
      'a NIFTY weekly option',
      {
        symbol: 'NIFTY2411924000CE',
        exchange: 'NFO',
        side: 'BUY',
        quantity: 65,
        orderType: 'MARKET',
        product: 'NRML',
      },
    ],
  ])('%s', async (_, request) => {
    const { broker, fills } = await connected({ fillDelaySeconds: 0 });
    const order = await broker.placeOrder(request);
    expect(order.status).toBe('FILLED');
    const positions = await broker.getOpenPositions();
    expect(positions).toHaveLength(1);
    expect(positions[0]!.quantity).toBe(fills[0]!.quantity);
    if (request.cashQty !== undefined) {
      // 10,000 USD of bitcoin at 90,000.
      expect(fills[0]!.quantity).toBeCloseTo(10_000 / 90_000, 8);
    }
  });
});

describe('bad input is refused with the typed error before it reaches the book', () => {
  test.each<[string, Partial<OrderRequest>, string]>([
    ['a fractional share', { quantity: 1.5 }, 'quantity'],
    ['a negative quantity', { quantity: -5 }, 'quantity'],
    ['a limit without a price', { orderType: 'LIMIT' }, 'limitPrice'],
    ['a price off the tick', { orderType: 'LIMIT', limitPrice: 150.005 }, 'limitPrice'],
    [
      'a NIFTY quantity that is not a lot multiple',
      { symbol: 'NIFTY24NOVFUT', exchange: 'NFO', quantity: 50 },
      'quantity',
    ],
    ['a Zerodha product on a US stock', { product: 'CNC' }, 'product'],
    ['a snake_case key', { order_type: 'MARKET' } as Partial<OrderRequest>, 'order_type'],
  ])('%s: InvalidOrderError naming %s', async (_, fields, path) => {
    const { broker, updates } = await connected();
    const error = await caught(broker.placeOrder({ ...AAPL, ...fields } as OrderRequest));
    expect(InvalidOrderError.isInstance(error)).toBe(true);
    expect((error as InvalidOrderError).issues.map((issue) => issue.path)).toContain(path);
    expect(await broker.getOpenOrders()).toEqual([]);
    expect(broker.simulator.openOrders(broker.accountId)).toEqual([]);
    expect(broker.health().trackedOrders).toBe(0);
    expect(updates).toEqual([]);
  });

  test('the lot-size message names the lot', async () => {
    const { broker } = await connected();
    const error = await caught(
      broker.placeOrder({ symbol: 'BANKNIFTY24NOVFUT', side: 'BUY', quantity: 25, orderType: 'MARKET' }),
    );
    expect((error as Error).message).toMatch(/lot size 30/);
  });

  test('an unknown symbol is InvalidSymbolError', async () => {
    const { broker } = await connected();
    const error = await caught(broker.placeOrder({ ...AAPL, symbol: 'INVALID' }));
    expect(InvalidSymbolError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ symbol: 'INVALID', broker: 'mock' });
    expect(broker.health().trackedOrders).toBe(0);
  });
});

describe('funds and rejections', () => {
  test('an unaffordable order is InsufficientFundsError with the amounts margin preview computes', async () => {
    const { broker } = await connected({ initialBalance: 100_000 });
    const request = { ...AAPL, quantity: 1_000 };
    const impact = await broker.getOrderMarginImpact(request);
    expect(impact).toMatchObject({
      currency: 'USD',
      initialMargin: 112_500,
      maintenanceMargin: 56_250,
      commission: 5,
    });
    expect(impact.warnings[0]).toMatch(/Insufficient funds/);
    const error = (await caught(broker.placeOrder(request))) as InsufficientFundsError;
    expect(InsufficientFundsError.isInstance(error)).toBe(true);
    expect(error.required).toBe(impact.initialMargin + impact.commission!);
    expect(error.available).toBe(100_000);
    expect(error.message).toMatch(/112505/);
    // The same client order id may be used again after a definitive refusal.
    expect(broker.health().trackedOrders).toBe(0);
    await expect(broker.placeOrder({ ...AAPL, quantity: 800 })).resolves.toMatchObject({
      status: 'SUBMITTED',
    });
  });

  test('rejectionRate rejects a seeded, reproducible share of orders with OrderRejectedError', async () => {
    const outcomes = async (seed: number) => {
      const { broker } = await connected({ rejectionRate: 0.3, seed, fillDelaySeconds: 0 });
      const results: string[] = [];
      for (let index = 0; index < 60; index++) {
        try {
          await broker.placeOrder({ ...AAPL, quantity: 1, side: index % 2 === 0 ? 'BUY' : 'SELL' });
          results.push('ok');
        } catch (error) {
          expect(OrderRejectedError.isInstance(error)).toBe(true);
          expect((error as OrderRejectedError).reason).toMatch(/random rejection/);
          results.push('rejected');
        }
      }
      return results;
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(await outcomes(8)).not.toEqual(first);
    const rejected = first.filter((outcome) => outcome === 'rejected').length;
    expect(rejected).toBeGreaterThan(8);
    expect(rejected).toBeLessThan(30);
  });

  test('an injected rejection carries its reason and the order id', async () => {
    const { broker, updates } = await connected();
    broker.simulator.faults.rejectNextOrder('Price outside the daily range');
    const error = (await caught(broker.placeOrder(AAPL))) as OrderRejectedError;
    expect(error).toMatchObject({
      reason: 'Price outside the daily range',
      broker: 'mock',
      brokerCode: 'VENUE_REJECTED',
    });
    expect(error.orderId).toBeTruthy();
    expect(updates.map((event) => event.order.status)).toEqual(['REJECTED']);
  });
});

describe('working orders', () => {
  test('a resting limit fills when the price reaches it, and modify keeps the id', async () => {
    const { broker, fills } = await connected();
    const order = await broker.placeOrder({ ...AAPL, orderType: 'LIMIT', limitPrice: 220, tif: 'GTC' });
    await broker.advanceTime(1_000);
    const modified = await broker.modifyOrder(order.orderId, { limitPrice: 221, quantity: 150 });
    expect(modified).toMatchObject({
      orderId: order.orderId,
      limitPrice: 221,
      quantity: 150,
      status: 'SUBMITTED',
    });
    broker.simulator.setPrice('AAPL', 220.5);
    expect(await broker.getOrder(order.orderId)).toMatchObject({
      status: 'FILLED',
      averageFillPrice: 221,
      filledQuantity: 150,
    });
    expect(fills).toHaveLength(1);
  });

  test('a fill can beat a slow cancel: cancelOrder resolves true but the order ends FILLED', async () => {
    const { broker, updates } = await connected({ fillDelaySeconds: 1, cancelDelaySeconds: 2 });
    const order = await broker.placeOrder(AAPL);
    expect(await broker.cancelOrder(order.orderId)).toBe(true);
    await broker.advanceTime(2_000);
    expect(await broker.getOrderStatus(order.orderId)).toBe('FILLED');
    expect(updates.at(-1)?.order.status).toBe('FILLED');
  });

  test('partial fills under a liquidity limit report PARTIALLY_FILLED and add up', async () => {
    const { broker, updates, fills } = await connected({ fillDelaySeconds: 0, maxFillQuantity: 30 });
    const order = await broker.placeOrder(AAPL);
    expect(order.status).toBe('PARTIALLY_FILLED');
    await broker.advanceTime(3_000);
    expect(await broker.getOrderStatus(order.orderId)).toBe('FILLED');
    expect(fills.map((fill) => fill.quantity)).toEqual([30, 30, 30, 10]);
    expect(new Set(updates.map((event) => event.order.status))).toEqual(
      new Set(['SUBMITTED', 'PARTIALLY_FILLED', 'FILLED']),
    );
  });

  test('DAY orders expire at the session close', async () => {
    const { broker } = await connected({ sessionCloseUtc: '21:00' });
    const order = await broker.placeOrder({ ...AAPL, orderType: 'LIMIT', limitPrice: 200, tif: 'DAY' });
    await broker.advanceTime(7 * 3_600_000);
    expect(await broker.getOrder(order.orderId)).toMatchObject({
      status: 'CANCELLED',
      statusMessage: expect.stringMatching(/session close/),
    });
  });
});

describe('connection', () => {
  test('unreachable: connect fails with BrokerConnectionError', async () => {
    const broker = new MockBroker({ clock: 'virtual', unreachable: true });
    await expect(broker.connect()).rejects.toMatchObject({ code: 'BROKER_CONNECTION', broker: 'mock' });
    expect(broker.connectionState).toBe('disconnected');
  });

  test('fills that happen while the connection is down are delivered once after the reconnect', async () => {
    const { broker, fills, updates } = await connected({ fillDelaySeconds: 1, reconnectDelaySeconds: 2 });
    const states: string[] = [];
    broker.on('connectionState', (event) => states.push(event.state));
    const order = await broker.placeOrder(AAPL);
    broker.simulator.faults.dropConnections();
    expect(broker.connectionState).toBe('reconnecting');
    await expect(broker.getOrder(order.orderId)).rejects.toMatchObject({ code: 'BROKER_CONNECTION' });
    await broker.advanceTime(1_000);
    expect(fills).toEqual([]);
    await broker.advanceTime(1_000);
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(fills.map((fill) => fill.orderId)).toEqual([order.orderId]);
    expect(updates.at(-1)?.order.status).toBe('FILLED');
    expect(await broker.getOrderStatus(order.orderId)).toBe('FILLED');
  });

  test('a refused reconnect is retried with backoff', async () => {
    const { broker } = await connected({ reconnectDelaySeconds: 1 });
    broker.simulator.faults.failNextConnect();
    broker.simulator.faults.dropConnections();
    await broker.advanceTime(1_000);
    expect(broker.connectionState).toBe('reconnecting');
    await broker.advanceTime(2_000);
    expect(broker.connectionState).toBe('connected');
  });

  test('a stalled request gets no answer and times out', async () => {
    const broker = new MockBroker({ clock: 'virtual' }, { timeouts: { getAccountBalance: 20 } });
    await broker.connect();
    broker.simulator.faults.stallNextRequest();
    await expect(broker.getAccountBalance()).rejects.toMatchObject({ code: 'BROKER_TIMEOUT' });
    await expect(broker.getAccountBalance()).resolves.toMatchObject({ equity: 1_000_000 });
  });

  test('an ack delay holds answers for that much market time', async () => {
    const { broker } = await connected();
    broker.simulator.faults.setDelay('ack', 500);
    let answered = false;
    const pending = broker.getOpenOrders().then(() => {
      answered = true;
    });
    await broker.advanceTime(499);
    expect(answered).toBe(false);
    await broker.advanceTime(1);
    await pending;
    expect(answered).toBe(true);
  });
});

describe('plugin, config and privacy', () => {
  test('the factory creates the mock by id or alias, and USE_MOCK_BROKER selects it', async () => {
    const registry = new BrokerRegistry().register(plugin);
    for (const name of ['mock', 'Mock', 'MockBroker']) {
      const broker = await createBroker({ broker: name, clock: 'virtual' }, { registry });
      expect(broker).toBeInstanceOf(MockBroker);
    }
    const fromEnv = await BrokerFactory.fromEnv({
      registry,
      env: {
        USE_MOCK_BROKER: 'true',
        MOCK_INITIAL_BALANCE: '5000',
        MOCK_CLOCK: 'virtual',
        MOCK_CURRENCY: 'INR',
      },
    });
    await fromEnv.connect();
    expect(await fromEnv.getAccountBalance()).toMatchObject({ currency: 'INR', equity: 5_000 });
  });

  test('bad config is InvalidConfigError naming the field (and the camelCase spelling)', async () => {
    const registry = new BrokerRegistry().register(plugin);
    const snake = await caught(createBroker({ broker: 'mock', fill_delay_seconds: 2 }, { registry }));
    expect(InvalidConfigError.isInstance(snake)).toBe(true);
    expect((snake as InvalidConfigError).issues[0]).toMatchObject({
      path: 'fill_delay_seconds',
      message: expect.stringMatching(/fillDelaySeconds/),
    });
    expect(() => new MockBroker({ rejectionRate: 2 })).toThrow(InvalidConfigError);
    expect(() => new MockBroker({ prices: { NOPE: 1 } })).toThrow(/NOPE/);
    expect(
      () =>
        new MockBroker({
          instruments: [
            { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', tickSize: 0.01, price: 1 },
          ],
        }),
    ).toThrow(/already listed/);
  });

  test('added instruments and starting prices are used', async () => {
    const { broker } = await connected({
      fillDelaySeconds: 0,
      prices: { AAPL: 190 },
      instruments: [
        { symbol: 'ACME', secType: 'STK', exchange: 'SMART', currency: 'USD', tickSize: 0.05, price: 12.3 },
      ],
    });
    expect((await broker.placeOrder(AAPL)).status).toBe('FILLED');
    await broker.placeOrder({ ...AAPL, symbol: 'ACME' });
    const positions = await broker.getOpenPositions();
    expect(positions.map((position) => [position.symbol, position.averagePrice])).toEqual([
      ['AAPL', 190],
      ['ACME', 12.3],
    ]);
    await expect(
      broker.placeOrder({ ...AAPL, symbol: 'ACME', orderType: 'LIMIT', limitPrice: 12.32 }),
    ).rejects.toMatchObject({
      code: 'INVALID_ORDER',
    });
  });

  test('JSON.stringify and util.inspect do not dump the simulator or the account', async () => {
    const { broker } = await connected();
    await broker.placeOrder(AAPL);
    expect(JSON.stringify(broker)).toBe('{"broker":"mock","state":"connected"}');
    expect(inspect(broker)).toBe("MockBroker { id: 'mock', state: 'connected' }");
    expect(Object.keys(broker)).not.toContain('simulator');
  });

  test('the plugin declares what the mock supports, frozen', () => {
    expect(plugin).toMatchObject({
      id: 'mock',
      displayName: 'Mock broker',
      aliases: ['Mock', 'MockBroker'],
      envPrefix: 'MOCK_',
    });
    expect(plugin.capabilities.assetClasses).toEqual(['STK', 'FUT', 'OPT', 'CASH', 'CRYPTO']);
    expect(plugin.capabilities.cashQuantity).toEqual(['CRYPTO']);
    expect(Object.isFrozen(plugin.capabilities.orderTypes)).toBe(true);
    expect(new MockBroker().capabilities).toEqual(plugin.capabilities);
  });
});
