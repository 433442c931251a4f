import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface OrderRejectedErrorOptions extends BrokerErrorOptions {
  /** The broker's reason, verbatim where it gave one. */
  reason: string;
  orderId?: string;
  clientOrderId?: string;
}

/** The broker refused the order (after it was sent). `reason` is the broker's text. */
export class OrderRejectedError extends BrokerError {
  readonly code = 'ORDER_REJECTED' as const;
  readonly retryable = false;
  readonly reason: string;
  readonly orderId: string | undefined;
  readonly clientOrderId: string | undefined;

  constructor(options: OrderRejectedErrorOptions) {
    super(options);
    this.reason = options.reason;
    this.orderId = options.orderId;
    this.clientOrderId = options.clientOrderId;
  }

  static isInstance(value: unknown): value is OrderRejectedError {
    return BrokerError.hasCode(value, 'ORDER_REJECTED');
  }
}
