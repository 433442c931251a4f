import type { OrderStatus } from '@brokerkit/core';
import type { IbOrderTerms } from './order-builder.js';
import type { OrderEntry } from './order-store.js';

/** What was last reported of an order: a change in any of these is news. */
export interface PublishedState {
  /** The status last reported to the layer (several IB statuses map to one). */
  coreStatus: OrderStatus;
  ibStatus: string | undefined;
  filled: number;
  executions: number;
  rejected: boolean;
  statusMessage: string | undefined;
  orderType: IbOrderTerms['orderType'];
  tif: IbOrderTerms['tif'];
  quantity: number | undefined;
  cashQty: number | undefined;
  limitPrice: number | undefined;
  stopPrice: number | undefined;
  acknowledged: boolean;
  orderId: number;
  clientOrderId: string | undefined;
}

export function publishedStateOf(entry: OrderEntry, coreStatus: OrderStatus): PublishedState {
  const terms = entry.terms;
  return {
    coreStatus,
    ibStatus: entry.ibStatus,
    filled: entry.filled,
    executions: entry.executions.size,
    rejected: entry.rejected,
    statusMessage: entry.statusMessage,
    orderType: terms.orderType,
    tif: terms.tif,
    quantity: terms.quantity,
    cashQty: terms.cashQty,
    limitPrice: terms.limitPrice,
    stopPrice: terms.stopPrice,
    acknowledged: entry.acknowledged,
    orderId: entry.orderId,
    clientOrderId: entry.clientOrderId,
  };
}

export function recordPublished(state: PublishedState, entry: OrderEntry): void {
  const terms = entry.terms;
  state.ibStatus = entry.ibStatus;
  state.filled = entry.filled;
  state.executions = entry.executions.size;
  state.rejected = entry.rejected;
  state.statusMessage = entry.statusMessage;
  state.orderType = terms.orderType;
  state.tif = terms.tif;
  state.quantity = terms.quantity;
  state.cashQty = terms.cashQty;
  state.limitPrice = terms.limitPrice;
  state.stopPrice = terms.stopPrice;
  state.acknowledged = entry.acknowledged;
  state.orderId = entry.orderId;
  state.clientOrderId = entry.clientOrderId;
}

/** Same as a number compares in text: NaN equals NaN (0 and -0 are equal both ways). */
function sameNumber(a: number | undefined, b: number | undefined): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

export function samePublished(state: PublishedState, entry: OrderEntry): boolean {
  return (
    state.ibStatus === entry.ibStatus &&
    state.rejected === entry.rejected &&
    state.acknowledged === entry.acknowledged &&
    sameApartFromIbState(state, entry)
  );
}

/** Equal in everything but TWS's own status, rejected flag and acknowledgement. */
export function sameApartFromIbState(state: PublishedState, entry: OrderEntry): boolean {
  if (
    !sameNumber(state.filled, entry.filled) ||
    state.executions !== entry.executions.size ||
    state.statusMessage !== entry.statusMessage ||
    state.orderId !== entry.orderId ||
    state.clientOrderId !== entry.clientOrderId
  )
    return false;
  const terms = entry.terms;
  return (
    state.orderType === terms.orderType &&
    state.tif === terms.tif &&
    sameNumber(state.quantity, terms.quantity) &&
    sameNumber(state.cashQty, terms.cashQty) &&
    sameNumber(state.limitPrice, terms.limitPrice) &&
    sameNumber(state.stopPrice, terms.stopPrice)
  );
}
