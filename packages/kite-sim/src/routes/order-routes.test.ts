import type { Connect as KiteConnect } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import { KITE_ORDER_STATUS } from '../order-statuses.js';
import {
  MARKET_PROTECTION_REQUIRED,
  MAX_MODIFICATIONS_EXCEEDED,
  ORDER_NOT_FOUND,
} from '../orders/order-messages.js';
import { keysOf, ORDER_FIELDS, sorted, TRADE_FIELDS } from '../test-support/kite-fields.js';
import { rejectionOf, startWithClient } from '../test-support/start-test-sim.js';

type PlaceParams = Parameters<KiteConnect['placeOrder']>[1] & { market_protection?: number };

/** placeOrder with fields the published types lack (market_protection). */
function place(kite: KiteConnect, params: PlaceParams, variety = 'regular') {
  return kite.placeOrder(variety as 'regular', params as Parameters<KiteConnect['placeOrder']>[1]);
}

const INFY_LIMIT = {
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  transaction_type: 'BUY',
  quantity: 10,
  product: 'CNC',
  order_type: 'LIMIT',
  price: 1800,
} as const satisfies PlaceParams;

async function statuses(kite: KiteConnect, orderId: string): Promise<string[]> {
  return (await kite.getOrderHistory(orderId)).map((entry) => entry.status);
}

describe('placing orders through kiteconnect', () => {
  it('walks a marketable limit order through the real statuses to COMPLETE, with a trade', async () => {
    const { kite } = await startWithClient();
    const { order_id } = await place(kite, { ...INFY_LIMIT, tag: 'buy-infy-1' });
    expect(order_id).toMatch(/^241118\d{9}$/);
    expect(await statuses(kite, order_id)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'COMPLETE',
    ]);
    const [order] = await kite.getOrders();
    expect(keysOf(order)).toEqual(sorted(ORDER_FIELDS));
    expect(order).toMatchObject({
      order_id,
      status: 'COMPLETE',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      instrument_token: 408065,
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      product: 'CNC',
      variety: 'regular',
      validity: 'DAY',
      quantity: 10,
      filled_quantity: 10,
      pending_quantity: 0,
      cancelled_quantity: 0,
      average_price: 1800,
      price: 1800,
      tag: 'buy-infy-1',
      tags: ['buy-infy-1'],
      placed_by: 'AB1234',
      modified: false,
    });
    // kiteconnect turns the 19-character timestamps into Dates.
    expect(order!.order_timestamp).toBeInstanceOf(Date);
    expect(order!.exchange_timestamp).toBeInstanceOf(Date);
    expect(order!.exchange_order_id).toMatch(/^\d{16}$/);
    const trades = await kite.getOrderTrades(order_id);
    expect(trades).toHaveLength(1);
    expect(keysOf(trades[0])).toEqual(sorted(TRADE_FIELDS));
    expect(trades[0]).toMatchObject({
      order_id,
      quantity: 10,
      average_price: 1800,
      transaction_type: 'BUY',
      exchange: 'NSE',
    });
    expect(trades[0]!.fill_timestamp).toBeInstanceOf(Date);
    expect(await kite.getTrades()).toHaveLength(1);
  });

  it('rests a limit order OPEN until the price reaches it, then fills at the limit', async () => {
    const { sim, kite } = await startWithClient();
    const { order_id } = await place(kite, { ...INFY_LIMIT, price: 1750 });
    expect((await kite.getOrders())[0]).toMatchObject({
      status: 'OPEN',
      pending_quantity: 10,
      filled_quantity: 0,
    });
    sim.control.setPrice('NSE:INFY', 1749);
    const [order] = await kite.getOrderHistory(order_id).then((history) => history.slice(-1));
    expect(order).toMatchObject({ status: 'COMPLETE', average_price: 1750, filled_quantity: 10 });
  });

  it('fills a market order with market protection at the last price', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24100);
    const { order_id } = await place(kite, {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24NOVFUT',
      transaction_type: 'SELL',
      quantity: 130,
      product: 'NRML',
      order_type: 'MARKET',
      market_protection: -1,
    });
    const order = (await kite.getOrders()).find((entry) => entry.order_id === order_id);
    expect(order).toMatchObject({
      status: 'COMPLETE',
      average_price: 24100,
      filled_quantity: 130,
      market_protection: -1,
    });
  });

  it('holds SL-M orders in TRIGGER PENDING until the trigger is hit', async () => {
    const { sim, kite } = await startWithClient();
    const { order_id } = await place(kite, {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24NOVFUT',
      transaction_type: 'SELL',
      quantity: 65,
      product: 'NRML',
      order_type: 'SL-M',
      trigger_price: 23900,
      market_protection: 2,
    });
    expect((await kite.getOrders())[0]!.status).toBe('TRIGGER PENDING');
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 23890);
    expect(await statuses(kite, order_id)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'TRIGGER PENDING',
      'COMPLETE',
    ]);
  });

  it('moves a triggered SL order from TRIGGER PENDING to OPEN when its limit is not reached', async () => {
    const { sim, kite } = await startWithClient();
    const { order_id } = await place(kite, {
      ...INFY_LIMIT,
      order_type: 'SL',
      trigger_price: 1810,
      price: 1812,
    });
    expect((await kite.getOrders())[0]!.status).toBe('TRIGGER PENDING');
    sim.control.setPrice('NSE:INFY', 1815);
    expect((await kite.getOrders())[0]!.status).toBe('OPEN');
    sim.control.setPrice('NSE:INFY', 1811);
    expect((await statuses(kite, order_id)).slice(-3)).toEqual(['TRIGGER PENDING', 'OPEN', 'COMPLETE']);
  });

  it('reports partial fills with filled / pending quantity and a weighted average price', async () => {
    const { sim, kite } = await startWithClient({
      simulatorOptions: { seed: 7, randomWalk: false, maxFillQuantity: 65 },
    });
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24000);
    const { order_id } = await place(kite, {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24NOVFUT',
      transaction_type: 'BUY',
      quantity: 195,
      product: 'NRML',
      order_type: 'MARKET',
      market_protection: 3,
    });
    expect((await kite.getOrders())[0]).toMatchObject({
      status: 'OPEN',
      filled_quantity: 65,
      pending_quantity: 130,
    });
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24010);
    sim.control.advanceClock(1_000);
    expect((await kite.getOrders())[0]).toMatchObject({
      status: 'OPEN',
      filled_quantity: 130,
      pending_quantity: 65,
    });
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24050);
    sim.control.advanceClock(1_000);
    const [order] = await kite.getOrders();
    expect(order).toMatchObject({ status: 'COMPLETE', filled_quantity: 195, pending_quantity: 0 });
    expect(order!.average_price).toBeCloseTo((24000 + 24010 + 24050) / 3, 4);
    const trades = await kite.getOrderTrades(order_id);
    expect(trades.map((trade) => [trade.quantity, trade.average_price])).toEqual([
      [65, 24000],
      [65, 24010],
      [65, 24050],
    ]);
  });

  it('cancels an IOC order that cannot trade, with a status message', async () => {
    const { kite } = await startWithClient();
    await place(kite, { ...INFY_LIMIT, price: 1700, validity: 'IOC' });
    const [order] = await kite.getOrders();
    expect(order).toMatchObject({ status: 'CANCELLED', validity: 'IOC', cancelled_quantity: 10 });
    expect(order!.status_message).toEqual(expect.any(String));
  });

  it('cancels a TTL order when its minutes run out', async () => {
    const { sim, kite } = await startWithClient();
    await place(kite, { ...INFY_LIMIT, price: 1700, validity: 'TTL', validity_ttl: 2 });
    sim.control.advanceClock(119_000);
    expect((await kite.getOrders())[0]).toMatchObject({ status: 'OPEN', validity: 'TTL', validity_ttl: 2 });
    sim.control.advanceClock(1_000);
    expect((await kite.getOrders())[0]!.status).toBe('CANCELLED');
  });

  it('queues AMO orders (AMO REQ RECEIVED) until the 09:15 IST open', async () => {
    const { sim, kite } = await startWithClient({ tokenExpiryTime: false });
    const { order_id } = await place(kite, INFY_LIMIT, 'amo');
    expect((await kite.getOrders())[0]).toMatchObject({
      status: 'AMO REQ RECEIVED',
      variety: 'amo',
      filled_quantity: 0,
    });
    // 2024-11-18 20:00 IST -> 2024-11-19 09:15 IST.
    sim.control.advanceClock(13 * 3_600_000 + 15 * 60_000);
    expect(await statuses(kite, order_id)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'AMO REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'COMPLETE',
    ]);
  });

  it('places the stop-loss leg of a cover order when the main leg fills; exiting the leg squares off at market', async () => {
    const { sim, kite } = await startWithClient();
    const cover = {
      ...INFY_LIMIT,
      product: 'MIS',
      order_type: 'MARKET',
      price: undefined,
      trigger_price: 1780,
      market_protection: 2,
    } as const;
    const { order_id: mainId } = await place(kite, cover, 'co');
    const [main, leg] = await kite.getOrders();
    expect(main).toMatchObject({
      order_id: mainId,
      variety: 'co',
      status: 'COMPLETE',
      parent_order_id: null,
    });
    expect(leg).toMatchObject({
      variety: 'co',
      parent_order_id: mainId,
      order_type: 'SL-M',
      transaction_type: 'SELL',
      trigger_price: 1780,
      quantity: 10,
      status: 'TRIGGER PENDING',
    });
    sim.control.setPrice('NSE:INFY', 1779);
    expect((await kite.getOrders())[1]).toMatchObject({ status: 'COMPLETE', average_price: 1779 });

    sim.control.setPrice('NSE:INFY', 1800);
    const { order_id: secondId } = await place(kite, cover, 'co');
    const secondLeg = (await kite.getOrders()).find((order) => order.parent_order_id === secondId)!;
    await kite.exitOrder('co', secondLeg.order_id, { parent_order_id: secondId });
    expect((await kite.getOrders()).find((order) => order.order_id === secondLeg.order_id)).toMatchObject({
      status: 'COMPLETE',
      order_type: 'MARKET',
      average_price: 1800,
    });
    expect((await kite.getPositions()).net[0]).toMatchObject({ product: 'MIS', quantity: 0 });
  });

  it('records iceberg legs in meta', async () => {
    const { kite } = await startWithClient();
    await place(
      kite,
      { ...INFY_LIMIT, price: 1700, quantity: 100, iceberg_legs: 4, iceberg_quantity: 25 },
      'iceberg',
    );
    const [order] = await kite.getOrders();
    expect(order).toMatchObject({ variety: 'iceberg', status: 'OPEN' });
    expect(order!.meta).toEqual({
      iceberg: { leg: 1, legs: 4, leg_quantity: 25, total_quantity: 100, remaining_quantity: 75 },
    });
  });

  it('adopts orders placed on the engine account directly', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.simulator.placeOrder(sim.control.accountId, {
      symbol: 'RELIANCE',
      exchange: 'NSE',
      side: 'BUY',
      orderType: 'LIMIT',
      limitPrice: 1200,
      quantity: 5,
      product: 'MIS',
      clientOrderId: 'from-engine',
    });
    expect((await kite.getOrders())[0]).toMatchObject({
      tradingsymbol: 'RELIANCE',
      status: 'OPEN',
      product: 'MIS',
      tag: 'from-engine',
    });
  });
});

describe('pre-trade checks answer 400 with the real messages and place nothing', () => {
  const cases: [string, PlaceParams, string, string][] = [
    [
      'a decimal quantity',
      { ...INFY_LIMIT, quantity: '65.0' as unknown as number },
      'InputException',
      'Invalid request (failed to decode `quantity`, got: `65.0` (expected int))',
    ],
    [
      'a malformed price',
      { ...INFY_LIMIT, price: '18o0' as unknown as number },
      'InputException',
      'Invalid request (failed to decode `price`, got: `18o0` (expected decimal))',
    ],
    [
      'a quantity off the lot size',
      {
        exchange: 'NFO',
        tradingsymbol: 'NIFTY24NOVFUT',
        transaction_type: 'BUY',
        quantity: 50,
        product: 'NRML',
        order_type: 'LIMIT',
        price: 24000,
      },
      'InputException',
      'Quantity should be a multiple of lot size 65.',
    ],
    [
      'a price off the tick',
      { ...INFY_LIMIT, price: 1800.03 },
      'InputException',
      'Price should be a multiple of tick size 0.05.',
    ],
    [
      'a market order without market protection',
      { ...INFY_LIMIT, order_type: 'MARKET', price: undefined },
      'InputException',
      MARKET_PROTECTION_REQUIRED,
    ],
    [
      'an SL-M order with market protection 0',
      { ...INFY_LIMIT, order_type: 'SL-M', price: undefined, trigger_price: 1850, market_protection: 0 },
      'InputException',
      MARKET_PROTECTION_REQUIRED,
    ],
    [
      'an unknown symbol',
      { ...INFY_LIMIT, tradingsymbol: 'NOSUCH' },
      'InputException',
      'Invalid `tradingsymbol`.',
    ],
    [
      'an unknown exchange',
      { ...INFY_LIMIT, exchange: 'XYZ' as 'NSE' },
      'InputException',
      'Invalid `exchange`.',
    ],
    [
      'an index',
      { ...INFY_LIMIT, tradingsymbol: 'NIFTY 50', price: 24000 },
      'InputException',
      'Invalid `tradingsymbol`.',
    ],
    [
      'a limit order without price',
      { ...INFY_LIMIT, price: undefined },
      'InputException',
      'Invalid `price`.',
    ],
    [
      'an unknown order type',
      { ...INFY_LIMIT, order_type: 'STOP' as 'LIMIT' },
      'InputException',
      'Invalid `order_type`.',
    ],
    [
      'CNC on NFO',
      {
        exchange: 'NFO',
        tradingsymbol: 'NIFTY24NOVFUT',
        transaction_type: 'BUY',
        quantity: 65,
        product: 'CNC',
        order_type: 'LIMIT',
        price: 24000,
      },
      'InputException',
      'Product type CNC is not allowed for NFO.',
    ],
    ['a tag over 20 characters', { ...INFY_LIMIT, tag: 'x'.repeat(21) }, 'InputException', 'Invalid `tag`.'],
    [
      'a price outside the circuit band',
      { ...INFY_LIMIT, price: 2500 },
      'InputException',
      'Price exceeds circuit limits for the instrument. Place an order within the daily range.',
    ],
  ];
  for (const [what, params, errorType, message] of cases) {
    it(`refuses ${what}`, async () => {
      const { kite } = await startWithClient();
      const error = await rejectionOf(place(kite, params));
      expect(error).toEqual({ status: 'error', message, data: null, error_type: errorType });
      expect(await kite.getOrders()).toEqual([]);
    });
  }

  it('accepts a quantity sent as an integer string', async () => {
    const { kite } = await startWithClient();
    await expect(place(kite, { ...INFY_LIMIT, quantity: '10' as unknown as number })).resolves.toHaveProperty(
      'order_id',
    );
  });
});

describe('RMS rejections', () => {
  it('accepts an order the account cannot afford, then rejects it with the required and available margin', async () => {
    const { kite } = await startWithClient({ cash: 1_000_000 });
    const { order_id } = await place(kite, { ...INFY_LIMIT, quantity: 1000 });
    const [order] = await kite.getOrders();
    expect(order).toMatchObject({
      order_id,
      status: 'REJECTED',
      status_message:
        'Insufficient funds. Required margin is 1800000.00 but available margin is 1000000.00. Check the orderbook for open orders.',
      status_message_raw:
        'RMS:Margin Exceeds,Required:1800000.00, Available:1000000.00 for entity account-AB1234 across exchange across segment across product ',
      exchange_order_id: null,
      filled_quantity: 0,
      pending_quantity: 0,
    });
    expect(await statuses(kite, order_id)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'REJECTED',
    ]);
  });

  it("answers 400 MarginException instead under the 'http' policy", async () => {
    const { kite } = await startWithClient({ marginRejection: 'http' });
    const error = await rejectionOf(place(kite, { ...INFY_LIMIT, quantity: 1000 }));
    expect(error).toMatchObject({
      error_type: 'MarginException',
      message: 'Insufficient funds. Required margin is 1800000.00 but available margin is 1000000.00.',
    });
    expect(await kite.getOrders()).toEqual([]);
  });

  it('rejects a delivery sell without holdings', async () => {
    const { kite } = await startWithClient();
    await place(kite, { ...INFY_LIMIT, transaction_type: 'SELL' });
    const [order] = await kite.getOrders();
    expect(order!.status).toBe('REJECTED');
    expect(order!.status_message).toMatch(/^Insufficient holdings to sell INFY\./);
  });

  it('rejects the next order with a forced reason', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.rejectNextOrder('Order price is out of the daily range');
    await place(kite, INFY_LIMIT);
    expect((await kite.getOrders())[0]).toMatchObject({
      status: 'REJECTED',
      status_message: 'Order price is out of the daily range',
    });
    await place(kite, INFY_LIMIT);
    expect((await kite.getOrders())[1]!.status).toBe('COMPLETE');
  });
});

describe('modify and cancel', () => {
  it('records MODIFY VALIDATION PENDING -> MODIFY PENDING -> MODIFIED and the new terms', async () => {
    const { kite } = await startWithClient();
    const { order_id } = await place(kite, { ...INFY_LIMIT, price: 1700 });
    await expect(kite.modifyOrder('regular', order_id, { price: 1710.5, quantity: 20 })).resolves.toEqual({
      order_id,
    });
    expect((await statuses(kite, order_id)).slice(3)).toEqual([
      'OPEN',
      'MODIFY VALIDATION PENDING',
      'MODIFY PENDING',
      'MODIFIED',
      'OPEN',
    ]);
    expect((await kite.getOrders())[0]).toMatchObject({
      price: 1710.5,
      quantity: 20,
      pending_quantity: 20,
      modified: true,
    });
  });

  it('fills an order that a modification makes marketable', async () => {
    const { kite } = await startWithClient();
    const { order_id } = await place(kite, { ...INFY_LIMIT, price: 1700 });
    await kite.modifyOrder('regular', order_id, { order_type: 'LIMIT', price: 1805 });
    expect((await statuses(kite, order_id)).slice(-3)).toEqual(['MODIFIED', 'OPEN', 'COMPLETE']);
    expect((await kite.getOrders())[0]).toMatchObject({ average_price: 1800, filled_quantity: 10 });
  });

  it('allows 25 modifications per order and refuses the 26th', async () => {
    const { kite } = await startWithClient();
    const { order_id } = await place(kite, { ...INFY_LIMIT, price: 1700 });
    for (let index = 1; index <= 25; index++)
      await kite.modifyOrder('regular', order_id, { price: 1700 - index * 0.05 });
    const error = await rejectionOf(kite.modifyOrder('regular', order_id, { price: 1600 }));
    expect(error).toMatchObject({ error_type: 'NetworkException', message: MAX_MODIFICATIONS_EXCEEDED });
    expect((await kite.getOrders())[0]!.price).toBe(1698.75);
  });

  it('validates modifications like placements', async () => {
    const { kite } = await startWithClient();
    const { order_id } = await place(kite, { ...INFY_LIMIT, price: 1700 });
    expect(await rejectionOf(kite.modifyOrder('regular', order_id, { price: 1700.01 }))).toMatchObject({
      error_type: 'InputException',
      message: 'Price should be a multiple of tick size 0.05.',
    });
    expect(
      await rejectionOf(kite.modifyOrder('regular', order_id, { quantity: '5.5' as unknown as number })),
    ).toMatchObject({
      message: 'Invalid request (failed to decode `quantity`, got: `5.5` (expected int))',
    });
  });

  it('cancels an open order: CANCEL PENDING -> CANCELLED without a status message', async () => {
    const { kite } = await startWithClient();
    const { order_id } = await place(kite, { ...INFY_LIMIT, price: 1700 });
    await expect(kite.cancelOrder('regular', order_id)).resolves.toEqual({ order_id });
    expect((await statuses(kite, order_id)).slice(-2)).toEqual(['CANCEL PENDING', 'CANCELLED']);
    expect((await kite.getOrders())[0]).toMatchObject({
      status: 'CANCELLED',
      cancelled_quantity: 10,
      status_message: null,
    });
    await expect(kite.exitOrder('regular', order_id)).rejects.toMatchObject({ error_type: 'InputException' });
  });

  it('refuses to modify or cancel a completed order', async () => {
    const { kite } = await startWithClient();
    const { order_id } = await place(kite, INFY_LIMIT);
    expect(await rejectionOf(kite.cancelOrder('regular', order_id))).toMatchObject({
      error_type: 'InputException',
      message: 'Order cannot be cancelled as it is completed.',
    });
    expect((await rejectionOf(kite.modifyOrder('regular', order_id, { price: 1 }))).message).toBe(
      'Order cannot be modified as it is completed.',
    );
  });

  it("answers an unknown order id with Kite's GeneralException", async () => {
    const { kite } = await startWithClient();
    const expected = { error_type: 'GeneralException', message: ORDER_NOT_FOUND };
    expect(await rejectionOf(kite.getOrderHistory('999'))).toMatchObject(expected);
    expect(await rejectionOf(kite.getOrderTrades('999'))).toMatchObject(expected);
    expect(await rejectionOf(kite.modifyOrder('regular', '999', { price: 10 }))).toMatchObject(expected);
    expect(await rejectionOf(kite.cancelOrder('regular', '999'))).toMatchObject(expected);
  });

  it("lists only today's orders and trades plus orders still working", async () => {
    const { sim, kite } = await startWithClient({ tokenExpiryTime: false });
    await place(kite, INFY_LIMIT);
    await place(kite, { ...INFY_LIMIT, price: 1700, product: 'MIS' });
    sim.control.advanceClock(86_400_000);
    // A new IST day has begun, and the DAY order expired at its 15:30 IST close.
    expect(await kite.getOrders()).toEqual([]);
    expect(await kite.getTrades()).toEqual([]);
    expect(sim.control.orders().map((order) => order.status)).toEqual([
      KITE_ORDER_STATUS.COMPLETE,
      KITE_ORDER_STATUS.CANCELLED,
    ]);
  });
});
