import type { TimerHandle } from '@brokerkit/exchange-sim';
import { postbackChecksum } from '../auth/checksum.js';
import { KITE_ORDER_STATUS, type KiteOrderStatus } from '../order-statuses.js';
import { formatIstDateTime, formatIstTime } from '../time/ist-time.js';
import type {
  KiteOrderType,
  KiteProduct,
  KiteTransactionType,
  KiteValidity,
  KiteVariety,
} from './kite-order-types.js';

/** An order as kite-sim keeps it: the fields of Kite's order book plus its history and trades. */
export interface KiteOrderRecord {
  readonly orderId: string;
  exchangeOrderId: string | null;
  parentOrderId: string | null;
  readonly placedBy: string;
  status: KiteOrderStatus;
  statusMessage: string | null;
  statusMessageRaw: string | null;
  readonly orderTimestamp: number;
  exchangeTimestamp: number | null;
  exchangeUpdateTimestamp: number | null;
  readonly variety: KiteVariety;
  modified: boolean;
  /** Accepted modifications (Kite allows 25 per order). */
  modifications: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly instrumentToken: number;
  orderType: KiteOrderType;
  readonly transactionType: KiteTransactionType;
  validity: KiteValidity;
  validityTtl: number;
  readonly product: KiteProduct;
  quantity: number;
  disclosedQuantity: number;
  price: number;
  triggerPrice: number;
  averagePrice: number;
  filledQuantity: number;
  cancelledQuantity: number;
  marketProtection: number;
  meta: Record<string, unknown>;
  readonly tag: string | null;
  readonly tags: string[];
  readonly guid: string;
  readonly auctionNumber: string | null;
  /** Snapshots in the order the statuses happened, oldest first (GET /orders/:order_id). */
  readonly history: KiteOrderJson[];
  /** The engine order, once the order reached it (AMO orders wait for the session). */
  engineOrderId: string | undefined;
  /** A cancel was asked for by the user (CANCELLED without status_message). */
  cancelRequested: boolean;
  /** TTL expiry or AMO release timer. */
  timer: TimerHandle | undefined;
}

/** The JSON of one order (orders.json, order_info.json): 36 keys. */
export interface KiteOrderJson {
  placed_by: string;
  order_id: string;
  exchange_order_id: string | null;
  parent_order_id: string | null;
  status: string;
  status_message: string | null;
  status_message_raw: string | null;
  order_timestamp: string;
  exchange_update_timestamp: string | null;
  exchange_timestamp: string | null;
  variety: string;
  modified: boolean;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  order_type: string;
  transaction_type: string;
  validity: string;
  validity_ttl: number;
  product: string;
  quantity: number;
  disclosed_quantity: number;
  price: number;
  trigger_price: number;
  average_price: number;
  filled_quantity: number;
  pending_quantity: number;
  cancelled_quantity: number;
  market_protection: number;
  meta: Record<string, unknown>;
  tag: string | null;
  tags: string[];
  guid: string;
  account_id: string;
  terminal_id: string | null;
  auction_number: string | null;
}

/** One trade (trades.json, order_trades.json). */
export interface KiteTradeJson {
  trade_id: string;
  order_id: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  average_price: number;
  quantity: number;
  exchange_order_id: string | null;
  transaction_type: string;
  fill_timestamp: string;
  /** Time only (`09:16:39`), as in the mocks; use `fill_timestamp` for the date. */
  order_timestamp: string;
  exchange_timestamp: string;
}

/** What an order-update frame and a postback carry (postback.json). */
export interface KiteOrderUpdateJson {
  user_id: string;
  unfilled_quantity: number;
  app_id: number;
  checksum: string;
  placed_by: string;
  order_id: string;
  exchange_order_id: string | null;
  parent_order_id: string | null;
  status: string;
  status_message: string | null;
  status_message_raw: string | null;
  order_timestamp: string;
  exchange_update_timestamp: string | null;
  exchange_timestamp: string | null;
  variety: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  order_type: string;
  transaction_type: string;
  validity: string;
  product: string;
  quantity: number;
  disclosed_quantity: number;
  price: number;
  trigger_price: number;
  average_price: number;
  filled_quantity: number;
  pending_quantity: number;
  cancelled_quantity: number;
  market_protection: number;
  meta: Record<string, unknown>;
  tag: string | null;
  guid: string;
}

const nullableTime = (value: number | null) => (value === null ? null : formatIstDateTime(value));

/** A deep copy of an order's `meta` (plain JSON data); the common empty one costs nothing. */
function copyMeta(meta: Record<string, unknown>): Record<string, unknown> {
  for (const _key in meta) return JSON.parse(JSON.stringify(meta)) as Record<string, unknown>;
  return {};
}

/** A copy of an order JSON that shares nothing with the original. */
export function copyOrderJson(order: KiteOrderJson): KiteOrderJson {
  return { ...order, meta: copyMeta(order.meta), tags: [...order.tags] };
}

/**
 * `pending_quantity` as Kite reports it: the unfilled rest while the order works and after a
 * cancel (the mocks keep it), 0 once complete or rejected.
 */
function pendingQuantity(record: KiteOrderRecord): number {
  if (record.status === KITE_ORDER_STATUS.COMPLETE || record.status === KITE_ORDER_STATUS.REJECTED) return 0;
  return Math.max(0, record.quantity - record.filledQuantity);
}

/** The order's JSON now. */
export function orderJson(record: KiteOrderRecord): KiteOrderJson {
  return {
    placed_by: record.placedBy,
    order_id: record.orderId,
    exchange_order_id: record.exchangeOrderId,
    parent_order_id: record.parentOrderId,
    status: record.status,
    status_message: record.statusMessage,
    status_message_raw: record.statusMessageRaw,
    order_timestamp: formatIstDateTime(record.orderTimestamp),
    exchange_update_timestamp: nullableTime(record.exchangeUpdateTimestamp),
    exchange_timestamp: nullableTime(record.exchangeTimestamp),
    variety: record.variety,
    modified: record.modified,
    exchange: record.exchange,
    tradingsymbol: record.tradingsymbol,
    instrument_token: record.instrumentToken,
    order_type: record.orderType,
    transaction_type: record.transactionType,
    validity: record.validity,
    validity_ttl: record.validityTtl,
    product: record.product,
    quantity: record.quantity,
    disclosed_quantity: record.disclosedQuantity,
    price: record.price,
    trigger_price: record.triggerPrice,
    average_price: record.averagePrice,
    filled_quantity: record.filledQuantity,
    pending_quantity: pendingQuantity(record),
    cancelled_quantity: record.cancelledQuantity,
    market_protection: record.marketProtection,
    meta: copyMeta(record.meta),
    tag: record.tag,
    tags: [...record.tags],
    guid: record.guid,
    account_id: record.placedBy,
    terminal_id: null,
    auction_number: record.auctionNumber,
  };
}

/**
 * The order-update payload (WebSocket `{"type":"order","data":…}` and HTTP postbacks): the order's
 * fields plus `user_id`, `app_id`, `unfilled_quantity` and `checksum` =
 * SHA-256(order_id + order_timestamp + api_secret). `status` may be `UPDATE` (modified or partly filled).
 */
export function orderUpdateJson(
  order: KiteOrderJson,
  status: string,
  appId: number,
  apiSecret: string,
): KiteOrderUpdateJson {
  return {
    user_id: order.placed_by,
    unfilled_quantity: status === KITE_ORDER_STATUS.REJECTED ? 0 : order.quantity - order.filled_quantity,
    app_id: appId,
    checksum: postbackChecksum(order.order_id, order.order_timestamp, apiSecret),
    placed_by: order.placed_by,
    order_id: order.order_id,
    exchange_order_id: order.exchange_order_id,
    parent_order_id: order.parent_order_id,
    status,
    status_message: order.status_message,
    status_message_raw: order.status_message_raw,
    order_timestamp: order.order_timestamp,
    exchange_update_timestamp: order.exchange_update_timestamp,
    exchange_timestamp: order.exchange_timestamp,
    variety: order.variety,
    exchange: order.exchange,
    tradingsymbol: order.tradingsymbol,
    instrument_token: order.instrument_token,
    order_type: order.order_type,
    transaction_type: order.transaction_type,
    validity: order.validity,
    product: order.product,
    quantity: order.quantity,
    disclosed_quantity: order.disclosed_quantity,
    price: order.price,
    trigger_price: order.trigger_price,
    average_price: order.average_price,
    filled_quantity: order.filled_quantity,
    pending_quantity: order.pending_quantity,
    cancelled_quantity: order.cancelled_quantity,
    market_protection: order.market_protection,
    meta: order.meta,
    tag: order.tag,
    guid: order.guid,
  };
}

/** A trade row for a fill of `record`. */
export function tradeJson(
  record: KiteOrderRecord,
  tradeId: string,
  quantity: number,
  price: number,
  time: number,
): KiteTradeJson {
  const timestamp = formatIstDateTime(time);
  return {
    trade_id: tradeId,
    order_id: record.orderId,
    exchange: record.exchange,
    tradingsymbol: record.tradingsymbol,
    instrument_token: record.instrumentToken,
    product: record.product,
    average_price: price,
    quantity,
    exchange_order_id: record.exchangeOrderId,
    transaction_type: record.transactionType,
    fill_timestamp: timestamp,
    order_timestamp: formatIstTime(time),
    exchange_timestamp: timestamp,
  };
}
