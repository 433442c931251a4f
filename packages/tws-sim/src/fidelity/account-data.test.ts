import { type Contract, EventName, type ExecutionFilter } from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { startTwsSim, type TwsSim } from '../start-tws-sim.js';
import { AAPL, GC_DEC_2024, limitOrder, marketOrder } from '../test-support/contracts.js';
import { IbHarness } from '../test-support/ib-harness.js';

let sim: TwsSim | undefined;
const clients: IbHarness[] = [];

async function setUp(clientId = 1): Promise<IbHarness> {
  sim ??= await startTwsSim({
    clock: 'virtual',
    accounts: 'DU1234567',
    simulatorOptions: { priceStepMs: 0 },
  });
  const client = await IbHarness.connect(sim, clientId);
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

async function buy(client: IbHarness, orderId: number, contract: Contract, quantity: number): Promise<void> {
  const mark = client.mark();
  client.ib.placeOrder(orderId, contract, marketOrder('BUY', quantity));
  await client.waitForEvent(EventName.commissionReport, { from: mark });
}

describe('positions', () => {
  test('POSITION_DATA rows then POSITION_END; stocks report NASDAQ, futures an empty exchange', async () => {
    const client = await setUp();
    await buy(client, 1000, AAPL, 100);
    await buy(client, 1001, GC_DEC_2024, 2);
    const mark = client.mark();
    client.ib.reqPositions();
    await client.waitForEvent(EventName.positionEnd, { from: mark });
    const rows = client.since(mark).filter((event) => event.name === EventName.position);
    expect(client.namesSince(mark)).toEqual(['position', 'position', 'positionEnd']);
    expect(rows[0]!.args).toEqual([
      'DU1234567',
      expect.objectContaining({
        conId: 265598,
        symbol: 'AAPL',
        secType: 'STK',
        exchange: 'NASDAQ',
        tradingClass: 'NMS',
      }),
      100,
      225,
    ]);
    expect(rows[1]!.args).toEqual([
      'DU1234567',
      expect.objectContaining({
        symbol: 'GC',
        secType: 'FUT',
        exchange: '',
        multiplier: 100,
        localSymbol: 'GCZ4',
      }),
      2,
      265_000, // IB reports a future's average cost times its multiplier
    ]);
  });

  test('the stream continues with fills until CANCEL_POSITIONS', async () => {
    const client = await setUp();
    let mark = client.mark();
    client.ib.reqPositions();
    await client.waitForEvent(EventName.positionEnd, { from: mark });
    expect(client.namesSince(mark)).toEqual(['positionEnd']);
    mark = client.mark();
    await buy(client, 1000, AAPL, 100);
    await barrier(client);
    const update = client.since(mark).find((event) => event.name === EventName.position)!;
    expect(update.args.slice(2)).toEqual([100, 225]);
    // Closing the position reports quantity 0.
    mark = client.mark();
    client.ib.placeOrder(1001, AAPL, marketOrder('SELL', 100));
    await barrier(client);
    expect(client.since(mark).find((event) => event.name === EventName.position)!.args[2]).toBe(0);
    client.ib.cancelPositions();
    mark = client.mark();
    await buy(client, 1002, AAPL, 10);
    await barrier(client);
    expect(client.namesSince(mark)).not.toContain('position');
  });
});

describe('account summary', () => {
  test('ACCOUNT_SUMMARY rows in tag order, then ACCOUNT_SUMMARY_END', async () => {
    const client = await setUp();
    const mark = client.mark();
    client.ib.reqAccountSummary(
      7,
      'All',
      'NetLiquidation,BuyingPower,AccountType,TotalCashValue,MaintMarginReq',
    );
    await client.waitForEvent(EventName.accountSummaryEnd, { from: mark });
    const rows = client
      .since(mark)
      .filter((event) => event.name === EventName.accountSummary)
      .map((event) => event.args);
    expect(rows).toEqual([
      [7, 'DU1234567', 'AccountType', 'INDIVIDUAL', ''],
      [7, 'DU1234567', 'BuyingPower', '1000000.00', 'USD'],
      [7, 'DU1234567', 'MaintMarginReq', '0.00', 'USD'],
      [7, 'DU1234567', 'NetLiquidation', '1000000.00', 'USD'],
      [7, 'DU1234567', 'TotalCashValue', '1000000.00', 'USD'],
    ]);
    expect(client.since(mark).at(-1)?.args).toEqual([7]);
  });

  test('$LEDGER rows carry the cash balance per currency', async () => {
    const client = await setUp();
    const mark = client.mark();
    client.ib.reqAccountSummary(8, 'All', '$LEDGER:ALL');
    await client.waitForEvent(EventName.accountSummaryEnd, { from: mark });
    const rows = client
      .since(mark)
      .filter((event) => event.name === EventName.accountSummary)
      .map((event) => event.args);
    expect(rows).toContainEqual([8, 'DU1234567', 'CashBalance', '1000000.00', 'USD']);
    expect(rows).toContainEqual([8, 'DU1234567', 'CashBalance', '1000000.00', 'BASE']);
  });

  test('at most two subscriptions: the third gets 322; a cancelled one frees its slot', async () => {
    const client = await setUp();
    let mark = client.mark();
    client.ib.reqAccountSummary(1, 'All', 'NetLiquidation');
    client.ib.reqAccountSummary(2, 'All', 'NetLiquidation');
    client.ib.reqAccountSummary(3, 'All', 'NetLiquidation');
    await barrier(client);
    expect(client.errors(mark).map((error) => [error.code, error.reqId])).toEqual([[322, 3]]);
    client.ib.cancelAccountSummary(1);
    mark = client.mark();
    client.ib.reqAccountSummary(3, 'All', 'NetLiquidation');
    await client.waitFor((event) => event.name === EventName.accountSummaryEnd && event.args[0] === 3, {
      from: mark,
    });
    expect(client.errors(mark)).toEqual([]);
  });

  test('subscriptions refresh about every three minutes until cancelled', async () => {
    const client = await setUp();
    const mark = client.mark();
    client.ib.reqAccountSummary(5, 'All', 'NetLiquidation');
    await client.waitForEvent(EventName.accountSummaryEnd, { from: mark });
    sim!.control.advanceClock(180_000);
    await barrier(client);
    expect(client.since(mark).filter((event) => event.name === EventName.accountSummaryEnd)).toHaveLength(2);
    client.ib.cancelAccountSummary(5);
    await barrier(client);
    sim!.control.advanceClock(360_000);
    await barrier(client);
    expect(client.since(mark).filter((event) => event.name === EventName.accountSummaryEnd)).toHaveLength(2);
  });
});

describe('account updates (reqAccountUpdates)', () => {
  test('ACCT_VALUE rows, PORTFOLIO_VALUE per position, ACCT_UPDATE_TIME, then ACCT_DOWNLOAD_END', async () => {
    const client = await setUp();
    await buy(client, 1000, AAPL, 100);
    const mark = client.mark();
    client.ib.reqAccountUpdates(true, 'DU1234567');
    await client.waitForEvent(EventName.accountDownloadEnd, { from: mark });
    const names = client.namesSince(mark);
    expect(names.at(-1)).toBe('accountDownloadEnd');
    expect(names.at(-2)).toBe('updateAccountTime');
    expect(names.at(-3)).toBe('updatePortfolio');
    const values = client
      .since(mark)
      .filter((event) => event.name === EventName.updateAccountValue)
      .map((event) => event.args);
    expect(values).toContainEqual(['NetLiquidation', '999999.00', 'USD', 'DU1234567']);
    expect(values).toContainEqual(['AccountCode', 'DU1234567', '', 'DU1234567']);
    const portfolio = client.since(mark).find((event) => event.name === EventName.updatePortfolio)!.args;
    expect(portfolio[0]).toMatchObject({ symbol: 'AAPL', conId: 265598, primaryExch: 'NASDAQ' });
    expect(portfolio.slice(1)).toEqual([100, 225, 22_500, 225, 0, 0, 'DU1234567']);
    expect(client.since(mark).find((event) => event.name === EventName.updateAccountTime)!.args[0]).toMatch(
      /^\d{2}:\d{2}$/,
    );
  });

  test('fills update the portfolio until unsubscribed', async () => {
    const client = await setUp();
    let mark = client.mark();
    client.ib.reqAccountUpdates(true, 'DU1234567');
    await client.waitForEvent(EventName.accountDownloadEnd, { from: mark });
    mark = client.mark();
    await buy(client, 1000, AAPL, 10);
    await barrier(client);
    expect(client.since(mark).find((event) => event.name === EventName.updatePortfolio)!.args[1]).toBe(10);
    client.ib.reqAccountUpdates(false, 'DU1234567');
    mark = client.mark();
    await buy(client, 1001, AAPL, 10);
    await barrier(client);
    expect(client.namesSince(mark)).not.toContain('updatePortfolio');
  });
});

describe('executions with commission reports', () => {
  test('each EXECUTION_DATA (with the reqId) is followed by its COMMISSION_REPORT, then EXECUTION_DATA_END', async () => {
    const client = await setUp();
    await buy(client, 1000, AAPL, 100);
    const other = await setUp(2);
    await buy(other, 1000, GC_DEC_2024, 1);
    const mark = client.mark();
    client.ib.reqExecutions(42, {} as ExecutionFilter);
    await client.waitForEvent(EventName.execDetailsEnd, { from: mark });
    expect(client.namesSince(mark)).toEqual([
      'execDetails',
      'commissionReport',
      'execDetails',
      'commissionReport',
      'execDetailsEnd',
    ]);
    const executions = client.since(mark).filter((event) => event.name === EventName.execDetails);
    expect(
      executions.map((event) => [event.args[0], (event.args[2] as { clientId: number }).clientId]),
    ).toEqual([
      [42, 1],
      [42, 2],
    ]);
    const reports = client.since(mark).filter((event) => event.name === EventName.commissionReport);
    expect((reports[0]!.args[0] as { execId: string }).execId).toBe(
      (executions[0]!.args[2] as { execId: string }).execId,
    );
    expect(client.since(mark).at(-1)?.args).toEqual([42]);
  });

  test('the filter narrows by client id, symbol, side and time', async () => {
    const client = await setUp();
    await buy(client, 1000, AAPL, 100);
    await buy(client, 1001, GC_DEC_2024, 1);
    const filters: Array<[ExecutionFilter, number]> = [
      [{ clientId: '1' }, 2],
      [{ clientId: '5' }, 0],
      [{ symbol: 'AAPL' }, 1],
      [{ side: 'SELL' }, 0],
      [{ secType: 'FUT' } as ExecutionFilter, 1],
      [{ time: '20991231-00:00:00' }, 0],
      [{ time: '20000101-00:00:00', acctCode: 'DU1234567' }, 2],
    ];
    for (const [index, [filter, expected]] of filters.entries()) {
      const mark = client.mark();
      client.ib.reqExecutions(100 + index, filter);
      await client.waitFor(
        (event) => event.name === EventName.execDetailsEnd && event.args[0] === 100 + index,
        { from: mark },
      );
      expect([
        JSON.stringify(filter),
        client.since(mark).filter((event) => event.name === EventName.execDetails).length,
      ]).toEqual([JSON.stringify(filter), expected]);
    }
  });
});

describe('session requests', () => {
  test('current time is the simulator clock; managed accounts can be asked again', async () => {
    const client = await setUp();
    let mark = client.mark();
    client.ib.reqCurrentTime();
    const time = await client.waitForEvent(EventName.currentTime, { from: mark });
    expect(time.args[0]).toBe(Math.floor(sim!.simulator.clock.now() / 1000));
    mark = client.mark();
    client.ib.reqManagedAccts();
    expect((await client.waitForEvent(EventName.managedAccounts, { from: mark })).args).toEqual([
      'DU1234567',
    ]);
  });

  test('a resting order does not change positions', async () => {
    const client = await setUp();
    client.ib.placeOrder(1000, AAPL, limitOrder('BUY', 1, 100));
    const mark = client.mark();
    client.ib.reqPositions();
    await client.waitForEvent(EventName.positionEnd, { from: mark });
    expect(client.namesSince(mark)).toEqual([
      'openOrder',
      'orderStatus',
      'openOrder',
      'orderStatus',
      'positionEnd',
    ]);
  });
});
