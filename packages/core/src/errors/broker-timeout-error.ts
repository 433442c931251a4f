import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface BrokerTimeoutErrorOptions extends BrokerErrorOptions {
  /** The operation that timed out (`getAccountBalance`, ...). */
  operation: string;
  timeoutMs: number;
}

/**
 * A read-only operation did not answer in time. Safe to retry. (A timed-out *order* call is an
 * `OrderOutcomeUnknownError` instead, because the order may have reached the broker.)
 */
export class BrokerTimeoutError extends BrokerError {
  readonly code = 'BROKER_TIMEOUT' as const;
  readonly retryable = true;
  readonly operation: string;
  readonly timeoutMs: number;

  constructor(options: BrokerTimeoutErrorOptions) {
    super(options);
    this.operation = options.operation;
    this.timeoutMs = options.timeoutMs;
  }

  static isInstance(value: unknown): value is BrokerTimeoutError {
    return BrokerError.hasCode(value, 'BROKER_TIMEOUT');
  }
}
