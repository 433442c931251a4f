import type { Connect as KiteConnect, UserMargin } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import {
  HOLDING_FIELDS,
  HOLDING_MTF_FIELDS,
  keysOf,
  MARGIN_AVAILABLE_FIELDS,
  MARGIN_SEGMENT_FIELDS,
  MARGIN_UTILISED_FIELDS,
  POSITION_FIELDS,
  sorted,
} from '../test-support/kite-fields.js';
import { rejectionOf, startWithClient } from '../test-support/start-test-sim.js';

/** kiteconnect's types give getMargins(segment) the all-segments shape; the API returns one segment. */
async function equityOf(kite: {
  getMargins(segment?: 'equity' | 'commodity'): Promise<unknown>;
}): Promise<UserMargin> {
  return (await kite.getMargins('equity')) as UserMargin;
}

function place(kite: KiteConnect, params: Record<string, unknown>) {
  return kite.placeOrder('regular', params as unknown as Parameters<KiteConnect['placeOrder']>[1]);
}

function expectSegmentShape(segment: unknown): void {
  expect(keysOf(segment)).toEqual(sorted(MARGIN_SEGMENT_FIELDS));
  const value = segment as { available: unknown; utilised: unknown };
  expect(keysOf(value.available)).toEqual(sorted(MARGIN_AVAILABLE_FIELDS));
  expect(keysOf(value.utilised)).toEqual(sorted(MARGIN_UTILISED_FIELDS));
}

describe('margins (funds)', () => {
  it('returns equity and commodity segments with every field', async () => {
    const { kite } = await startWithClient({ cash: 500_000 });
    const margins = await kite.getMargins();
    expect(Object.keys(margins).sort()).toEqual(['commodity', 'equity']);
    expectSegmentShape(margins.equity);
    expectSegmentShape(margins.commodity);
    expect(margins.equity).toMatchObject({
      enabled: true,
      net: 500_000,
      available: { live_balance: 500_000, opening_balance: 500_000 },
    });
  });

  it('serves one segment by name, and refuses an unknown one', async () => {
    const { kite } = await startWithClient();
    expectSegmentShape(await equityOf(kite));
    expectSegmentShape(await kite.getMargins('commodity'));
    expect(await rejectionOf(kite.getMargins('forex' as 'equity'))).toMatchObject({
      error_type: 'InputException',
      message: 'Invalid `segment`.',
    });
  });

  it('uses margin for a futures position: debits split into span and exposure, live_balance = opening_balance - debits', async () => {
    const { sim, kite } = await startWithClient({ cash: 1_000_000 });
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24000);
    await place(kite, {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24NOVFUT',
      transaction_type: 'BUY',
      quantity: 65,
      product: 'NRML',
      order_type: 'MARKET',
      market_protection: -1,
    });
    const equity = await equityOf(kite);
    const notional = 65 * 24000;
    expect(equity.utilised.span).toBeCloseTo(notional * 0.1, 2);
    expect(equity.utilised.exposure).toBeCloseTo(notional * 0.02, 2);
    expect(equity.utilised.debits).toBeCloseTo(notional * 0.12, 2);
    expect(equity.available.live_balance).toBeCloseTo(
      equity.available.opening_balance - equity.utilised.debits,
      2,
    );
    expect(equity.net).toBe(equity.available.live_balance);
  });
});

describe('positions', () => {
  it('reports net and day rows with every field and Kite P&L arithmetic', async () => {
    const { sim, kite } = await startWithClient();
    await place(kite, {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: 10,
      product: 'MIS',
      order_type: 'LIMIT',
      price: 1800,
    });
    sim.control.setPrice('NSE:INFY', 1850);
    await place(kite, {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'SELL',
      quantity: 4,
      product: 'MIS',
      order_type: 'LIMIT',
      price: 1850,
    });
    const positions = await kite.getPositions();
    expect(positions.net).toHaveLength(1);
    expect(positions.day).toHaveLength(1);
    const [net] = positions.net;
    expect(keysOf(net)).toEqual(sorted(POSITION_FIELDS));
    expect(keysOf(positions.day[0])).toEqual(sorted(POSITION_FIELDS));
    expect(net).toMatchObject({
      tradingsymbol: 'INFY',
      exchange: 'NSE',
      instrument_token: 408065,
      product: 'MIS',
      quantity: 6,
      overnight_quantity: 0,
      multiplier: 1,
      average_price: 1800,
      last_price: 1850,
      close_price: 1800,
      buy_quantity: 10,
      buy_price: 1800,
      buy_value: 18000,
      sell_quantity: 4,
      sell_price: 1850,
      sell_value: 7400,
      value: -10600,
      pnl: 500,
      m2m: 500,
      unrealised: 300,
      realised: 200,
      day_buy_quantity: 10,
      day_sell_quantity: 4,
    });
  });

  it('keeps a flat position in net with its realised P&L', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24000);
    const future = {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24NOVFUT',
      quantity: 65,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: 2,
    };
    await place(kite, { ...future, transaction_type: 'BUY' });
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24100);
    await place(kite, { ...future, transaction_type: 'SELL' });
    const [net] = (await kite.getPositions()).net;
    expect(net).toMatchObject({ quantity: 0, value: 6500, pnl: 6500, realised: 6500, unrealised: 0 });
  });

  it('carries NRML positions overnight: overnight_quantity and m2m from the previous close', async () => {
    const { sim, kite } = await startWithClient({ tokenExpiryTime: false });
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24000);
    await place(kite, {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24NOVFUT',
      transaction_type: 'BUY',
      quantity: 65,
      product: 'NRML',
      order_type: 'MARKET',
      market_protection: 2,
    });
    sim.control.advanceClock(86_400_000);
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24020);
    const positions = await kite.getPositions();
    expect(positions.day).toEqual([]);
    expect(positions.net[0]).toMatchObject({
      quantity: 65,
      overnight_quantity: 65,
      close_price: 24000,
      day_buy_quantity: 0,
      pnl: 1300,
      m2m: 1300,
    });
  });
});

describe('holdings', () => {
  it('lists seeded delivery holdings with every field; today buys stay in positions', async () => {
    const { sim, kite } = await startWithClient({
      holdings: [{ tradingsymbol: 'INFY', quantity: 10, averagePrice: 1500 }],
    });
    const holdings = await kite.getHoldings();
    expect(holdings).toHaveLength(1);
    expect(keysOf(holdings[0])).toEqual(sorted(HOLDING_FIELDS));
    expect(keysOf((holdings[0] as unknown as { mtf: unknown }).mtf)).toEqual(sorted(HOLDING_MTF_FIELDS));
    expect(holdings[0]).toMatchObject({
      tradingsymbol: 'INFY',
      exchange: 'NSE',
      instrument_token: 408065,
      isin: 'INE009A01021',
      product: 'CNC',
      quantity: 10,
      opening_quantity: 10,
      used_quantity: 0,
      average_price: 1500,
      last_price: 1800,
      close_price: 1800,
      pnl: 3000,
    });
    // Seeding did not cost cash, and holdings are not positions.
    expect((await equityOf(kite)).available.cash).toBeGreaterThan(0);
    expect((await kite.getPositions()).net).toEqual([]);
    await place(kite, {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'SELL',
      quantity: 4,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 1800,
    });
    expect((await kite.getHoldings())[0]).toMatchObject({ quantity: 10, used_quantity: 4 });
    expect((await kite.getPositions()).net[0]).toMatchObject({ product: 'CNC', quantity: -4 });
    sim.control.setPrice('NSE:RELIANCE', 1290);
    await place(kite, {
      exchange: 'NSE',
      tradingsymbol: 'RELIANCE',
      transaction_type: 'BUY',
      quantity: 2,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 1290,
    });
    expect((await kite.getHoldings()).map((holding) => holding.tradingsymbol)).toEqual(['INFY']);
  });

  it('moves delivery buys into holdings on the next day', async () => {
    const { sim, kite } = await startWithClient({ tokenExpiryTime: false });
    await place(kite, {
      exchange: 'NSE',
      tradingsymbol: 'RELIANCE',
      transaction_type: 'BUY',
      quantity: 3,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 1290,
    });
    expect(await kite.getHoldings()).toEqual([]);
    sim.control.advanceClock(86_400_000);
    expect(await kite.getHoldings()).toMatchObject([
      { tradingsymbol: 'RELIANCE', quantity: 3, average_price: 1290 },
    ]);
    expect((await kite.getPositions()).net).toEqual([]);
  });
});
