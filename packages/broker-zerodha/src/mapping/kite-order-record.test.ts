import { orderRecordSchema } from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import { type KiteOrderJson, toOrderRecord } from './kite-order-record.js';

const base: KiteOrderJson = {
  order_id: '151220000000000',
  status: 'OPEN',
  tradingsymbol: 'NIFTY26JAN24000CE',
  exchange: 'NFO',
  transaction_type: 'SELL',
  order_type: 'SL',
  validity: 'DAY',
  product: 'NRML',
  quantity: 130,
  filled_quantity: 65,
  pending_quantity: 65,
  price: 101.5,
  trigger_price: 100,
  average_price: 100.75,
  tag: 'bk-1',
  status_message: null,
  order_timestamp: '2026-01-15 09:16:39',
  exchange_update_timestamp: '2026-01-15 09:16:41',
};
const option: KiteInstrument = {
  instrumentToken: '1',
  tradingsymbol: 'NIFTY26JAN24000CE',
  name: 'NIFTY',
  exchange: 'NFO',
  segment: 'NFO-OPT',
  instrumentType: 'CE',
  lotSize: 65,
  tickSize: 0.05,
  expiry: '20260127',
  strike: 24000,
};

describe('Kite order -> OrderRecord', () => {
  test('maps a partly filled stop-limit option order with its contract fields', () => {
    const record = toOrderRecord(base, option, 0);
    expect(orderRecordSchema.safeParse(record).success).toBe(true);
    expect(record).toMatchObject({
      orderId: '151220000000000',
      clientOrderId: 'bk-1',
      symbol: 'NIFTY26JAN24000CE',
      side: 'SELL',
      orderType: 'STOP_LIMIT',
      tif: 'DAY',
      status: 'PARTIALLY_FILLED',
      quantity: 130,
      filledQuantity: 65,
      remainingQuantity: 65,
      averageFillPrice: 100.75,
      limitPrice: 101.5,
      stopPrice: 100,
      secType: 'OPT',
      exchange: 'NFO',
      currency: 'INR',
      product: 'NRML',
      lastTradeDateOrContractMonth: '20260127',
      strike: 24000,
      right: 'C',
    });
    // IST wall clock: 09:16:39 IST is 03:46:39 UTC.
    expect(new Date(record.createdAt).toISOString()).toBe('2026-01-15T03:46:39.000Z');
    expect(record.updatedAt - record.createdAt).toBe(2000);
  });

  test("timestamps kiteconnect turned into local-time Dates are read back as IST, whatever the process's TZ", () => {
    const local = new Date('2026-01-15 09:16:39');
    const record = toOrderRecord({ ...base, order_timestamp: local }, option, 0);
    expect(new Date(record.createdAt).toISOString()).toBe('2026-01-15T03:46:39.000Z');
  });

  test('a rejected order carries the reason; an untagged order placed elsewhere gets kite-<id>', () => {
    const record = toOrderRecord(
      {
        ...base,
        status: 'REJECTED',
        filled_quantity: 0,
        tag: null,
        status_message: 'Insufficient funds.',
        average_price: 0,
      },
      undefined,
      0,
    );
    expect(record).toMatchObject({
      status: 'REJECTED',
      statusMessage: 'Insufficient funds.',
      clientOrderId: 'kite-151220000000000',
      remainingQuantity: 0,
    });
    expect(record.averageFillPrice).toBeUndefined();
    expect(record.secType).toBe('OPT');
  });

  test('the raw payload keeps the order but not its checksum', () => {
    const record = toOrderRecord({ ...base, checksum: 'abcdef' } as KiteOrderJson, option, 0);
    expect(JSON.stringify(record.raw)).not.toContain('abcdef');
  });
});
