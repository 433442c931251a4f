import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface InvalidSymbolErrorOptions extends BrokerErrorOptions {
  symbol: string;
  /** Possible matches when the symbol was ambiguous (e.g. several IB contracts). */
  candidates?: string[];
}

/** The symbol (or contract) is unknown to the broker, or ambiguous. */
export class InvalidSymbolError extends BrokerError {
  readonly code = 'INVALID_SYMBOL' as const;
  readonly retryable = false;
  readonly symbol: string;
  readonly candidates: string[];

  constructor(options: InvalidSymbolErrorOptions) {
    super(options);
    this.symbol = options.symbol;
    this.candidates = options.candidates ?? [];
  }

  static isInstance(value: unknown): value is InvalidSymbolError {
    return BrokerError.hasCode(value, 'INVALID_SYMBOL');
  }
}
