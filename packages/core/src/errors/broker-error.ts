import { redactDeep } from '../secret.js';

const brokerErrorMarker = Symbol.for('brokerkit.error');

/**
 * The closed set of error codes. A caller can `switch (error.code)` exhaustively; codes never
 * change meaning between versions.
 */
export type BrokerErrorCode =
  | 'BROKER_CONNECTION'
  | 'ORDER_REJECTED'
  | 'INSUFFICIENT_FUNDS'
  | 'INVALID_SYMBOL'
  | 'BROKER_API'
  | 'BROKER_TIMEOUT'
  | 'AUTHENTICATION'
  | 'RATE_LIMITED'
  | 'ORDER_NOT_FOUND'
  | 'NOT_SUPPORTED'
  | 'INVALID_ORDER'
  | 'ORDER_OUTCOME_UNKNOWN'
  | 'PLUGIN_NOT_INSTALLED'
  | 'PLUGIN_INCOMPATIBLE'
  | 'INVALID_CONFIG';

/** What every brokerkit error can carry besides its message. */
export interface BrokerErrorOptions {
  /** One line saying what went wrong. Never contains a secret. */
  message: string;
  /** What the user can do about it ("is TWS running on port 4002?"). */
  hint?: string;
  /** The broker's own error code (IB `201`, Kite `TokenException`, HTTP `429`). */
  brokerCode?: string | number;
  /** The broker's raw payload, kept for diagnosis. Secret-looking keys are redacted on output. */
  raw?: unknown;
  /** Plugin id of the broker that raised it (`ibkr`, `zerodha`, `mock`). */
  broker?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base class of every error brokerkit throws. Detect a kind with the static `isInstance` of its
 * class (works across duplicated copies of this package), or switch on `code`.
 */
export abstract class BrokerError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: BrokerErrorCode;
  /** Whether trying the same call again later may succeed. */
  abstract readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly brokerCode: string | number | undefined;
  readonly raw: unknown;
  readonly broker: string | undefined;
  readonly [brokerErrorMarker] = true;

  constructor(options: BrokerErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.brokerCode = options.brokerCode;
    this.raw = options.raw;
    this.broker = options.broker;
  }

  /** True for any brokerkit error, whichever copy of the package created it. */
  static isBrokerError(value: unknown): value is BrokerError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[brokerErrorMarker] === true
    );
  }

  /** Cross-copy check for one code; used by each subclass's `isInstance`. */
  protected static hasCode(value: unknown, code: BrokerErrorCode): boolean {
    return BrokerError.isBrokerError(value) && value.code === code;
  }

  /** A plain, secret-free representation (what `JSON.stringify` prints). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.broker === undefined ? {} : { broker: this.broker }),
      ...(this.brokerCode === undefined ? {} : { brokerCode: this.brokerCode }),
      ...(this.raw === undefined ? {} : { raw: redactDeep(this.raw) }),
    };
  }
}
