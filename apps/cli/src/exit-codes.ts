import type { BrokerErrorCode } from '@brokerkit/core';

/**
 * The process exit codes of `brokerkit`. Scripts may rely on them: a code never changes meaning
 * between versions, and new situations get new numbers.
 */
export const ExitCode = {
  /** The command did what was asked. */
  OK: 0,
  /** Something unexpected failed (a bug or an environment problem); run again with --verbose. */
  UNEXPECTED: 1,
  /** Bad flags or arguments, an invalid order or an invalid config; nothing was sent. */
  USAGE: 2,
  /** The broker could not be reached or did not answer in time. */
  CONNECTION: 3,
  /** The broker refused the order: rejected, insufficient funds, or an unknown symbol. */
  ORDER_REJECTED: 4,
  /** Credentials were refused or the session expired (e.g. Zerodha's daily token). */
  AUTHENTICATION: 5,
  /** The broker (or its plugin) does not support what was asked. */
  NOT_SUPPORTED: 6,
  /** The order id is unknown to the broker. */
  NOT_FOUND: 7,
  /** A package the command needs is not installed or does not fit this version. */
  NOT_INSTALLED: 8,
  /** The broker's rate limit was hit; retry later. */
  RATE_LIMITED: 9,
  /** An order was sent but its outcome is unknown: do NOT re-send, look it up first. */
  OUTCOME_UNKNOWN: 10,
  /** The broker answered with an error that fits no other class. */
  BROKER_API: 11,
  /** You answered "no" to a confirmation prompt; nothing was sent. */
  ABORTED: 12,
  /** Interrupted with Ctrl+C (SIGINT). */
  INTERRUPTED: 130,
} as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The one table from core's error `code`s to exit codes. Typed as a complete record, so a code
 * added to core fails the build here until it is mapped.
 */
export const EXIT_CODE_BY_ERROR_CODE: Readonly<Record<BrokerErrorCode, ExitCode>> = Object.freeze({
  INVALID_ORDER: ExitCode.USAGE,
  INVALID_CONFIG: ExitCode.USAGE,
  BROKER_CONNECTION: ExitCode.CONNECTION,
  BROKER_TIMEOUT: ExitCode.CONNECTION,
  ORDER_REJECTED: ExitCode.ORDER_REJECTED,
  INSUFFICIENT_FUNDS: ExitCode.ORDER_REJECTED,
  INVALID_SYMBOL: ExitCode.ORDER_REJECTED,
  AUTHENTICATION: ExitCode.AUTHENTICATION,
  NOT_SUPPORTED: ExitCode.NOT_SUPPORTED,
  ORDER_NOT_FOUND: ExitCode.NOT_FOUND,
  PLUGIN_NOT_INSTALLED: ExitCode.NOT_INSTALLED,
  PLUGIN_INCOMPATIBLE: ExitCode.NOT_INSTALLED,
  RATE_LIMITED: ExitCode.RATE_LIMITED,
  ORDER_OUTCOME_UNKNOWN: ExitCode.OUTCOME_UNKNOWN,
  BROKER_API: ExitCode.BROKER_API,
});
