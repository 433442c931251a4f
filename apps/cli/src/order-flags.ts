import {
  BrokerError,
  type InputIssue,
  InvalidOrderError,
  type OrderRequest,
  type OrderUpdate,
  orderRequestSchema,
  orderUpdateSchema,
  toInputIssues,
} from '@brokerkit/core';
import type { Command } from 'commander';
import { usageError } from './cli-error.js';

/** The order flags as commander parses them (all strings). */
export interface OrderFlagValues {
  cashQty?: string;
  type?: string;
  limit?: string;
  stop?: string;
  tif?: string;
  secType?: string;
  exchange?: string;
  currency?: string;
  expiry?: string;
  strike?: string;
  right?: string;
  multiplier?: string;
  product?: string;
  clientOrderId?: string;
}

/** The flags `order modify` takes. */
export interface ModifyFlagValues {
  quantity?: string;
  type?: string;
  limit?: string;
  stop?: string;
  tif?: string;
}

/** Which flag sets each order field, so validation messages can speak the user's language. */
const FLAG_BY_FIELD: Readonly<Record<string, string>> = {
  symbol: '<symbol>',
  side: '<side>',
  quantity: '<quantity>',
  cashQty: '--cash-qty',
  orderType: '--type',
  limitPrice: '--limit',
  stopPrice: '--stop',
  tif: '--tif',
  secType: '--sec-type',
  exchange: '--exchange',
  currency: '--currency',
  lastTradeDateOrContractMonth: '--expiry',
  strike: '--strike',
  right: '--right',
  multiplier: '--multiplier',
  product: '--product',
  clientOrderId: '--client-order-id',
};

/**
 * Adds the order flags shared by `order place` and `margin`: order type and prices, time in
 * force, and the asset-class fields of the spec (IB contract fields, Zerodha's product).
 */
export function addOrderFlags(command: Command): Command {
  return command
    .argument('<symbol>', 'ticker or trading symbol: AAPL, EUR (with --currency USD), NIFTY24NOVFUT')
    .argument('<side>', 'buy or sell')
    .argument('[quantity]', 'units to trade (shares, contracts, base currency); or give --cash-qty')
    .option('--cash-qty <amount>', 'amount of quote currency to spend instead of a quantity (IB crypto)')
    .option('-t, --type <type>', 'market, limit, stop or stop-limit', 'market')
    .option('-l, --limit <price>', 'limit price (limit and stop-limit orders)')
    .option('-s, --stop <price>', 'stop (trigger) price (stop and stop-limit orders)')
    .option('--tif <tif>', 'time in force: day, gtc, ioc or fok (default day)')
    .option('--sec-type <type>', 'asset class: STK, FUT, OPT, CASH or CRYPTO (default: the broker infers it)')
    .option('--exchange <venue>', 'SMART, NYMEX, IDEALPRO, PAXOS, NSE, NFO, ...')
    .option('--currency <code>', 'currency of the instrument: USD, INR, ...')
    .option('--expiry <date>', 'futures/options expiry, YYYYMM or YYYYMMDD (lastTradeDateOrContractMonth)')
    .option('--strike <price>', 'option strike')
    .option('--right <right>', 'option right: C (call) or P (put)')
    .option('--multiplier <n>', 'contract multiplier, e.g. 100')
    .option('--product <product>', 'Zerodha product: CNC (delivery), MIS (intraday), NRML (F&O)')
    .option('--client-order-id <id>', 'your id for the order (idempotency key); generated when omitted');
}

/**
 * Builds and validates an order request from the arguments and flags, before anything connects,
 * so a mistake costs no round trip. Throws InvalidOrderError (exit code 2) naming the flags.
 */
export function orderRequestFromFlags(
  symbol: string,
  side: string,
  quantity: string | undefined,
  flags: OrderFlagValues,
): OrderRequest {
  const request: Record<string, unknown> = {
    symbol,
    side: side.toUpperCase(),
    orderType: normalizeOrderType(flags.type ?? 'market'),
  };
  setNumber(request, 'quantity', quantity, '<quantity>');
  setNumber(request, 'cashQty', flags.cashQty, '--cash-qty');
  setNumber(request, 'limitPrice', flags.limit, '--limit');
  setNumber(request, 'stopPrice', flags.stop, '--stop');
  setNumber(request, 'strike', flags.strike, '--strike');
  if (flags.tif !== undefined) request.tif = flags.tif.toUpperCase();
  if (flags.secType !== undefined) request.secType = flags.secType.toUpperCase();
  if (flags.exchange !== undefined) request.exchange = flags.exchange.toUpperCase();
  if (flags.currency !== undefined) request.currency = flags.currency.toUpperCase();
  if (flags.expiry !== undefined) request.lastTradeDateOrContractMonth = flags.expiry;
  if (flags.right !== undefined) request.right = normalizeRight(flags.right);
  if (flags.multiplier !== undefined) request.multiplier = flags.multiplier;
  if (flags.product !== undefined) request.product = flags.product.toUpperCase();
  if (flags.clientOrderId !== undefined) request.clientOrderId = flags.clientOrderId;
  const parsed = orderRequestSchema.safeParse(request);
  if (!parsed.success) throw invalidOrder(toInputIssues(parsed.error, Object.keys(FLAG_BY_FIELD)));
  // The parsed form: trimmed, with tif defaulted to DAY, as the broker will see it.
  return parsed.data as OrderRequest;
}

/** Builds and validates the changes of `order modify`. */
export function orderUpdateFromFlags(flags: ModifyFlagValues): OrderUpdate {
  const update: Record<string, unknown> = {};
  setNumber(update, 'quantity', flags.quantity, '--quantity');
  setNumber(update, 'limitPrice', flags.limit, '--limit');
  setNumber(update, 'stopPrice', flags.stop, '--stop');
  if (flags.type !== undefined) update.orderType = normalizeOrderType(flags.type);
  if (flags.tif !== undefined) update.tif = flags.tif.toUpperCase();
  if (Object.keys(update).length === 0) {
    throw usageError('nothing to modify', 'give at least one of --quantity, --limit, --stop, --type, --tif');
  }
  const parsed = orderUpdateSchema.safeParse(update);
  if (!parsed.success) throw invalidOrder(toInputIssues(parsed.error, Object.keys(FLAG_BY_FIELD)));
  return parsed.data as OrderUpdate;
}

/**
 * Adds the flag names to an InvalidOrderError raised by the broker (core validates again before
 * sending), so `limitPrice: required` comes with "set it with --limit".
 */
export function withFlagHints(error: unknown): unknown {
  if (!BrokerError.isBrokerError(error) || error.code !== 'INVALID_ORDER') return error;
  const issues = (error as InvalidOrderError).issues ?? [];
  return invalidOrder(issues, error.message, error.broker);
}

function invalidOrder(issues: InputIssue[], message?: string, broker?: string): InvalidOrderError {
  const flags = [
    ...new Set(issues.map((issue) => FLAG_BY_FIELD[issue.path.split('.').pop() ?? '']).filter(Boolean)),
  ];
  const hint =
    flags.length > 0
      ? `check ${flags.join(', ')}; see "brokerkit order place --help"`
      : 'see "brokerkit order place --help"';
  return new InvalidOrderError({
    issues,
    hint,
    ...(message === undefined ? {} : { message }),
    ...(broker === undefined ? {} : { broker }),
  });
}

const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function setNumber(
  target: Record<string, unknown>,
  field: string,
  text: string | undefined,
  flag: string,
): void {
  if (text === undefined) return;
  if (!NUMBER_PATTERN.test(text.trim())) throw usageError(`${flag} must be a number, got "${text}"`);
  target[field] = Number(text);
}

function normalizeOrderType(text: string): string {
  return text.trim().toUpperCase().replace(/[- ]/g, '_');
}

function normalizeRight(text: string): string {
  const upper = text.trim().toUpperCase();
  if (upper === 'CALL') return 'C';
  if (upper === 'PUT') return 'P';
  return upper;
}
