import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

/** One problem with the input: where it is and what is wrong. */
export interface InputIssue {
  /** Dotted path of the field (`limitPrice`, `updates.quantity`); empty for the whole input. */
  path: string;
  message: string;
}

export interface InvalidOrderErrorOptions extends Omit<BrokerErrorOptions, 'message'> {
  issues: InputIssue[];
  message?: string;
}

/**
 * The input failed validation, so nothing was sent to the broker. `issues` names each field and
 * what to fix.
 */
export class InvalidOrderError extends BrokerError {
  readonly code = 'INVALID_ORDER' as const;
  readonly retryable = false;
  readonly issues: InputIssue[];

  constructor(options: InvalidOrderErrorOptions) {
    super({ ...options, message: options.message ?? formatIssues('Invalid order', options.issues) });
    this.issues = options.issues;
  }

  static isInstance(value: unknown): value is InvalidOrderError {
    return BrokerError.hasCode(value, 'INVALID_ORDER');
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** `"Invalid order: limitPrice: required for LIMIT orders; quantity: must be positive"`. */
export function formatIssues(prefix: string, issues: InputIssue[]): string {
  const parts = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  return `${prefix}: ${parts.join('; ')}`;
}
