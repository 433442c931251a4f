import { inputError, invalidParameter } from '../http/kite-api-error.js';
import type { InstrumentTable } from '../instruments/instrument-table.js';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import {
  KITE_ORDER_TYPES,
  KITE_PRODUCTS,
  type KiteOrderType,
  type KiteProduct,
  productsFor,
} from '../orders/kite-order-types.js';

/** One order of a margins, basket or contract-note request, checked against the instrument table. */
export interface MarginOrderInput {
  row: KiteInstrument;
  exchange: string;
  tradingsymbol: string;
  transactionType: 'BUY' | 'SELL';
  variety: string;
  product: KiteProduct;
  orderType: KiteOrderType;
  quantity: number;
  price: number;
  triggerPrice: number;
  /** Contract note only. */
  averagePrice: number;
  orderId: string | undefined;
}

/** Most orders one margins request may carry. */
export const MAX_MARGIN_ORDERS = 1000;

function numberField(entry: Record<string, unknown>, field: string): number {
  const value = entry[field];
  if (value === undefined || value === null || value === '') return 0;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number < 0) throw invalidParameter(field);
  return number;
}

function textField(entry: Record<string, unknown>, field: string): string | undefined {
  const value = entry[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalidParameter(field);
  return value;
}

/**
 * Checks a JSON body that must be an array of order objects (`POST /margins/orders`,
 * `/margins/basket`, `/charges/orders`); throws 400 InputException naming the bad field.
 */
export function parseMarginOrders(body: unknown, table: InstrumentTable): MarginOrderInput[] {
  if (!Array.isArray(body)) throw inputError('Invalid request body: expected a JSON array of orders.');
  if (body.length > MAX_MARGIN_ORDERS)
    throw inputError(`Too many orders in one request (at most ${MAX_MARGIN_ORDERS}).`);
  return body.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw inputError('Invalid request body: expected a JSON array of orders.');
    }
    const entry = item as Record<string, unknown>;
    const exchange = textField(entry, 'exchange');
    if (exchange === undefined) throw invalidParameter('exchange');
    const tradingsymbol = textField(entry, 'tradingsymbol');
    if (tradingsymbol === undefined) throw invalidParameter('tradingsymbol');
    const row = table.bySymbol(exchange, tradingsymbol);
    if (row === undefined || row.isIndex) throw invalidParameter('tradingsymbol');
    const transactionType = textField(entry, 'transaction_type');
    if (transactionType !== 'BUY' && transactionType !== 'SELL') throw invalidParameter('transaction_type');
    const product =
      textField(entry, 'product') ?? (exchange === 'NSE' || exchange === 'BSE' ? 'CNC' : 'NRML');
    if (!KITE_PRODUCTS.has(product) || !productsFor(row.exchange).includes(product as KiteProduct))
      throw invalidParameter('product');
    const orderType = textField(entry, 'order_type') ?? 'MARKET';
    if (!KITE_ORDER_TYPES.has(orderType)) throw invalidParameter('order_type');
    const quantity = numberField(entry, 'quantity');
    if (!Number.isInteger(quantity) || quantity <= 0) throw invalidParameter('quantity');
    return {
      row,
      exchange,
      tradingsymbol,
      transactionType,
      variety: textField(entry, 'variety') ?? 'regular',
      product: product as KiteProduct,
      orderType: orderType as KiteOrderType,
      quantity,
      price: numberField(entry, 'price'),
      triggerPrice: numberField(entry, 'trigger_price'),
      averagePrice: numberField(entry, 'average_price'),
      orderId: textField(entry, 'order_id'),
    };
  });
}
