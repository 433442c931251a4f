import {
  type Contract,
  EventName,
  type Execution,
  type Order,
  type OrderState,
  TimeInForce,
} from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { startTwsSim, type TwsSim } from '../start-tws-sim.js';
import {
  AAPL,
  BTC,
  EUR_USD,
  GC_DEC_2024,
  limitOrder,
  marketOrder,
  SPY_450_CALL,
} from '../test-support/contracts.js';
import { IbHarness } from '../test-support/ib-harness.js';

let sim: TwsSim | undefined;
let client: IbHarness | undefined;

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

async function setUp(): Promise<IbHarness> {
  sim = await startTwsSim({ clock: 'virtual', simulatorOptions: { priceStepMs: 0 } });
  client = await IbHarness.connect(sim, 1);
  return client;
}

describe('whatIf: margin before / change / after and commission from the engine', () => {
  test('answers with one OPEN_ORDER (whatIf, PreSubmitted), no ORDER_STATUS, no execution', async () => {
    const harness = await setUp();
    const mark = harness.mark();
    harness.ib.placeOrder(1000, AAPL, marketOrder('BUY', 100, { whatIf: true }));
    await barrier(harness);
    const events = harness.since(mark).filter((event) => event.name !== EventName.currentTime);
    expect(events.map((event) => event.name)).toEqual([EventName.openOrder]);
    const [, , order, state] = events[0]!.args as [number, Contract, Order, OrderState];
    expect(order.whatIf).toBe(true);
    // Reg-T: 50% initial, 25% maintenance of 100 x 225; IBKR fixed commission 0.005/share, minimum 1.
    expect(state).toMatchObject({
      status: 'PreSubmitted',
      initMarginBefore: 0,
      maintMarginBefore: 0,
      equityWithLoanBefore: 1_000_000,
      initMarginChange: 11_250,
      maintMarginChange: 5_625,
      equityWithLoanChange: -1,
      initMarginAfter: 11_250,
      maintMarginAfter: 5_625,
      equityWithLoanAfter: 999_999,
      commission: 1,
      minCommission: undefined,
      maxCommission: undefined,
      commissionCurrency: 'USD',
      warningText: '',
    });
    const impact = sim!.simulator.marginImpact('DU123456', {
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 100,
      orderType: 'MARKET',
    });
    expect(state.initMarginChange).toBe(impact.change.initialMargin);
    // Nothing was placed.
    expect(sim!.simulator.openOrders('DU123456')).toEqual([]);
    expect(sim!.simulator.positions('DU123456')).toEqual([]);
  });

  test("an unaffordable whatIf still answers, with the engine's warning", async () => {
    sim = await startTwsSim({ clock: 'virtual', cash: 1_000, simulatorOptions: { priceStepMs: 0 } });
    client = await IbHarness.connect(sim, 1);
    const mark = client.mark();
    client.ib.placeOrder(1000, AAPL, marketOrder('BUY', 100, { whatIf: true }));
    const event = await client.waitForEvent(EventName.openOrder, { from: mark });
    const state = event.args[3] as OrderState;
    expect(state.initMarginChange).toBe(11_250);
    expect(state.warningText).toMatch(/^Insufficient funds/);
  });

  test('two-stage whatIf: a preliminary answer with unset figures, then the real one', async () => {
    const harness = await setUp();
    sim!.control.twoStageWhatIf();
    const mark = harness.mark();
    harness.ib.placeOrder(1000, AAPL, marketOrder('BUY', 100, { whatIf: true }));
    await barrier(harness);
    const states = harness
      .since(mark)
      .filter((event) => event.name === EventName.openOrder)
      .map((event) => event.args[3] as OrderState);
    expect(states).toHaveLength(2);
    expect(states[0]).toMatchObject({
      initMarginChange: undefined,
      commission: undefined,
      warningText: expect.stringMatching(/Preliminary/),
    });
    expect(states[1]).toMatchObject({ initMarginChange: 11_250, commission: 1 });
  });
});

describe('asset classes: STK, FUT, OPT, CASH, CRYPTO fill with IB contract fields', () => {
  async function fill(harness: IbHarness, orderId: number, contract: Contract, order: Order) {
    const mark = harness.mark();
    harness.ib.placeOrder(orderId, contract, order);
    await barrier(harness);
    const exec = harness.since(mark).find((event) => event.name === EventName.execDetails);
    const errors = harness.errors(mark);
    return { exec: exec?.args as [number, Contract, Execution] | undefined, errors, mark };
  }

  test('GC future on COMEX: multiplier 100, localSymbol GCZ4, per-contract commission', async () => {
    const harness = await setUp();
    const { exec, errors } = await fill(harness, 1000, GC_DEC_2024, marketOrder('BUY', 1));
    expect(errors).toEqual([]);
    const [, contract, execution] = exec!;
    expect(contract).toMatchObject({
      symbol: 'GC',
      secType: 'FUT',
      lastTradeDateOrContractMonth: '202412',
      multiplier: 100,
      localSymbol: 'GCZ4',
      exchange: 'COMEX',
      tradingClass: 'GC',
    });
    expect(execution).toMatchObject({ shares: 1, side: 'BOT' });
    const report = await harness.waitForEvent(EventName.commissionReport, { from: 0 });
    expect((report.args[0] as { commission: number }).commission).toBe(0.85);
  });

  test('SPY option: strike, right, multiplier 100, OCC local symbol', async () => {
    const harness = await setUp();
    const { exec, errors } = await fill(harness, 1000, SPY_450_CALL, marketOrder('BUY', 2));
    expect(errors).toEqual([]);
    expect(exec![1]).toMatchObject({
      secType: 'OPT',
      strike: 450,
      right: 'C',
      multiplier: 100,
      localSymbol: 'SPY   241220C00450000',
    });
  });

  test('EUR.USD on IDEALPRO', async () => {
    const harness = await setUp();
    const { exec, errors } = await fill(harness, 1000, EUR_USD, marketOrder('BUY', 20_000));
    expect(errors).toEqual([]);
    expect(exec![1]).toMatchObject({
      conId: 12087792,
      symbol: 'EUR',
      secType: 'CASH',
      localSymbol: 'EUR.USD',
      exchange: 'IDEALPRO',
    });
    expect(exec![2]).toMatchObject({ shares: 20_000 });
  });

  test('BTC buy by cash quantity (quantity left empty), IOC', async () => {
    const harness = await setUp();
    const order: Order = {
      ...marketOrder('BUY', 0),
      totalQuantity: undefined,
      cashQty: 500,
      tif: TimeInForce.IOC,
    };
    const { exec, errors, mark } = await fill(harness, 1000, BTC, order);
    expect(errors).toEqual([]);
    expect(exec![1]).toMatchObject({ symbol: 'BTC', secType: 'CRYPTO', exchange: 'PAXOS' });
    expect(exec![2].shares).toBeGreaterThan(0);
    const openOrder = harness.since(mark).find((event) => event.name === EventName.openOrder)!;
    expect((openOrder.args[2] as Order).cashQty).toBe(500);
  });

  test('a crypto sell by cash quantity is refused (201)', async () => {
    const harness = await setUp();
    const order: Order = {
      ...marketOrder('SELL', 0),
      totalQuantity: undefined,
      cashQty: 500,
      tif: TimeInForce.IOC,
    };
    const { errors } = await fill(harness, 1000, BTC, order);
    expect(errors.map((error) => error.code)).toEqual([201]);
  });

  test('orders for an unsimulated order type are refused with 321 and say so', async () => {
    const harness = await setUp();
    const { errors } = await fill(harness, 1000, AAPL, {
      ...limitOrder('SELL', 1, 200),
      orderType: 'TRAIL LIMIT' as Order['orderType'],
      trailingPercent: 1,
    });
    expect(errors).toEqual([
      {
        code: 321,
        reqId: 1000,
        message: "Error validating request.-'' : cause - Order type TRAIL LIMIT is not simulated by tws-sim",
      },
    ]);
  });
});
