import { BrokerError, type BrokerErrorCode, type InputIssue } from '@brokerkit/core';
import { CommanderError } from 'commander';
import { CliError } from '../cli-error.js';
import { EXIT_CODE_BY_ERROR_CODE, ExitCode } from '../exit-codes.js';
import type { Output } from './output.js';

/** What the command line says about a failure; also the `error` object of `--json` output. */
export interface ErrorReport {
  /** Core's error code (`ORDER_REJECTED`, ...) or the CLI's (`USAGE`, `PACKAGE_NOT_INSTALLED`, ...). */
  code: string;
  message: string;
  hint?: string;
  exitCode: ExitCode;
  /** For invalid orders and configs: each field and what is wrong with it. */
  issues?: InputIssue[];
  /** The plugin id of the broker that raised it, when known. */
  broker?: string;
  /** Whether the same call may succeed later. */
  retryable?: boolean;
}

/** Where the error happened: lets the report add advice that depends on the broker. */
export interface ErrorContext {
  /** Plugin id of the broker the command used (`mock`, `ibkr`, ...), once known. */
  brokerId?: string;
  /** The broker name asked for, before its plugin was found. */
  requestedBroker?: string;
}

/** Why an order id is unknown on the mock, in the words a user needs. */
export const MOCK_NO_STATE_HINT =
  'the mock broker runs inside each brokerkit process and keeps no state between commands, so an order ' +
  'placed by one command is unknown to the next; run "brokerkit demo" to see a whole session';

/** Advice for errors that arrive without a hint of their own. */
const DEFAULT_HINTS: Partial<Record<BrokerErrorCode, string>> = {
  INVALID_SYMBOL:
    'check the symbol; futures, options, forex and crypto also need --sec-type, --exchange and --currency',
  ORDER_REJECTED: 'nothing is working at the broker; fix what the reason says before placing the order again',
  INSUFFICIENT_FUNDS: 'see "brokerkit balance", and "brokerkit margin" for what the order needs',
  BROKER_CONNECTION: 'is the broker (TWS / IB Gateway, Kite) reachable? "brokerkit doctor" checks the setup',
  BROKER_TIMEOUT: 'the broker did not answer in time; retry, or allow longer with --timeout <seconds>',
  AUTHENTICATION: 'log in again (Zerodha tokens expire daily: "brokerkit zerodha login")',
  RATE_LIMITED: 'wait a moment and retry',
  ORDER_NOT_FOUND: 'check the order id with "brokerkit orders" (open orders) or at the broker',
  ORDER_OUTCOME_UNKNOWN:
    'do NOT re-send: look for the order with "brokerkit orders" (match its client order id) once the broker answers',
  BROKER_API: 'run again with --verbose; "brokerkit doctor" checks the setup',
};

/** Turns anything thrown into the report the user sees and the exit code. */
export function describeError(error: unknown, context: ErrorContext = {}): ErrorReport {
  if (BrokerError.isBrokerError(error)) {
    const report: ErrorReport = {
      code: error.code,
      message: error.message,
      exitCode: EXIT_CODE_BY_ERROR_CODE[error.code] ?? ExitCode.UNEXPECTED,
      retryable: error.retryable,
    };
    const hint =
      error.code === 'ORDER_NOT_FOUND' && context.brokerId === 'mock'
        ? MOCK_NO_STATE_HINT
        : (error.hint ?? DEFAULT_HINTS[error.code]);
    if (hint !== undefined) report.hint = hint;
    if (error.broker !== undefined) report.broker = error.broker;
    const issues = (error as { issues?: unknown }).issues;
    if (Array.isArray(issues)) report.issues = issues as InputIssue[];
    return report;
  }
  if (error instanceof CliError) {
    return {
      code: error.code,
      message: error.message,
      exitCode: error.exitCode,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    };
  }
  if (error instanceof CommanderError) {
    return {
      code: 'USAGE',
      message: error.message.replace(/^error:\s*/i, ''),
      hint: 'run "brokerkit --help", or "brokerkit <command> --help"',
      exitCode: ExitCode.USAGE,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'UNEXPECTED',
    message: `unexpected failure: ${message}`,
    hint: 'run again with --verbose for details, and report it if it persists',
    exitCode: ExitCode.UNEXPECTED,
  };
}

/**
 * Prints a failure: one line `error: <message> (hint: ...)` on stderr, the stack (with causes) only
 * with `--verbose`, and under `--json` also `{ "error": { ... } }` on stdout (unless a result was
 * printed already) so scripts get a JSON document either way. Returns the exit code.
 */
export function reportError(
  output: Output,
  error: unknown,
  options: { verbose: boolean; context?: ErrorContext },
): ExitCode {
  const report = describeError(error, options.context);
  const colors = output.errorColors;
  const hint = report.hint === undefined ? '' : ` ${colors.dim(`(hint: ${report.hint})`)}`;
  output.error(`${colors.red(colors.bold('error:'))} ${oneLine(report.message)}${oneLine(hint)}`);
  if (options.verbose) {
    let current: unknown = error;
    for (let depth = 0; current !== undefined && depth < 5; depth++) {
      const stack = current instanceof Error ? current.stack : String(current);
      output.error(colors.dim(`${depth === 0 ? '' : 'caused by: '}${stack ?? ''}`));
      current = current instanceof Error ? current.cause : undefined;
    }
  }
  // stdout carries one JSON document: a result already printed (an order that was then rejected)
  // is not followed by a second one; the exit code and the stderr line tell the rest.
  if (output.json && !output.jsonWritten) output.writeJson({ error: report });
  return report.exitCode;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
