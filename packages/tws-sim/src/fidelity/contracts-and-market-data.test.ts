import { type Contract, type ContractDetails, EventName, MarketDataType, SecType } from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { startTwsSim, type TwsSim } from '../start-tws-sim.js';
import { AAPL, EUR_USD, GC_DEC_2024, marketOrder } from '../test-support/contracts.js';
import { IbHarness } from '../test-support/ib-harness.js';
import { waitUntil } from '../test-support/wait-until.js';

let sim: TwsSim | undefined;
let client: IbHarness | undefined;

async function setUp(): Promise<IbHarness> {
  sim = await startTwsSim({ clock: 'virtual', simulatorOptions: { priceStepMs: 0 } });
  client = await IbHarness.connect(sim, 1);
  return client;
}

afterEach(async () => {
  expect(client?.decodeErrors() ?? []).toEqual([]);
  client?.disconnect();
  client = undefined;
  await sim?.close();
  sim = undefined;
});

async function barrier(harness: IbHarness): Promise<void> {
  const mark = harness.mark();
  harness.ib.reqCurrentTime();
  await harness.waitForEvent(EventName.currentTime, { from: mark });
}

async function details(harness: IbHarness, reqId: number, contract: Contract) {
  const mark = harness.mark();
  harness.ib.reqContractDetails(reqId, contract);
  await barrier(harness);
  const events = harness.since(mark).filter((event) => event.name !== EventName.currentTime);
  return {
    names: events.map((event) => event.name),
    rows: events
      .filter((event) => event.name === EventName.contractDetails)
      .map((event) => event.args[1] as ContractDetails),
    errors: harness.errors(mark),
  };
}

describe('contract details', () => {
  test("a unique contract: one CONTRACT_DATA with IB's fields, then CONTRACT_DATA_END", async () => {
    const harness = await setUp();
    const { names, rows } = await details(harness, 9001, {
      symbol: 'AAPL',
      secType: SecType.STK,
      exchange: 'SMART',
      currency: 'USD',
    });
    expect(names).toEqual(['contractDetails', 'contractDetailsEnd']);
    expect(rows[0]).toMatchObject({
      contract: {
        conId: 265598,
        symbol: 'AAPL',
        secType: 'STK',
        exchange: 'SMART',
        primaryExch: 'NASDAQ',
        currency: 'USD',
        localSymbol: 'AAPL',
        tradingClass: 'NMS',
      },
      marketName: 'NMS',
      minTick: 0.01,
      longName: 'APPLE INC',
      timeZoneId: 'US/Eastern',
      stockType: 'COMMON',
      secIdList: [{ tag: 'ISIN', value: 'US0378331005' }],
      minSize: 1,
      sizeIncrement: 1,
    });
    expect(rows[0]!.orderTypes).toContain('WHATIF');
  });

  test('by conId alone, and EUR.USD with its real conId and minimum tick', async () => {
    const harness = await setUp();
    expect((await details(harness, 1, { conId: 265598 })).rows[0]?.contract.symbol).toBe('AAPL');
    const { rows } = await details(harness, 2, EUR_USD);
    expect(rows[0]).toMatchObject({
      contract: {
        conId: 12087792,
        symbol: 'EUR',
        secType: 'CASH',
        localSymbol: 'EUR.USD',
        tradingClass: 'EUR.USD',
        exchange: 'IDEALPRO',
      },
      minTick: 0.00005,
      longName: 'European Monetary Union Euro',
      validExchanges: 'IDEALPRO',
    });
  });

  test('a futures contract month, and an ambiguous root: one row per expiry, then the END', async () => {
    const harness = await setUp();
    const month = await details(harness, 3, GC_DEC_2024);
    expect(month.rows.map((row) => row.contract.localSymbol)).toEqual(['GCZ4']);
    expect(month.rows[0]).toMatchObject({
      contract: { exchange: 'COMEX', multiplier: 100 },
      contractMonth: '202412',
      underSecType: 'CMDTY',
    });
    const root = await details(harness, 4, {
      symbol: 'ES',
      secType: SecType.FUT,
      exchange: 'CME',
      currency: 'USD',
    });
    expect(root.names.at(-1)).toBe('contractDetailsEnd');
    expect(root.rows.length).toBeGreaterThan(1);
    expect(new Set(root.rows.map((row) => row.contract.localSymbol)).size).toBe(root.rows.length);
    for (const row of root.rows) expect(row.contract.symbol).toBe('ES');
  });

  test('an unknown contract: 200 with the reqId and no CONTRACT_DATA_END', async () => {
    const harness = await setUp();
    const { names, errors } = await details(harness, 5, {
      symbol: 'NOSUCH',
      secType: SecType.STK,
      exchange: 'SMART',
      currency: 'USD',
    });
    expect(names).toEqual(['error']);
    expect(errors).toEqual([
      { code: 200, reqId: 5, message: 'No security definition has been found for the request' },
    ]);
  });
});

describe('market data', () => {
  test('a snapshot: TICK_REQ_PARAMS, bid/ask/last with sizes, day figures, timestamp, TICK_SNAPSHOT_END', async () => {
    const harness = await setUp();
    sim!.control.setPrice('AAPL', 226.5);
    const mark = harness.mark();
    harness.ib.reqMktData(11, AAPL, '', true, false);
    await harness.waitForEvent(EventName.tickSnapshotEnd, { from: mark });
    expect(harness.receivedIds.slice(-11)).toEqual([81, 1, 1, 1, 2, 1, 1, 1, 1, 46, 57]);
    const prices = harness
      .since(mark)
      .filter((event) => event.name === EventName.tickPrice)
      .map((event) => [event.args[1], event.args[2]]);
    expect(prices).toEqual([
      [1, 226.5],
      [2, 226.5],
      [4, 226.5],
      [6, 226.5],
      [7, 225],
      [9, 225],
      [14, 225],
    ]);
    const sizes = harness
      .since(mark)
      .filter((event) => event.name === EventName.tickSize)
      .map((event) => [event.args[1], event.args[2]]);
    // stoqey emits the ask and last sizes from TICK_PRICE (never the bid's: BID_SIZE is 0, falsy), plus volume.
    expect(sizes).toEqual([
      [3, 100],
      [5, 100],
      [8, 0],
    ]);
  });

  test('a stream follows price changes and fills until CANCEL_MKT_DATA', async () => {
    const harness = await setUp();
    let mark = harness.mark();
    harness.ib.reqMktData(12, AAPL, '', false, false);
    await barrier(harness);
    expect(harness.namesSince(mark)).not.toContain('tickSnapshotEnd');
    mark = harness.mark();
    sim!.control.setPrice('AAPL', 230);
    await barrier(harness);
    const last = harness
      .since(mark)
      .filter((event) => event.name === EventName.tickPrice && event.args[1] === 4);
    expect(last.map((event) => event.args[2])).toEqual([230]);
    harness.ib.cancelMktData(12);
    await barrier(harness);
    mark = harness.mark();
    sim!.control.setPrice('AAPL', 231);
    harness.ib.placeOrder(1000, AAPL, marketOrder('BUY', 1));
    await barrier(harness);
    expect(harness.namesSince(mark)).not.toContain('tickPrice');
  });

  test('after REQ_MARKET_DATA_TYPE delayed, TWS says the data is live (MARKET_DATA_TYPE 1)', async () => {
    const harness = await setUp();
    harness.ib.reqMarketDataType(MarketDataType.DELAYED);
    const mark = harness.mark();
    harness.ib.reqMktData(13, AAPL, '', true, false);
    await harness.waitForEvent(EventName.tickSnapshotEnd, { from: mark });
    expect(harness.since(mark).find((event) => event.name === EventName.marketDataType)?.args).toEqual([
      13, 1,
    ]);
  });

  test('an unknown contract gets 200 with the ticker id', async () => {
    const harness = await setUp();
    const mark = harness.mark();
    harness.ib.reqMktData(
      14,
      { symbol: 'NOSUCH', secType: SecType.STK, exchange: 'SMART', currency: 'USD' },
      '',
      false,
      false,
    );
    await barrier(harness);
    expect(harness.errors(mark).map((error) => [error.code, error.reqId])).toEqual([[200, 14]]);
  });

  test('a session that ends forgets its streams', async () => {
    const harness = await setUp();
    harness.ib.reqMktData(15, AAPL, '', false, false);
    await barrier(harness);
    expect(sim!.control.marketDataStreams()).toBe(1);
    const closed = harness.waitForEvent(EventName.disconnected);
    harness.disconnect();
    await closed;
    await waitUntil(() => sim!.control.marketDataStreams() === 0);
  });
});
