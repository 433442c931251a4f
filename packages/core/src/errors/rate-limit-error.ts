import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface RateLimitErrorOptions extends BrokerErrorOptions {
  /** How long to wait before trying again, when the broker says. */
  retryAfterMs?: number;
}

/** The broker's rate limit was hit (IB code 100, Kite HTTP 429). Retry after `retryAfterMs`. */
export class RateLimitError extends BrokerError {
  readonly code = 'RATE_LIMITED' as const;
  readonly retryable = true;
  readonly retryAfterMs: number | undefined;

  constructor(options: RateLimitErrorOptions) {
    super(options);
    this.retryAfterMs = options.retryAfterMs;
  }

  static isInstance(value: unknown): value is RateLimitError {
    return BrokerError.hasCode(value, 'RATE_LIMITED');
  }
}
