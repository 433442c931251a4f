import type { NormalizedOrderRequest } from './order-request.js';

// The keys and the values every order has are checked by comparisons, not Set lookups: on a cold
// CPU each Set's table and the lookup itself are memory touched on every order's way.
const SEC_TYPES = new Set(['STK', 'FUT', 'OPT', 'CASH', 'CRYPTO']);
const PRODUCTS = new Set(['CNC', 'MIS', 'NRML']);
const CURRENCY = /^[A-Z]{3}$/;
const EXPIRY = /^\d{6}(\d{2})?$/;
const MULTIPLIER = /^\d+(\.\d+)?$/;
const CLIENT_ORDER_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

// Comparisons rather than Number.isFinite (NaN fails both): no builtin call on an order's way.
const isPositive = (value: unknown): value is number =>
  typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY;

/**
 * The common case of `orderRequestSchema` without zod: accepts only input the schema accepts, and
 * returns what the schema would return; for anything else (including every invalid input) it
 * returns `undefined` and the caller runs the schema, which names each problem. It exists because
 * schema parsing dominated the layer's cost per order on a cold CPU cache (about 80 us of a TWS
 * round trip); a property test keeps the two in agreement.
 */
export function fastParseOrderRequest(input: unknown): NormalizedOrderRequest | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const order = input as Record<string, unknown>;
  // A plain object (arrays, class instances, null-prototype objects go to zod). A property read
  // rather than Object.getPrototypeOf and Array.isArray: builtins only this check calls are cold
  // on the way of an order. What else passes (a longer chain ending in Object.prototype) has its
  // fields read as the schema reads them (a test checks one).
  if (order.constructor !== Object) return undefined;
  // for-in rather than Object.keys: no array per order; inherited enumerable keys are listed too
  // and, unknown, send the order to zod.
  for (const key in order) {
    switch (key) {
      case 'symbol':
      case 'side':
      case 'quantity':
      case 'cashQty':
      case 'orderType':
      case 'limitPrice':
      case 'stopPrice':
      case 'tif':
      case 'secType':
      case 'exchange':
      case 'currency':
      case 'lastTradeDateOrContractMonth':
      case 'strike':
      case 'right':
      case 'multiplier':
      case 'product':
      case 'clientOrderId':
        continue;
      default:
        return undefined;
    }
  }
  const { side, orderType, quantity, cashQty, limitPrice, stopPrice, secType, strike, right } = order;
  if (typeof order.symbol !== 'string') return undefined;
  const symbol = order.symbol.trim();
  if (symbol === '' || (side !== 'BUY' && side !== 'SELL')) return undefined;
  if (
    orderType !== 'LIMIT' &&
    orderType !== 'MARKET' &&
    orderType !== 'STOP' &&
    orderType !== 'STOP_LIMIT' &&
    orderType !== 'TRAILING_STOP'
  )
    return undefined;
  if ((quantity === undefined) === (cashQty === undefined)) return undefined;
  if (quantity !== undefined && !isPositive(quantity)) return undefined;
  if (cashQty !== undefined && !isPositive(cashQty)) return undefined;
  if (limitPrice !== undefined && !isPositive(limitPrice)) return undefined;
  if (stopPrice !== undefined && !isPositive(stopPrice)) return undefined;
  const needsLimit = orderType === 'LIMIT' || orderType === 'STOP_LIMIT';
  const needsStop = orderType === 'STOP' || orderType === 'STOP_LIMIT';
  if (needsLimit !== (limitPrice !== undefined)) return undefined;
  if (needsStop ? stopPrice === undefined : stopPrice !== undefined && orderType !== 'TRAILING_STOP')
    return undefined;
  const tif = order.tif === undefined ? 'DAY' : order.tif;
  if (tif !== 'DAY' && tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') return undefined;
  if (secType !== undefined && !SEC_TYPES.has(secType as string)) return undefined;
  let exchange: string | undefined;
  if (order.exchange !== undefined) {
    if (typeof order.exchange !== 'string') return undefined;
    exchange = order.exchange.trim();
    if (exchange === '') return undefined;
  }
  const { currency, lastTradeDateOrContractMonth: expiry, multiplier, product, clientOrderId } = order;
  if (currency !== undefined && (typeof currency !== 'string' || !CURRENCY.test(currency))) return undefined;
  if (expiry !== undefined && (typeof expiry !== 'string' || !EXPIRY.test(expiry))) return undefined;
  if (multiplier !== undefined && (typeof multiplier !== 'string' || !MULTIPLIER.test(multiplier)))
    return undefined;
  if (product !== undefined && !PRODUCTS.has(product as string)) return undefined;
  if (
    clientOrderId !== undefined &&
    (typeof clientOrderId !== 'string' || !CLIENT_ORDER_ID.test(clientOrderId))
  ) {
    return undefined;
  }
  if (strike !== undefined && !isPositive(strike)) return undefined;
  if (right !== undefined && right !== 'C' && right !== 'P') return undefined;
  if (secType === 'FUT' && expiry === undefined) return undefined;
  if (
    secType === 'OPT'
      ? expiry === undefined || strike === undefined || right === undefined
      : strike !== undefined || right !== undefined
  ) {
    return undefined;
  }
  if (cashQty !== undefined && side === 'SELL' && secType === 'CRYPTO') return undefined;
  // Built key by key: an object spread with extra keys took about 1.2 us per order in V8 (more
  // than everything else here together), and a fixed key order gives plugins one object shape.
  const parsed: Record<string, unknown> = { symbol, side, orderType, tif };
  if (quantity !== undefined) parsed.quantity = quantity;
  if (cashQty !== undefined) parsed.cashQty = cashQty;
  if (limitPrice !== undefined) parsed.limitPrice = limitPrice;
  if (stopPrice !== undefined) parsed.stopPrice = stopPrice;
  if (secType !== undefined) parsed.secType = secType;
  if (exchange !== undefined) parsed.exchange = exchange;
  if (currency !== undefined) parsed.currency = currency;
  if (expiry !== undefined) parsed.lastTradeDateOrContractMonth = expiry;
  if (strike !== undefined) parsed.strike = strike;
  if (right !== undefined) parsed.right = right;
  if (multiplier !== undefined) parsed.multiplier = multiplier;
  if (product !== undefined) parsed.product = product;
  if (clientOrderId !== undefined) parsed.clientOrderId = clientOrderId;
  return parsed as NormalizedOrderRequest;
}
