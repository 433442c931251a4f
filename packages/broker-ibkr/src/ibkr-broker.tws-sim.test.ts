import {
  BrokerConnectionError,
  type BrokerLogger,
  type Fill,
  NotSupportedError,
  type OrderRequest,
  type OrderUpdateEvent,
} from '@brokerkit/core';
import type { TwsSim } from '@brokerkit/tws-sim';
import { EventName, IBApi } from '@stoqey/ib';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { IbkrBroker } from './ibkr-broker.js';
import { brokerFor, SIM_ACCOUNT, settle, startSim } from './test-support/tws-sim-harness.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function simWithBroker(
  ...args: Parameters<typeof brokerFor> extends [unknown, ...infer Rest] ? Rest : never
) {
  const sim = await startSim();
  cleanups.push(() => sim.close());
  const broker = brokerFor(sim, ...args);
  cleanups.push(() => broker.disconnect());
  return { sim, broker };
}

async function until(check: () => boolean | Promise<boolean>, what: string, sim?: TwsSim, ms = 5_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting until ${what}`);
    sim?.control.advanceClock(10);
    await settle(5);
  }
}

function recordingLogger() {
  const entries: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    entries.push({ level, message, fields });
  const logger: BrokerLogger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  return { logger, entries };
}

describe('asset classes (the spec examples) against tws-sim', () => {
  const examples: Array<[string, OrderRequest]> = [
    [
      'STK',
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
      'FUT',
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
      'OPT',
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
      'CASH',
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
      'CRYPTO (BUY by cashQty)',
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
    ],
  ];

  for (const [name, request] of examples) {
    test(`${name}: placed, filled, reported as fills and a position`, async () => {
      const { sim, broker } = await simWithBroker();
      await broker.connect();
      const fills: Fill[] = [];
      broker.on('fill', (fill) => fills.push(fill));
      const ack = await broker.placeOrder(request);
      await until(async () => (await broker.getOrder(ack.orderId)).status === 'FILLED', `${name} fills`, sim);
      const record = await broker.getOrder(ack.orderId);
      expect(record).toMatchObject({
        symbol: request.symbol,
        side: 'BUY',
        status: 'FILLED',
        clientOrderId: ack.clientOrderId,
      });
      expect(record.averageFillPrice).toBeGreaterThan(0);
      if (request.quantity !== undefined) expect(record.filledQuantity).toBe(request.quantity);
      else expect(record.filledQuantity * record.averageFillPrice!).toBeCloseTo(request.cashQty!, -1);
      await until(() => fills.some((fill) => fill.orderId === ack.orderId), `${name} fill event`, sim);
      const positions = await broker.getOpenPositions();
      const held = positions.find(
        (position) => position.symbol === request.symbol && position.secType === request.secType,
      );
      expect(held?.quantity).toBeCloseTo(record.filledQuantity, 6);
      expect(held?.averagePrice).toBeGreaterThan(0);
      const [order] = sim.control.orders();
      expect(order).toMatchObject({ orderRef: ack.clientOrderId, status: 'Filled' });
    });
  }
});

describe('margin preview quirks against tws-sim', () => {
  test('a two-stage what-if answer: the preliminary one is skipped, its warning kept; max-double commission is "unknown"', async () => {
    const { sim, broker } = await simWithBroker();
    await broker.connect();
    sim.control.twoStageWhatIf(true);
    const impact = await broker.getOrderMarginImpact({
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 100,
      orderType: 'MARKET',
    });
    expect(impact.initialMargin).toBeGreaterThan(0);
    expect(impact.maintenanceMargin).toBeGreaterThan(0);
    expect(impact.before?.equityWithLoan).toBeGreaterThan(0);
    expect(impact.after?.initialMargin).toBeCloseTo(
      (impact.before?.initialMargin ?? 0) + impact.initialMargin,
      2,
    );
    expect(impact.warnings.length).toBeGreaterThan(0);
    for (const value of [impact.initialMargin, impact.maintenanceMargin, impact.commission ?? 0]) {
      expect(value).toBeLessThan(1e300);
    }
    expect(sim.control.orders()).toEqual([]);
  });

  test('a 399 order message reaches the order record as its status message, never as an error', async () => {
    const { sim, broker } = await simWithBroker();
    await broker.connect();
    sim.control.warnNextOrder(
      'BUY 10 AAPL NASDAQ.NMS\nWarning: Your order will not be placed at the exchange until 2026-08-25 09:30:00 US/Eastern.',
    );
    const ack = await broker.placeOrder({
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 10,
      orderType: 'LIMIT',
      limitPrice: 100,
    });
    expect(ack.status).toBe('SUBMITTED');
    await until(
      async () => ((await broker.getOrder(ack.orderId)).statusMessage ?? '').includes('will not be placed'),
      '399 text',
      sim,
    );
    expect(broker.health().lastError).toBeUndefined();
  });
});

describe('client ids against tws-sim', () => {
  test('11 clients asking for client id 1: ten get ids 1-10, the eleventh a clear error', async () => {
    const sim = await startSim();
    cleanups.push(() => sim.close());
    const brokers: IbkrBroker[] = [];
    for (let index = 0; index < 10; index++) {
      const broker = brokerFor(sim, { clientId: 1 });
      cleanups.push(() => broker.disconnect());
      await broker.connect();
      brokers.push(broker);
    }
    expect(brokers.map((broker) => broker.clientId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const eleventh = brokerFor(sim, { clientId: 1 });
    const error = (await eleventh.connect().catch((e: unknown) => e)) as BrokerConnectionError;
    expect(BrokerConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/client ids 1-10 are already in use/);
    expect(error.hint).toMatch(/free id above 10/);
    await until(() => sim.control.sessions().length === 10, 'the refused connection is gone');
  });

  test('a reconnect keeps its client id, waiting out a 326 while TWS still holds it', async () => {
    const { sim, broker } = await simWithBroker({ clientId: 3 });
    await broker.connect();
    const ack = await broker.placeOrder({
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice: 100,
    });
    sim.control.holdClientIdsAfterDisconnect(1_000);
    sim.control.dropConnections();
    await settle(100);
    expect(broker.connectionState).toBe('reconnecting');
    sim.control.advanceClock(1_000);
    await until(() => broker.isConnected(), 'reconnected');
    expect(broker.clientId).toBe(3);
    expect(await broker.cancelOrder(ack.orderId)).toBe(true);
  });
});

describe('readonly mode against tws-sim', () => {
  test('order-changing calls are refused and no order message reaches TWS; reads work', async () => {
    const { sim, broker } = await simWithBroker({ readonly: true });
    await broker.connect();
    const order: OrderRequest = { symbol: 'AAPL', side: 'BUY', quantity: 1, orderType: 'MARKET' };
    await expect(broker.placeOrder(order)).rejects.toSatisfy(NotSupportedError.isInstance);
    await expect(broker.cancelOrder('1000')).rejects.toSatisfy(NotSupportedError.isInstance);
    await expect(broker.modifyOrder('1000', { quantity: 2 })).rejects.toSatisfy(NotSupportedError.isInstance);
    await expect(broker.getOrderMarginImpact(order)).rejects.toSatisfy(NotSupportedError.isInstance);
    expect((await broker.getAccountBalance()).equity).toBeGreaterThan(0);
    expect(await broker.getOpenPositions()).toEqual([]);
    expect(sim.control.orders()).toEqual([]);
    // Only the two reads (plus the account-summary cancel and positions cancel) reached TWS.
    expect(sim.control.sessions()[0]?.messagesReceived).toBeLessThanOrEqual(4);
  });
});

describe('notices and faults against tws-sim', () => {
  test('an error the client raises while encoding an order (before any answer) fails the placement at once', async () => {
    const { sim, broker } = await simWithBroker({}, { timeouts: { placeOrder: 5_000 } });
    await broker.connect();
    await broker.placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 1, orderType: 'LIMIT', limitPrice: 1 });
    // As @stoqey/ib does when it refuses an order field: an error event for the order id, synchronously.
    const encode = vi.spyOn(IBApi.prototype, 'placeOrder').mockImplementationOnce(function (
      this: IBApi,
      id: number,
    ) {
      this.emit(EventName.error, new Error('The order cannot be placed: invalid field'), 321, id);
      return this;
    });
    const started = Date.now();
    const error = await broker
      .placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 1, orderType: 'LIMIT', limitPrice: 1 })
      .catch((caught: unknown) => caught);
    encode.mockRestore();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((error as Error).message).toContain('invalid field');
    expect((error as { code?: string }).code).not.toBe('ORDER_OUTCOME_UNKNOWN');
    expect(sim.control.orders()).toHaveLength(1);
  });

  test('farm notices (2104, 2106, 2158) at connect never surface as errors or warnings', async () => {
    const { logger, entries } = recordingLogger();
    const { broker } = await simWithBroker({}, { logger });
    const states: string[] = [];
    broker.on('connectionState', (event) => states.push(event.state));
    await broker.connect();
    await settle(20);
    expect(states).toEqual(['connecting', 'connected']);
    expect(broker.health().lastError).toBeUndefined();
    const notices = entries.filter((entry) => [2104, 2106, 2158].includes(entry.fields?.code as number));
    expect(notices.length).toBe(3);
    expect(notices.every((entry) => entry.level === 'debug')).toBe(true);
  });

  test('1100 (TWS lost IB) makes calls fail fast; 1101 reconciles and reconnects', async () => {
    const { sim, broker } = await simWithBroker();
    await broker.connect();
    const ack = await broker.placeOrder({
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice: 100,
    });
    sim.control.sendNotice(1100);
    await until(() => broker.connectionState === 'reconnecting', 'reconnecting on 1100');
    await expect(broker.getOpenOrders()).rejects.toSatisfy(BrokerConnectionError.isInstance);
    sim.control.sendNotice(1101);
    await until(() => broker.isConnected(), 'connected after 1101');
    expect((await broker.getOpenOrders()).map((order) => order.orderId)).toEqual([ack.orderId]);
  });

  test('a placement reports PENDING -> SUBMITTED once to listeners, and the same state without them', async () => {
    const { broker } = await simWithBroker();
    await broker.connect();
    const limit = { symbol: 'AAPL', side: 'BUY', quantity: 1, orderType: 'LIMIT', limitPrice: 100 } as const;
    // Nobody listens: the acknowledgement alone moves the layer's tracker to SUBMITTED.
    const quiet = await broker.placeOrder(limit);
    expect(quiet.status).toBe('SUBMITTED');
    expect(broker.health().openOrders).toBe(1);
    const updates: OrderUpdateEvent[] = [];
    broker.on('orderUpdate', (event) => updates.push(event));
    const heard = await broker.placeOrder(limit);
    expect(await broker.cancelOrder(quiet.orderId)).toBe(true);
    await until(() => updates.some((event) => event.order.orderId === quiet.orderId), 'cancel reported');
    await settle(20);
    const transitions = (orderId: string) =>
      updates
        .filter((event) => event.order.orderId === orderId)
        .map((event) => `${event.previousStatus ?? '-'}>${event.order.status}`);
    expect(transitions(heard.orderId)).toEqual(['PENDING>SUBMITTED']);
    expect(transitions(quiet.orderId)).toEqual(['SUBMITTED>CANCELLED']);
    expect(broker.health().openOrders).toBe(1);
  });

  test('duplicate OPEN_ORDER / ORDER_STATUS pairs give one update per change', async () => {
    const { sim, broker } = await simWithBroker();
    await broker.connect();
    sim.control.duplicateOrderMessages(2);
    const updates: OrderUpdateEvent[] = [];
    broker.on('orderUpdate', (event) => updates.push(event));
    const ack = await broker.placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 5, orderType: 'MARKET' });
    await until(() => updates.some((event) => event.order.status === 'FILLED'), 'filled', sim);
    await settle(20);
    const statuses = updates
      .filter((event) => event.order.orderId === ack.orderId)
      .map((event) => event.order.status);
    expect(statuses.filter((status) => status === 'FILLED')).toHaveLength(1);
    expect(new Set(statuses).size).toBe(statuses.length);
  });

  test('a withheld EXECUTION_DATA_END does not keep the broker from reconnecting', async () => {
    const { sim, broker } = await simWithBroker({ requestTimeoutMs: 300 });
    await broker.connect();
    const ack = await broker.placeOrder({
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice: 100,
    });
    sim.control.withholdEndMarker('EXECUTION_DATA_END');
    sim.control.dropConnections();
    await until(() => broker.connectionState === 'reconnecting', 'the drop is noticed');
    await until(() => broker.isConnected(), 'reconnected', undefined, 3_000);
    expect(await broker.getOrderStatus(ack.orderId)).toBe('SUBMITTED');
  });

  test('the account summary and positions come from TWS for the configured account', async () => {
    const { broker } = await simWithBroker();
    await broker.connect();
    const balance = await broker.getAccountBalance();
    expect(balance).toMatchObject({ currency: 'USD' });
    expect(balance.equity).toBeCloseTo(1_000_000, -2);
    expect(balance.raw).toMatchObject({ account: SIM_ACCOUNT });
    expect((balance.raw as { tags: Record<string, number> }).tags.ExcessLiquidity).toBeGreaterThan(0);
  });
});
