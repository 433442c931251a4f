import type { SimOrder } from '@brokerkit/exchange-sim';

/** The engine's order type, product and time in force (core's enums, through exchange-sim). */
export type EngineOrderType = SimOrder['orderType'];
export type EngineProduct = NonNullable<SimOrder['product']>;
export type EngineTimeInForce = SimOrder['tif'];

/** Kite order types. */
export type KiteOrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
/** Kite order varieties (`bo` was discontinued). */
export type KiteVariety = 'regular' | 'amo' | 'co' | 'iceberg' | 'auction';
/** Kite validities. */
export type KiteValidity = 'DAY' | 'IOC' | 'TTL';
/** Kite products. */
export type KiteProduct = 'CNC' | 'NRML' | 'MIS' | 'MTF';
export type KiteTransactionType = 'BUY' | 'SELL';

export const KITE_ORDER_TYPES: ReadonlySet<string> = new Set(['MARKET', 'LIMIT', 'SL', 'SL-M']);
export const KITE_VARIETIES: ReadonlySet<string> = new Set(['regular', 'amo', 'co', 'iceberg', 'auction']);
export const KITE_VALIDITIES: ReadonlySet<string> = new Set(['DAY', 'IOC', 'TTL']);
export const KITE_PRODUCTS: ReadonlySet<string> = new Set(['CNC', 'NRML', 'MIS', 'MTF']);

/**
 * Kite order type -> engine order type. SL is a stop-limit (trigger + limit price), SL-M a
 * stop-market (trigger only).
 */
export const ENGINE_ORDER_TYPE: Readonly<Record<KiteOrderType, EngineOrderType>> = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  SL: 'STOP_LIMIT',
  'SL-M': 'STOP',
};

/** Engine order type -> Kite order type (orders placed on the engine directly). */
export const KITE_ORDER_TYPE: Readonly<Record<EngineOrderType, KiteOrderType>> = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP_LIMIT: 'SL',
  STOP: 'SL-M',
  TRAILING_STOP: 'SL-M',
};

/** Kite validity -> engine time in force. TTL orders rest as DAY orders and are cancelled by kite-sim when the minutes run out. */
export const ENGINE_TIME_IN_FORCE: Readonly<Record<KiteValidity, EngineTimeInForce>> = {
  DAY: 'DAY',
  IOC: 'IOC',
  TTL: 'DAY',
};

/** Products accepted per exchange: cash segments take CNC / MIS / MTF, derivatives NRML / MIS. */
export function productsFor(exchange: string): readonly KiteProduct[] {
  return exchange === 'NSE' || exchange === 'BSE' ? ['CNC', 'MIS', 'MTF'] : ['NRML', 'MIS'];
}

/** The engine product of a Kite product: MTF positions are held like CNC (delivery). */
export function engineProduct(product: KiteProduct): EngineProduct {
  return product === 'MTF' ? 'CNC' : product;
}
