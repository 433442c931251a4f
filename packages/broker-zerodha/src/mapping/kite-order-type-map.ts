import type { OrderType, TimeInForce } from '@brokerkit/core';

/** A Kite `order_type`. */
export type KiteOrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
/** A Kite `validity` this plugin sends. */
export type KiteValidity = 'DAY' | 'IOC';

/** How one brokerkit order type is sent to Kite, and which prices it carries. */
export interface KiteOrderTypeRule {
  orderType: KiteOrderType;
  /** Sends `price` (the limit). */
  price: boolean;
  /** Sends `trigger_price` (the stop). */
  triggerPrice: boolean;
  /** Needs `market_protection` (Kite refuses API market orders without it from April 2026). */
  marketProtection: boolean;
  source: string;
}

/**
 * brokerkit order type -> Kite `order_type`. Every order goes out as variety `regular`; AMO,
 * cover, iceberg and auction varieties are not offered through the contract.
 */
export const KITE_ORDER_TYPE_MAP: Readonly<Partial<Record<OrderType, KiteOrderTypeRule>>> = Object.freeze({
  MARKET: {
    orderType: 'MARKET',
    price: false,
    triggerPrice: false,
    marketProtection: true,
    source: 'kite docs: MARKET; kite-connect-api.md 2.2 (market protection rule, April 2026)',
  },
  LIMIT: {
    orderType: 'LIMIT',
    price: true,
    triggerPrice: false,
    marketProtection: false,
    source: 'kite docs: LIMIT with price',
  },
  STOP: {
    orderType: 'SL-M',
    price: false,
    triggerPrice: true,
    marketProtection: true,
    source: 'kite docs: SL-M (stop-loss market) with trigger_price; counts as a market order for protection',
  },
  STOP_LIMIT: {
    orderType: 'SL',
    price: true,
    triggerPrice: true,
    marketProtection: false,
    source: 'kite docs: SL (stop-loss limit) with price and trigger_price',
  },
});

/** brokerkit time in force -> Kite `validity` (GTC and FOK do not exist for regular Kite orders). */
export const KITE_VALIDITY_MAP: Readonly<Partial<Record<TimeInForce, KiteValidity>>> = Object.freeze({
  DAY: 'DAY',
  IOC: 'IOC',
});

/** The variety every order is placed, modified and cancelled with. */
export const KITE_VARIETY = 'regular';

/** Kite `order_type` -> brokerkit order type (for orders read back from Kite). */
export const ORDER_TYPE_FROM_KITE: Readonly<Record<string, OrderType>> = Object.freeze({
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  SL: 'STOP_LIMIT',
  'SL-M': 'STOP',
});

/**
 * Kite `validity` -> brokerkit time in force. TTL (minutes-limited, placed outside brokerkit) expires
 * within the day, so it reads as DAY; the raw record keeps `validity_ttl`.
 */
export const TIF_FROM_KITE: Readonly<Record<string, TimeInForce>> = Object.freeze({
  DAY: 'DAY',
  IOC: 'IOC',
  TTL: 'DAY',
});
