import type { OrderStatus } from '@brokerkit/core';

/**
 * How each Kite status maps to brokerkit's six. `fixed` rows always give that status; `by-fill` rows
 * give SUBMITTED (nothing filled) or PARTIALLY_FILLED from `filled_quantity` (never from
 * `pending_quantity`, which Kite leaves non-zero on some cancelled orders: kiteconnect-mocks
 * orders.json). Only COMPLETE is FILLED: an order is not reported filled before Kite says so.
 *
 * Why the three pre-exchange statuses are not PENDING, as kite-connect-api.md section 3 suggests:
 * in brokerkit PENDING means "sent, not yet acknowledged by the broker", and the status table does
 * not let an order go back from SUBMITTED to PENDING. Kite's acknowledgement is the `order_id` in the
 * HTTP answer, after which a `getOrder` can still read `VALIDATION PENDING`; mapping it to PENDING
 * would report an illegal transition. They are therefore SUBMITTED (accepted, not yet filled).
 */
export interface KiteStatusRule {
  rule: { kind: 'fixed'; status: OrderStatus } | { kind: 'by-fill' };
  /** Where the meaning of the status comes from. */
  source: string;
}

const byFill = (source: string): KiteStatusRule => ({ rule: { kind: 'by-fill' }, source });
const fixed = (status: OrderStatus, source: string): KiteStatusRule => ({
  rule: { kind: 'fixed', status },
  source,
});

/** Kite's thirteen order statuses plus `UPDATE` (order updates only). */
export const KITE_STATUS_MAP: Readonly<Record<string, KiteStatusRule>> = Object.freeze({
  'PUT ORDER REQ RECEIVED': byFill('kite docs: received by the OMS, not yet validated (order_info.json)'),
  'VALIDATION PENDING': byFill('kite docs: RMS validation under way (order_info.json)'),
  'OPEN PENDING': byFill('kite docs: sent to the exchange, not yet confirmed (order_info.json)'),
  OPEN: byFill('kite docs: working at the exchange; a partial fill leaves it OPEN'),
  'TRIGGER PENDING': byFill('kite docs: a stop (SL / SL-M) waiting for its trigger'),
  'AMO REQ RECEIVED': byFill('kite docs: after-market order queued for the next session'),
  'MODIFY VALIDATION PENDING': byFill('kite docs: a modification is being validated (order_info.json)'),
  'MODIFY PENDING': byFill('kite docs: a modification was sent to the exchange (order_info.json)'),
  MODIFIED: byFill('kite docs: the exchange accepted a modification (order_info.json)'),
  'CANCEL PENDING': byFill('kite docs: a cancel was sent; the order can still fill until it is confirmed'),
  UPDATE: byFill('kite postback docs: an open order was modified or partly filled (order updates only)'),
  COMPLETE: fixed('FILLED', 'kite docs: fully executed'),
  CANCELLED: fixed('CANCELLED', 'kite docs: cancelled by the user or the exchange (IOC remainder, expiry)'),
  REJECTED: fixed('REJECTED', 'kite docs: refused by the RMS or the exchange; reason in status_message'),
});

/** What a status depends on besides its name. */
export interface KiteStatusInput {
  status: string;
  filledQuantity: number;
}

/**
 * brokerkit's status of a Kite order. Unknown statuses (users report `CANCELLED AMO`, `LAPSED`) are
 * mapped by their words and then by the filled quantity.
 */
export function mapKiteStatus({ status, filledQuantity }: KiteStatusInput): OrderStatus {
  const entry = KITE_STATUS_MAP[status];
  if (entry?.rule.kind === 'fixed') return entry.rule.status;
  if (entry === undefined) {
    const upper = status.toUpperCase();
    if (upper.includes('REJECT')) return 'REJECTED';
    if (upper.includes('CANCEL') || upper.includes('LAPSE') || upper.includes('EXPIRE')) return 'CANCELLED';
    if (upper.includes('COMPLETE')) return 'FILLED';
  }
  return filledQuantity > 0 ? 'PARTIALLY_FILLED' : 'SUBMITTED';
}
