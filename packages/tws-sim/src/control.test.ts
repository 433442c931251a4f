import { EventName, type ExecutionFilter } from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { startTwsSim, type TwsSim } from './start-tws-sim.js';
import { AAPL, limitOrder, marketOrder } from './test-support/contracts.js';
import { IbHarness } from './test-support/ib-harness.js';
import { waitUntil } from './test-support/wait-until.js';

let sim: TwsSim | undefined;
const clients: IbHarness[] = [];

async function setUp(): Promise<TwsSim> {
  sim = await startTwsSim({ clock: 'virtual', simulatorOptions: { priceStepMs: 0 } });
  return sim;
}

async function connect(clientId: number): Promise<IbHarness> {
  const client = await IbHarness.connect(sim!, clientId);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) {
    expect(client.decodeErrors()).toEqual([]);
    client.disconnect();
  }
  await sim?.close();
  sim = undefined;
});

async function barrier(client: IbHarness): Promise<void> {
  const mark = client.mark();
  client.ib.reqCurrentTime();
  await client.waitForEvent(EventName.currentTime, { from: mark });
}

describe('control: connection faults', () => {
  test("drop all connections, or one client id's", async () => {
    await setUp();
    const first = await connect(1);
    const second = await connect(2);
    const firstGone = first.waitForEvent(EventName.disconnected);
    expect(sim!.control.dropConnections(1)).toBe(1);
    await firstGone;
    await barrier(second);
    const secondGone = second.waitForEvent(EventName.disconnected);
    expect(sim!.control.dropConnections()).toBe(1);
    await secondGone;
  });

  test("the engine's shared drop fault cuts TWS connections too", async () => {
    await setUp();
    const client = await connect(1);
    const gone = client.waitForEvent(EventName.disconnected);
    sim!.simulator.faults.dropConnections();
    await gone;
  });

  test("connectivity notices 1100, 1101, 1102, 2110 reach the client as id -1 (info) with TWS's texts", async () => {
    await setUp();
    const client = await connect(1);
    client.ib.reqMktData(1, AAPL, '', false, false);
    await barrier(client);
    expect(sim!.control.marketDataStreams()).toBe(1);
    const mark = client.mark();
    for (const code of [1100, 1101, 1102, 2110]) expect(sim!.control.sendNotice(code)).toBe(1);
    await barrier(client);
    expect(client.infos(mark)).toEqual([
      { code: 1100, message: 'Connectivity between IBKR and Trader Workstation has been lost.' },
      { code: 1101, message: 'Connectivity between IB and TWS has been restored - data lost.' },
      { code: 1102, message: 'Connectivity between IB and TWS has been restored - data maintained.' },
      {
        code: 2110,
        message: 'Connectivity between TWS and server is broken. It will be restored automatically.',
      },
    ]);
    // 1101 "data lost": TWS forgets the market-data subscriptions.
    expect(sim!.control.marketDataStreams()).toBe(0);
    expect(() => sim!.control.sendNotice(1234)).toThrow(RangeError);
    expect(sim!.control.sendNotice(1234, 'custom notice', 1)).toBe(1);
  });

  test('client ids held after a disconnect: a fast reconnect gets 326', async () => {
    await setUp();
    sim!.control.holdClientIdsAfterDisconnect(5_000);
    const client = await connect(3);
    const gone = client.waitForEvent(EventName.disconnected);
    client.disconnect();
    await gone;
    await waitUntil(() => sim!.control.sessions().length === 0);
    const again = new IbHarness(sim!);
    clients.push(again);
    const refused = again.waitForEvent(EventName.disconnected);
    again.ib.connect(3);
    await refused;
    expect(again.infos().map((info) => info.code)).toEqual([326]);
    sim!.control.advanceClock(5_000);
    await connect(3);
  });

  test('an injected connect failure closes the next connection at once', async () => {
    await setUp();
    sim!.simulator.faults.failNextConnect();
    const client = new IbHarness(sim!);
    clients.push(client);
    const gone = client.waitForEvent(EventName.disconnected);
    client.ib.connect(1);
    await gone;
    expect(client.events.some((event) => event.name === EventName.nextValidId)).toBe(false);
    await connect(1);
  });
});

describe('control: request faults', () => {
  test('withhold and delay END markers', async () => {
    await setUp();
    const client = await connect(1);
    client.ib.placeOrder(1000, AAPL, marketOrder('BUY', 1));
    await barrier(client);
    sim!.control.withholdEndMarker('EXECUTION_DATA_END');
    let mark = client.mark();
    client.ib.reqExecutions(5, {} as ExecutionFilter);
    await barrier(client);
    expect(client.namesSince(mark)).toEqual(['execDetails', 'commissionReport', 'currentTime']);
    sim!.control.restoreEndMarker('EXECUTION_DATA_END');
    sim!.control.delayEndMarker('OPEN_ORDER_END', 2_000);
    client.ib.placeOrder(1001, AAPL, limitOrder('BUY', 1, 100));
    await barrier(client);
    mark = client.mark();
    client.ib.reqOpenOrders();
    await barrier(client);
    expect(client.namesSince(mark)).toEqual(['openOrder', 'orderStatus', 'currentTime']);
    sim!.control.advanceClock(2_000);
    await client.waitForEvent(EventName.openOrderEnd, { from: mark });
    expect(() => sim!.control.withholdEndMarker('NOT_A_MARKER' as never)).toThrow(RangeError);
  });

  test('a stalled request is never answered; an ack delay holds answers until the clock moves', async () => {
    await setUp();
    const client = await connect(1);
    sim!.simulator.faults.stallNextRequest();
    let mark = client.mark();
    client.ib.reqManagedAccts();
    await barrier(client);
    expect(client.namesSince(mark)).toEqual(['currentTime']);
    sim!.simulator.faults.setDelay('ack', 500);
    mark = client.mark();
    client.ib.reqManagedAccts();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.namesSince(mark)).toEqual([]);
    sim!.control.advanceClock(500);
    await client.waitForEvent(EventName.managedAccounts, { from: mark });
  });

  test('orders and sessions are reported; reset disarms the TWS faults', async () => {
    await setUp();
    const client = await connect(1);
    sim!.control.duplicateOrderMessages(1);
    sim!.control.twoStageWhatIf();
    client.ib.placeOrder(1000, AAPL, limitOrder('BUY', 5, 200, { orderRef: 'ref-1' }));
    await barrier(client);
    expect(sim!.control.orders()).toEqual([
      expect.objectContaining({
        clientId: 1,
        orderId: 1000,
        symbol: 'AAPL',
        action: 'BUY',
        orderType: 'LMT',
        totalQuantity: 5,
        status: 'Submitted',
        staged: false,
        orderRef: 'ref-1',
      }),
    ]);
    expect(sim!.control.sessions()).toEqual([expect.objectContaining({ clientId: 1, state: 'ready' })]);
    sim!.control.reset();
    const mark = client.mark();
    client.ib.placeOrder(1001, AAPL, limitOrder('BUY', 5, 200));
    await barrier(client);
    expect(client.namesSince(mark)).toEqual([
      'openOrder',
      'orderStatus',
      'openOrder',
      'orderStatus',
      'currentTime',
    ]);
    expect(() => sim!.control.duplicateOrderMessages(-1)).toThrow(RangeError);
  });

  test('prices: set and read; advanceClock needs the virtual clock', async () => {
    await setUp();
    sim!.control.setPrice('AAPL', 190.25);
    expect(sim!.control.price('AAPL')).toBe(190.25);
    const real = await startTwsSim({ clock: 'real' });
    try {
      expect(() => real.control.advanceClock(1)).toThrow(/virtual clock/);
    } finally {
      await real.close();
    }
  });
});
