import type { RequestParams } from '../http/form-body.js';
import { decodeError, invalidParameter } from '../http/kite-api-error.js';
import {
  KITE_ORDER_TYPES,
  KITE_PRODUCTS,
  KITE_VALIDITIES,
  KITE_VARIETIES,
  type KiteOrderType,
  type KiteProduct,
  type KiteTransactionType,
  type KiteValidity,
  type KiteVariety,
} from './kite-order-types.js';

/** A decoded `POST /orders/:variety` request. Prices are 0 and counts 0 when not given. */
export interface PlaceOrderRequest {
  variety: KiteVariety;
  exchange: string;
  tradingsymbol: string;
  transactionType: KiteTransactionType;
  orderType: KiteOrderType;
  quantity: number;
  product: KiteProduct;
  price: number;
  triggerPrice: number;
  disclosedQuantity: number;
  validity: KiteValidity;
  validityTtl: number;
  icebergLegs: number;
  icebergQuantity: number;
  auctionNumber: string | undefined;
  tag: string | undefined;
  /** 0 = none, 0-100 = percent, -1 = automatic. */
  marketProtection: number;
  /** Whether `market_protection` was sent at all. */
  marketProtectionGiven: boolean;
  autoslice: boolean;
}

/** A decoded `PUT /orders/:variety/:order_id` request: only what was sent. */
export interface ModifyOrderRequest {
  orderType: KiteOrderType | undefined;
  quantity: number | undefined;
  price: number | undefined;
  triggerPrice: number | undefined;
  validity: KiteValidity | undefined;
  disclosedQuantity: number | undefined;
  marketProtection: number | undefined;
}

/** Kite's documented tag limit: at most 20 characters. */
export const MAX_TAG_LENGTH = 20;

const INT = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/** Reads an integer parameter the way Kite's OMS decodes it: `65.0` and `1e2` are refused. */
export function readInt(params: RequestParams, field: string): number | undefined {
  const raw = params.get(field);
  if (raw === undefined) return undefined;
  if (!INT.test(raw)) throw decodeError(field, raw, 'int');
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw decodeError(field, raw, 'int');
  return value;
}

/** Reads a decimal parameter (`10`, `10.5`, `.5`); anything else is a decode error. */
export function readDecimal(params: RequestParams, field: string): number | undefined {
  const raw = params.get(field);
  if (raw === undefined) return undefined;
  if (!DECIMAL.test(raw)) throw decodeError(field, raw, 'decimal');
  const value = Number(raw);
  if (!Number.isFinite(value)) throw decodeError(field, raw, 'decimal');
  return value;
}

function readChoice<T extends string>(
  params: RequestParams,
  field: string,
  choices: ReadonlySet<string>,
): T | undefined {
  const raw = params.get(field);
  if (raw === undefined) return undefined;
  if (!choices.has(raw)) throw invalidParameter(field);
  return raw as T;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw invalidParameter(field);
  return value;
}

function readBoolean(params: RequestParams, field: string): boolean {
  const raw = params.get(field);
  if (raw === undefined) return false;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw decodeError(field, raw, 'int');
}

function readMarketProtection(params: RequestParams): number | undefined {
  const value = readDecimal(params, 'market_protection');
  if (value === undefined) return undefined;
  if (value !== -1 && (value < 0 || value > 100)) throw invalidParameter('market_protection');
  return value;
}

/**
 * Decodes and checks the instrument-independent part of a place-order request. Throws the
 * 400 KiteApiError Kite answers with: decode errors for malformed numbers, `Invalid \`field\`.`
 * for missing or unknown values.
 */
export function parsePlaceOrder(params: RequestParams, variety: string): PlaceOrderRequest {
  if (!KITE_VARIETIES.has(variety)) throw invalidParameter('variety');
  // Numbers first: a malformed number is a decode failure of the whole request.
  const quantity = readInt(params, 'quantity');
  const price = readDecimal(params, 'price');
  const triggerPrice = readDecimal(params, 'trigger_price');
  const disclosedQuantity = readInt(params, 'disclosed_quantity');
  const validityTtl = readInt(params, 'validity_ttl');
  const icebergLegs = readInt(params, 'iceberg_legs');
  const icebergQuantity = readInt(params, 'iceberg_quantity');
  const marketProtection = readMarketProtection(params);
  const autoslice = readBoolean(params, 'autoslice');

  const exchange = required(params.get('exchange'), 'exchange');
  const tradingsymbol = required(params.get('tradingsymbol'), 'tradingsymbol');
  const transactionType = required(
    readChoice<KiteTransactionType>(params, 'transaction_type', new Set(['BUY', 'SELL'])),
    'transaction_type',
  );
  const orderType = required(readChoice<KiteOrderType>(params, 'order_type', KITE_ORDER_TYPES), 'order_type');
  const product = required(readChoice<KiteProduct>(params, 'product', KITE_PRODUCTS), 'product');
  const validity = readChoice<KiteValidity>(params, 'validity', KITE_VALIDITIES) ?? 'DAY';
  if (quantity === undefined || quantity <= 0) throw invalidParameter('quantity');
  if (price !== undefined && price < 0) throw invalidParameter('price');
  if (triggerPrice !== undefined && triggerPrice < 0) throw invalidParameter('trigger_price');
  if (disclosedQuantity !== undefined && (disclosedQuantity < 0 || disclosedQuantity > quantity)) {
    throw invalidParameter('disclosed_quantity');
  }
  if (validity === 'TTL' && (validityTtl === undefined || validityTtl < 1))
    throw invalidParameter('validity_ttl');
  const tag = params.get('tag');
  if (tag !== undefined && tag.length > MAX_TAG_LENGTH) throw invalidParameter('tag');

  if (orderType === 'LIMIT' && !(price !== undefined && price > 0)) throw invalidParameter('price');
  if (orderType === 'SL' && !(price !== undefined && price > 0)) throw invalidParameter('price');
  if ((orderType === 'SL' || orderType === 'SL-M') && !(triggerPrice !== undefined && triggerPrice > 0)) {
    throw invalidParameter('trigger_price');
  }
  if (variety === 'co' && !(triggerPrice !== undefined && triggerPrice > 0))
    throw invalidParameter('trigger_price');
  if (variety === 'iceberg') {
    if (icebergLegs === undefined || icebergLegs < 2 || icebergLegs > 50)
      throw invalidParameter('iceberg_legs');
    if (icebergQuantity === undefined || icebergQuantity <= 0 || icebergQuantity * icebergLegs < quantity) {
      throw invalidParameter('iceberg_quantity');
    }
    if (icebergQuantity !== Math.ceil(quantity / icebergLegs)) throw invalidParameter('iceberg_quantity');
  }
  const auctionNumber = params.get('auction_number');
  if (variety === 'auction' && auctionNumber === undefined) throw invalidParameter('auction_number');

  return {
    variety: variety as KiteVariety,
    exchange,
    tradingsymbol,
    transactionType,
    orderType,
    quantity,
    product,
    price: orderType === 'LIMIT' || orderType === 'SL' ? (price ?? 0) : 0,
    triggerPrice: orderType === 'SL' || orderType === 'SL-M' || variety === 'co' ? (triggerPrice ?? 0) : 0,
    disclosedQuantity: disclosedQuantity ?? 0,
    validity,
    validityTtl: validity === 'TTL' ? (validityTtl ?? 0) : 0,
    icebergLegs: icebergLegs ?? 0,
    icebergQuantity: icebergQuantity ?? 0,
    auctionNumber,
    tag,
    marketProtection: marketProtection ?? 0,
    marketProtectionGiven: marketProtection !== undefined,
    autoslice,
  };
}

/** Decodes a modify request; only the fields that were sent are set. */
export function parseModifyOrder(params: RequestParams): ModifyOrderRequest {
  const quantity = readInt(params, 'quantity');
  const price = readDecimal(params, 'price');
  const triggerPrice = readDecimal(params, 'trigger_price');
  const disclosedQuantity = readInt(params, 'disclosed_quantity');
  const marketProtection = readMarketProtection(params);
  const orderType = readChoice<KiteOrderType>(params, 'order_type', KITE_ORDER_TYPES);
  const validity = readChoice<KiteValidity>(params, 'validity', KITE_VALIDITIES);
  if (quantity !== undefined && quantity <= 0) throw invalidParameter('quantity');
  if (price !== undefined && price < 0) throw invalidParameter('price');
  if (triggerPrice !== undefined && triggerPrice < 0) throw invalidParameter('trigger_price');
  if (disclosedQuantity !== undefined && disclosedQuantity < 0) throw invalidParameter('disclosed_quantity');
  return { orderType, quantity, price, triggerPrice, validity, disclosedQuantity, marketProtection };
}
