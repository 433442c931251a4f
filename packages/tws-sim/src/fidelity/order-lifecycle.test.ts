import {
  EventName,
  type Execution,
  type Order,
  type OrderState,
  OrderType,
  SecType,
  TimeInForce,
} from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { type StartTwsSimOptions, startTwsSim, type TwsSim } from '../start-tws-sim.js';
import { AAPL, limitOrder, marketOrder, stopOrder } from '../test-support/contracts.js';
import { IbHarness, type RecordedEvent } from '../test-support/ib-harness.js';

let sim: TwsSim | undefined;
const clients: IbHarness[] = [];

/** A simulator with frozen prices (AAPL at 225) unless a test moves them. */
async function start(options: StartTwsSimOptions = {}): Promise<TwsSim> {
  sim = await startTwsSim({
    clock: 'virtual',
    ...options,
    simulatorOptions: { priceStepMs: 0, ...options.simulatorOptions },
  });
  return sim;
}

async function connect(clientId = 1): Promise<IbHarness> {
  const client = await IbHarness.connect(sim!, clientId);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) {
    // The fidelity oracle: the real decoder never failed on anything the simulator sent.
    expect(client.decodeErrors()).toEqual([]);
    client.disconnect();
  }
  await sim?.close();
  sim = undefined;
});

/** Waits until every request sent so far has been answered (the server handles messages in order). */
async function barrier(client: IbHarness): Promise<void> {
  const mark = client.mark();
  client.ib.reqCurrentTime();
  await client.waitForEvent(EventName.currentTime, { from: mark });
}

/** `openOrder:<status>` / `orderStatus:<status>` / `error:<code>` / event name, without the barrier's events. */
function describeEvents(events: RecordedEvent[]): string[] {
  return events
    .filter((event) => event.name !== EventName.currentTime && event.name !== EventName.info)
    .map((event) => {
      if (event.name === EventName.openOrder) return `openOrder:${(event.args[3] as OrderState).status}`;
      if (event.name === EventName.orderStatus) return `orderStatus:${event.args[1] as string}`;
      if (event.name === EventName.error) return `error:${event.args[1] as number}`;
      return event.name;
    });
}

function statusEvents(events: RecordedEvent[]) {
  return events
    .filter((event) => event.name === EventName.orderStatus)
    .map((event) => {
      const [orderId, status, filled, remaining, avgFillPrice, permId, parentId, lastFillPrice, clientId] =
        event.args as number[];
      return { orderId, status, filled, remaining, avgFillPrice, permId, parentId, lastFillPrice, clientId };
    });
}

function errorsOf(client: IbHarness, from: number) {
  return client.errors(from).map(({ code, reqId, message }) => ({ code, reqId, message }));
}

async function place(client: IbHarness, orderId: number, order: Order, contract = AAPL): Promise<number> {
  const mark = client.mark();
  client.ib.placeOrder(orderId, contract, order);
  await barrier(client);
  return mark;
}

describe('order life cycles in the recorded message order (protocol doc 3)', () => {
  test('resting LMT: OPEN_ORDER -> ORDER_STATUS PreSubmitted -> OPEN_ORDER -> ORDER_STATUS Submitted', async () => {
    await start();
    const client = await connect(1);
    const mark = await place(client, 1000, limitOrder('BUY', 100, 200, { orderRef: 'strategy-7' }));
    expect(client.receivedIds.slice(-5)).toEqual([5, 3, 5, 3, 49]);
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:PreSubmitted',
      'orderStatus:PreSubmitted',
      'openOrder:Submitted',
      'orderStatus:Submitted',
    ]);
    const [orderId, contract, order] = client.since(mark)[0]!.args as [
      number,
      Record<string, unknown>,
      Order,
    ];
    expect(orderId).toBe(1000);
    expect(contract).toMatchObject({
      conId: 265598,
      symbol: 'AAPL',
      secType: 'STK',
      exchange: 'SMART',
      currency: 'USD',
      localSymbol: 'AAPL',
      tradingClass: 'NMS',
    });
    expect(order).toMatchObject({
      action: 'BUY',
      totalQuantity: 100,
      orderType: 'LMT',
      lmtPrice: 200,
      tif: 'DAY',
      account: 'DU123456',
      orderRef: 'strategy-7',
      clientId: 1,
    });
    const [status] = statusEvents(client.since(mark)).slice(-1);
    expect(status).toMatchObject({
      orderId: 1000,
      status: 'Submitted',
      filled: 0,
      remaining: 100,
      avgFillPrice: 0,
      parentId: 0,
      clientId: 1,
    });
    expect(status!.permId).toBe(order.permId);
  });

  test('fill: EXECUTION_DATA (reqId -1) -> OPEN_ORDER -> ORDER_STATUS Filled -> COMMISSION_REPORT', async () => {
    await start();
    const client = await connect(1);
    await place(client, 1000, limitOrder('BUY', 100, 200));
    const mark = client.mark();
    sim!.control.setPrice('AAPL', 199.5);
    await client.waitForEvent(EventName.commissionReport, { from: mark });
    expect(describeEvents(client.since(mark))).toEqual([
      'execDetails',
      'openOrder:Filled',
      'orderStatus:Filled',
      'commissionReport',
    ]);
    const [reqId, contract, execution] = client.since(mark)[0]!.args as [
      number,
      Record<string, unknown>,
      Execution,
    ];
    expect(reqId).toBe(-1);
    expect(contract).toMatchObject({ conId: 265598, symbol: 'AAPL', exchange: 'ISLAND' });
    expect(execution).toMatchObject({
      orderId: 1000,
      side: 'BOT',
      shares: 100,
      price: 200,
      cumQty: 100,
      avgPrice: 200,
      clientId: 1,
      acctNumber: 'DU123456',
      exchange: 'ISLAND',
    });
    expect(execution.time).toMatch(/^\d{8}-\d{2}:\d{2}:\d{2}$/);
    expect(statusEvents(client.since(mark))[0]).toMatchObject({
      status: 'Filled',
      filled: 100,
      remaining: 0,
      avgFillPrice: 200,
      lastFillPrice: 200,
    });
    const report = client.since(mark)[3]!.args[0] as Record<string, unknown>;
    expect(report).toMatchObject({
      execId: execution.execId,
      commission: 1,
      currency: 'USD',
      realizedPNL: undefined,
    });
  });

  test('a marketable order fills at once: PreSubmitted pair, then the fill sequence', async () => {
    await start();
    const client = await connect(1);
    const mark = client.mark();
    client.ib.placeOrder(1000, AAPL, marketOrder('BUY', 100));
    await client.waitForEvent(EventName.commissionReport, { from: mark });
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:PreSubmitted',
      'orderStatus:PreSubmitted',
      'execDetails',
      'openOrder:Filled',
      'orderStatus:Filled',
      'commissionReport',
    ]);
  });

  test('partial fills: each execution is followed by its status and commission report', async () => {
    await start({ simulatorOptions: { maxFillQuantity: 40, liquidityIntervalMs: 1_000 } });
    const client = await connect(1);
    const mark = client.mark();
    client.ib.placeOrder(1000, AAPL, marketOrder('BUY', 100));
    await client.waitForEvent(EventName.commissionReport, { from: mark });
    sim!.control.advanceClock(2_000);
    await barrier(client);
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:PreSubmitted',
      'orderStatus:PreSubmitted',
      'execDetails',
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'commissionReport',
      'execDetails',
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'commissionReport',
      'execDetails',
      'openOrder:Filled',
      'orderStatus:Filled',
      'commissionReport',
    ]);
    expect(statusEvents(client.since(mark)).map((status) => [status.filled, status.remaining])).toEqual([
      [0, 100],
      [40, 60],
      [80, 20],
      [100, 0],
    ]);
  });

  test('modify (same id): a new OPEN_ORDER + ORDER_STATUS with the new price', async () => {
    await start();
    const client = await connect(1);
    await place(client, 1000, limitOrder('BUY', 100, 200));
    const mark = await place(client, 1000, limitOrder('BUY', 150, 201.5));
    expect(describeEvents(client.since(mark))).toEqual(['openOrder:Submitted', 'orderStatus:Submitted']);
    expect(client.since(mark)[0]!.args[2]).toMatchObject({ lmtPrice: 201.5, totalQuantity: 150 });
    expect(statusEvents(client.since(mark))[0]).toMatchObject({ remaining: 150 });
    // A modification to a marketable price fills after its acknowledgement.
    const fillMark = await place(client, 1000, limitOrder('BUY', 150, 226));
    await client.waitForEvent(EventName.commissionReport, { from: fillMark });
    expect(describeEvents(client.since(fillMark))).toEqual([
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'execDetails',
      'openOrder:Filled',
      'orderStatus:Filled',
      'commissionReport',
    ]);
  });

  test('modify errors: 105 for another side, 104 once filled, 103 for a finished id', async () => {
    await start();
    const client = await connect(1);
    await place(client, 1000, limitOrder('BUY', 100, 200));
    let mark = await place(client, 1000, limitOrder('SELL', 100, 200));
    expect(errorsOf(client, mark)).toEqual([
      { code: 105, reqId: 1000, message: 'Order being modified does not match original order.' },
    ]);
    await place(client, 1001, marketOrder('BUY', 10));
    mark = await place(client, 1001, marketOrder('BUY', 20));
    expect(errorsOf(client, mark)).toEqual([
      { code: 104, reqId: 1001, message: 'Cannot modify a filled order.' },
    ]);
    client.ib.cancelOrder(1000);
    await barrier(client);
    mark = await place(client, 1000, limitOrder('BUY', 100, 200));
    expect(errorsOf(client, mark)).toEqual([{ code: 103, reqId: 1000, message: 'Duplicate order id' }]);
  });

  test('cancel: ORDER_STATUS Cancelled + 202; re-cancel 10148; unknown id 10147', async () => {
    await start();
    const client = await connect(1);
    await place(client, 1000, limitOrder('BUY', 100, 200));
    let mark = client.mark();
    client.ib.cancelOrder(1000);
    await barrier(client);
    expect(describeEvents(client.since(mark))).toEqual(['orderStatus:Cancelled', 'error:202']);
    expect(client.receivedIds.slice(-3)).toEqual([3, 4, 49]);
    expect(errorsOf(client, mark)).toEqual([{ code: 202, reqId: 1000, message: 'Order Canceled - reason:' }]);
    expect(statusEvents(client.since(mark))[0]).toMatchObject({
      status: 'Cancelled',
      filled: 0,
      remaining: 0,
    });
    mark = client.mark();
    client.ib.cancelOrder(1000);
    client.ib.cancelOrder(4242);
    await barrier(client);
    expect(errorsOf(client, mark)).toEqual([
      {
        code: 10148,
        reqId: 1000,
        message: 'OrderId 1000 that needs to be cancelled cannot be cancelled, state: Cancelled.',
      },
      { code: 10147, reqId: 4242, message: 'OrderId 4242 that needs to be cancelled is not found.' },
    ]);
  });

  test('re-cancel of a filled order: 10148 with state Filled', async () => {
    await start();
    const client = await connect(1);
    await place(client, 1000, marketOrder('BUY', 100));
    const mark = client.mark();
    client.ib.cancelOrder(1000);
    await barrier(client);
    expect(errorsOf(client, mark)).toEqual([
      {
        code: 10148,
        reqId: 1000,
        message: 'OrderId 1000 that needs to be cancelled cannot be cancelled, state: Filled.',
      },
    ]);
  });

  test('a cancel that loses the race to a fill: PendingCancel, the fill, then 161', async () => {
    await start({ simulatorOptions: { cancelDelayMs: 1_000 } });
    const client = await connect(1);
    await place(client, 1000, limitOrder('BUY', 100, 200));
    const mark = client.mark();
    client.ib.cancelOrder(1000);
    await barrier(client);
    sim!.control.setPrice('AAPL', 199);
    sim!.control.advanceClock(1_000);
    await client.waitFor((event) => event.name === EventName.error && event.args[1] === 161, { from: mark });
    expect(describeEvents(client.since(mark))).toEqual([
      'orderStatus:PendingCancel',
      'execDetails',
      'openOrder:Filled',
      'orderStatus:Filled',
      'commissionReport',
      'error:161',
    ]);
    const permId = statusEvents(client.since(mark))[0]!.permId;
    expect(errorsOf(client, mark).at(-1)?.message).toBe(
      `Cancel attempted when order is not in a cancellable state.  Order permId =${permId}`,
    );
  });

  test('IOC not filled: OPEN_ORDER -> ORDER_STATUS PendingCancel -> ORDER_STATUS Cancelled, no 202', async () => {
    await start();
    const client = await connect(1);
    const mark = await place(client, 1000, limitOrder('BUY', 100, 200, { tif: TimeInForce.IOC }));
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:PendingCancel',
      'orderStatus:PendingCancel',
      'orderStatus:Cancelled',
    ]);
  });

  test('FOK on a stock: OPEN_ORDER -> ORDER_STATUS Inactive', async () => {
    await start();
    const client = await connect(1);
    const mark = await place(client, 1000, limitOrder('BUY', 100, 230, { tif: TimeInForce.FOK }));
    expect(describeEvents(client.since(mark))).toEqual(['openOrder:Inactive', 'orderStatus:Inactive']);
  });

  test('scripted reject: ORDER_STATUS Inactive + 201 with the reason', async () => {
    await start();
    const client = await connect(1);
    sim!.control.rejectNextOrder('No Trading Permission');
    const mark = await place(client, 1000, limitOrder('BUY', 100, 200));
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:Inactive',
      'orderStatus:Inactive',
      'error:201',
    ]);
    expect(errorsOf(client, mark)).toEqual([
      { code: 201, reqId: 1000, message: 'Order rejected - reason:No Trading Permission' },
    ]);
  });

  test('insufficient funds: 201 with the margin text', async () => {
    await start({ cash: 1_000 });
    const client = await connect(1);
    const mark = await place(client, 1000, marketOrder('BUY', 100));
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:Inactive',
      'orderStatus:Inactive',
      'error:201',
    ]);
    expect(errorsOf(client, mark)[0]!.message).toMatch(
      /^Order rejected - reason:YOUR ORDER IS NOT ACCEPTED\. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE \[1000\.00 USD\] MUST EXCEED THE INITIAL MARGIN \[\d+\.\d{2} USD\]$/,
    );
  });

  test('validation errors: 200 unknown contract, 321 invalid type, 110 off tick, 103 used id, 413 whatIf without transmit, 111 TIF, 200 ambiguous', async () => {
    await start();
    const client = await connect(1);
    const mark = client.mark();
    client.ib.placeOrder(1000, { ...AAPL, symbol: 'NOSUCH' }, marketOrder('BUY', 1));
    client.ib.placeOrder(1001, AAPL, { ...marketOrder('BUY', 1), orderType: 'bF' as Order['orderType'] });
    client.ib.placeOrder(1002, AAPL, limitOrder('BUY', 1, 200.005));
    client.ib.placeOrder(999, AAPL, marketOrder('BUY', 1));
    client.ib.placeOrder(1003, AAPL, marketOrder('BUY', 1, { whatIf: true, transmit: false }));
    client.ib.placeOrder(1004, AAPL, stopOrder('SELL', 1, 200, { tif: TimeInForce.IOC }));
    client.ib.placeOrder(
      1005,
      { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' },
      marketOrder('BUY', 1),
    );
    await barrier(client);
    expect(errorsOf(client, mark)).toEqual([
      { code: 200, reqId: 1000, message: 'No security definition has been found for the request' },
      {
        code: 321,
        reqId: 1001,
        message: "Error validating request.-'bF' : cause - Invalid order type was entered",
      },
      {
        code: 110,
        reqId: 1002,
        message: 'The price does not conform to the minimum price variation for this contract.',
      },
      { code: 103, reqId: 999, message: 'Duplicate order id' },
      { code: 413, reqId: 1003, message: 'What-if order should have the transmit flag set to true.' },
      { code: 111, reqId: 1004, message: 'Invalid Time in Force/Order Type combination.' },
      { code: 200, reqId: 1005, message: 'The contract description specified for ES is ambiguous.' },
    ]);
    expect(describeEvents(client.since(mark)).filter((name) => !name.startsWith('error'))).toEqual([]);
    // None of them became an order.
    expect(sim!.control.orders()).toEqual([]);
  });

  test('transmit=false: nothing until the same id is sent with transmit=1', async () => {
    await start();
    const client = await connect(1);
    let mark = await place(client, 1000, limitOrder('BUY', 100, 200, { transmit: false }));
    expect(describeEvents(client.since(mark))).toEqual([]);
    expect(sim!.control.orders()).toMatchObject([{ orderId: 1000, staged: true }]);
    mark = await place(client, 1000, limitOrder('BUY', 100, 200, { transmit: true }));
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:PreSubmitted',
      'orderStatus:PreSubmitted',
      'openOrder:Submitted',
      'orderStatus:Submitted',
    ]);
  });

  test('an order left without transmit (stoqey sends an empty field) is never transmitted', async () => {
    await start();
    const client = await connect(1);
    const { transmit: _omitted, ...untransmitted } = limitOrder('BUY', 100, 200);
    const mark = await place(client, 1000, untransmitted);
    expect(describeEvents(client.since(mark))).toEqual([]);
  });

  test('bracket: children held PreSubmitted until the parent fills; one child filling cancels the other', async () => {
    await start();
    const client = await connect(1);
    const mark = client.mark();
    client.ib.placeOrder(1000, AAPL, limitOrder('BUY', 100, 200, { transmit: false }));
    client.ib.placeOrder(1001, AAPL, limitOrder('SELL', 100, 210, { parentId: 1000, transmit: false }));
    client.ib.placeOrder(1002, AAPL, stopOrder('SELL', 100, 190, { parentId: 1000, transmit: true }));
    await barrier(client);
    const described = (events: RecordedEvent[]) =>
      events
        .filter((event) => event.name === EventName.openOrder || event.name === EventName.orderStatus)
        .map((event) => `${event.args[0] as number}:${describeEvents([event])[0]}`);
    expect(described(client.since(mark))).toEqual([
      '1000:openOrder:PreSubmitted',
      '1000:orderStatus:PreSubmitted',
      '1000:openOrder:Submitted',
      '1000:orderStatus:Submitted',
      '1001:openOrder:PreSubmitted',
      '1001:orderStatus:PreSubmitted',
      '1002:openOrder:PreSubmitted',
      '1002:orderStatus:PreSubmitted',
    ]);
    expect(statusEvents(client.since(mark)).map((status) => status.parentId)).toEqual([0, 0, 1000, 1000]);
    const fillMark = client.mark();
    sim!.control.setPrice('AAPL', 199);
    await barrier(client);
    expect(describeEvents(client.since(fillMark))).toEqual([
      'execDetails',
      'openOrder:Filled',
      'orderStatus:Filled',
      'commissionReport',
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'openOrder:Submitted',
      'orderStatus:Submitted',
    ]);
    const exitMark = client.mark();
    sim!.control.setPrice('AAPL', 210.5);
    await barrier(client);
    expect(described(client.since(exitMark))).toEqual([
      '1001:openOrder:Filled',
      '1001:orderStatus:Filled',
      '1002:orderStatus:Cancelled',
    ]);
    expect(errorsOf(client, exitMark)).toEqual([]);
  });

  test('TRAIL (trailingPercent): PreSubmitted with whyHeld trigger, then Submitted, execution, Filled, commission', async () => {
    await start();
    const client = await connect(1);
    const trail: Order = {
      ...marketOrder('SELL', 100),
      orderType: OrderType.TRAIL,
      trailingPercent: 1,
      tif: TimeInForce.GTC,
    };
    const mark = await place(client, 1000, trail);
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:PreSubmitted',
      'orderStatus:PreSubmitted',
    ]);
    expect(client.since(mark)[1]!.args[9]).toBe('trigger');
    // 1% under 225.
    expect((client.since(mark)[0]!.args[2] as Order).trailStopPrice).toBe(222.75);
    // The stop follows the price up (to 227.70) without a message...
    let step = client.mark();
    sim!.control.setPrice('AAPL', 230);
    await barrier(client);
    expect(describeEvents(client.since(step))).toEqual([]);
    // ...and a fall through it sends the order on as a market order.
    step = client.mark();
    sim!.control.setPrice('AAPL', 227.5);
    await client.waitForEvent(EventName.commissionReport, { from: step });
    expect(describeEvents(client.since(step))).toEqual([
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'execDetails',
      'openOrder:Filled',
      'orderStatus:Filled',
      'commissionReport',
    ]);
    expect(statusEvents(client.since(step)).map((status) => status.status)).toEqual(['Submitted', 'Filled']);
    expect(client.since(step).find((event) => event.name === EventName.execDetails)!.args[2]).toMatchObject({
      side: 'SLD',
      price: 227.5,
    });
  });

  test('a held TRAIL can be modified and cancelled; TRAIL needs an amount or a percent and DAY/GTC', async () => {
    await start();
    const client = await connect(1);
    const trail: Order = { ...marketOrder('BUY', 10), orderType: OrderType.TRAIL, auxPrice: 2 };
    await place(client, 1000, trail);
    let mark = await place(client, 1000, { ...trail, auxPrice: 5 });
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:PreSubmitted',
      'orderStatus:PreSubmitted',
    ]);
    expect((client.since(mark)[0]!.args[2] as Order).trailStopPrice).toBe(230);
    mark = client.mark();
    client.ib.cancelOrder(1000);
    await barrier(client);
    expect(describeEvents(client.since(mark))).toEqual(['orderStatus:Cancelled', 'error:202']);
    mark = client.mark();
    client.ib.placeOrder(1001, AAPL, { ...marketOrder('BUY', 10), orderType: OrderType.TRAIL });
    client.ib.placeOrder(1002, AAPL, { ...trail, tif: TimeInForce.IOC });
    await barrier(client);
    expect(errorsOf(client, mark).map((error) => error.code)).toEqual([321, 111]);
  });

  test('a child whose parent is unknown gets 10006', async () => {
    await start();
    const client = await connect(1);
    const mark = await place(client, 1001, stopOrder('SELL', 100, 190, { parentId: 777 }));
    expect(errorsOf(client, mark)).toEqual([{ code: 10006, reqId: 1001, message: 'Missing parent order.' }]);
  });

  test("global cancel: every client's working orders get ORDER_STATUS Cancelled + 202", async () => {
    await start();
    const first = await connect(1);
    const second = await connect(2);
    await place(first, 1000, limitOrder('BUY', 100, 200));
    await place(second, 1000, limitOrder('SELL', 10, 250));
    const firstMark = first.mark();
    const secondMark = second.mark();
    first.ib.reqGlobalCancel();
    await barrier(first);
    await barrier(second);
    expect(describeEvents(first.since(firstMark))).toEqual(['orderStatus:Cancelled', 'error:202']);
    expect(describeEvents(second.since(secondMark))).toEqual(['orderStatus:Cancelled', 'error:202']);
  });

  test('scripted 399 warning arrives after the PreSubmitted pair', async () => {
    await start();
    const client = await connect(1);
    const warning =
      'BUY 1 AAPL NASDAQ.NMS\nWarning: Your order will not be placed at the exchange until 2026-08-25 09:30:00 US/Eastern.';
    sim!.control.warnNextOrder(warning);
    const mark = await place(client, 1000, limitOrder('BUY', 1, 200));
    expect(describeEvents(client.since(mark))).toEqual([
      'openOrder:PreSubmitted',
      'orderStatus:PreSubmitted',
      'error:399',
      'openOrder:Submitted',
      'orderStatus:Submitted',
    ]);
    expect(errorsOf(client, mark)[0]).toEqual({
      code: 399,
      reqId: 1000,
      message: `Order Message:\n${warning}`,
    });
  });

  test('duplicate OPEN_ORDER/ORDER_STATUS pairs (stoqey issue #239 saw each pair 3 times)', async () => {
    await start();
    const client = await connect(1);
    sim!.control.duplicateOrderMessages(2);
    const mark = await place(client, 1000, limitOrder('BUY', 1, 200));
    expect(describeEvents(client.since(mark))).toEqual([
      ...new Array(3).fill(['openOrder:PreSubmitted', 'orderStatus:PreSubmitted']).flat(),
      ...new Array(3).fill(['openOrder:Submitted', 'orderStatus:Submitted']).flat(),
    ]);
  });
});

describe('open orders: own, all, auto', () => {
  test("REQ_OPEN_ORDERS lists this client's orders, REQ_ALL_OPEN_ORDERS every client's, then OPEN_ORDER_END", async () => {
    await start();
    const first = await connect(1);
    const second = await connect(2);
    await place(first, 1000, limitOrder('BUY', 100, 200));
    await place(first, 1001, limitOrder('BUY', 50, 199));
    await place(second, 1000, limitOrder('SELL', 10, 250));
    let mark = first.mark();
    first.ib.reqOpenOrders();
    await first.waitForEvent(EventName.openOrderEnd, { from: mark });
    expect(describeEvents(first.since(mark))).toEqual([
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'openOrderEnd',
    ]);
    mark = first.mark();
    first.ib.reqAllOpenOrders();
    await first.waitForEvent(EventName.openOrderEnd, { from: mark });
    expect(
      first
        .since(mark)
        .filter((event) => event.name === EventName.openOrder)
        .map((event) => (event.args[2] as Order).clientId),
    ).toEqual([1, 1, 2]);
  });

  test('REQ_AUTO_OPEN_ORDERS: 327 for a client other than 0; client 0 gets the open orders', async () => {
    await start();
    const first = await connect(1);
    await place(first, 1000, limitOrder('BUY', 100, 200));
    const mark = first.mark();
    first.ib.reqAutoOpenOrders(true);
    await barrier(first);
    expect(first.infos(mark)).toEqual([
      {
        code: 327,
        message: 'Only API connections with clientId set to 0 can set the auto bind TWS orders property.',
      },
    ]);
    const master = await connect(0);
    const masterMark = master.mark();
    master.ib.reqAutoOpenOrders(true);
    await master.waitForEvent(EventName.openOrderEnd, { from: masterMark });
    expect(describeEvents(master.since(masterMark))).toEqual([
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'openOrderEnd',
    ]);
  });

  test('a GTC order survives a reconnect and can be cancelled from the new session', async () => {
    await start();
    const client = await connect(4);
    await place(client, 1000, limitOrder('BUY', 100, 200, { tif: TimeInForce.GTC }));
    const closed = client.waitForEvent(EventName.disconnected);
    client.disconnect();
    await closed;
    const again = await connect(4);
    let mark = again.mark();
    again.ib.reqOpenOrders();
    await again.waitForEvent(EventName.openOrderEnd, { from: mark });
    expect(describeEvents(again.since(mark))).toEqual([
      'openOrder:Submitted',
      'orderStatus:Submitted',
      'openOrderEnd',
    ]);
    expect((again.since(mark)[0]!.args[2] as Order).tif).toBe('GTC');
    mark = again.mark();
    again.ib.cancelOrder(1000);
    await barrier(again);
    expect(describeEvents(again.since(mark))).toEqual(['orderStatus:Cancelled', 'error:202']);
  });
});
