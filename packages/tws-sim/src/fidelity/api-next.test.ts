import {
  ConnectionState,
  IBApiNext,
  type IBApiNextError,
  IBApiTickType,
  type OpenOrder,
  OrderStatus,
  SecType,
} from '@stoqey/ib';
import { filter, firstValueFrom, type Observable, take, toArray } from 'rxjs';
import { afterEach, describe, expect, test } from 'vitest';
import { startTwsSim, type TwsSim } from '../start-tws-sim.js';
import { AAPL, limitOrder, marketOrder } from '../test-support/contracts.js';
import { waitUntil } from '../test-support/wait-until.js';

let sim: TwsSim | undefined;
let api: IBApiNext | undefined;
let errors: IBApiNextError[] = [];

async function setUp(options: { reconnectInterval?: number } = {}): Promise<IBApiNext> {
  sim = await startTwsSim({ clock: 'virtual', simulatorOptions: { priceStepMs: 0 } });
  api = new IBApiNext({ host: sim.host, port: sim.port, maxReqPerSec: 1000, ...options });
  errors = [];
  api.error.subscribe((error) => errors.push(error));
  api.connect(11);
  await firstValueFrom(api.connectionState.pipe(filter((state) => state === ConnectionState.Connected)));
  // "Connected" comes with the server-version frame, before TWS has accepted the client id; a
  // round trip makes sure the session is ready.
  await api.getCurrentTime();
  return api;
}

afterEach(async () => {
  // The fidelity oracle: no decode errors (505-508) from the real client, ever.
  expect(errors.filter((error) => error.code >= 505 && error.code <= 508)).toEqual([]);
  api?.disconnect();
  api = undefined;
  await sim?.close();
  sim = undefined;
});

const first = <T>(observable: Observable<T>, predicate: (value: T) => boolean = () => true) =>
  firstValueFrom(observable.pipe(filter(predicate)));

describe('IBApiNext against the simulator', () => {
  test('current time and managed accounts', async () => {
    const next = await setUp();
    expect(await next.getCurrentTime()).toBe(Math.floor(sim!.simulator.clock.now() / 1000));
    expect(await next.getManagedAccounts()).toEqual(['DU123456']);
    expect(errors).toEqual([]);
  });

  test('contract details resolve for a known contract and reject with 200 for an unknown one', async () => {
    const next = await setUp();
    const details = await next.getContractDetails(AAPL);
    expect(details).toHaveLength(1);
    expect(details[0]!.contract).toMatchObject({ conId: 265598, symbol: 'AAPL' });
    await expect(
      next.getContractDetails({ symbol: 'NOSUCH', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }),
    ).rejects.toMatchObject({
      code: 200,
    });
  });

  test('placeNewOrder, open orders matched by permId, modify and cancel', async () => {
    const next = await setUp();
    const orderId = await next.placeNewOrder(AAPL, limitOrder('BUY', 100, 200));
    expect(orderId).toBeGreaterThanOrEqual(1000);
    const open: OpenOrder[] = await next.getAllOpenOrders();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      orderId,
      contract: { symbol: 'AAPL' },
      order: { lmtPrice: 200, totalQuantity: 100 },
      orderState: { status: OrderStatus.Submitted },
      orderStatus: { status: OrderStatus.Submitted, remaining: 100 },
    });
    next.modifyOrder(orderId, AAPL, limitOrder('BUY', 100, 201));
    const [modified] = await next.getAllOpenOrders();
    expect(modified?.order.lmtPrice).toBe(201);
    next.cancelOrder(orderId);
    await waitUntil(() => errors.some((error) => error.code === 202));
    expect(await next.getAllOpenOrders()).toEqual([]);
    expect(errors.map((error) => [error.code, error.reqId])).toEqual([[202, orderId]]);
  });

  test("getOpenOrders (one-shot in 1.6.x: it completes at OPEN_ORDER_END) lists this client's working orders", async () => {
    const next = await setUp();
    const orderId = await next.placeNewOrder(AAPL, limitOrder('SELL', 10, 250));
    const updates = await firstValueFrom(next.getOpenOrders().pipe(toArray()));
    expect(updates.at(-1)?.all).toEqual([
      expect.objectContaining({
        orderId,
        order: expect.objectContaining({ action: 'SELL' }),
        orderStatus: expect.objectContaining({ status: OrderStatus.Submitted }),
      }),
    ]);
  });

  test('positions stream: the first update, then changes from fills', async () => {
    const next = await setUp();
    await next.placeNewOrder(AAPL, marketOrder('BUY', 100));
    // One subscription for the whole test: unsubscribing would send CANCEL_POSITIONS.
    const updates: Array<{ pos: number | undefined; changed: boolean }> = [];
    const subscription = next
      .getPositions()
      .subscribe((update) =>
        updates.push({ pos: update.all.get('DU123456')?.[0]?.pos, changed: update.changed !== undefined }),
      );
    try {
      await waitUntil(() => updates.length === 1);
      expect(updates[0]).toEqual({ pos: 100, changed: false });
      await next.placeNewOrder(AAPL, marketOrder('BUY', 50));
      await waitUntil(() => updates.some((update) => update.pos === 150));
      expect(updates.at(-1)).toEqual({ pos: 150, changed: true });
    } finally {
      subscription.unsubscribe();
    }
  });

  test('account summary and account updates', async () => {
    const next = await setUp();
    const summary = await first(next.getAccountSummary('All', 'NetLiquidation,TotalCashValue,BuyingPower'));
    const values = summary.all.get('DU123456');
    expect(values?.get('NetLiquidation')?.get('USD')?.value).toBe('1000000.00');
    expect(values?.get('TotalCashValue')?.get('USD')?.value).toBe('1000000.00');
    await next.placeNewOrder(AAPL, marketOrder('BUY', 10));
    const updates = await first(
      next.getAccountUpdates('DU123456'),
      (update) => update.all.portfolio?.get('DU123456') !== undefined,
    );
    expect(updates.all.portfolio?.get('DU123456')?.[0]).toMatchObject({
      pos: 10,
      contract: expect.objectContaining({ symbol: 'AAPL' }),
    });
    expect(updates.all.value?.get('DU123456')?.get('NetLiquidation')?.get('USD')?.value).toBe('999999.00');
  });

  test('execution details and commission reports', async () => {
    const next = await setUp();
    const orderId = await next.placeNewOrder(AAPL, marketOrder('BUY', 100));
    // Let the live fill (EXECUTION_DATA with reqId -1) arrive first: stoqey 1.6.x adds live
    // executions to every pending getExecutionDetails, whatever their reqId.
    await next.getCurrentTime();
    const executions = await next.getExecutionDetails({});
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({
      contract: { symbol: 'AAPL' },
      execution: { orderId, shares: 100, price: 225, side: 'BOT' },
    });
    const reports = await next.getCommissionReport({});
    expect(reports).toEqual([
      expect.objectContaining({ execId: executions[0]!.execution.execId, commission: 1, currency: 'USD' }),
    ]);
  });

  test('market data snapshot and stream', async () => {
    const next = await setUp();
    const snapshot = await next.getMarketDataSnapshot(AAPL, '', false);
    expect(snapshot.get(IBApiTickType.BID)?.value).toBe(225);
    expect(snapshot.get(IBApiTickType.ASK)?.value).toBe(225);
    expect(snapshot.get(IBApiTickType.LAST)?.value).toBe(225);
    const lasts: number[] = [];
    const subscription = next.getMarketData(AAPL, '', false, false).subscribe((update) => {
      const last = update.all.get(IBApiTickType.LAST)?.value;
      if (last !== undefined && lasts.at(-1) !== last) lasts.push(last);
    });
    try {
      await waitUntil(() => lasts.length === 1);
      sim!.control.setPrice('AAPL', 226);
      await waitUntil(() => lasts.length === 2);
      expect(lasts).toEqual([225, 226]);
    } finally {
      subscription.unsubscribe();
    }
  });

  test('1100 makes IBApiNext drop the socket and reconnect; subscriptions come back', async () => {
    const next = await setUp({ reconnectInterval: 20 });
    const states = firstValueFrom(next.connectionState.pipe(take(3), toArray()));
    sim!.control.sendNotice(1100);
    expect(await states).toEqual([
      ConnectionState.Connected,
      ConnectionState.Disconnected,
      ConnectionState.Connecting,
    ]);
    await first(next.connectionState, (state) => state === ConnectionState.Connected);
    expect(await next.getCurrentTime()).toBeGreaterThan(0);
    expect(sim!.control.sessions().filter((session) => session.state === 'ready')).toHaveLength(1);
  });
});
