import { BrokerError, type BrokerErrorOptions } from './broker-error.js';
import { formatIssues, type InputIssue } from './invalid-order-error.js';

export interface InvalidConfigErrorOptions extends Omit<BrokerErrorOptions, 'message'> {
  issues: InputIssue[];
  message?: string;
}

/** The broker config has unknown keys, wrong types or missing values; `issues` lists each. */
export class InvalidConfigError extends BrokerError {
  readonly code = 'INVALID_CONFIG' as const;
  readonly retryable = false;
  readonly issues: InputIssue[];

  constructor(options: InvalidConfigErrorOptions) {
    super({ ...options, message: options.message ?? formatIssues('Invalid broker config', options.issues) });
    this.issues = options.issues;
  }

  static isInstance(value: unknown): value is InvalidConfigError {
    return BrokerError.hasCode(value, 'INVALID_CONFIG');
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}
