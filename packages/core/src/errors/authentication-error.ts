import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface AuthenticationErrorOptions extends BrokerErrorOptions {
  /** True when credentials were valid once but the session ended (Kite's daily token expiry). */
  sessionExpired?: boolean;
}

/** Credentials were refused, or the session expired. Log in again; retrying will not help. */
export class AuthenticationError extends BrokerError {
  readonly code = 'AUTHENTICATION' as const;
  readonly retryable = false;
  readonly sessionExpired: boolean;

  constructor(options: AuthenticationErrorOptions) {
    super(options);
    this.sessionExpired = options.sessionExpired ?? false;
  }

  static isInstance(value: unknown): value is AuthenticationError {
    return BrokerError.hasCode(value, 'AUTHENTICATION');
  }
}
