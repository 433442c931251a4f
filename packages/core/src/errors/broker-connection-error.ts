import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

/** The broker could not be reached, or the connection was lost. Retryable. */
export class BrokerConnectionError extends BrokerError {
  readonly code = 'BROKER_CONNECTION' as const;
  readonly retryable = true;

  static isInstance(value: unknown): value is BrokerConnectionError {
    return BrokerError.hasCode(value, 'BROKER_CONNECTION');
  }
}

export type BrokerConnectionErrorOptions = BrokerErrorOptions;
