/**
 * Where brokerkit writes diagnostics. Compatible with pino, winston and `console`. Nothing is
 * formatted when no logger is given. Fields never contain secrets.
 */
export interface BrokerLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const ignore = () => {};

/** The default: drops everything. */
export const silentLogger: BrokerLogger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});
