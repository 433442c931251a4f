import { redactDeep } from '@brokerkit/core';

/**
 * Where the HTTP status of an error response is kept on the body kiteconnect rejects with. A symbol,
 * so that it never shows in `JSON.stringify` or the payload a user sees.
 */
export const KITE_HTTP_STATUS: unique symbol = Symbol('brokerkit.kite.httpStatus');

/**
 * A failed Kite call, normalised. kiteconnect rejects with plain objects (the error body, or
 * `{ message, error_type: 'NetworkException' }` when no JSON came back), not `Error`s.
 */
export interface KiteFailure {
  /** Kite's `error_type` (`TokenException`, `InputException`, ...); `GeneralException` when absent. */
  errorType: string;
  message: string;
  /** HTTP status when a response came back and could be read. */
  httpStatus: number | undefined;
  /** The socket error code when no response came back (`ECONNREFUSED`, `ECONNABORTED`, ...). */
  networkCode: string | undefined;
  /** The payload as received, secret-looking keys redacted; never an axios error (it holds headers). */
  payload: unknown;
}

const NO_RESPONSE = /^No response from server with error code: (\S+)/;

/** True for a Kite error body, or the error-shaped value kiteconnect *resolves* with on an unknown content type. */
export function isKiteErrorShape(value: unknown): value is { error_type: string; message?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { error_type?: unknown }).error_type === 'string'
  );
}

/** Normalises whatever a kiteconnect promise rejected with. */
export function toKiteFailure(rejection: unknown): KiteFailure {
  if (isKiteErrorShape(rejection)) {
    const message =
      typeof rejection.message === 'string' ? rejection.message : String(rejection.message ?? '');
    const status = (rejection as Record<symbol, unknown>)[KITE_HTTP_STATUS];
    return {
      errorType: rejection.error_type,
      message,
      httpStatus: typeof status === 'number' ? status : undefined,
      networkCode: NO_RESPONSE.exec(message)?.[1],
      payload: sanitizePayload(rejection),
    };
  }
  // An axios error that never reached the wire (bad URL, cancelled) or a bug: keep only safe fields,
  // because axios errors carry the request config, whose Authorization header holds the token.
  const error = rejection as { name?: unknown; message?: unknown; code?: unknown } | undefined;
  const message = typeof error?.message === 'string' ? error.message : String(rejection);
  const code = typeof error?.code === 'string' ? error.code : undefined;
  return {
    errorType: 'GeneralException',
    message,
    httpStatus: undefined,
    networkCode: code,
    payload: { name: typeof error?.name === 'string' ? error.name : 'Error', message, code },
  };
}

/** A JSON-safe, redacted copy of a Kite payload for `raw`. */
export function sanitizePayload(payload: unknown): unknown {
  return redactDeep(payload);
}
