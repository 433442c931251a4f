/**
 * The `error_type` values of the Kite Connect v3 error envelope (kite.trade/docs/connect/v3/exceptions,
 * plus MarginException / HoldingException from the docs' list and PermissionException from pykiteconnect).
 */
export type KiteErrorType =
  | 'TokenException'
  | 'UserException'
  | 'OrderException'
  | 'InputException'
  | 'MarginException'
  | 'HoldingException'
  | 'NetworkException'
  | 'DataException'
  | 'GeneralException'
  | 'PermissionException';

/**
 * An error the simulator answers with the Kite error envelope
 * `{"status":"error","message":…,"data":null,"error_type":…}` and an HTTP status.
 * Route handlers throw it; the server writes it.
 */
export class KiteApiError extends Error {
  override readonly name = 'KiteApiError';

  constructor(
    /** HTTP status code (400, 403, 429, 500, 502, 503, 504...). */
    readonly httpStatus: number,
    readonly errorType: KiteErrorType,
    message: string,
    /** The envelope's `data` (null for nearly every real error). */
    readonly data: unknown = null,
  ) {
    super(message);
  }
}

/** 400 InputException: a missing or malformed parameter. */
export function inputError(message: string): KiteApiError {
  return new KiteApiError(400, 'InputException', message);
}

/** 400 InputException `Invalid \`field\`.`, Kite's wording for a missing or unknown value. */
export function invalidParameter(field: string): KiteApiError {
  return new KiteApiError(400, 'InputException', `Invalid \`${field}\`.`);
}

/**
 * 400 InputException for a value that does not decode to the type Kite expects, in the OMS's
 * wording (openalgo #1109): `Invalid request (failed to decode \`quantity\`, got: \`65.0\` (expected int))`.
 */
export function decodeError(field: string, raw: string, expected: 'int' | 'decimal'): KiteApiError {
  return new KiteApiError(
    400,
    'InputException',
    `Invalid request (failed to decode \`${field}\`, got: \`${raw}\` (expected ${expected}))`,
  );
}
