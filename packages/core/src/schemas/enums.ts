import { z } from 'zod';

/** Buy or sell. */
export const OrderSide = { BUY: 'BUY', SELL: 'SELL' } as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];
export const orderSideSchema = z.enum(['BUY', 'SELL']);

/**
 * How the order is priced. `TRAILING_STOP` is reserved for a later contract version: no plugin
 * declares it yet, so asking for it gives a NotSupportedError.
 */
export const OrderType = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP: 'STOP',
  STOP_LIMIT: 'STOP_LIMIT',
  TRAILING_STOP: 'TRAILING_STOP',
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];
export const orderTypeSchema = z.enum(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT', 'TRAILING_STOP']);

/**
 * The public order statuses of the spec. PENDING: accepted by this layer, not yet acknowledged by
 * the broker. SUBMITTED: working at the broker. PARTIALLY_FILLED: some quantity filled, the rest
 * working. FILLED, CANCELLED (including expired), REJECTED: final (but see `canTransition`: a fill
 * may race a cancel).
 */
export const OrderStatus = {
  PENDING: 'PENDING',
  SUBMITTED: 'SUBMITTED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELLED: 'CANCELLED',
  REJECTED: 'REJECTED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];
export const orderStatusSchema = z.enum([
  'PENDING',
  'SUBMITTED',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELLED',
  'REJECTED',
]);

/** Time in force: DAY (expires at session end), GTC, IOC (fill what you can now), FOK (all or nothing now). */
export const TimeInForce = { DAY: 'DAY', GTC: 'GTC', IOC: 'IOC', FOK: 'FOK' } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];
export const timeInForceSchema = z.enum(['DAY', 'GTC', 'IOC', 'FOK']);

/** Asset class, with IB's names: stock, future, option, forex, crypto. */
export const SecType = { STK: 'STK', FUT: 'FUT', OPT: 'OPT', CASH: 'CASH', CRYPTO: 'CRYPTO' } as const;
export type SecType = (typeof SecType)[keyof typeof SecType];
export const secTypeSchema = z.enum(['STK', 'FUT', 'OPT', 'CASH', 'CRYPTO']);

/** Zerodha's product: CNC delivery, MIS intraday, NRML normal (F&O carry-forward). */
export const Product = { CNC: 'CNC', MIS: 'MIS', NRML: 'NRML' } as const;
export type Product = (typeof Product)[keyof typeof Product];
export const productSchema = z.enum(['CNC', 'MIS', 'NRML']);

/** Option right: C call, P put. */
export const OptionRight = { CALL: 'C', PUT: 'P' } as const;
export type OptionRight = (typeof OptionRight)[keyof typeof OptionRight];
export const optionRightSchema = z.enum(['C', 'P']);

/** Connection state reported by `broker.connectionState` and the `connectionState` event. */
export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';
