import { InvalidOrderError, type TimeInForce } from '@brokerkit/core';
import { type Instrument, isMultipleOf } from './instrument.js';
import type { OrderInput } from './order.js';

/** What is wrong with one field, as a venue would say it. */
export type OrderIssueCode =
  | 'SIDE'
  | 'ORDER_TYPE'
  | 'TIME_IN_FORCE'
  | 'QUANTITY'
  | 'LOT_SIZE'
  | 'CASH_QUANTITY'
  | 'PRICE'
  | 'TICK_SIZE'
  | 'PRODUCT'
  | 'DUPLICATE_ORDER_ID'
  | 'ORDER_STATE';

/**
 * One problem with an order: core's `InputIssue` (`path`, `message`) plus a `code` that wire
 * simulators map to their protocol's error (IB 110 for a tick, Kite InputException for a lot).
 */
export interface OrderIssue {
  path: string;
  message: string;
  code: OrderIssueCode;
}

const SIDES = new Set(['BUY', 'SELL']);
const ORDER_TYPES = new Set(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT']);
const TIFS = new Set(['DAY', 'GTC', 'IOC', 'FOK']);

function finitePositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function unitName(instrument: Instrument): string {
  switch (instrument.secType) {
    case 'STK':
      return 'shares';
    case 'FUT':
    case 'OPT':
      return instrument.lotSize === 1 && instrument.multiplier !== 1 ? 'contracts' : 'units';
    default:
      return 'units';
  }
}

/**
 * Checks an order's terms against its instrument: side, type, time in force, quantity (positive,
 * a whole multiple of the lot size), prices (present when the type needs them, positive, on the
 * tick) and product. Returns the issues, or `undefined` when there are none.
 */
export function findOrderIssues(input: OrderInput, instrument: Instrument): OrderIssue[] | undefined {
  let issues: OrderIssue[] | undefined;
  if (!SIDES.has(input.side)) issues = addIssue(issues, 'side', 'SIDE', 'must be "BUY" or "SELL"');
  const orderType = input.orderType;
  if (!ORDER_TYPES.has(orderType))
    issues = addIssue(
      issues,
      'orderType',
      'ORDER_TYPE',
      `${String(orderType)} is not accepted by this venue`,
    );
  const tif = input.tif ?? 'DAY';
  if (!TIFS.has(tif))
    issues = addIssue(issues, 'tif', 'TIME_IN_FORCE', 'must be one of "DAY", "GTC", "IOC", "FOK"');
  else if ((tif === 'IOC' || tif === 'FOK') && (orderType === 'STOP' || orderType === 'STOP_LIMIT')) {
    issues = addIssue(
      issues,
      'tif',
      'TIME_IN_FORCE',
      `${tif} is not accepted on ${orderType} orders (use DAY or GTC)`,
    );
  }

  if (input.quantity === undefined && input.cashQty === undefined)
    issues = addIssue(issues, 'quantity', 'QUANTITY', 'give quantity or cashQty');
  if (input.quantity !== undefined && input.cashQty !== undefined) {
    issues = addIssue(issues, 'cashQty', 'CASH_QUANTITY', 'give either quantity or cashQty, not both');
  }
  if (input.quantity !== undefined) {
    const quantity = input.quantity;
    if (!finitePositive(quantity))
      issues = addIssue(issues, 'quantity', 'QUANTITY', 'must be a finite number greater than 0');
    else if (!isMultipleOf(quantity, instrument.lotSize)) {
      if (instrument.lotSize === 1) {
        issues = addIssue(
          issues,
          'quantity',
          'QUANTITY',
          `${quantity} is not a whole number of ${unitName(instrument)} of ${instrument.symbol}`,
        );
      } else {
        issues = addIssue(
          issues,
          'quantity',
          'LOT_SIZE',
          `${quantity} is not a multiple of the lot size ${instrument.lotSize} of ${instrument.localSymbol}`,
        );
      }
    }
  }
  if (input.cashQty !== undefined) {
    if (!instrument.cashQuantity) {
      issues = addIssue(
        issues,
        'cashQty',
        'CASH_QUANTITY',
        `${instrument.symbol} (${instrument.secType}) orders take quantity, not cashQty`,
      );
    } else if (input.side === 'SELL') {
      issues = addIssue(issues, 'cashQty', 'CASH_QUANTITY', 'sell orders take quantity, not cashQty');
    } else if (!finitePositive(input.cashQty)) {
      issues = addIssue(issues, 'cashQty', 'CASH_QUANTITY', 'must be a finite number greater than 0');
    }
  }

  const needsLimit = orderType === 'LIMIT' || orderType === 'STOP_LIMIT';
  const needsStop = orderType === 'STOP' || orderType === 'STOP_LIMIT';
  issues = checkPrice(issues, 'limitPrice', input.limitPrice, needsLimit, orderType, instrument);
  issues = checkPrice(issues, 'stopPrice', input.stopPrice, needsStop, orderType, instrument);

  if (input.product !== undefined && !instrument.products.includes(input.product)) {
    issues = addIssue(
      issues,
      'product',
      'PRODUCT',
      instrument.products.length === 0
        ? `${instrument.localSymbol} on ${instrument.exchange} takes no product (products are for NSE/NFO instruments)`
        : `${input.product} is not accepted for ${instrument.localSymbol}; use ${instrument.products.join(' or ')}`,
    );
  }
  return issues;
}

function addIssue(
  issues: OrderIssue[] | undefined,
  path: string,
  code: OrderIssueCode,
  message: string,
): OrderIssue[] {
  const list = issues ?? [];
  list.push({ path, code, message });
  return list;
}

function checkPrice(
  issues: OrderIssue[] | undefined,
  field: 'limitPrice' | 'stopPrice',
  value: number | undefined,
  required: boolean,
  orderType: string,
  instrument: Instrument,
): OrderIssue[] | undefined {
  if (value === undefined) {
    return required ? addIssue(issues, field, 'PRICE', `required for ${orderType} orders`) : issues;
  }
  if (!required) return addIssue(issues, field, 'PRICE', `not accepted on ${orderType} orders`);
  if (!finitePositive(value))
    return addIssue(issues, field, 'PRICE', 'must be a finite number greater than 0');
  if (!isMultipleOf(value, instrument.tickSize)) {
    return addIssue(
      issues,
      field,
      'TICK_SIZE',
      `${value} is not a multiple of the tick size ${instrument.tickSize} of ${instrument.localSymbol}`,
    );
  }
  return issues;
}

/** The error thrown for order issues: core's InvalidOrderError, `brokerCode` = the first issue's code. */
export function orderIssuesError(issues: OrderIssue[], source: string | undefined): InvalidOrderError {
  return new InvalidOrderError({
    issues,
    brokerCode: issues[0]?.code,
    broker: source,
  });
}

/** The time in force an order input means (DAY when absent). */
export function timeInForceOf(input: OrderInput): TimeInForce {
  return (input.tif ?? 'DAY') as TimeInForce;
}
