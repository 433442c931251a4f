import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface OrderNotFoundErrorOptions extends BrokerErrorOptions {
  orderId: string;
}

/** No order with that id is known to the broker. */
export class OrderNotFoundError extends BrokerError {
  readonly code = 'ORDER_NOT_FOUND' as const;
  readonly retryable = false;
  readonly orderId: string;

  constructor(options: OrderNotFoundErrorOptions) {
    super(options);
    this.orderId = options.orderId;
  }

  static isInstance(value: unknown): value is OrderNotFoundError {
    return BrokerError.hasCode(value, 'ORDER_NOT_FOUND');
  }
}
