import { describe, expect, test } from 'vitest';
import { buildIbOrder } from './order-builder.js';
import { fromIbOrderType, fromIbTif, ORDER_TYPE_TO_IB, toIbOrderType } from './order-type-map.js';

const base = { symbol: 'AAPL', side: 'BUY' as const, quantity: 100, tif: 'DAY', clientOrderId: 'c-1' };

describe('order type and TIF mapping', () => {
  test('each brokerkit type maps to its IB type with a source', () => {
    expect(toIbOrderType('MARKET').ibOrderType).toBe('MKT');
    expect(toIbOrderType('LIMIT').ibOrderType).toBe('LMT');
    expect(toIbOrderType('STOP').ibOrderType).toBe('STP');
    expect(toIbOrderType('STOP_LIMIT').ibOrderType).toBe('STP LMT');
    for (const row of Object.values(ORDER_TYPE_TO_IB)) expect(row?.source).toMatch(/9\.1/);
    expect(() => toIbOrderType('TRAILING_STOP')).toThrow(RangeError);
  });

  test('IB types read back, unknown ones by their prices', () => {
    expect(fromIbOrderType('STP LMT', true)).toBe('STOP_LIMIT');
    expect(fromIbOrderType('TRAIL', false)).toBe('TRAILING_STOP');
    expect(fromIbOrderType('LOC', true)).toBe('LIMIT');
    expect(fromIbOrderType('MOC', false)).toBe('MARKET');
    expect(fromIbTif('GTC')).toBe('GTC');
    expect(fromIbTif('OPG')).toBe('DAY');
  });

  test('orders always carry transmit=true and the client order id as orderRef', () => {
    const order = buildIbOrder(
      { ...base, orderType: 'STOP_LIMIT', limitPrice: 439, stopPrice: 440, tif: 'GTC' },
      {
        account: 'DU1',
      },
    );
    expect(order).toMatchObject({
      action: 'BUY',
      orderType: 'STP LMT',
      totalQuantity: 100,
      lmtPrice: 439,
      auxPrice: 440,
      tif: 'GTC',
      orderRef: 'c-1',
      transmit: true,
      account: 'DU1',
    });
    expect(order.whatIf).toBeUndefined();
  });

  test('crypto BUY by cash amount sends cashQty and no quantity; what-if sets whatIf', () => {
    const order = buildIbOrder(
      { ...base, symbol: 'BTC', quantity: undefined, cashQty: 10_000, orderType: 'MARKET', tif: 'IOC' },
      { account: undefined, whatIf: true },
    );
    expect(order.cashQty).toBe(10_000);
    expect(order.totalQuantity).toBeUndefined();
    expect(order.whatIf).toBe(true);
    expect(order.transmit).toBe(true);
    expect(order.lmtPrice).toBeUndefined();
    expect(order.auxPrice).toBeUndefined();
  });
});
