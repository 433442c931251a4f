import {
  type InputIssue,
  InvalidOrderError,
  type NormalizedOrderRequest,
  type Product,
  type SecType,
} from '@brokerkit/core';
import type { KitePlaceOrderParams } from '../kite/kite-client.js';
import { KITE_ORDER_TYPE_MAP, KITE_VALIDITY_MAP } from '../mapping/kite-order-type-map.js';
import { type KiteInstrument, SEC_TYPE_FROM_INSTRUMENT_TYPE } from './kite-instrument.js';

/** Kite's `tag` is at most 20 characters (kite docs); the client order id travels in it. */
export const KITE_TAG_MAX_LENGTH = 20;

/** Exchanges of equities (cash segment). */
const EQUITY_EXCHANGES: ReadonlySet<string> = new Set(['NSE', 'BSE']);

/**
 * Products each segment takes (kite docs: CNC is equity delivery, NRML is F&O / commodity / currency
 * carry-forward, MIS is intraday everywhere).
 */
export const PRODUCTS_BY_EXCHANGE: Readonly<Record<string, readonly Product[]>> = Object.freeze({
  NSE: ['CNC', 'MIS'],
  BSE: ['CNC', 'MIS'],
  NFO: ['NRML', 'MIS'],
  BFO: ['NRML', 'MIS'],
  MCX: ['NRML', 'MIS'],
  CDS: ['NRML', 'MIS'],
});

/**
 * The product when an order gives none. Equities default to CNC (delivery: no leverage, no
 * automatic square-off, the conservative choice). F&O, commodity and currency orders must say NRML
 * or MIS: the choice changes margin and whether Kite squares the position off at the close, so it
 * is never guessed.
 */
export function defaultProduct(exchange: string): Product | undefined {
  return EQUITY_EXCHANGES.has(exchange) ? 'CNC' : undefined;
}

/** True when `price` is a whole number of ticks (within floating-point noise). */
export function isTickMultiple(price: number, tickSize: number): boolean {
  const ticks = price / tickSize;
  return Math.abs(ticks - Math.round(ticks)) < 1e-6;
}

/** `price` snapped to its tick with the tick's decimals, so `0.1 + 0.2` goes out as `0.3`. */
export function onTick(price: number, tickSize: number): number {
  const decimals = Math.min(8, Math.max(0, Math.ceil(-Math.log10(tickSize)) + 2));
  return Number((Math.round(price / tickSize) * tickSize).toFixed(decimals));
}

/** How an instrument is named in messages: a derivative by its underlying (`NIFTY`), a share by its symbol. */
function label(instrument: KiteInstrument): string {
  const derivative = instrument.instrumentType !== 'EQ' && instrument.name.trim() !== '';
  return `${derivative ? instrument.name.trim() : instrument.tradingsymbol}'s`;
}

/** Checks that need no instrument: exchange, product, tag. Throws InvalidOrderError listing each problem. */
export function checkOrderBasics(order: NormalizedOrderRequest): { exchange: string; product: Product } {
  const issues: InputIssue[] = [];
  const exchange = order.exchange;
  if (exchange === undefined) {
    issues.push({
      path: 'exchange',
      message: 'is required for Zerodha: one of NSE, BSE, NFO, BFO, MCX, CDS',
    });
  }
  const product = order.product ?? (exchange === undefined ? undefined : defaultProduct(exchange));
  if (exchange !== undefined && product === undefined) {
    issues.push({
      path: 'product',
      message: `is required for ${exchange} orders: NRML (carry forward) or MIS (intraday, squared off by Kite at the close)`,
    });
  }
  if (exchange !== undefined && product !== undefined) {
    const allowed = PRODUCTS_BY_EXCHANGE[exchange] ?? [];
    if (!allowed.includes(product)) {
      issues.push({
        path: 'product',
        message: `${product} is not offered on ${exchange}; use ${allowed.join(' or ')}`,
      });
    }
  }
  if (order.clientOrderId.length > KITE_TAG_MAX_LENGTH) {
    issues.push({
      path: 'clientOrderId',
      message: `must be at most ${KITE_TAG_MAX_LENGTH} characters for Zerodha (it is sent as the Kite tag); "${order.clientOrderId}" has ${order.clientOrderId.length}`,
    });
  }
  if (order.quantity !== undefined && !Number.isInteger(order.quantity)) {
    issues.push({ path: 'quantity', message: `${order.quantity} must be a whole number for Zerodha` });
  }
  if (issues.length > 0) throw new InvalidOrderError({ issues, broker: 'zerodha' });
  return { exchange: exchange!, product: product! };
}

/** Lot, tick and contract checks against the instrument's dump row. */
export function checkAgainstInstrument(
  order: Pick<NormalizedOrderRequest, 'quantity' | 'limitPrice' | 'stopPrice'> &
    Partial<Pick<NormalizedOrderRequest, 'secType' | 'lastTradeDateOrContractMonth' | 'strike' | 'right'>>,
  instrument: KiteInstrument,
): void {
  const issues: InputIssue[] = [];
  const quantity = order.quantity;
  if (quantity !== undefined && Number.isInteger(quantity) && quantity % instrument.lotSize !== 0) {
    const lower = Math.floor(quantity / instrument.lotSize) * instrument.lotSize;
    const upper = lower + instrument.lotSize;
    const suggestion = lower > 0 ? `${lower} or ${upper}` : `${upper}`;
    issues.push({
      path: 'quantity',
      message: `quantity ${quantity} is not a multiple of ${label(instrument)} lot size ${instrument.lotSize} (${instrument.tradingsymbol}: try ${suggestion})`,
    });
  }
  for (const field of ['limitPrice', 'stopPrice'] as const) {
    const price = order[field];
    if (price !== undefined && !isTickMultiple(price, instrument.tickSize)) {
      issues.push({
        path: field,
        message: `${field} ${price} is not a multiple of ${label(instrument)} tick size ${instrument.tickSize} (${instrument.tradingsymbol}: try ${onTick(price, instrument.tickSize)})`,
      });
    }
  }
  const secType: SecType | undefined = SEC_TYPE_FROM_INSTRUMENT_TYPE[instrument.instrumentType];
  if (order.secType !== undefined && secType !== undefined && order.secType !== secType) {
    issues.push({
      path: 'secType',
      message: `${instrument.tradingsymbol} is ${secType} (${instrument.instrumentType}), not ${order.secType}`,
    });
  }
  const expiry = order.lastTradeDateOrContractMonth;
  if (expiry !== undefined && instrument.expiry !== '' && !instrument.expiry.startsWith(expiry)) {
    issues.push({
      path: 'lastTradeDateOrContractMonth',
      message: `${instrument.tradingsymbol} expires on ${instrument.expiry}, not ${expiry}`,
    });
  }
  if (order.strike !== undefined && Math.abs(order.strike - instrument.strike) > 1e-9) {
    issues.push({
      path: 'strike',
      message: `${instrument.tradingsymbol} has strike ${instrument.strike}, not ${order.strike}`,
    });
  }
  if (order.right !== undefined) {
    const right =
      instrument.instrumentType === 'CE' ? 'C' : instrument.instrumentType === 'PE' ? 'P' : undefined;
    if (right !== order.right) {
      issues.push({
        path: 'right',
        message: `${instrument.tradingsymbol} is ${instrument.instrumentType}, not right ${order.right}`,
      });
    }
  }
  if (issues.length > 0) throw new InvalidOrderError({ issues, broker: 'zerodha' });
}

/** The `POST /orders/regular` parameters of a validated order. */
export function kitePlaceParams(
  order: NormalizedOrderRequest,
  instrument: KiteInstrument,
  product: Product,
  marketProtection: number,
): KitePlaceOrderParams {
  const rule = KITE_ORDER_TYPE_MAP[order.orderType]!;
  const params: KitePlaceOrderParams = {
    exchange: instrument.exchange,
    tradingsymbol: instrument.tradingsymbol,
    transaction_type: order.side,
    quantity: order.quantity!,
    product,
    order_type: rule.orderType,
    validity: KITE_VALIDITY_MAP[order.tif as 'DAY' | 'IOC']!,
    tag: order.clientOrderId,
  };
  if (rule.price) params.price = onTick(order.limitPrice!, instrument.tickSize);
  if (rule.triggerPrice) params.trigger_price = onTick(order.stopPrice!, instrument.tickSize);
  if (rule.marketProtection) params.market_protection = marketProtection;
  return params;
}
