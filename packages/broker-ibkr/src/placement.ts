import {
  type NormalizedOrderRequest,
  OrderOutcomeUnknownError,
  type OrderStatus,
  type PlaceOrderAck,
} from '@brokerkit/core';
import { classifyIbCode, type IbErrorContext, rejectReason, toBrokerError } from './ibkr-error-map.js';
import { type OrderEntry, statusOf } from './order-store.js';
import type { OrderWaiter } from './order-waiter.js';

/** How long a placement answered `Cancelled`/`Inactive` waits for the reject code that explains it. */
export const REJECT_REASON_WAIT_MS = 150;
/** How long a placement answered with an unknown error code waits for a status before reporting "unknown". */
export const UNKNOWN_ERROR_WAIT_MS = 1_000;

/** What a placement needs from the broker while it waits for TWS. */
export interface PlacementHost {
  /** The broker's id, for errors. */
  readonly id: string;
  /** Records that TWS rejected the order, with the reason, and reports the change. */
  rejectOrder(entry: OrderEntry, reason: string): void;
  /** Asks TWS for the next valid order id again (after 103: the id was already used). */
  refreshOrderIds(): void;
}

/**
 * True when a report of an order acknowledges its placement: TWS has it working or filling. An
 * order a reject stopped (Inactive/Cancelled after a reject code) does not count.
 */
export function acknowledgesPlacement(entry: OrderEntry): boolean {
  const status = entry.ibStatus;
  if (entry.rejected && (status === 'Inactive' || status === 'Cancelled' || status === 'ApiCancelled'))
    return false;
  return status === 'PreSubmitted' || status === 'Submitted' || status === 'Filled' || entry.filled > 0;
}

/**
 * One order placement waiting for TWS's answer, on its order's entry until it settles:
 * - acknowledged by the first report that has the order working or filling;
 * - failed by a reject code (mapped to the core error classes); a Cancelled/Inactive status waits
 *   a moment for the code that explains it;
 * - an error code it does not know waits for a status, and is outcome-unknown without one;
 * - a connection lost after the order was written is outcome-unknown (reconciliation resolves it).
 */
export class Placement implements OrderWaiter {
  /** False while the order waits for the pacer: a dropped connection means "not sent" then. */
  sent: boolean;
  readonly #entry: OrderEntry;
  readonly #orderId: number;
  readonly #orderIdText: string;
  readonly #request: NormalizedOrderRequest;
  readonly #host: PlacementHost;
  readonly #resolve: (ack: PlaceOrderAck) => void;
  readonly #reject: (error: Error) => void;
  #done = false;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #unknownError: { code: number; message: string } | undefined;

  /** `orderIdText`: the entry's IB order id as text (made once, before the answer). */
  constructor(
    entry: OrderEntry,
    orderIdText: string,
    request: NormalizedOrderRequest,
    sent: boolean,
    host: PlacementHost,
    resolve: (ack: PlaceOrderAck) => void,
    reject: (error: Error) => void,
  ) {
    this.sent = sent;
    this.#entry = entry;
    this.#orderId = entry.orderId;
    this.#orderIdText = orderIdText;
    this.#request = request;
    this.#host = host;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  onEntry(current: OrderEntry, status: OrderStatus | undefined): void {
    if (acknowledgesPlacement(current)) {
      this.#acknowledge(current, status);
      return;
    }
    // Rejected and stopped: onError settles it with the reject's reason.
    if (current.rejected) return;
    const ibStatus = current.ibStatus;
    if (ibStatus !== 'Cancelled' && ibStatus !== 'ApiCancelled' && ibStatus !== 'Inactive') return;
    // The reject code that explains it may follow; give it a moment.
    this.#wait(REJECT_REASON_WAIT_MS, () => {
      const unknown = this.#unknownError;
      if (unknown === undefined) {
        this.#acknowledge(current, undefined);
        return;
      }
      this.#host.rejectOrder(current, rejectReason(unknown.message));
      this.fail(toBrokerError(unknown.code, unknown.message, this.#errorContext()));
    });
  }

  onError(code: number, message: string): void {
    const { kind } = classifyIbCode(code);
    if (kind === 'warning' || kind === 'informational' || kind === 'cancel-confirmed') return;
    if (
      kind === 'rejected' ||
      kind === 'invalid-order' ||
      kind === 'invalid-symbol' ||
      kind === 'rate-limited'
    ) {
      this.#host.rejectOrder(this.#entry, rejectReason(message));
      if (code === 103) this.#host.refreshOrderIds();
      this.fail(toBrokerError(code, message, this.#errorContext()));
      return;
    }
    // Unknown code: the status that follows decides; without one the outcome is unknown.
    this.#unknownError = { code, message };
    this.#wait(UNKNOWN_ERROR_WAIT_MS, () => {
      this.fail(
        new OrderOutcomeUnknownError({
          message: `${this.#host.id}: TWS answered order ${this.#request.clientOrderId} with IB ${code} (${message}) and no status; it may or may not be working`,
          hint: 'look it up with findOrderByClientOrderId() before placing it again',
          operation: 'placeOrder',
          clientOrderId: this.#request.clientOrderId,
          orderId: this.#orderIdText,
          brokerCode: code,
          broker: this.#host.id,
        }),
      );
    });
  }

  onConnectionLost(): void {
    if (!this.sent) return;
    this.fail(
      new OrderOutcomeUnknownError({
        message: `${this.#host.id}: the connection to TWS dropped before order ${this.#request.clientOrderId} was acknowledged`,
        hint: 'do not re-send: the plugin reconciles it after reconnecting; look it up with findOrderByClientOrderId()',
        operation: 'placeOrder',
        clientOrderId: this.#request.clientOrderId,
        orderId: this.#orderIdText,
        broker: this.#host.id,
      }),
    );
  }

  /** Settles the placement with an error (at most once; later answers are ignored). */
  fail(error: Error): void {
    if (this.#settle()) this.#reject(error);
  }

  #acknowledge(current: OrderEntry, status: OrderStatus | undefined): void {
    if (!this.#settle()) return;
    // The ack needs the status and the raw ids, not a whole record.
    this.#resolve({
      // The id's text was made before the answer came (re-keyed entries aside).
      orderId: current.orderId === this.#orderId ? this.#orderIdText : String(current.orderId),
      status: status ?? statusOf(current),
      // Stamped: a placement is only acknowledged from the broker's report of the entry.
      createdAt: current.createdAt,
      raw: {
        ibOrderId: current.orderId,
        permId: current.permId,
        ibStatus: current.ibStatus,
        ibOrderType: current.ibOrderType,
        whyHeld: current.whyHeld,
        termsKnown: current.termsKnown,
      },
    });
  }

  /** Runs `then` after `ms` unless the placement settles first (one wait at a time). */
  #wait(ms: number, then: () => void): void {
    clearTimeout(this.#graceTimer);
    this.#graceTimer = setTimeout(then, ms);
    this.#graceTimer.unref?.();
  }

  /** True the first time: the placement leaves its entry and stops waiting. */
  #settle(): boolean {
    if (this.#done) return false;
    this.#done = true;
    if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
    if (this.#entry.placement === this) this.#entry.placement = undefined;
    return true;
  }

  #errorContext(): IbErrorContext {
    return {
      broker: this.#host.id,
      operation: 'placeOrder',
      orderId: this.#orderIdText,
      clientOrderId: this.#request.clientOrderId,
      symbol: this.#request.symbol,
    };
  }
}
