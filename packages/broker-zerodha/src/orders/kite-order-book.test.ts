import { describe, expect, test } from 'vitest';
import type { KiteOrderJson } from '../mapping/kite-order-record.js';
import { KiteOrderBook } from './kite-order-book.js';

const order = (fields: Partial<KiteOrderJson>): KiteOrderJson => ({
  order_id: '1',
  status: 'OPEN',
  tradingsymbol: 'INFY',
  exchange: 'NSE',
  transaction_type: 'BUY',
  order_type: 'LIMIT',
  quantity: 100,
  filled_quantity: 0,
  average_price: 0,
  price: 1800,
  tag: 'bk1',
  ...fields,
});

describe('KiteOrderBook', () => {
  test('each increase of the filled quantity is one fill, priced so the average matches Kite', () => {
    const book = new KiteOrderBook();
    expect(book.observe(order({}), undefined, 0)).toMatchObject({ changed: true, fills: [] });
    const first = book.observe(order({ filled_quantity: 40, average_price: 1799 }), undefined, 0);
    expect(first.fills).toEqual([
      expect.objectContaining({ executionId: '1:40', quantity: 40, price: 1799, clientOrderId: 'bk1' }),
    ]);
    const second = book.observe(
      order({ status: 'COMPLETE', filled_quantity: 100, average_price: 1799.6 }),
      undefined,
      0,
    );
    expect(second.fills).toEqual([
      expect.objectContaining({ executionId: '1:100', quantity: 60, price: 1800 }),
    ]);
    const again = book.observe(
      order({ status: 'COMPLETE', filled_quantity: 100, average_price: 1799.6 }),
      undefined,
      0,
    );
    expect(again).toMatchObject({ changed: false, fills: [] });
    expect(book.isFinal('1')).toBe(true);
    expect(book.openCount).toBe(0);
  });

  test('orders seeded at connect do not replay their old fills', () => {
    const book = new KiteOrderBook();
    book.seed([order({ status: 'COMPLETE', filled_quantity: 100, average_price: 1800 })]);
    expect(
      book.observe(order({ status: 'COMPLETE', filled_quantity: 100, average_price: 1800 }), undefined, 0)
        .fills,
    ).toEqual([]);
  });

  test('the client order id is found by tag, and kept for payloads without one', () => {
    const book = new KiteOrderBook();
    book.expect('7', 'mine-7');
    expect(book.orderIdForTag('mine-7')).toBe('7');
    const seen = book.observe(order({ order_id: '7', tag: null }), undefined, 0);
    expect(seen.record.clientOrderId).toBe('mine-7');
    expect(book.openCount).toBe(1);
  });
});
