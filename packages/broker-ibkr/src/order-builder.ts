import type { NormalizedOrderRequest, OrderType, OrderUpdate, TimeInForce } from '@brokerkit/core';
import type { OrderType as IbOrderType, TimeInForce as IbTimeInForce, Order, OrderAction } from '@stoqey/ib';
import { ORDER_TYPE_TO_IB, TIF_TO_IB, toIbOrderType } from './order-type-map.js';

/** What `buildIbOrder` needs besides the request. */
export interface IbOrderOptions {
  /** The account the order is for (`order.account`). */
  account: string | undefined;
  /** A what-if preview instead of a real order. */
  whatIf?: boolean;
}

/** The order terms that can change in a modify. */
export interface IbOrderTerms {
  orderType: OrderType;
  tif: TimeInForce;
  quantity: number | undefined;
  cashQty: number | undefined;
  limitPrice: number | undefined;
  stopPrice: number | undefined;
}

/**
 * The IB order for a validated request. `transmit` is always set explicitly: left unset it goes
 * out as an empty field and TWS stores the order without ever transmitting it (node-ib #4,
 * ibkr-tws-protocol.md 2.2). The client order id travels as `orderRef`, which TWS echoes in
 * OPEN_ORDER and EXECUTION_DATA and keeps across sessions: the key for reconciliation.
 */
export function buildIbOrder(request: NormalizedOrderRequest, options: IbOrderOptions): Order {
  return ibOrderFromTerms(termsOfRequest(request), request.side, request.clientOrderId, options);
}

/** The terms of a validated request (its TIF is always set by then). */
export function termsOfRequest(request: NormalizedOrderRequest): IbOrderTerms {
  return {
    orderType: request.orderType,
    tif: request.tif as TimeInForce,
    quantity: request.quantity,
    cashQty: request.cashQty,
    limitPrice: request.limitPrice,
    stopPrice: request.stopPrice,
  };
}

/** The IB order for given terms (used for placement and for a modify, which re-sends the order). */
export function ibOrderFromTerms(
  terms: IbOrderTerms,
  side: 'BUY' | 'SELL',
  clientOrderId: string,
  options: IbOrderOptions,
): Order {
  // The table read directly; toIbOrderType (which throws) only for a type it lacks.
  const mapping = ORDER_TYPE_TO_IB[terms.orderType] ?? toIbOrderType(terms.orderType);
  const order: Order = {
    action: side as OrderAction,
    orderType: mapping.ibOrderType as IbOrderType,
    tif: TIF_TO_IB[terms.tif] as IbTimeInForce,
    orderRef: clientOrderId,
    transmit: true,
  };
  if (terms.quantity !== undefined) order.totalQuantity = terms.quantity;
  if (terms.cashQty !== undefined) order.cashQty = terms.cashQty;
  if (mapping.lmtPrice !== undefined) order.lmtPrice = terms[mapping.lmtPrice];
  if (mapping.auxPrice !== undefined) order.auxPrice = terms[mapping.auxPrice];
  if (options.account !== undefined) order.account = options.account;
  if (options.whatIf === true) order.whatIf = true;
  return order;
}

/**
 * The terms after a modify: the update's fields over the current ones. A change of order type
 * drops prices the new type does not take.
 */
export function applyUpdate(current: IbOrderTerms, update: OrderUpdate): IbOrderTerms {
  const orderType = update.orderType ?? current.orderType;
  const mapping = toIbOrderType(orderType);
  return {
    orderType,
    tif: update.tif ?? current.tif,
    quantity: update.quantity ?? current.quantity,
    cashQty: update.quantity !== undefined ? undefined : current.cashQty,
    limitPrice: mapping.lmtPrice === undefined ? undefined : (update.limitPrice ?? current.limitPrice),
    stopPrice: mapping.auxPrice === undefined ? undefined : (update.stopPrice ?? current.stopPrice),
  };
}
