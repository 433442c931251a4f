import type { OrderStatus } from './schemas/enums.js';

/**
 * Which status may follow which. Read a row as "from -> allowed next statuses".
 *
 * - Repeating the same status is always allowed (brokers resend: IB's duplicate OPEN_ORDER /
 *   ORDER_STATUS pairs, a modify that leaves an order SUBMITTED).
 * - SUBMITTED -> REJECTED is real: Kite accepts an order and its risk system rejects it later.
 * - CANCELLED -> FILLED is real: a fill raced the cancel at the venue (Nautilus allows the same).
 *   A partial fill that raced a cancel updates `filledQuantity` but leaves the order CANCELLED.
 * - FILLED and REJECTED are final.
 */
export const ORDER_STATUS_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = Object.freeze({
  PENDING: ['SUBMITTED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED'],
  SUBMITTED: ['PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED'],
  PARTIALLY_FILLED: ['FILLED', 'CANCELLED'],
  CANCELLED: ['FILLED'],
  FILLED: [],
  REJECTED: [],
});

/** The table as nested lookups: checked on every order update, without a search per call. */
const ALLOWED: Readonly<Record<string, Readonly<Record<string, true>>>> = Object.freeze(
  Object.fromEntries(
    Object.entries(ORDER_STATUS_TRANSITIONS).map(([from, next]) => [
      from,
      Object.freeze(Object.fromEntries(next.map((to) => [to, true as const]))),
    ]),
  ),
);

/** True if an order may move from `from` to `to` (the same status again is always allowed). */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return from === to || ALLOWED[from]?.[to] === true;
}

/** True for FILLED, CANCELLED and REJECTED: the order no longer works at the broker. */
export function isFinalStatus(status: OrderStatus): boolean {
  // Comparisons rather than a Set: no builtin call on every acknowledgement.
  return status === 'FILLED' || status === 'CANCELLED' || status === 'REJECTED';
}
