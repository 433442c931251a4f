/**
 * Kite order statuses (kite.trade docs, forum, kiteconnect-mocks order_info.json). An order moves
 * PUT ORDER REQ RECEIVED -> VALIDATION PENDING -> OPEN PENDING -> OPEN / TRIGGER PENDING ->
 * COMPLETE, or ends CANCELLED / REJECTED; a modification passes through MODIFY VALIDATION
 * PENDING -> MODIFY PENDING -> MODIFIED before the order is OPEN again.
 */
export const KITE_ORDER_STATUS = Object.freeze({
  PUT_ORDER_REQ_RECEIVED: 'PUT ORDER REQ RECEIVED',
  VALIDATION_PENDING: 'VALIDATION PENDING',
  OPEN_PENDING: 'OPEN PENDING',
  OPEN: 'OPEN',
  TRIGGER_PENDING: 'TRIGGER PENDING',
  AMO_REQ_RECEIVED: 'AMO REQ RECEIVED',
  MODIFY_VALIDATION_PENDING: 'MODIFY VALIDATION PENDING',
  MODIFY_PENDING: 'MODIFY PENDING',
  MODIFIED: 'MODIFIED',
  CANCEL_PENDING: 'CANCEL PENDING',
  COMPLETE: 'COMPLETE',
  CANCELLED: 'CANCELLED',
  REJECTED: 'REJECTED',
  /** Postbacks and WebSocket order updates only: an open order was modified or partly filled. */
  UPDATE: 'UPDATE',
} as const);

/** A Kite order status string. */
export type KiteOrderStatus = (typeof KITE_ORDER_STATUS)[keyof typeof KITE_ORDER_STATUS];

/** Statuses after which an order never changes. */
export const FINAL_KITE_STATUSES: ReadonlySet<string> = new Set([
  KITE_ORDER_STATUS.COMPLETE,
  KITE_ORDER_STATUS.CANCELLED,
  KITE_ORDER_STATUS.REJECTED,
]);

/** True for COMPLETE, CANCELLED and REJECTED. */
export function isFinalKiteStatus(status: string): boolean {
  return FINAL_KITE_STATUSES.has(status);
}
