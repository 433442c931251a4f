import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface InsufficientFundsErrorOptions extends BrokerErrorOptions {
  /** Margin or cash the order needs, when the broker says. */
  required?: number;
  /** Margin or cash available, when the broker says. */
  available?: number;
  orderId?: string;
  clientOrderId?: string;
}

/** The account lacks the buying power or margin for the order. */
export class InsufficientFundsError extends BrokerError {
  readonly code = 'INSUFFICIENT_FUNDS' as const;
  readonly retryable = false;
  readonly required: number | undefined;
  readonly available: number | undefined;
  readonly orderId: string | undefined;
  readonly clientOrderId: string | undefined;

  constructor(options: InsufficientFundsErrorOptions) {
    super(options);
    this.required = options.required;
    this.available = options.available;
    this.orderId = options.orderId;
    this.clientOrderId = options.clientOrderId;
  }

  static isInstance(value: unknown): value is InsufficientFundsError {
    return BrokerError.hasCode(value, 'INSUFFICIENT_FUNDS');
  }
}
