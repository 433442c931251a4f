import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface OrderOutcomeUnknownErrorOptions extends BrokerErrorOptions {
  /** The operation whose result is unknown (`placeOrder`, `cancelOrder`, `modifyOrder`). */
  operation: string;
  /** The key to find the order by once the connection is back. */
  clientOrderId?: string;
  orderId?: string;
}

/**
 * A request was (or may have been) sent but its result cannot be known: a timeout or a dropped
 * connection after the send. Do not re-send: look the order up with
 * `broker.findOrderByClientOrderId(error.clientOrderId)` once connected.
 */
export class OrderOutcomeUnknownError extends BrokerError {
  readonly code = 'ORDER_OUTCOME_UNKNOWN' as const;
  /** Not blindly retryable: resolve first, or the order may be placed twice. */
  readonly retryable = false;
  readonly operation: string;
  readonly clientOrderId: string | undefined;
  readonly orderId: string | undefined;

  constructor(options: OrderOutcomeUnknownErrorOptions) {
    super(options);
    this.operation = options.operation;
    this.clientOrderId = options.clientOrderId;
    this.orderId = options.orderId;
  }

  static isInstance(value: unknown): value is OrderOutcomeUnknownError {
    return BrokerError.hasCode(value, 'ORDER_OUTCOME_UNKNOWN');
  }
}
