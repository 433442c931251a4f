import {
  AuthenticationError,
  BrokerAPIError,
  BrokerConnectionError,
  BrokerTimeoutError,
  InsufficientFundsError,
  InvalidOrderError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  RateLimitError,
} from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import { type KiteFailure, toKiteFailure } from '../kite/kite-failure.js';
import {
  classifyKiteFailure,
  KITE_ERROR_RULES,
  type KiteErrorContext,
  toBrokerError,
} from './kite-error-map.js';

const failure = (errorType: string, message: string, httpStatus?: number): KiteFailure => ({
  errorType,
  message,
  httpStatus,
  networkCode: undefined,
  payload: { status: 'error', message, error_type: errorType, data: null },
});
const noResponse = (code: string) =>
  toKiteFailure({
    message: `No response from server with error code: ${code}`,
    error_type: 'NetworkException',
    data: null,
  });
const place: KiteErrorContext = {
  operation: 'placeOrder',
  method: 'placeOrder',
  broker: 'zerodha',
  clientOrderId: 'c1',
};
const read: KiteErrorContext = {
  operation: 'read',
  method: 'getAccountBalance',
  broker: 'zerodha',
  timeoutMs: 7000,
};

describe('Kite error mapping', () => {
  test('every rule names its source', () => {
    for (const rule of KITE_ERROR_RULES) expect(rule.source.length).toBeGreaterThan(0);
  });

  test('TokenException is an expired session with the daily-login hint, for any status', () => {
    for (const status of [403, 400, undefined]) {
      const error = toBrokerError(
        failure('TokenException', 'Incorrect `api_key` or `access_token`.', status),
        read,
      );
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as AuthenticationError).sessionExpired).toBe(true);
      expect(error.hint).toMatch(/access tokens expire daily; log in again/);
    }
  });

  test('MarginException and insufficient-funds wording are InsufficientFundsError with the amounts', () => {
    const message = 'Insufficient funds. Required margin is 95417.84 but available margin is 74251.80.';
    for (const type of ['MarginException', 'InputException', 'OrderException']) {
      const error = toBrokerError(failure(type, message, 400), place) as InsufficientFundsError;
      expect(InsufficientFundsError.isInstance(error)).toBe(true);
      expect(error.required).toBe(95417.84);
      expect(error.available).toBe(74251.8);
    }
  });

  test('InputException naming a parameter is InvalidOrderError on that field, otherwise a rejection with the text', () => {
    const invalid = toBrokerError(
      failure('InputException', 'Invalid `trigger_price`.', 400),
      place,
    ) as InvalidOrderError;
    expect(InvalidOrderError.isInstance(invalid)).toBe(true);
    expect(invalid.issues[0]?.path).toBe('stopPrice');
    const rms = 'Price exceeds circuit limits for the instrument. Place an order within the daily range.';
    const rejected = toBrokerError(failure('InputException', rms, 400), place) as OrderRejectedError;
    expect(OrderRejectedError.isInstance(rejected)).toBe(true);
    expect(rejected.reason).toBe(rms);
  });

  test('429 and "Too many requests" (even with HTTP 200) are RateLimitError', () => {
    expect(
      RateLimitError.isInstance(toBrokerError(failure('NetworkException', 'Too many requests', 429), place)),
    ).toBe(true);
    expect(
      RateLimitError.isInstance(toBrokerError(failure('NetworkException', 'Too many requests', 200), read)),
    ).toBe(true);
    expect(
      RateLimitError.isInstance(toBrokerError(failure('GeneralException', 'Too Many Requests'), read)),
    ).toBe(true);
    const cap = toBrokerError(
      failure('NetworkException', 'Maximum allowed order requests exceeded', 429),
      place,
    ) as RateLimitError;
    expect(cap.retryAfterMs).toBeGreaterThan(0);
    expect(cap.hint).toMatch(/midnight IST/);
  });

  test('a 400 NetworkException is a refusal, a 5xx one an unknown outcome for orders and a retryable error for reads', () => {
    const refused = toBrokerError(
      failure('NetworkException', 'Maximum allowed order modifications exceeded.', 400),
      {
        ...place,
        operation: 'modifyOrder',
      },
    );
    expect(OrderRejectedError.isInstance(refused)).toBe(true);
    const unknown = toBrokerError(failure('NetworkException', 'Request failed (kitetrade-oms)', 502), place);
    expect(OrderOutcomeUnknownError.isInstance(unknown)).toBe(true);
    expect((unknown as OrderOutcomeUnknownError).clientOrderId).toBe('c1');
    const server = toBrokerError(failure('NetworkException', 'Service Unavailable'), read);
    expect(BrokerAPIError.isInstance(server)).toBe(true);
    expect(server.retryable).toBe(true);
  });

  test('no response: refused is a connection error (nothing sent), a timeout is a timeout or an unknown outcome', () => {
    expect(classifyKiteFailure(noResponse('ECONNREFUSED'))).toBe('unreachable');
    expect(BrokerConnectionError.isInstance(toBrokerError(noResponse('ECONNREFUSED'), place))).toBe(true);
    const timeout = toBrokerError(noResponse('ECONNABORTED'), read) as BrokerTimeoutError;
    expect(BrokerTimeoutError.isInstance(timeout)).toBe(true);
    expect(timeout.timeoutMs).toBe(7000);
    expect(OrderOutcomeUnknownError.isInstance(toBrokerError(noResponse('ECONNRESET'), place))).toBe(true);
  });

  test('an unknown order id is OrderNotFoundError when the operation names one', () => {
    const error = toBrokerError(failure('GeneralException', "Couldn't find that `order_id`.", 400), {
      operation: 'read',
      method: 'getOrder',
      broker: 'zerodha',
      orderId: '42',
    });
    expect(OrderNotFoundError.isInstance(error)).toBe(true);
  });

  test('the raw payload is kept, and an axios error is never kept whole (its config holds the token)', () => {
    const error = toBrokerError(failure('OrderException', 'Enter valid price', 400), place);
    expect(error.raw).toMatchObject({ error_type: 'OrderException', message: 'Enter valid price' });
    const axiosLike = Object.assign(new Error('Invalid URL'), {
      code: 'ERR_INVALID_URL',
      config: { headers: { Authorization: 'token key:secret-access-token' } },
    });
    const normalised = toKiteFailure(axiosLike);
    expect(JSON.stringify(normalised)).not.toContain('secret-access-token');
    expect(classifyKiteFailure(normalised)).toBe('unreachable');
  });
});
