import {
  AuthenticationError,
  BrokerConnectionError,
  type BrokerOptions,
  InsufficientFundsError,
  InvalidConfigError,
  InvalidSymbolError,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  type OrderUpdateEvent,
} from '@brokerkit/core';
import { type Contract, type Order, OrderAction, OrderType, SecType } from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { type IbkrConfigInput, ibkrConfigSchema } from './config.js';
import { IbkrBroker } from './ibkr-broker.js';
import { IB_UNSET_DOUBLE } from './margin-preview.js';
import { FakeTws } from './test-support/fake-tws.js';

const brokers: IbkrBroker[] = [];

function setup(config: IbkrConfigInput = {}, options: BrokerOptions = {}) {
  const tws = new FakeTws();
  const broker = new IbkrBroker(
    ibkrConfigSchema.parse({ accountId: 'DU111111', reconnect: { initialDelayMs: 20 }, ...config }),
    options,
    { createApi: tws.factory },
  );
  brokers.push(broker);
  return { tws, broker };
}

const until = async (check: () => boolean, what: string, ms = 3_000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const buy = {
  symbol: 'AAPL',
  side: 'BUY' as const,
  quantity: 10,
  orderType: 'LIMIT' as const,
  limitPrice: 200,
};

afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.disconnect().catch(() => {})));
});

describe('connecting', () => {
  test('ready only at NEXT_VALID_ID, on the configured client id', async () => {
    const { tws, broker } = setup({ clientId: 7 });
    await broker.connect();
    expect(broker.isConnected()).toBe(true);
    expect(broker.clientId).toBe(7);
    expect(broker.accountId).toBe('DU111111');
    expect(tws.apis).toHaveLength(1);
  });

  test('client id in use (326): tries 1-10 and reports the one it got', async () => {
    const { tws, broker } = setup({ clientId: 1 });
    for (const id of [1, 2, 3]) tws.heldClientIds.add(id);
    await broker.connect();
    expect(broker.clientId).toBe(4);
    expect(tws.apis.map((api) => api.clientId)).toEqual([1, 2, 3, 4]);
  });

  test('all of 1-10 in use: a clear BrokerConnectionError naming them', async () => {
    const { tws, broker } = setup({ clientId: 1 });
    for (let id = 1; id <= 10; id++) tws.heldClientIds.add(id);
    const error = await broker.connect().catch((e: unknown) => e);
    expect(BrokerConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/client ids 1-10 are already in use/);
    expect((error as BrokerConnectionError).brokerCode).toBe(326);
    expect(broker.connectionState).toBe('disconnected');
  });

  test('without clientIdRetry only the configured id is tried', async () => {
    const { tws, broker } = setup({ clientId: 5, clientIdRetry: false });
    tws.heldClientIds.add(5);
    await expect(broker.connect()).rejects.toThrow(/client id 5 is already in use/);
    expect(tws.apis).toHaveLength(1);
  });

  test('refused: BrokerConnectionError with the hints', async () => {
    const { tws, broker } = setup();
    tws.refuse = true;
    const error = (await broker.connect().catch((e: unknown) => e)) as BrokerConnectionError;
    expect(BrokerConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.hint).toMatch(/running/);
    expect(error.hint).toMatch(/4002 paper, 4001 live/);
    expect(error.hint).toMatch(/API is enabled/);
  });

  test('an account the login does not manage: "Account not available"', async () => {
    const { broker } = setup({ accountId: 'DU999999' });
    const error = (await broker.connect().catch((e: unknown) => e)) as AuthenticationError;
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/Account not available: DU999999/);
    expect(error.message).toMatch(/DU111111/);
    expect(error.hint).toMatch(/trading permissions/);
    expect(broker.isConnected()).toBe(false);
  });

  test('several managed accounts and no accountId: the config must say which', async () => {
    const tws = new FakeTws();
    tws.accounts = ['DU1', 'DU2'];
    const broker = new IbkrBroker(ibkrConfigSchema.parse({}), {}, { createApi: tws.factory });
    brokers.push(broker);
    const error = (await broker.connect().catch((e: unknown) => e)) as InvalidConfigError;
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect(error.issues[0]?.path).toBe('accountId');
  });

  test('farm notices (2104, 2106, 2158) never surface as errors', async () => {
    const { broker } = setup();
    const states: string[] = [];
    broker.on('connectionState', (event) => states.push(event.state));
    await broker.connect();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(broker.health().lastError).toBeUndefined();
    expect(states).toEqual(['connecting', 'connected']);
  });
});

describe('orders', () => {
  test('placement: orderRef carries the client order id, transmit is explicit, ack at Submitted', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const ack = await broker.placeOrder({ ...buy, clientOrderId: 'my-1' });
    expect(ack).toMatchObject({ orderId: '1000', clientOrderId: 'my-1', status: 'SUBMITTED' });
    const [call] = tws.calls('placeOrder');
    const order = call?.args[2] as Order;
    expect(order).toMatchObject({
      orderRef: 'my-1',
      transmit: true,
      account: 'DU111111',
      orderType: 'LMT',
      lmtPrice: 200,
    });
    expect(call?.args[1]).toMatchObject({ conId: 265598, exchange: 'SMART' });
    // The contract is looked up once and cached.
    await broker.placeOrder(buy);
    expect(tws.calls('reqContractDetails')).toHaveLength(1);
    expect((await broker.getOrder(ack.orderId)).clientOrderId).toBe('my-1');
  });

  test('orders well under the pacing limit are each written at once, none held for a refill', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    await broker.placeOrder(buy); // looks the contract up
    const writtenAtCall: boolean[] = [];
    for (let order = 0; order < 12; order++) {
      // 60 ms apart: about 17 messages a second against the pacer's 45.
      await new Promise((resolve) => setTimeout(resolve, 60));
      const before = tws.calls('placeOrder').length;
      const placed = broker.placeOrder(buy);
      writtenAtCall.push(tws.calls('placeOrder').length === before + 1);
      await placed;
    }
    expect(writtenAtCall).toEqual(Array.from({ length: 12 }, () => true));
  });

  test('createdAt is when TWS acknowledged the order, as the layer documents it', async () => {
    let clock = 1_700_000_000_000;
    const { broker } = setup({}, { now: () => clock });
    await broker.connect();
    await broker.placeOrder(buy); // looks the contract up
    clock += 1_000;
    const placing = broker.placeOrder(buy); // written now
    clock += 250; // TWS answers in a later turn
    const ack = await placing;
    expect(ack.createdAt).toBe(clock);
    const record = await broker.getOrder(ack.orderId);
    expect(record.createdAt).toBe(clock);
    expect(record.updatedAt).toBe(clock);
  });

  test('an order TWS has not reported yet gets its times when a record of it is first made', async () => {
    let clock = 1_700_000_000_000;
    const { tws, broker } = setup({}, { now: () => clock });
    await broker.connect();
    await broker.placeOrder(buy); // looks the contract up
    tws.stall = true;
    const placing = broker.placeOrder({ ...buy, clientOrderId: 'unanswered-1' });
    placing.catch(() => {});
    clock += 500;
    const record = await broker.findOrderByClientOrderId('unanswered-1');
    expect(record).toMatchObject({ status: 'PENDING', createdAt: clock, updatedAt: clock });
  });

  test("updatedAt moves when the order changes, not on TWS's repeats or PreSubmitted -> Submitted", async () => {
    let clock = 1_700_000_000_000;
    const { tws, broker } = setup({}, { now: () => clock });
    tws.onPlace = (api, orderId, contract, order) =>
      api.acknowledge(orderId, contract, order, 'PreSubmitted');
    await broker.connect();
    clock += 5;
    const ack = await broker.placeOrder(buy);
    const id = Number(ack.orderId);
    const [call] = tws.calls('placeOrder');
    const [, contract, order] = call!.args as [number, Contract, Order];
    const acknowledgedAt = (await broker.getOrder(ack.orderId)).updatedAt;
    expect(acknowledgedAt).toBe(clock);

    clock += 1_000;
    tws.current.acknowledge(id, contract, order, 'Submitted'); // an IB-only step
    tws.current.acknowledge(id, contract, order, 'Submitted'); // a repeat
    await new Promise((resolve) => setImmediate(resolve));
    const stepped = await broker.getOrder(ack.orderId);
    expect(stepped.raw).toMatchObject({ ibStatus: 'Submitted' });
    expect(stepped.updatedAt).toBe(acknowledgedAt);

    clock += 1_000;
    tws.current.acknowledge(id, contract, order, 'Submitted', 4); // a partial fill
    await new Promise((resolve) => setImmediate(resolve));
    const filled = await broker.getOrder(ack.orderId);
    expect(filled).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 4 });
    expect(filled.updatedAt).toBe(clock);
  });

  test('an unknown symbol is InvalidSymbolError and nothing is placed', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const error = await broker.placeOrder({ ...buy, symbol: 'NOPE' }).catch((e: unknown) => e);
    expect(InvalidSymbolError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/NOPE/);
    expect(tws.calls('placeOrder')).toHaveLength(0);
  });

  test('an ambiguous contract is InvalidSymbolError listing the candidates', async () => {
    const { tws, broker } = setup();
    tws.contracts.set('GC', [
      {
        contract: {
          conId: 1,
          symbol: 'GC',
          secType: 'FUT' as never,
          exchange: 'COMEX',
          currency: 'USD',
          lastTradeDateOrContractMonth: '20241227',
          multiplier: 100,
        },
      },
      {
        contract: {
          conId: 2,
          symbol: 'GC',
          secType: 'FUT' as never,
          exchange: 'COMEX',
          currency: 'USD',
          lastTradeDateOrContractMonth: '20250226',
          multiplier: 100,
        },
      },
    ]);
    await broker.connect();
    const error = (await broker
      .placeOrder({ ...buy, symbol: 'GC', secType: 'FUT', lastTradeDateOrContractMonth: '2024' + '12' })
      .catch((e: unknown) => e)) as InvalidSymbolError;
    expect(InvalidSymbolError.isInstance(error)).toBe(true);
    expect(error.candidates).toHaveLength(2);
    expect(error.message).toMatch(/ambiguous/);
    expect(error.candidates[0]).toMatch(/conId 1/);
  });

  test('a margin reject (Inactive, then 201) is InsufficientFundsError', async () => {
    const { tws, broker } = setup();
    tws.onPlace = (api, orderId, contract, order) => {
      api.acknowledge(orderId, contract, order, 'Inactive');
      api.emit(
        'error',
        new Error(
          'Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. ... YOUR EQUITY WITH LOAN VALUE [100.00 USD] MUST EXCEED THE INITIAL MARGIN [2000.00 USD]',
        ),
        201,
        orderId,
      );
    };
    await broker.connect();
    const error = await broker.placeOrder(buy).catch((e: unknown) => e);
    expect(InsufficientFundsError.isInstance(error)).toBe(true);
    expect(broker.health().trackedOrders).toBe(0);
  });

  test('cancel: 202 confirms (true); a final order resolves false; an unknown id is OrderNotFoundError', async () => {
    const { broker } = setup();
    await broker.connect();
    const ack = await broker.placeOrder(buy);
    expect(await broker.cancelOrder(ack.orderId)).toBe(true);
    expect(await broker.getOrderStatus(ack.orderId)).toBe('CANCELLED');
    expect(await broker.cancelOrder(ack.orderId)).toBe(false);
    await expect(broker.cancelOrder('424242')).rejects.toSatisfy(OrderNotFoundError.isInstance);
  });

  test('cancel of an order that filled meanwhile (10148, state: Filled) resolves false', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const ack = await broker.placeOrder(buy);
    const known = tws.orders.get(Number(ack.orderId))!;
    known.status = 'Filled'; // filled at TWS, news not yet here
    expect(await broker.cancelOrder(ack.orderId)).toBe(false);
  });

  test('modify re-sends the same order id with the new terms', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const ack = await broker.placeOrder(buy);
    const record = await broker.modifyOrder(ack.orderId, { limitPrice: 190, quantity: 20 });
    expect(record).toMatchObject({
      orderId: ack.orderId,
      limitPrice: 190,
      quantity: 20,
      status: 'SUBMITTED',
    });
    const calls = tws.calls('placeOrder');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0]).toBe(Number(ack.orderId));
    expect(calls[1]?.args[2]).toMatchObject({
      orderRef: ack.clientOrderId,
      transmit: true,
      lmtPrice: 190,
      totalQuantity: 20,
    });
  });

  test('an order TWS reports (placed elsewhere) is found again by its orderRef alone', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const contract: Contract = {
      conId: 265598,
      symbol: 'AAPL',
      secType: SecType.STK,
      exchange: 'SMART',
      currency: 'USD',
    };
    const order: Order = {
      orderId: 900,
      orderRef: 'placed-in-tws-1',
      action: OrderAction.BUY,
      orderType: OrderType.LMT,
      totalQuantity: 5,
      lmtPrice: 150,
      tif: 'DAY',
    };
    tws.current.emit('openOrder', 900, contract, order, { status: 'Submitted' });
    // An execution without the order's id or permId: only the orderRef ties it to the order.
    tws.current.emit('execDetails', -1, contract, {
      orderId: 0,
      execId: 'exec-orderref-1',
      shares: 5,
      price: 150,
      side: 'BOT',
      orderRef: 'placed-in-tws-1',
      time: '20261124 10:00:00',
    });
    expect(await broker.getOrder('900')).toMatchObject({
      clientOrderId: 'placed-in-tws-1',
      filledQuantity: 5,
      status: 'FILLED',
    });
  });

  test('a modify to the terms the order already has is confirmed by TWS echoing them', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const ack = await broker.placeOrder(buy);
    // The echo repeats the order exactly as it stands: nothing changes, yet it answers the modify.
    const record = await broker.modifyOrder(ack.orderId, { limitPrice: buy.limitPrice });
    expect(record).toMatchObject({ orderId: ack.orderId, limitPrice: buy.limitPrice, status: 'SUBMITTED' });
    expect(tws.calls('placeOrder')).toHaveLength(2);
  });
});

describe('margin preview', () => {
  test('a preliminary answer is skipped; the final one carries margins, commission and every warning', async () => {
    const { tws, broker } = setup();
    tws.onPlace = (api, orderId, contract, order) => {
      expect(order.whatIf).toBe(true);
      expect(order.transmit).toBe(true);
      const unset = { initMarginChange: IB_UNSET_DOUBLE, maintMarginChange: IB_UNSET_DOUBLE };
      api.emit(
        'openOrder',
        orderId,
        contract,
        { ...order, orderId },
        { status: 'PreSubmitted', warningText: 'preliminary', ...unset },
      );
      api.emit(
        'error',
        new Error(
          'Order Message:\nBUY 10 AAPL\nWarning: your order will not be placed at the exchange until 09:30',
        ),
        399,
        orderId,
      );
      api.emit(
        'openOrder',
        orderId,
        contract,
        { ...order, orderId },
        {
          status: 'PreSubmitted',
          initMarginBefore: 0,
          maintMarginBefore: 0,
          equityWithLoanBefore: 100_000,
          initMarginChange: 500,
          maintMarginChange: 450,
          equityWithLoanChange: -1,
          initMarginAfter: 500,
          maintMarginAfter: 450,
          equityWithLoanAfter: 99_999,
          commission: 1,
          commissionCurrency: 'USD',
        },
      );
    };
    await broker.connect();
    const impact = await broker.getOrderMarginImpact(buy);
    expect(impact).toMatchObject({
      currency: 'USD',
      initialMargin: 500,
      maintenanceMargin: 450,
      commission: 1,
    });
    expect(impact.before).toEqual({ initialMargin: 0, maintenanceMargin: 0, equityWithLoan: 100_000 });
    expect(impact.warnings).toEqual(['preliminary', expect.stringMatching(/will not be placed/)]);
    expect(await broker.getOpenOrders()).toEqual([]);
  });

  test('readonly refuses it before anything is sent', async () => {
    const { tws, broker } = setup({ readonly: true });
    await broker.connect();
    await expect(broker.getOrderMarginImpact(buy)).rejects.toSatisfy(NotSupportedError.isInstance);
    expect(tws.calls('placeOrder')).toHaveLength(0);
    expect(tws.calls('reqContractDetails')).toHaveLength(0);
  });
});

describe('account', () => {
  test('balance from the account summary tags; the subscription is cancelled', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const balance = await broker.getAccountBalance();
    expect(balance).toMatchObject({
      currency: 'USD',
      equity: 100_000,
      cash: 90_000,
      buyingPower: 400_000,
      marginUsed: 2500,
      marginAvailable: 97_500,
      initialMargin: 2500,
      maintenanceMargin: 2000,
    });
    expect(tws.calls('reqAccountSummary')[0]?.args[2]).toMatch(/NetLiquidation.*ExcessLiquidity/);
    await until(() => tws.calls('cancelAccountSummary').length === 1, 'the summary is cancelled');
  });

  test('positions of the account, futures at the per-unit price, zero rows dropped', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const positions = await broker.getOpenPositions();
    expect(positions).toEqual([
      expect.objectContaining({ symbol: 'ES', secType: 'FUT', quantity: 2, averagePrice: 5000 }),
    ]);
    await until(() => tws.calls('cancelPositions').length === 1, 'the stream is cancelled');
  });

  test('a positions request that gets no answer throws, never []', async () => {
    const { tws, broker } = setup({}, { timeouts: { getOpenPositions: 100 } });
    await broker.connect();
    tws.stall = true;
    await expect(broker.getOpenPositions()).rejects.toThrow(/timed out/);
  });
});

describe('dropped connections', () => {
  test('calls while reconnecting fail fast; nothing is queued for later', async () => {
    const { tws, broker } = setup({ reconnect: { initialDelayMs: 200 } });
    await broker.connect();
    const first = tws.current;
    tws.refuse = true;
    first.drop();
    expect(broker.connectionState).toBe('reconnecting');
    await expect(broker.placeOrder(buy)).rejects.toSatisfy(BrokerConnectionError.isInstance);
    await expect(broker.getAccountBalance()).rejects.toSatisfy(BrokerConnectionError.isInstance);
    tws.refuse = false;
    await until(() => broker.isConnected(), 'reconnected');
    expect(
      tws.sent.filter((call) => call.method === 'placeOrder' || call.method === 'reqAccountSummary'),
    ).toEqual([]);
    expect(broker.clientId).toBe(1);
  });

  test('an order whose acknowledgement was lost is outcome-unknown, then resolved by its client order id', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const updates: OrderUpdateEvent[] = [];
    broker.on('orderUpdate', (event) => updates.push(event));
    // TWS accepts the order but the socket drops before the acknowledgement arrives.
    tws.onPlace = (api, orderId, contract, order) => {
      tws.orders.set(orderId, { contract, order, status: 'Submitted', clientId: api.clientId });
      api.drop();
    };
    const error = (await broker
      .placeOrder({ ...buy, clientOrderId: 'lost-ack' })
      .catch((e: unknown) => e)) as OrderOutcomeUnknownError;
    expect(OrderOutcomeUnknownError.isInstance(error)).toBe(true);
    expect(error.clientOrderId).toBe('lost-ack');
    await until(() => broker.isConnected(), 'reconnected');
    const found = await broker.findOrderByClientOrderId('lost-ack');
    expect(found).toMatchObject({ clientOrderId: 'lost-ack', status: 'SUBMITTED', orderId: '1000' });
    expect(updates.some((event) => event.order.clientOrderId === 'lost-ack')).toBe(true);
    expect(tws.calls('placeOrder')).toHaveLength(1); // never re-sent
  });

  test('an order that never reached TWS is concluded REJECTED ("not placed") after the reconnect', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    tws.onPlace = (api) => api.drop(); // lost on the wire
    await expect(broker.placeOrder({ ...buy, clientOrderId: 'never-arrived' })).rejects.toSatisfy(
      OrderOutcomeUnknownError.isInstance,
    );
    await until(() => broker.isConnected(), 'reconnected');
    const found = await broker.findOrderByClientOrderId('never-arrived');
    expect(found?.status).toBe('REJECTED');
    expect(found?.statusMessage).toMatch(/not placed/);
  });

  test('a working order that ended while disconnected gets its true status', async () => {
    const { tws, broker } = setup();
    await broker.connect();
    const ack = await broker.placeOrder(buy);
    tws.current.drop();
    tws.orders.get(Number(ack.orderId))!.status = 'Cancelled';
    await until(() => broker.isConnected(), 'reconnected');
    expect(await broker.getOrderStatus(ack.orderId)).toBe('CANCELLED');
  });
});
