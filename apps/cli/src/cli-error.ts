import { ExitCode } from './exit-codes.js';

/** Codes of the errors the command line raises itself (core's errors keep their own codes). */
export type CliErrorCode =
  | 'USAGE'
  | 'PACKAGE_NOT_INSTALLED'
  | 'PACKAGE_INCOMPATIBLE'
  | 'ABORTED'
  | 'UNEXPECTED';

const EXIT_CODE_BY_CLI_CODE: Readonly<Record<CliErrorCode, ExitCode>> = {
  USAGE: ExitCode.USAGE,
  PACKAGE_NOT_INSTALLED: ExitCode.NOT_INSTALLED,
  PACKAGE_INCOMPATIBLE: ExitCode.NOT_INSTALLED,
  ABORTED: ExitCode.ABORTED,
  UNEXPECTED: ExitCode.UNEXPECTED,
};

/** Options of `CliError`. */
export interface CliErrorOptions {
  /** One line; never contains a secret. */
  message: string;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
}

/**
 * An error of the command line itself (bad flags, a missing optional package), as opposed to
 * one of core's broker errors. It knows its exit code.
 */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: CliErrorCode, options: CliErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = EXIT_CODE_BY_CLI_CODE[code];
  }
}

/** A usage error: bad flag value, missing argument. Exit code 2. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError('USAGE', hint === undefined ? { message } : { message, hint });
}
