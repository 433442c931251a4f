import type { OrderRecord, Product } from '@brokerkit/core';
import { type KiteInstrument, secTypeOf } from '../instruments/kite-instrument.js';
import { kiteTimestampToEpoch } from '../time/ist-clock.js';
import { ORDER_TYPE_FROM_KITE, TIF_FROM_KITE } from './kite-order-type-map.js';
import { mapKiteStatus } from './kite-status-map.js';

/** The fields of a Kite order (orders.json, order_info.json, order-update payloads) this plugin reads. */
export interface KiteOrderJson {
  order_id: string;
  status: string;
  tradingsymbol: string;
  exchange: string;
  transaction_type: string;
  order_type: string;
  variety?: string;
  validity?: string;
  product?: string;
  quantity: number;
  filled_quantity?: number;
  pending_quantity?: number;
  price?: number;
  trigger_price?: number;
  average_price?: number;
  tag?: string | null;
  tags?: string[] | null;
  status_message?: string | null;
  status_message_raw?: string | null;
  order_timestamp?: unknown;
  exchange_timestamp?: unknown;
  exchange_update_timestamp?: unknown;
}

const PRODUCTS: ReadonlySet<Product> = new Set<Product>(['CNC', 'MIS', 'NRML']);

/** True for a value with the fields every Kite order has. */
export function isKiteOrder(value: unknown): value is KiteOrderJson {
  if (typeof value !== 'object' || value === null) return false;
  const order = value as Record<string, unknown>;
  return (
    (typeof order.order_id === 'string' || typeof order.order_id === 'number') &&
    typeof order.status === 'string' &&
    typeof order.tradingsymbol === 'string'
  );
}

function hasTag(order: KiteOrderJson): boolean {
  return typeof order.tag === 'string' && order.tag.trim() !== '';
}

/** The client order id of a Kite order: its tag; orders placed elsewhere without one get `kite-<order_id>`. */
export function clientOrderIdOf(order: KiteOrderJson): string {
  const tag = typeof order.tag === 'string' && order.tag.trim() !== '' ? order.tag.trim() : undefined;
  return tag ?? `kite-${order.order_id}`;
}

/**
 * The order as Kite sent it, for `raw`. Kite's order fields hold no credentials; the one field that
 * is derived from the API secret, the order-update `checksum`, is left out. No deep copy: this runs
 * for every update of every order.
 */
function rawOf(order: KiteOrderJson): Record<string, unknown> {
  if (!('checksum' in order)) return order as unknown as Record<string, unknown>;
  const { checksum: _checksum, ...rest } = order as unknown as Record<string, unknown>;
  return rest;
}

const positive = (value: unknown): number | undefined => {
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? number : undefined;
};

/**
 * brokerkit's record of a Kite order. `instrument` (when its dump is loaded) adds contract fields;
 * `knownClientOrderId` is used when the payload carries no tag.
 */
export function toOrderRecord(
  order: KiteOrderJson,
  instrument: KiteInstrument | undefined,
  now: number,
  knownClientOrderId?: string,
): OrderRecord {
  const quantity = Math.max(0, Number(order.quantity) || 0);
  const filledQuantity = Math.max(0, Number(order.filled_quantity) || 0);
  const status = mapKiteStatus({ status: order.status, filledQuantity });
  const orderType = ORDER_TYPE_FROM_KITE[order.order_type] ?? 'LIMIT';
  const final = status === 'FILLED' || status === 'CANCELLED' || status === 'REJECTED';
  const createdAt = kiteTimestampToEpoch(order.order_timestamp) ?? now;
  const updatedAt =
    kiteTimestampToEpoch(order.exchange_update_timestamp) ??
    kiteTimestampToEpoch(order.exchange_timestamp) ??
    createdAt;
  const secType = secTypeOf(instrument, order.tradingsymbol, order.exchange);
  const record: OrderRecord = {
    orderId: String(order.order_id),
    clientOrderId:
      hasTag(order) || knownClientOrderId === undefined ? clientOrderIdOf(order) : knownClientOrderId,
    symbol: order.tradingsymbol,
    side: order.transaction_type === 'SELL' ? 'SELL' : 'BUY',
    orderType,
    tif: TIF_FROM_KITE[order.validity ?? 'DAY'] ?? 'DAY',
    status,
    quantity,
    filledQuantity,
    remainingQuantity: final ? 0 : Math.max(0, quantity - filledQuantity),
    secType,
    exchange: order.exchange,
    currency: 'INR',
    createdAt,
    updatedAt: Math.max(updatedAt, createdAt),
    raw: rawOf(order),
  };
  const averageFillPrice = filledQuantity > 0 ? positive(order.average_price) : undefined;
  if (averageFillPrice !== undefined) record.averageFillPrice = averageFillPrice;
  const limitPrice = orderType === 'LIMIT' || orderType === 'STOP_LIMIT' ? positive(order.price) : undefined;
  if (limitPrice !== undefined) record.limitPrice = limitPrice;
  const stopPrice =
    orderType === 'STOP' || orderType === 'STOP_LIMIT' ? positive(order.trigger_price) : undefined;
  if (stopPrice !== undefined) record.stopPrice = stopPrice;
  if (PRODUCTS.has(order.product as Product)) record.product = order.product as Product;
  const message = order.status_message ?? order.status_message_raw;
  if (typeof message === 'string' && message.trim() !== '') record.statusMessage = message;
  if (instrument !== undefined && secType !== 'STK' && instrument.expiry !== '') {
    record.lastTradeDateOrContractMonth = instrument.expiry;
  }
  if (instrument !== undefined && secType === 'OPT') {
    record.strike = instrument.strike;
    record.right = instrument.instrumentType === 'PE' ? 'P' : 'C';
  }
  return record;
}
