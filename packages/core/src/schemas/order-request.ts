import { z } from 'zod';
import {
  optionRightSchema,
  orderSideSchema,
  orderTypeSchema,
  productSchema,
  secTypeSchema,
  timeInForceSchema,
} from './enums.js';

const positiveNumber = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .refine(Number.isFinite, { message: `${what} must be a finite number` })
    .refine((value) => value > 0, { message: `${what} must be greater than 0` });

/** Client order ids travel as IB's `orderRef` and Kite's `tag` (max 20 chars there), so keep them plain. */
export const clientOrderIdSchema = z
  .string()
  .min(1, 'clientOrderId must not be empty')
  .max(64, 'clientOrderId must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'clientOrderId may contain only letters, digits and _ . : -');

const orderRequestShape = z.strictObject({
  /** Ticker or trading symbol: `AAPL`, `EUR` (with currency USD), `NIFTY24NOVFUT`. */
  symbol: z.string({ error: 'symbol must be a string' }).trim().min(1, 'symbol must not be empty'),
  side: orderSideSchema,
  /** Units to trade (shares, contracts, base currency). Exactly one of quantity / cashQty. */
  quantity: positiveNumber('quantity').optional(),
  /** Amount of quote currency to spend (IB crypto: BUY by cash amount). */
  cashQty: positiveNumber('cashQty').optional(),
  orderType: orderTypeSchema,
  limitPrice: positiveNumber('limitPrice').optional(),
  stopPrice: positiveNumber('stopPrice').optional(),
  tif: timeInForceSchema.default('DAY'),
  /** Asset class. When omitted the broker infers it from the symbol (stock for IB, the instrument for Kite). */
  secType: secTypeSchema.optional(),
  /** Venue: `SMART`, `NYMEX`, `IDEALPRO`, `PAXOS`, `NSE`, `NFO`, ... */
  exchange: z.string().trim().min(1, 'exchange must not be empty').optional(),
  /** ISO currency of the instrument (`USD`, `INR`); for CASH pairs the quote currency. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency must be a 3-letter upper-case code such as USD')
    .optional(),
  /** Futures and options expiry: `YYYYMM` or `YYYYMMDD`. */
  lastTradeDateOrContractMonth: z
    .string()
    .regex(/^\d{6}(\d{2})?$/, 'lastTradeDateOrContractMonth must be YYYYMM or YYYYMMDD')
    .optional(),
  strike: positiveNumber('strike').optional(),
  right: optionRightSchema.optional(),
  /** Contract multiplier as IB writes it (`"100"`). */
  multiplier: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'multiplier must be a number written as a string, e.g. "100"')
    .optional(),
  /** Zerodha product: CNC, MIS, NRML. */
  product: productSchema.optional(),
  /** Your id for this order; generated when omitted. The key for idempotency and reconciliation. */
  clientOrderId: clientOrderIdSchema.optional(),
});

type RawOrderRequest = z.output<typeof orderRequestShape>;

function checkOrderRequest(order: RawOrderRequest, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (order.quantity === undefined && order.cashQty === undefined) {
    issue('quantity', 'give either quantity or cashQty');
  }
  if (order.quantity !== undefined && order.cashQty !== undefined) {
    issue('cashQty', 'give either quantity or cashQty, not both');
  }
  const needsLimit = order.orderType === 'LIMIT' || order.orderType === 'STOP_LIMIT';
  const needsStop = order.orderType === 'STOP' || order.orderType === 'STOP_LIMIT';
  if (needsLimit && order.limitPrice === undefined)
    issue('limitPrice', `required for ${order.orderType} orders`);
  if (!needsLimit && order.limitPrice !== undefined) {
    issue('limitPrice', `not allowed on ${order.orderType} orders (use LIMIT or STOP_LIMIT)`);
  }
  if (needsStop && order.stopPrice === undefined)
    issue('stopPrice', `required for ${order.orderType} orders`);
  if (!needsStop && order.orderType !== 'TRAILING_STOP' && order.stopPrice !== undefined) {
    issue('stopPrice', `not allowed on ${order.orderType} orders (use STOP or STOP_LIMIT)`);
  }
  if (order.secType === 'FUT' && order.lastTradeDateOrContractMonth === undefined) {
    issue('lastTradeDateOrContractMonth', 'required for futures (secType FUT), e.g. "202412"');
  }
  if (order.secType === 'OPT') {
    if (order.lastTradeDateOrContractMonth === undefined) {
      issue('lastTradeDateOrContractMonth', 'required for options (secType OPT), e.g. "20241220"');
    }
    if (order.strike === undefined) issue('strike', 'required for options (secType OPT)');
    if (order.right === undefined) issue('right', 'required for options (secType OPT): "C" or "P"');
  } else {
    if (order.strike !== undefined) issue('strike', 'only options (secType OPT) have a strike');
    if (order.right !== undefined) issue('right', 'only options (secType OPT) have a right');
  }
  if (order.cashQty !== undefined && order.side === 'SELL' && order.secType === 'CRYPTO') {
    issue('cashQty', 'crypto SELL orders take quantity, not cashQty');
  }
}

/**
 * Schema of an order request. Parsing fills `tif` with `DAY`; AbstractBroker then fills
 * `clientOrderId`. Field names are the spec's in camelCase, contract fields IB's.
 */
export const orderRequestSchema = orderRequestShape.superRefine(checkOrderRequest);

/** What a caller passes to `placeOrder` / `getOrderMarginImpact`. */
export type OrderRequest = z.input<typeof orderRequestSchema>;

/** An order request after validation: `tif` and `clientOrderId` are always set. */
export type NormalizedOrderRequest = z.output<typeof orderRequestSchema> & {
  clientOrderId: string;
  tif: string;
};

/** Stock order (`secType: 'STK'` or omitted): `{ symbol: 'AAPL', exchange: 'SMART', currency: 'USD', ... }`. */
export type StockOrderRequest = OrderRequest & { secType?: 'STK' };
/** Future: needs `lastTradeDateOrContractMonth`. */
export type FutureOrderRequest = OrderRequest & { secType: 'FUT'; lastTradeDateOrContractMonth: string };
/** Option: needs expiry, `strike` and `right`. */
export type OptionOrderRequest = OrderRequest & {
  secType: 'OPT';
  lastTradeDateOrContractMonth: string;
  strike: number;
  right: 'C' | 'P';
};
/** Forex: `symbol` is the base currency, `currency` the quote (`EUR` / `USD`). */
export type ForexOrderRequest = OrderRequest & { secType: 'CASH'; currency: string };
/** Crypto: BUY may give `cashQty` (amount of `currency` to spend) instead of `quantity`. */
export type CryptoOrderRequest = OrderRequest & { secType: 'CRYPTO' };
/** Zerodha order: exchange and an explicit product. */
export type ZerodhaOrderRequest = OrderRequest & {
  exchange: 'NSE' | 'BSE' | 'NFO' | 'BFO' | 'MCX' | 'CDS';
  product: 'CNC' | 'MIS' | 'NRML';
};
