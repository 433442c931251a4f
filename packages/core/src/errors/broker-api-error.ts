import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface BrokerAPIErrorOptions extends BrokerErrorOptions {
  /** Whether the same call may succeed later (e.g. an HTTP 5xx). Defaults to false. */
  retryable?: boolean;
}

/** Any other error the broker's API reported. `raw` holds the payload. */
export class BrokerAPIError extends BrokerError {
  readonly code = 'BROKER_API' as const;
  readonly retryable: boolean;

  constructor(options: BrokerAPIErrorOptions) {
    super(options);
    this.retryable = options.retryable ?? false;
  }

  static isInstance(value: unknown): value is BrokerAPIError {
    return BrokerError.hasCode(value, 'BROKER_API');
  }
}
