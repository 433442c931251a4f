import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface NotSupportedErrorOptions extends BrokerErrorOptions {
  /** The feature that was asked for (`orderType STOP_LIMIT`, `tif GTC`, `modifyOrder`). */
  feature: string;
}

/**
 * The broker (or this plugin) does not do what was asked; its `capabilities` say so. Thrown
 * before anything is sent.
 */
export class NotSupportedError extends BrokerError {
  readonly code = 'NOT_SUPPORTED' as const;
  readonly retryable = false;
  readonly feature: string;

  constructor(options: NotSupportedErrorOptions) {
    super(options);
    this.feature = options.feature;
  }

  static isInstance(value: unknown): value is NotSupportedError {
    return BrokerError.hasCode(value, 'NOT_SUPPORTED');
  }
}
