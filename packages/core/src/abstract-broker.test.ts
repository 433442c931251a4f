import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import type { BrokerOptions, PlaceOrderAck } from './abstract-broker.js';
import { InMemoryBroker } from './conformance/reference/in-memory-broker.js';
import { InMemoryMarket } from './conformance/reference/in-memory-market.js';
import { AuthenticationError } from './errors/authentication-error.js';
import { BrokerConnectionError } from './errors/broker-connection-error.js';
import { InvalidOrderError } from './errors/invalid-order-error.js';
import { NotSupportedError } from './errors/not-supported-error.js';
import { OrderOutcomeUnknownError } from './errors/order-outcome-unknown-error.js';
import type { OrderRecord } from './schemas/order-record.js';
import type { NormalizedOrderRequest } from './schemas/order-request.js';
import { Secret } from './secret.js';

function setUp(options: BrokerOptions = {}, fillDelayMs = 100) {
  const market = new InMemoryMarket([{ symbol: 'ACME', price: 100, tickSize: 0.01 }]);
  const broker = new InMemoryBroker({ market, cash: 1e12, fillDelayMs }, options);
  return { market, broker };
}

const limitBuy = { symbol: 'ACME', side: 'BUY', quantity: 1, orderType: 'LIMIT', limitPrice: 90 } as const;

/** The protected side of a broker, as its plugin code sees it. */
function pluginSideOf(broker: InMemoryBroker) {
  return broker as unknown as {
    doPlaceOrder(request: NormalizedOrderRequest): Promise<PlaceOrderAck>;
    emitOrderUpdate(record: OrderRecord): void;
    noteOrderId(orderId: string): void;
  };
}

/** Every orderUpdate from now on, as "previous>status". */
function transitionsOf(broker: InMemoryBroker): string[] {
  const seen: string[] = [];
  broker.on('orderUpdate', (event) => seen.push(`${event.previousStatus ?? '-'}>${event.order.status}`));
  return seen;
}

/** The record a plugin would report for a working order it was asked to place. */
function submittedRecord(
  request: NormalizedOrderRequest,
  orderId: string,
  clientOrderId: string,
): OrderRecord {
  return {
    orderId,
    clientOrderId,
    symbol: request.symbol,
    side: request.side,
    orderType: request.orderType,
    tif: request.tif ?? 'DAY',
    status: 'SUBMITTED',
    quantity: request.quantity,
    filledQuantity: 0,
    limitPrice: request.limitPrice,
    createdAt: 1,
    updatedAt: 1,
  };
}

describe('AbstractBroker', () => {
  test('readonly refuses every order-changing call before anything is sent, and still reads', async () => {
    const { broker } = setUp({ readonly: true });
    await broker.connect();
    await expect(broker.placeOrder(limitBuy)).rejects.toSatisfy(NotSupportedError.isInstance);
    await expect(broker.cancelOrder('1')).rejects.toThrow(/readonly mode; cancelOrder was refused/);
    await expect(broker.modifyOrder('1', { limitPrice: 1 })).rejects.toSatisfy(NotSupportedError.isInstance);
    expect((await broker.getAccountBalance()).equity).toBeGreaterThan(0);
    expect(await broker.getOpenOrders()).toEqual([]);
  });

  test('an undeclared asset class, exchange, product or cash quantity is NotSupportedError naming it', async () => {
    const { broker } = setUp();
    await broker.connect();
    const cases = [
      [
        { ...limitBuy, secType: 'FUT', lastTradeDateOrContractMonth: '202412' },
        /secType FUT.*supported asset classes: STK/,
      ],
      [{ ...limitBuy, product: 'CNC' }, /product CNC.*product is a Zerodha field/],
      [{ symbol: 'ACME', side: 'BUY', cashQty: 100, orderType: 'MARKET' }, /cashQty for STK/],
      [{ ...limitBuy, orderType: 'TRAILING_STOP', limitPrice: undefined }, /orderType TRAILING_STOP/],
    ] as const;
    for (const [order, message] of cases) {
      const error = await broker.placeOrder(order as never).catch((e: unknown) => e);
      expect(NotSupportedError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  test('a connect that does not finish in time is BrokerConnectionError and leaves the broker disconnected', async () => {
    const { broker } = setUp({ timeouts: { connect: 20 } });
    (broker as unknown as { doConnect: () => Promise<void> }).doConnect = () => new Promise(() => {});
    const error = await broker.connect().catch((e: unknown) => e);
    expect(BrokerConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('connect timed out after 20 ms');
    expect(broker.connectionState).toBe('disconnected');
    expect(broker.health().lastError?.code).toBe('BROKER_CONNECTION');
  });

  test('a modify of an order the layer knows is final is refused locally', async () => {
    const { broker, market } = setUp({}, 0);
    await broker.connect();
    const ack = await broker.placeOrder({ symbol: 'ACME', side: 'BUY', quantity: 1, orderType: 'MARKET' });
    await market.advanceTime(1);
    expect(await broker.getOrderStatus(ack.orderId)).toBe('FILLED');
    await expect(broker.modifyOrder(ack.orderId, { quantity: 2 })).rejects.toThrow(
      /is FILLED; only working orders/,
    );
    await expect(broker.modifyOrder(ack.orderId, {})).rejects.toSatisfy(InvalidOrderError.isInstance);
  });

  test('a duplicate placement while the first is unanswered neither re-sends nor guesses', async () => {
    const { broker, market } = setUp({ timeouts: { placeOrder: 30 } });
    await broker.connect();
    market.injectFault('stall');
    const request = { ...limitBuy, clientOrderId: 'dup-1' };
    const [first, second] = await Promise.allSettled([
      broker.placeOrder(request),
      broker.placeOrder(request),
    ]);
    expect(first.status === 'rejected' && OrderOutcomeUnknownError.isInstance(first.reason)).toBe(true);
    expect(second.status === 'rejected' && OrderOutcomeUnknownError.isInstance(second.reason)).toBe(true);
    const third = await broker.placeOrder(request).catch((e: unknown) => e);
    expect(OrderOutcomeUnknownError.isInstance(third)).toBe(true);
    expect((third as Error).message).toContain('sent before but never acknowledged');
  });

  test('an acknowledgement that comes after the timeout is still recorded: the same clientOrderId then answers without a re-send', async () => {
    const { broker } = setUp({ timeouts: { placeOrder: 20 } });
    await broker.connect();
    const slow = broker as unknown as {
      doPlaceOrder: (order: unknown) => Promise<unknown>;
      emitOrderUpdate: (record: unknown) => void;
    };
    // A broker without an update stream: only the acknowledgement says the order exists.
    slow.emitOrderUpdate = () => {};
    const send = slow.doPlaceOrder.bind(broker);
    let sends = 0;
    slow.doPlaceOrder = (order) => {
      sends++;
      return new Promise((resolve) => setTimeout(() => resolve(send(order)), 60));
    };
    const request = { ...limitBuy, clientOrderId: 'late-ack-1' };
    await expect(broker.placeOrder(request)).rejects.toSatisfy(OrderOutcomeUnknownError.isInstance);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const again = await broker.placeOrder(request);
    expect(again).toMatchObject({ clientOrderId: 'late-ack-1', status: 'SUBMITTED' });
    expect(sends).toBe(1);
    expect((await broker.getOpenOrders()).map((order) => order.clientOrderId)).toEqual(['late-ack-1']);
  });

  test('memory stays bounded: final orders beyond retainClosedOrders are forgotten, working ones kept', async () => {
    const { broker, market } = setUp({ retainClosedOrders: 100 }, 0);
    await broker.connect();
    const resting = await broker.placeOrder(limitBuy);
    for (let index = 0; index < 1_000; index++) {
      await broker.placeOrder({ symbol: 'ACME', side: 'BUY', quantity: 1, orderType: 'MARKET' });
      await market.advanceTime(1);
    }
    const health = broker.health();
    expect(health.openOrders).toBe(1);
    expect(health.trackedOrders).toBe(101);
    expect(await broker.getOrderStatus(resting.orderId)).toBe('SUBMITTED');
  });

  test('util.inspect and JSON.stringify of a broker show no config or secrets', async () => {
    const { broker } = setUp();
    (broker as unknown as { apiSecret: Secret; plain: string }).apiSecret = new Secret('very-secret-value');
    (broker as unknown as { plain: string }).plain = 'very-secret-plain';
    expect(inspect(broker, { depth: 10, showHidden: true })).not.toMatch(/very-secret/);
    expect(JSON.stringify(broker)).toBe('{"broker":"in-memory","state":"disconnected"}');
  });

  test('options that would misbehave are refused with each problem named', () => {
    const market = new InMemoryMarket([]);
    expect(
      () =>
        new InMemoryBroker(
          { market },
          { timeouts: { placeOrder: -1, nope: 5 } as never, retainClosedOrders: 1.5 },
        ),
    ).toThrow(
      'Invalid broker config: timeouts.placeOrder: must be a number of milliseconds >= 0 (0 disables it); timeouts.nope: unknown operation; retainClosedOrders: must be a whole number >= 0',
    );
  });

  test('a new status message alone (a broker warning) is an order update', async () => {
    const { broker } = setUp();
    await broker.connect();
    const ack = await broker.placeOrder(limitBuy);
    const messages: Array<string | undefined> = [];
    broker.on('orderUpdate', (event) => messages.push(event.order.statusMessage));
    const record = await broker.getOrder(ack.orderId);
    const emit = (broker as unknown as { emitOrderUpdate: (r: unknown) => void }).emitOrderUpdate.bind(
      broker,
    );
    emit({ ...record, statusMessage: 'Order held: margin warning' });
    emit({ ...record, statusMessage: 'Order held: margin warning' });
    expect(messages).toEqual(['Order held: margin warning']);
  });

  test('after the session expires, every later call is an AuthenticationError with the hint', async () => {
    const { broker } = setUp();
    await broker.connect();
    const expired = new AuthenticationError({
      message: 'the access token expired',
      hint: 'access tokens expire daily; log in again',
      sessionExpired: true,
    });
    (broker as unknown as { setConnectionState: (s: string, e: Error) => void }).setConnectionState(
      'disconnected',
      expired,
    );
    for (const call of [() => broker.getAccountBalance(), () => broker.placeOrder(limitBuy)]) {
      const error = (await call().catch((e: unknown) => e)) as AuthenticationError;
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect(error.sessionExpired).toBe(true);
      expect(error.hint).toBe('access tokens expire daily; log in again');
    }
    await broker.connect();
    await broker.disconnect();
    const after = await broker.getOpenOrders().catch((e: unknown) => e);
    expect(BrokerConnectionError.isInstance(after)).toBe(true);
    expect((after as Error).message).toBe(
      'in-memory: not connected (disconnected); getOpenOrders was not sent',
    );
  });

  test('modifying only the TIF is checked against the order type it was placed with', async () => {
    const { broker } = setUp();
    await broker.connect();
    const ack = await broker.placeOrder({
      symbol: 'ACME',
      side: 'BUY',
      quantity: 1,
      orderType: 'STOP',
      stopPrice: 200,
    });
    await expect(broker.modifyOrder(ack.orderId, { tif: 'IOC' })).rejects.toThrow(/tif IOC on STOP orders/);
    expect((await broker.modifyOrder(ack.orderId, { tif: 'GTC' })).tif).toBe('GTC');
  });

  test('duplicate fills (same execution id) are reported once', async () => {
    const { broker } = setUp();
    const fills: string[] = [];
    broker.on('fill', (fill) => fills.push(fill.executionId));
    const emit = (executionId: string) =>
      (broker as unknown as { emitFill: (fill: unknown) => void }).emitFill({
        orderId: '1',
        clientOrderId: 'c',
        executionId,
        symbol: 'ACME',
        side: 'BUY',
        quantity: 1,
        price: 1,
        time: 0,
      });
    for (let index = 0; index < 25_000; index++) emit(`E${index}`);
    emit('E24999');
    emit('E20000');
    expect(fills).toHaveLength(25_000);
  });

  test('emits connection states, order updates and fills in order', async () => {
    const { broker, market } = setUp({}, 10);
    const seen: string[] = [];
    broker.on('connectionState', (event) => seen.push(`state:${event.state}`));
    broker.on('orderUpdate', (event) =>
      seen.push(`order:${event.previousStatus ?? '-'}>${event.order.status}`),
    );
    broker.on('fill', (fill) => seen.push(`fill:${fill.quantity}@${fill.price}`));
    await broker.connect();
    await broker.placeOrder({ symbol: 'ACME', side: 'BUY', quantity: 3, orderType: 'MARKET' });
    await market.advanceTime(10);
    await broker.disconnect();
    expect(seen).toEqual([
      'state:connecting',
      'state:connected',
      'order:PENDING>SUBMITTED',
      'fill:3@100',
      'order:SUBMITTED>FILLED',
      'state:disconnected',
    ]);
  });

  test('an update the plugin reports while still sending the order reads PENDING -> its status', async () => {
    const { broker } = setUp();
    await broker.connect();
    const seen = transitionsOf(broker);
    const plugin = pluginSideOf(broker);
    // A plugin whose client reports the order synchronously, from inside the send.
    plugin.doPlaceOrder = (request) => {
      plugin.emitOrderUpdate.call(
        broker,
        submittedRecord(request, 'sync-1', request.clientOrderId as string),
      );
      return Promise.resolve({ orderId: 'sync-1', status: 'SUBMITTED', createdAt: 1 });
    };
    const ack = await broker.placeOrder({ ...limitBuy, clientOrderId: 'sync-report' });
    expect(ack).toMatchObject({ orderId: 'sync-1', clientOrderId: 'sync-report', status: 'SUBMITTED' });
    expect(seen).toEqual(['PENDING>SUBMITTED']);
    expect(broker.health()).toMatchObject({ openOrders: 1, trackedOrders: 1 });
  });

  test('hasListeners follows on, off and once (a once listener is gone after its event)', async () => {
    const { broker, market } = setUp({}, 0);
    const has = () =>
      (broker as unknown as { hasListeners(event: string): boolean }).hasListeners('orderUpdate');
    await broker.connect();
    expect(has()).toBe(false);
    const listener = () => {};
    broker.on('orderUpdate', listener);
    broker.on('orderUpdate', listener);
    broker.off('orderUpdate', listener);
    expect(has()).toBe(true);
    broker.off('orderUpdate', listener);
    expect(has()).toBe(false);
    let heard = 0;
    broker.once('orderUpdate', () => heard++);
    expect(has()).toBe(true);
    await broker.placeOrder({ symbol: 'ACME', side: 'BUY', quantity: 1, orderType: 'MARKET' });
    await market.advanceTime(1);
    expect(heard).toBe(1);
    expect(has()).toBe(false);
  });

  test('an id noted during the send matches updates that carry only the broker id', async () => {
    const { broker } = setUp();
    await broker.connect();
    const seen = transitionsOf(broker);
    const plugin = pluginSideOf(broker);
    plugin.doPlaceOrder = (request) => {
      plugin.noteOrderId.call(broker, 'early-1');
      return new Promise((resolve) =>
        setTimeout(() => {
          // An update before the acknowledgement, from a broker that does not echo the client id.
          plugin.emitOrderUpdate.call(broker, submittedRecord(request, 'early-1', 'broker-made-up'));
          resolve({ orderId: 'early-1', status: 'SUBMITTED', createdAt: 1 });
        }, 0),
      );
    };
    const ack = await broker.placeOrder(limitBuy);
    expect(ack.orderId).toBe('early-1');
    expect(seen).toEqual(['PENDING>SUBMITTED']);
    expect(broker.health()).toMatchObject({ openOrders: 1, trackedOrders: 1 });
  });
});
