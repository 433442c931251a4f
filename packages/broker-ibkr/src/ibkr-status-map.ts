import type { OrderStatus, TimeInForce } from '@brokerkit/core';

/** The order statuses TWS reports in ORDER_STATUS and in OPEN_ORDER's OrderState. */
export type IbOrderStatus =
  | 'ApiPending'
  | 'PendingSubmit'
  | 'PreSubmitted'
  | 'Submitted'
  | 'PendingCancel'
  | 'ApiCancelled'
  | 'Cancelled'
  | 'Filled'
  | 'Inactive';

/** One row of the status table: what an IB status means in the spec's six statuses, and why. */
export interface IbStatusMapping {
  status: OrderStatus;
  /** Where the meaning comes from. */
  source: string;
}

/**
 * IB status -> brokerkit status. Applied by `toCoreStatus`, which also turns a working status
 * with fills into PARTIALLY_FILLED and reads `Inactive` in context (see there).
 */
export const IBKR_STATUS_MAP: Readonly<Record<IbOrderStatus, IbStatusMapping>> = Object.freeze({
  ApiPending: {
    status: 'PENDING',
    source: 'ibkr-tws-protocol.md 3.1: created by the API but not yet sent',
  },
  PendingSubmit: {
    status: 'PENDING',
    source: 'ibkr-tws-protocol.md 3.1: transmitted, no acknowledgement yet',
  },
  PreSubmitted: {
    status: 'SUBMITTED',
    source:
      'ibkr-tws-protocol.md 3.1: accepted and held by IB (stop not triggered, simulated type, outside RTH)',
  },
  Submitted: {
    status: 'SUBMITTED',
    source: 'ibkr-tws-protocol.md 3.1: working at the destination',
  },
  PendingCancel: {
    status: 'SUBMITTED',
    source:
      'ibkr-tws-protocol.md 3.1: cancel requested, not yet confirmed; the order still works and may fill',
  },
  ApiCancelled: {
    status: 'CANCELLED',
    source: 'ibkr-tws-protocol.md 3.1: cancelled by the API before acknowledgement',
  },
  Cancelled: {
    status: 'CANCELLED',
    source: 'ibkr-tws-protocol.md 3.1 and 3: terminal; ERR 202 follows for API cancels',
  },
  Filled: {
    status: 'FILLED',
    source: 'ibkr-tws-protocol.md 3.1: terminal, remaining 0',
  },
  Inactive: {
    status: 'REJECTED',
    source:
      'ibkr-tws-protocol.md 3.1 and 3: rejected or not working (201 rejects); an IOC/FOK order that could not fill also ends Inactive (FOK on a US stock) and is read as CANCELLED',
  },
});

/** What `toCoreStatus` needs besides the IB status. */
export interface StatusContext {
  /** Quantity filled so far. */
  filled: number;
  /** The order's time in force. */
  tif: TimeInForce | undefined;
  /** TWS sent a reject code (201, ...) for the order. */
  rejected: boolean;
}

/** True for IB statuses known to the table. */
export function isIbOrderStatus(value: string): value is IbOrderStatus {
  return STATUS_BY_IB_NAME.has(value);
}

/** The table by IB name, for lookups by strings off the wire (no prototype keys, no Object.hasOwn). */
const STATUS_BY_IB_NAME: ReadonlyMap<string, OrderStatus> = new Map(
  Object.entries(IBKR_STATUS_MAP).map(([name, mapping]) => [name, mapping.status]),
);

/**
 * Maps an IB status to brokerkit's. Returns `undefined` for statuses that say nothing (`Unknown`,
 * anything new), so the caller keeps what it knew.
 *
 * - A working status (PENDING, SUBMITTED) with fills is PARTIALLY_FILLED.
 * - `Inactive` is REJECTED, except an IOC/FOK order without a reject code, or any order with
 *   fills, which stopped working: CANCELLED.
 */
export function toCoreStatus(ibStatus: string, context: StatusContext): OrderStatus | undefined {
  const status = STATUS_BY_IB_NAME.get(ibStatus);
  if (status === undefined) return undefined;
  if ((status === 'PENDING' || status === 'SUBMITTED') && context.filled > 0) return 'PARTIALLY_FILLED';
  if (ibStatus === 'Inactive') {
    if (context.filled > 0) return 'CANCELLED';
    if (!context.rejected && (context.tif === 'IOC' || context.tif === 'FOK')) return 'CANCELLED';
  }
  return status;
}

/** True for IB statuses after which the order no longer works. */
export function isFinalIbStatus(ibStatus: string): boolean {
  return (
    ibStatus === 'Filled' ||
    ibStatus === 'Cancelled' ||
    ibStatus === 'ApiCancelled' ||
    ibStatus === 'Inactive'
  );
}
