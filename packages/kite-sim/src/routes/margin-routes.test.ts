import type { Connect as KiteConnect } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import {
  CHARGES_FIELDS,
  COMPACT_MARGIN_FIELDS,
  CONTRACT_NOTE_FIELDS,
  GST_FIELDS,
  keysOf,
  ORDER_MARGIN_FIELDS,
  sorted,
} from '../test-support/kite-fields.js';
import { rejectionOf, startWithClient } from '../test-support/start-test-sim.js';

type MarginOrder = Parameters<KiteConnect['orderMargins']>[0][number];

const NIFTY_FUTURE: MarginOrder = {
  exchange: 'NFO',
  tradingsymbol: 'NIFTY24NOVFUT',
  transaction_type: 'BUY',
  variety: 'regular',
  product: 'NRML',
  order_type: 'LIMIT',
  quantity: 65,
  price: 24000,
  trigger_price: 0,
};

const INFY_DELIVERY: MarginOrder = {
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  transaction_type: 'BUY',
  variety: 'regular',
  product: 'CNC',
  order_type: 'LIMIT',
  quantity: 10,
  price: 1800,
  trigger_price: 0,
};

function expectChargesShape(charges: unknown): void {
  expect(keysOf(charges)).toEqual(sorted(CHARGES_FIELDS));
  expect(keysOf((charges as { gst: unknown }).gst)).toEqual(sorted(GST_FIELDS));
}

describe('order margins', () => {
  it('answers compact mode (the client default) with type, tradingsymbol, exchange and total only', async () => {
    const { kite } = await startWithClient();
    const margins = await kite.orderMargins([NIFTY_FUTURE, INFY_DELIVERY]);
    expect(margins.map(keysOf)).toEqual([sorted(COMPACT_MARGIN_FIELDS), sorted(COMPACT_MARGIN_FIELDS)]);
    expect(margins[0]).toEqual({
      type: 'equity',
      tradingsymbol: 'NIFTY24NOVFUT',
      exchange: 'NFO',
      total: 187_200,
    });
    expect(margins[1]).toEqual({ type: 'equity', tradingsymbol: 'INFY', exchange: 'NSE', total: 18_000 });
  });

  it('breaks the margin down in full mode: span + exposure for futures, VaR for equity, with charges', async () => {
    const { kite } = await startWithClient();
    const [future, equity] = await kite.orderMargins(
      [NIFTY_FUTURE, { ...INFY_DELIVERY, product: 'MIS' }],
      'full' as 'compact',
    );
    expect(keysOf(future)).toEqual(sorted(ORDER_MARGIN_FIELDS));
    expectChargesShape(future!.charges);
    expect(future).toMatchObject({ span: 156_000, exposure: 31_200, var: 0, total: 187_200, leverage: 1 });
    expect(future!.charges).toMatchObject({ transaction_tax: 0, transaction_tax_type: 'stt', brokerage: 20 });
    // MIS equity: 20% margin, 5x leverage; a 0.03% brokerage capped at 20.
    expect(equity).toMatchObject({ var: 3_600, total: 3_600, leverage: 5 });
    expect(equity!.charges.brokerage).toBeCloseTo(5.4, 6);
  });

  it('values a long option at its premium', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.setPrice('NFO:NIFTY24NOV24000CE', 150);
    const [option] = await kite.orderMargins(
      [{ ...NIFTY_FUTURE, tradingsymbol: 'NIFTY24NOV24000CE', order_type: 'MARKET', price: 0 }],
      'full' as 'compact',
    );
    expect(option).toMatchObject({ option_premium: 9_750, total: 9_750 });
  });

  it('refuses an unknown instrument or a body that is not an array', async () => {
    const { sim, kite } = await startWithClient();
    expect(
      await rejectionOf(kite.orderMargins([{ ...NIFTY_FUTURE, tradingsymbol: 'NIFTY19JANFUT' }])),
    ).toMatchObject({
      error_type: 'InputException',
      message: 'Invalid `tradingsymbol`.',
    });
    const response = await fetch(`${sim.root}/margins/orders?mode=compact`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `token ${sim.apiKey}:test_access_token` },
      body: '{"not":"an array"}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 'error', error_type: 'InputException' });
  });
});

describe('basket margins', () => {
  it('nets opposite legs in final, and sums them in initial', async () => {
    const { kite } = await startWithClient();
    const basket = await kite.orderBasketMargins(
      [NIFTY_FUTURE, { ...NIFTY_FUTURE, transaction_type: 'SELL' }],
      true,
      'full' as 'compact',
    );
    expect(Object.keys(basket).sort()).toEqual(['charges', 'final', 'initial', 'orders']);
    expect(keysOf(basket.initial)).toEqual(sorted(ORDER_MARGIN_FIELDS));
    expect(keysOf(basket.final)).toEqual(sorted(ORDER_MARGIN_FIELDS));
    expect(basket.initial.total).toBe(374_400);
    expect(basket.final.total).toBe(0);
    expect(basket.orders).toHaveLength(2);
    // kiteconnect's type leaves out the basket's charges block.
    const { charges } = basket as typeof basket & { charges: { brokerage: number } };
    expectChargesShape(charges);
    expect(charges.brokerage).toBe(40);
  });

  it('counts only what the basket adds to open positions when consider_positions is true', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.setPrice('NFO:NIFTY24NOVFUT', 24000);
    await kite.placeOrder('regular', {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24NOVFUT',
      transaction_type: 'BUY',
      quantity: 65,
      product: 'NRML',
      order_type: 'LIMIT',
      price: 24000,
    });
    const closing = [{ ...NIFTY_FUTURE, transaction_type: 'SELL' as const }];
    expect((await kite.orderBasketMargins(closing, true)).final.total).toBe(0);
    expect((await kite.orderBasketMargins(closing, false)).final.total).toBe(187_200);
    expect((await kite.orderBasketMargins(closing, true, 'compact')).orders[0]).toEqual({
      type: 'equity',
      tradingsymbol: 'NIFTY24NOVFUT',
      exchange: 'NFO',
      total: 187_200,
    });
  });
});

describe('virtual contract note', () => {
  it('returns the charges of executed orders: STT on delivery, flat brokerage on options, GST', async () => {
    const { kite } = await startWithClient();
    const note = await kite.getvirtualContractNote([
      {
        order_id: '1',
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        variety: 'regular',
        product: 'CNC',
        order_type: 'MARKET',
        quantity: 10,
        average_price: 1800,
      },
      {
        order_id: '2',
        exchange: 'NFO',
        tradingsymbol: 'NIFTY24NOV24000CE',
        transaction_type: 'SELL',
        variety: 'regular',
        product: 'NRML',
        order_type: 'LIMIT',
        quantity: 65,
        average_price: 100,
      },
    ]);
    expect(note).toHaveLength(2);
    for (const entry of note) {
      expect(keysOf(entry)).toEqual(sorted(CONTRACT_NOTE_FIELDS));
      expectChargesShape(entry.charges);
    }
    const [delivery, option] = note;
    expect(delivery).toMatchObject({ tradingsymbol: 'INFY', quantity: 10, price: 1800 });
    expect(delivery!.charges).toMatchObject({
      transaction_tax: 18,
      transaction_tax_type: 'stt',
      brokerage: 0,
      stamp_duty: 2.7,
    });
    expect(option!.charges).toMatchObject({ brokerage: 20, transaction_tax: 6.5, stamp_duty: 0 });
    const gst = option!.charges.gst;
    expect(gst.igst).toBeCloseTo(
      0.18 * (20 + option!.charges.exchange_turnover_charge + option!.charges.sebi_turnover_charge),
      6,
    );
    const { charges } = option!;
    expect(charges.total).toBeCloseTo(
      charges.transaction_tax +
        charges.exchange_turnover_charge +
        charges.sebi_turnover_charge +
        charges.brokerage +
        charges.stamp_duty +
        gst.total,
      5,
    );
  });
});
