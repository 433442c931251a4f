import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { Secret } from '../secret.js';
import {
  AuthenticationError,
  BrokerAPIError,
  BrokerConnectionError,
  BrokerError,
  BrokerTimeoutError,
  InsufficientFundsError,
  InvalidConfigError,
  InvalidOrderError,
  InvalidSymbolError,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  PluginIncompatibleError,
  PluginNotInstalledError,
  RateLimitError,
} from './index.js';

const samples = [
  new BrokerConnectionError({ message: 'down' }),
  new OrderRejectedError({ message: 'no', reason: 'market closed' }),
  new InsufficientFundsError({ message: 'poor', required: 10, available: 5 }),
  new InvalidSymbolError({ message: 'what', symbol: 'XYZ' }),
  new BrokerAPIError({ message: 'api' }),
  new BrokerTimeoutError({ message: 'slow', operation: 'getAccountBalance', timeoutMs: 10 }),
  new AuthenticationError({ message: 'who', sessionExpired: true }),
  new RateLimitError({ message: 'easy', retryAfterMs: 1000 }),
  new OrderNotFoundError({ message: 'gone', orderId: '1' }),
  new NotSupportedError({ message: 'nope', feature: 'x' }),
  new InvalidOrderError({ issues: [{ path: 'quantity', message: 'must be greater than 0' }] }),
  new OrderOutcomeUnknownError({ message: '?', operation: 'placeOrder', clientOrderId: 'c1' }),
  new PluginNotInstalledError({ requested: 'acme', triedPackages: ['@brokerkit/broker-acme'] }),
  new PluginIncompatibleError({
    message: 'old',
    pluginId: 'acme',
    pluginContractVersion: 0,
    coreContractVersion: 1,
  }),
  new InvalidConfigError({ issues: [{ path: 'port', message: 'must be a number' }] }),
];

describe('error classes', () => {
  test('every error has a distinct stable code and is a BrokerError and an Error', () => {
    const codes = samples.map((error) => error.code);
    expect(new Set(codes).size).toBe(samples.length);
    for (const error of samples) {
      expect(error).toBeInstanceOf(Error);
      expect(BrokerError.isBrokerError(error)).toBe(true);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  test('isInstance recognises only its own class, also for a copy from another package instance', () => {
    const copy = JSON.parse(JSON.stringify({ code: 'INVALID_SYMBOL' }));
    copy[Symbol.for('brokerkit.error')] = true; // what a duplicated copy of core produces
    expect(InvalidSymbolError.isInstance(copy)).toBe(true);
    expect(OrderRejectedError.isInstance(copy)).toBe(false);
    expect(InvalidSymbolError.isInstance(new Error('INVALID_SYMBOL'))).toBe(false);
    expect(InvalidSymbolError.isInstance({ code: 'INVALID_SYMBOL' })).toBe(false);
  });

  test('retryable says whether the same call may succeed later', () => {
    const retryable = Object.fromEntries(samples.map((error) => [error.code, error.retryable]));
    expect(retryable).toMatchObject({
      BROKER_CONNECTION: true,
      BROKER_TIMEOUT: true,
      RATE_LIMITED: true,
      ORDER_REJECTED: false,
      INSUFFICIENT_FUNDS: false,
      ORDER_OUTCOME_UNKNOWN: false,
      INVALID_ORDER: false,
    });
  });

  test('invalid order and config messages name each field and what to fix', () => {
    const error = new InvalidOrderError({
      issues: [
        { path: 'limitPrice', message: 'required for LIMIT orders' },
        { path: 'quantity', message: 'must be greater than 0' },
      ],
    });
    expect(error.message).toBe(
      'Invalid order: limitPrice: required for LIMIT orders; quantity: must be greater than 0',
    );
    expect(samples.at(-1)!.message).toBe('Invalid broker config: port: must be a number');
  });

  test('a missing plugin names the package to install', () => {
    const error = new PluginNotInstalledError({
      requested: 'IBKR',
      triedPackages: ['@brokerkit/broker-ibkr'],
    });
    expect(error.hint).toContain('install @brokerkit/broker-ibkr');
  });

  test('the raw payload and cause are kept, and secrets in the raw payload never print', () => {
    const cause = new Error('socket hang up');
    const raw = {
      error_type: 'TokenException',
      access_token: 'abcdef123456',
      data: { api_secret: 's3cr3t', qty: 1 },
    };
    const error = new AuthenticationError({ message: 'session expired', raw, cause, brokerCode: 403 });
    expect(error.raw).toBe(raw);
    expect(error.cause).toBe(cause);
    const printed = JSON.stringify(error);
    expect(printed).not.toContain('abcdef123456');
    expect(printed).not.toContain('s3cr3t');
    expect(JSON.parse(printed)).toMatchObject({
      code: 'AUTHENTICATION',
      brokerCode: 403,
      raw: { data: { qty: 1 } },
    });
    const withSecret = new BrokerAPIError({ message: 'x', raw: { token: new Secret('tok-123') } });
    expect(JSON.stringify(withSecret)).not.toContain('tok-123');
    expect(inspect(withSecret.toJSON(), { depth: 5 })).not.toContain('tok-123');
  });
});
