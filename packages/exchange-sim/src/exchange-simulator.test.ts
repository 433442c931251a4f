import { InvalidOrderError, InvalidSymbolError, type OrderStatus } from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import { VirtualClock } from './clock.js';
import { ExchangeSimulator, type ExchangeSimulatorOptions } from './exchange-simulator.js';
import type { Execution, OrderInput, SimOrder } from './order.js';
import type { OrderIssue } from './order-validation.js';

const ACCOUNT = 'DU1';

function setup(options: ExchangeSimulatorOptions = {}, cash: number | Record<string, number> = 1_000_000) {
  const clock = new VirtualClock();
  const simulator = new ExchangeSimulator({ clock, seed: 1, randomWalk: false, ...options });
  simulator.createAccount({ id: ACCOUNT, cash });
  const updates: Array<{ orderId: string; from: OrderStatus | undefined; to: OrderStatus; filled: number }> =
    [];
  const executions: Execution[] = [];
  simulator.on('order', (order, from) =>
    updates.push({ orderId: order.orderId, from, to: order.status, filled: order.filledQuantity }),
  );
  simulator.on('execution', (execution) => executions.push(execution));
  const place = (input: Partial<OrderInput>) =>
    simulator.placeOrder(ACCOUNT, {
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 100,
      orderType: 'MARKET',
      ...input,
    } as OrderInput);
  return { clock, simulator, updates, executions, place };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('market orders', () => {
  test('fill at the current price after the fill delay, with events in order', () => {
    const { clock, simulator, updates, executions, place } = setup({ fillDelayMs: 1_000 });
    const order = place({ clientOrderId: 'c-1' });
    expect(order.status).toBe('SUBMITTED');
    simulator.setPrice('AAPL', 226.5);
    clock.advance(999);
    expect(order.status).toBe('SUBMITTED');
    clock.advance(1);
    expect(order).toMatchObject({
      status: 'FILLED',
      filledQuantity: 100,
      averageFillPrice: 226.5,
      commission: 1,
    });
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({
      executionId: `${order.orderId}.1`,
      clientOrderId: 'c-1',
      quantity: 100,
      price: 226.5,
      commission: 1,
      commissionCurrency: 'USD',
      liquidity: 'removed',
    });
    expect(updates.map((update) => `${update.from ?? '-'}>${update.to}`)).toEqual([
      '->SUBMITTED',
      'SUBMITTED>FILLED',
    ]);
    expect(simulator.positions(ACCOUNT)).toMatchObject([{ quantity: 100, averagePrice: 226.5 }]);
  });

  test('with no fill delay the order is filled when placeOrder returns', () => {
    const { place } = setup();
    expect(place({}).status).toBe('FILLED');
  });

  test('slippage and spread move the fill against the taker', () => {
    const { simulator, place } = setup({ slippageTicks: 2, spreadTicks: 2 });
    simulator.setPrice('AAPL', 100);
    expect(simulator.quote('AAPL')).toMatchObject({ bid: 99.99, ask: 100.01, last: 100 });
    expect(place({ side: 'BUY' }).averageFillPrice).toBe(100.03);
    expect(place({ side: 'SELL' }).averageFillPrice).toBe(99.97);
  });
});

describe('limit orders', () => {
  test('a marketable limit fills at the better market price at once', () => {
    const { simulator, place } = setup();
    simulator.setPrice('AAPL', 100);
    expect(place({ orderType: 'LIMIT', limitPrice: 105 })).toMatchObject({
      status: 'FILLED',
      averageFillPrice: 100,
    });
  });

  test('a resting limit fills at its limit when the price path crosses it', () => {
    const { simulator, place, executions } = setup();
    simulator.setPrice('AAPL', 100);
    const order = place({ orderType: 'LIMIT', limitPrice: 95, tif: 'GTC' });
    expect(order.status).toBe('SUBMITTED');
    expect(simulator.openOrders(ACCOUNT)).toEqual([order]);
    simulator.setPrice('AAPL', 96);
    expect(order.status).toBe('SUBMITTED');
    simulator.setPrice('AAPL', 90);
    expect(order).toMatchObject({ status: 'FILLED', averageFillPrice: 95 });
    expect(executions.at(-1)?.liquidity).toBe('added');
    expect(simulator.openOrders(ACCOUNT)).toEqual([]);
  });

  test('a resting limit fills when a scripted path reaches it at a price step', () => {
    const { clock, simulator, place } = setup({ priceStepMs: 1_000 });
    simulator.setPrice('AAPL', 100);
    const order = place({ side: 'SELL', orderType: 'LIMIT', limitPrice: 102, tif: 'GTC' });
    simulator.scriptPrices('AAPL', [101, 101.5, 102.5, 99]);
    clock.advance(2_000);
    expect(order.status).toBe('SUBMITTED');
    clock.advance(1_000);
    expect(order).toMatchObject({ status: 'FILLED', averageFillPrice: 102 });
  });

  test('a random walk crosses resting orders by itself, deterministically', () => {
    const run = () => {
      const { clock, simulator, place } = setup({ randomWalk: true, priceStepMs: 1_000, seed: 77 });
      const start = simulator.price('AAPL');
      const buy = place({ orderType: 'LIMIT', limitPrice: Number((start - 0.5).toFixed(2)), tif: 'GTC' });
      const sell = place({
        side: 'SELL',
        orderType: 'LIMIT',
        limitPrice: Number((start + 0.5).toFixed(2)),
        tif: 'GTC',
      });
      clock.advance(6 * 3_600_000);
      return [buy.status, buy.updatedAt, sell.status, sell.updatedAt, simulator.price('AAPL')];
    };
    const first = run();
    expect(first.filter((value) => value === 'FILLED').length).toBeGreaterThan(0);
    expect(run()).toEqual(first);
  });
});

describe('stop orders', () => {
  test('a buy stop triggers when the price reaches the stop and fills at the market', () => {
    const { simulator, place } = setup();
    simulator.setPrice('AAPL', 100);
    const order = place({ orderType: 'STOP', stopPrice: 102, tif: 'GTC' });
    simulator.setPrice('AAPL', 101.99);
    expect(order).toMatchObject({ status: 'SUBMITTED', triggered: false });
    simulator.setPrice('AAPL', 103);
    expect(order).toMatchObject({ status: 'FILLED', averageFillPrice: 103, triggered: true });
  });

  test('a sell stop-limit triggers, then rests at its limit until the price comes back', () => {
    const { simulator, place } = setup();
    simulator.setPrice('AAPL', 100);
    place({});
    const order = place({ side: 'SELL', orderType: 'STOP_LIMIT', stopPrice: 95, limitPrice: 94, tif: 'DAY' });
    simulator.setPrice('AAPL', 93);
    expect(order).toMatchObject({ status: 'SUBMITTED', triggered: true });
    simulator.setPrice('AAPL', 94.5);
    expect(order).toMatchObject({ status: 'FILLED', averageFillPrice: 94 });
  });

  test('IOC and FOK are refused on stops', () => {
    const { place } = setup();
    const error = thrown(() => place({ orderType: 'STOP', stopPrice: 300, tif: 'IOC' }));
    expect(InvalidOrderError.isInstance(error)).toBe(true);
    expect((error as InvalidOrderError).issues[0]).toMatchObject({ path: 'tif', code: 'TIME_IN_FORCE' });
  });
});

describe('time in force and liquidity', () => {
  test('liquidity limits each fill; the rest fills at later intervals (PARTIALLY_FILLED on the way)', () => {
    const { clock, place, updates, executions } = setup({ maxFillQuantity: 40, liquidityIntervalMs: 500 });
    const order = place({});
    expect(order).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 40 });
    clock.advance(500);
    expect(order.filledQuantity).toBe(80);
    clock.advance(500);
    expect(order).toMatchObject({ status: 'FILLED', filledQuantity: 100 });
    expect(executions.map((execution) => execution.quantity)).toEqual([40, 40, 20]);
    expect(executions.map((execution) => execution.executionId)).toEqual([
      `${order.orderId}.1`,
      `${order.orderId}.2`,
      `${order.orderId}.3`,
    ]);
    // The per-share commission has a 1.00 minimum per order: charged once, then by share.
    expect(executions.map((execution) => execution.commission)).toEqual([1, 0, 0]);
    expect(updates.map((update) => update.to)).toEqual([
      'SUBMITTED',
      'PARTIALLY_FILLED',
      'PARTIALLY_FILLED',
      'FILLED',
    ]);
  });

  test('IOC fills what it can now and cancels the rest; FOK fills all or nothing', () => {
    const { place } = setup({ maxFillQuantity: 40 });
    expect(place({ tif: 'IOC' })).toMatchObject({ status: 'CANCELLED', filledQuantity: 40 });
    expect(place({ tif: 'FOK' })).toMatchObject({ status: 'CANCELLED', filledQuantity: 0 });
    expect(place({ tif: 'FOK', quantity: 40 })).toMatchObject({ status: 'FILLED', filledQuantity: 40 });
  });

  test('IOC and FOK limits that cannot trade on arrival are cancelled with nothing filled', () => {
    const { clock, simulator, place } = setup({ fillDelayMs: 100 });
    simulator.setPrice('AAPL', 100);
    const ioc = place({ orderType: 'LIMIT', limitPrice: 90, tif: 'IOC' });
    const fok = place({ orderType: 'LIMIT', limitPrice: 90, tif: 'FOK' });
    expect(ioc.status).toBe('SUBMITTED');
    clock.advance(100);
    expect(ioc).toMatchObject({ status: 'CANCELLED', filledQuantity: 0 });
    expect(fok).toMatchObject({ status: 'CANCELLED', filledQuantity: 0 });
    expect(ioc.statusMessage).toMatch(/IOC/);
  });

  test('DAY orders expire at the session close, GTC orders stay', () => {
    const { clock, simulator, place } = setup({ sessionCloseUtc: '21:00' });
    simulator.setPrice('AAPL', 100);
    const day = place({ orderType: 'LIMIT', limitPrice: 90, tif: 'DAY' });
    const gtc = place({ orderType: 'LIMIT', limitPrice: 90, tif: 'GTC' });
    // The virtual clock starts at 14:30 UTC.
    clock.advance(6.5 * 3_600_000 - 1);
    expect(day.status).toBe('SUBMITTED');
    clock.advance(1);
    expect(day).toMatchObject({ status: 'CANCELLED', statusMessage: expect.stringMatching(/session close/) });
    expect(gtc.status).toBe('SUBMITTED');
  });

  test('NSE instruments expire DAY orders at their own close (10:00 UTC)', () => {
    const { clock, simulator } = setup({}, { USD: 1_000_000, INR: 10_000_000 });
    const order = simulator.placeOrder(ACCOUNT, {
      symbol: 'RELIANCE',
      exchange: 'NSE',
      side: 'BUY',
      quantity: 10,
      orderType: 'LIMIT',
      limitPrice: 1000,
    });
    clock.advance(19.5 * 3_600_000 - 1);
    expect(order.status).toBe('SUBMITTED');
    clock.advance(1);
    expect(order.status).toBe('CANCELLED');
  });
});

describe('cancel and modify', () => {
  test('cancel of a working order is immediate by default; a second cancel finds it final', () => {
    const { simulator, place } = setup();
    simulator.setPrice('AAPL', 100);
    const order = place({ orderType: 'LIMIT', limitPrice: 90, tif: 'GTC' });
    expect(simulator.cancelOrder(ACCOUNT, order.orderId)).toBe('cancelled');
    expect(order.status).toBe('CANCELLED');
    expect(simulator.cancelOrder(ACCOUNT, order.orderId)).toBe('already-final');
    expect(simulator.cancelOrder(ACCOUNT, 'nope')).toBe('not-found');
  });

  test('with a cancel delay a fill can win the race; the late cancel is reported', () => {
    const { clock, simulator, place } = setup({ fillDelayMs: 100, cancelDelayMs: 300 });
    const rejectedCancels: string[] = [];
    simulator.on('cancelRejected', (order, reason) => rejectedCancels.push(`${order.orderId}: ${reason}`));
    const order = place({});
    expect(simulator.cancelOrder(ACCOUNT, order.orderId)).toBe('pending');
    expect(order.cancelPending).toBe(true);
    clock.advance(300);
    expect(order.status).toBe('FILLED');
    expect(rejectedCancels).toEqual([
      `${order.orderId}: Cancel arrived too late: the order is already FILLED`,
    ]);
  });

  test('a cancel that arrives before the fill wins', () => {
    const { clock, simulator, place } = setup({ fillDelayMs: 500, cancelDelayMs: 100 });
    const order = place({});
    simulator.cancelOrder(ACCOUNT, order.orderId);
    clock.advance(1_000);
    expect(order).toMatchObject({ status: 'CANCELLED', filledQuantity: 0 });
  });

  test('the cancel delay can also come from the fault injector', () => {
    const { clock, simulator, place } = setup({ fillDelayMs: 100 });
    simulator.faults.setDelay('cancel', 200);
    const order = place({});
    expect(simulator.cancelOrder(ACCOUNT, order.orderId)).toBe('pending');
    clock.advance(200);
    expect(order.status).toBe('FILLED');
  });

  test('modify keeps the id, changes price and quantity, and fills when it becomes marketable', () => {
    const { simulator, place, updates } = setup();
    simulator.setPrice('AAPL', 100);
    const order = place({ orderType: 'LIMIT', limitPrice: 90, tif: 'GTC' });
    const outcome = simulator.modifyOrder(ACCOUNT, order.orderId, { limitPrice: 91, quantity: 200 });
    expect(outcome).toMatchObject({
      status: 'modified',
      order: { orderId: order.orderId, limitPrice: 91, quantity: 200 },
    });
    expect(updates.at(-1)).toMatchObject({ orderId: order.orderId, from: 'SUBMITTED', to: 'SUBMITTED' });
    simulator.modifyOrder(ACCOUNT, order.orderId, { limitPrice: 101 });
    expect(order).toMatchObject({ status: 'FILLED', filledQuantity: 200, averageFillPrice: 100 });
    expect(simulator.modifyOrder(ACCOUNT, order.orderId, { limitPrice: 95 })).toMatchObject({
      status: 'final',
    });
    expect(simulator.modifyOrder(ACCOUNT, 'nope', { limitPrice: 95 })).toEqual({ status: 'not-found' });
  });

  test('modify validates like placement and refuses a quantity at or below what has filled', () => {
    const { simulator, place } = setup({ maxFillQuantity: 40, liquidityIntervalMs: 10_000 });
    simulator.setPrice('AAPL', 100);
    const order = place({ orderType: 'LIMIT', limitPrice: 100, tif: 'GTC' });
    expect(order.filledQuantity).toBe(40);
    const tooSmall = thrown(() => simulator.modifyOrder(ACCOUNT, order.orderId, { quantity: 40 }));
    expect((tooSmall as InvalidOrderError).issues).toEqual([
      expect.objectContaining({ path: 'quantity', code: 'ORDER_STATE' }),
    ]);
    const offTick = thrown(() => simulator.modifyOrder(ACCOUNT, order.orderId, { limitPrice: 99.999 }));
    expect((offTick as InvalidOrderError).issues).toEqual([
      expect.objectContaining({ path: 'limitPrice', code: 'TICK_SIZE' }),
    ]);
    expect(order).toMatchObject({ limitPrice: 100, quantity: 100 });
  });

  test('an increase the account cannot afford is rejected and leaves the order unchanged', () => {
    const { simulator, place } = setup({}, 10_000);
    simulator.setPrice('AAPL', 100);
    const order = place({ orderType: 'LIMIT', limitPrice: 90, tif: 'GTC', quantity: 100 });
    const outcome = simulator.modifyOrder(ACCOUNT, order.orderId, { quantity: 1_000 });
    expect(outcome).toMatchObject({ status: 'rejected', rejection: { code: 'INSUFFICIENT_FUNDS' } });
    expect(order.quantity).toBe(100);
    expect(simulator.modifyOrder(ACCOUNT, order.orderId, { quantity: 50 }).status).toBe('modified');
  });
});

describe('validation happens before the book', () => {
  test('unknown symbols are InvalidSymbolError and nothing is placed', () => {
    const { simulator, place, updates } = setup();
    expect(InvalidSymbolError.isInstance(thrown(() => place({ symbol: 'INVALID' })))).toBe(true);
    expect(updates).toEqual([]);
    expect(simulator.openOrders(ACCOUNT)).toEqual([]);
  });

  test.each([
    [{ quantity: 10.5 }, 'quantity', 'QUANTITY'],
    [{ quantity: -1 }, 'quantity', 'QUANTITY'],
    [{ orderType: 'LIMIT', limitPrice: 100.005 }, 'limitPrice', 'TICK_SIZE'],
    [{ orderType: 'LIMIT' }, 'limitPrice', 'PRICE'],
    [{ orderType: 'STOP', stopPrice: 0 }, 'stopPrice', 'PRICE'],
    [{ symbol: 'NIFTY24NOVFUT', quantity: 50 }, 'quantity', 'LOT_SIZE'],
    [{ symbol: 'RELIANCE', quantity: 1, product: 'NRML' }, 'product', 'PRODUCT'],
    [{ product: 'CNC' }, 'product', 'PRODUCT'],
    [{ cashQty: 1_000, quantity: undefined }, 'cashQty', 'CASH_QUANTITY'],
    [{ orderType: 'TRAILING_STOP' }, 'orderType', 'ORDER_TYPE'],
  ] as const)('%j is refused naming %s (%s)', (input, path, code) => {
    const { simulator, place, updates } = setup();
    const error = thrown(() => place(input as Partial<OrderInput>)) as InvalidOrderError;
    expect(InvalidOrderError.isInstance(error)).toBe(true);
    expect(error.issues).toContainEqual(expect.objectContaining({ path, code }));
    expect(error.brokerCode).toBe((error.issues[0] as OrderIssue).code);
    expect(updates).toEqual([]);
    expect(simulator.openOrders(ACCOUNT)).toEqual([]);
  });

  test('a client-chosen order id must be new', () => {
    const { place } = setup();
    place({ orderId: '2' });
    expect((thrown(() => place({ orderId: '2' })) as InvalidOrderError).issues[0]).toMatchObject({
      code: 'DUPLICATE_ORDER_ID',
    });
    // Generated ids step over the ones callers chose.
    expect([place({}).orderId, place({}).orderId]).toEqual(['1', '3']);
  });
});

describe('funds, holdings and venue rejections', () => {
  test('an unaffordable order is REJECTED with the required and available amounts from the margin model', () => {
    const { simulator, place, updates } = setup({}, 100_000);
    simulator.setPrice('AAPL', 100);
    const impact = simulator.marginImpact(ACCOUNT, {
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 3_000,
      orderType: 'MARKET',
    });
    expect(impact).toMatchObject({
      sufficient: false,
      initialMargin: 150_000,
      required: 150_015,
      available: 100_000,
    });
    expect(impact.warnings[0]).toMatch(/Insufficient funds/);
    const order = place({ quantity: 3_000 });
    expect(order.status).toBe('REJECTED');
    expect(order.rejection).toEqual({
      code: 'INSUFFICIENT_FUNDS',
      reason: expect.stringMatching(/Insufficient funds/),
      required: impact.required,
      available: impact.available,
      currency: 'USD',
    });
    expect(updates).toEqual([{ orderId: order.orderId, from: undefined, to: 'REJECTED', filled: 0 }]);
    // Reg-T: 100,000 of equity buys 200,000 of stock (less commission).
    expect(place({ quantity: 1_990 }).status).toBe('FILLED');
  });

  test('working orders hold margin, so resting orders cannot over-commit the account', () => {
    const { simulator, place } = setup({}, 100_000);
    simulator.setPrice('AAPL', 100);
    // Each resting buy holds 50% of its value at the limit price.
    expect(place({ orderType: 'LIMIT', limitPrice: 90, tif: 'GTC', quantity: 1_000 }).status).toBe(
      'SUBMITTED',
    );
    expect(place({ orderType: 'LIMIT', limitPrice: 90, tif: 'GTC', quantity: 1_000 }).status).toBe(
      'SUBMITTED',
    );
    expect(simulator.balance(ACCOUNT)).toMatchObject({ initialMargin: 90_000, availableFunds: 10_000 });
    const third = place({ orderType: 'LIMIT', limitPrice: 90, tif: 'GTC', quantity: 1_000 });
    expect(third.rejection).toMatchObject({ code: 'INSUFFICIENT_FUNDS', available: 10_000 });
    // Cancelling one frees its margin.
    simulator.cancelOrder(ACCOUNT, simulator.openOrders(ACCOUNT)[0]!.orderId);
    expect(simulator.balance(ACCOUNT).availableFunds).toBe(55_000);
    expect(place({ orderType: 'LIMIT', limitPrice: 90, tif: 'GTC', quantity: 1_000 }).status).toBe(
      'SUBMITTED',
    );
  });

  test('margin impact reports before, change and after by the same model', () => {
    const { simulator, place } = setup();
    simulator.setPrice('AAPL', 200);
    place({ quantity: 100 });
    const impact = simulator.marginImpact(ACCOUNT, {
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 100,
      orderType: 'MARKET',
    });
    expect(impact.before).toEqual({
      initialMargin: 10_000,
      maintenanceMargin: 5_000,
      equityWithLoan: 999_999,
    });
    expect(impact.change).toEqual({ initialMargin: 10_000, maintenanceMargin: 5_000, equityWithLoan: -1 });
    expect(impact.after).toEqual({
      initialMargin: 20_000,
      maintenanceMargin: 10_000,
      equityWithLoan: 999_998,
    });
    const closing = simulator.marginImpact(ACCOUNT, {
      symbol: 'AAPL',
      side: 'SELL',
      quantity: 100,
      orderType: 'MARKET',
    });
    expect(closing).toMatchObject({ initialMargin: 0, change: { initialMargin: -10_000 } });
    expect(simulator.openOrders(ACCOUNT)).toEqual([]);
  });

  test('futures need per-contract margin and options their premium', () => {
    const { simulator } = setup();
    const es = simulator.marginImpact(ACCOUNT, {
      symbol: 'ES',
      secType: 'FUT',
      exchange: 'CME',
      lastTradeDateOrContractMonth: '202412',
      side: 'BUY',
      quantity: 2,
      orderType: 'MARKET',
    });
    expect(es).toMatchObject({ initialMargin: 48_400, maintenanceMargin: 44_000, commission: 1.7 });
    const option = {
      symbol: 'SPY',
      secType: 'OPT',
      lastTradeDateOrContractMonth: '20241220',
      strike: 450,
      right: 'C',
    } as const;
    simulator.setPrice(option, 140);
    expect(
      simulator.marginImpact(ACCOUNT, { ...option, side: 'BUY', quantity: 1, orderType: 'MARKET' })
        .initialMargin,
    ).toBe(14_000);
  });

  test('crypto cannot be sold short and buys by cash amount; NSE delivery sells need holdings', () => {
    const { simulator } = setup({}, { USD: 1_000_000, INR: 10_000_000 });
    simulator.setPrice('BTC', 50_000);
    const short = simulator.placeOrder(ACCOUNT, {
      symbol: 'BTC',
      secType: 'CRYPTO',
      side: 'SELL',
      quantity: 0.5,
      orderType: 'MARKET',
    });
    expect(short.rejection?.code).toBe('INSUFFICIENT_HOLDINGS');
    const buy = simulator.placeOrder(ACCOUNT, {
      symbol: 'BTC',
      secType: 'CRYPTO',
      side: 'BUY',
      cashQty: 10_000,
      orderType: 'MARKET',
    });
    expect(buy).toMatchObject({ status: 'FILLED', quantity: 0.2, filledQuantity: 0.2, commission: 18 });
    expect(
      simulator.placeOrder(ACCOUNT, { symbol: 'BTC', side: 'SELL', quantity: 0.2, orderType: 'MARKET' })
        .status,
    ).toBe('FILLED');

    const cnc = simulator.placeOrder(ACCOUNT, {
      symbol: 'RELIANCE',
      exchange: 'NSE',
      side: 'SELL',
      quantity: 5,
      orderType: 'MARKET',
    });
    expect(cnc.rejection?.code).toBe('INSUFFICIENT_HOLDINGS');
    const mis = simulator.placeOrder(ACCOUNT, {
      symbol: 'RELIANCE',
      exchange: 'NSE',
      side: 'SELL',
      quantity: 5,
      orderType: 'MARKET',
      product: 'MIS',
    });
    expect(mis.status).toBe('FILLED');
  });

  test('NFO orders take lot multiples and default to NRML', () => {
    const { simulator } = setup({}, { USD: 100_000, INR: 10_000_000 });
    const order = simulator.placeOrder(ACCOUNT, {
      symbol: 'NIFTY24NOVFUT',
      exchange: 'NFO',
      side: 'BUY',
      quantity: 130,
      orderType: 'MARKET',
    });
    expect(order).toMatchObject({ status: 'FILLED', product: 'NRML', commission: 20 });
    expect(simulator.positions(ACCOUNT)[0]).toMatchObject({ quantity: 130, product: 'NRML' });
  });

  test('injected and random rejections come from the fault injector', () => {
    const { simulator, place } = setup();
    simulator.faults.rejectNextOrder('Price outside the daily range');
    expect(place({}).rejection).toEqual({ code: 'VENUE_REJECTED', reason: 'Price outside the daily range' });
    expect(place({}).status).toBe('FILLED');
    simulator.faults.setRejectionRate(1);
    expect(place({}).rejection?.reason).toMatch(/random/);
  });
});

describe('accounts', () => {
  test('equity, margin and P&L follow the price; INR positions convert into a USD account', () => {
    const { simulator, place } = setup({}, { USD: 1_000_000, INR: 0 });
    simulator.setPrice('AAPL', 100);
    place({ quantity: 1_000 });
    simulator.setPrice('AAPL', 110);
    const balance = simulator.balance(ACCOUNT);
    expect(balance).toMatchObject({
      currency: 'USD',
      cash: 1_000_000 - 100_000 - 5,
      equity: 1_000_000 + 10_000 - 5,
      initialMargin: 55_000,
      maintenanceMargin: 27_500,
      unrealizedPnl: 10_000,
      commissions: 5,
    });
    expect(balance.buyingPower).toBe(balance.availableFunds);
    simulator.setPrice('RELIANCE', 1_000);
    simulator.placeOrder(ACCOUNT, { symbol: 'RELIANCE', side: 'BUY', quantity: 100, orderType: 'MARKET' });
    const withInr = simulator.balance(ACCOUNT);
    expect(withInr.cashByCurrency.INR).toBe(-100_000);
    // Delivery equity is held in cash: its full value is margin, converted at the fixed INR rate.
    expect(withInr.initialMargin).toBeCloseTo(55_000 + 100_000 * 0.01185, 2);
  });

  test('executions are kept per account and can be read since a sequence number', () => {
    const { simulator, place } = setup();
    place({});
    place({ side: 'SELL' });
    const all = simulator.executions(ACCOUNT);
    expect(all.map((execution) => execution.side)).toEqual(['BUY', 'SELL']);
    expect(simulator.executions(ACCOUNT, all[0]!.sequence)).toEqual([all[1]]);
  });

  test('closed orders are retained up to the limit; working orders always', () => {
    const { simulator, place } = setup({ retainClosedOrders: 3 });
    simulator.setPrice('AAPL', 100);
    const resting = place({ orderType: 'LIMIT', limitPrice: 50, tif: 'GTC' });
    const filled = Array.from({ length: 5 }, (_, index) => place({ side: index % 2 === 0 ? 'BUY' : 'SELL' }));
    expect(simulator.getOrder(ACCOUNT, filled[0]!.orderId)).toBeUndefined();
    expect(simulator.getOrder(ACCOUNT, filled[1]!.orderId)).toBeUndefined();
    expect(simulator.getOrder(ACCOUNT, filled[4]!.orderId)).toBe(filled[4]);
    expect(simulator.getOrder(ACCOUNT, resting.orderId)).toBe(resting);
  });

  test('order ids are sequential from firstOrderId and client order ids find orders', () => {
    const { simulator, place } = setup({ firstOrderId: 1000 });
    const first = place({ clientOrderId: 'mine' });
    expect(first.orderId).toBe('1000');
    expect(place({}).orderId).toBe('1001');
    expect(simulator.findOrderByClientOrderId(ACCOUNT, 'mine')).toBe(first);
  });

  test('unknown accounts are a RangeError', () => {
    const { simulator } = setup();
    expect(() => simulator.balance('nobody')).toThrow(/unknown account/);
    expect(() => simulator.createAccount({ id: ACCOUNT })).toThrow(/already exists/);
  });
});

describe('events and robustness', () => {
  test('a throwing listener does not stop the simulator or other listeners', () => {
    const errors: unknown[] = [];
    const simulator = new ExchangeSimulator({
      clock: new VirtualClock(),
      onListenerError: (error) => errors.push(error),
    });
    simulator.createAccount({ id: ACCOUNT });
    const seen: string[] = [];
    simulator.on('order', () => {
      throw new Error('listener bug');
    });
    simulator.on('order', (order: SimOrder) => seen.push(order.status));
    const order = simulator.placeOrder(ACCOUNT, {
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 1,
      orderType: 'MARKET',
    });
    expect(order.status).toBe('FILLED');
    expect(seen).toEqual(['SUBMITTED', 'FILLED']);
    expect(errors).toHaveLength(2);
  });

  test('on() returns an unsubscribe function; price events follow setPrice and watched steps', () => {
    const { clock, simulator } = setup({ randomWalk: true, priceStepMs: 1_000 });
    const prices: number[] = [];
    const unsubscribe = simulator.on('price', (instrument, price) => {
      if (instrument.symbol === 'AAPL') prices.push(price);
    });
    simulator.setPrice('AAPL', 150);
    simulator.watch('AAPL');
    clock.advance(10_000);
    expect(prices[0]).toBe(150);
    expect(prices.length).toBeGreaterThan(3);
    unsubscribe();
    const count = prices.length;
    clock.advance(10_000);
    expect(prices.length).toBe(count);
  });

  test('dispose() stops pending timers', () => {
    const { clock, simulator, place } = setup({ fillDelayMs: 1_000 });
    const order = place({});
    simulator.dispose();
    clock.advance(5_000);
    expect(order.status).toBe('SUBMITTED');
    expect(JSON.stringify(simulator)).toBe('{"simulator":"exchange-sim","accounts":1,"instruments":16}');
  });
});
