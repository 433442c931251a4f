import {
  BrokerAPIError,
  BrokerConnectionError,
  InsufficientFundsError,
  InvalidOrderError,
  InvalidSymbolError,
  OrderNotFoundError,
  OrderRejectedError,
  RateLimitError,
} from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import { classifyIbCode, IBKR_ERROR_MAP, rejectReason, toBrokerError } from './ibkr-error-map.js';

const context = {
  broker: 'ibkr',
  operation: 'placeOrder',
  orderId: '1001',
  clientOrderId: 'c-1',
  symbol: 'AAPL',
};

describe('IB error code mapping', () => {
  test('every row names its source', () => {
    for (const [code, row] of Object.entries(IBKR_ERROR_MAP))
      expect(row.source.length, code).toBeGreaterThan(10);
  });

  test('201 with a margin reason is InsufficientFundsError, other 201s OrderRejectedError with the reason', () => {
    const funds = toBrokerError(
      201,
      'Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [1000.00 USD] MUST EXCEED THE INITIAL MARGIN [22500.00 USD]',
      context,
    );
    expect(InsufficientFundsError.isInstance(funds)).toBe(true);
    expect(funds.brokerCode).toBe(201);
    const other = toBrokerError(
      201,
      'Order rejected - reason:No Trading Permission',
      context,
    ) as OrderRejectedError;
    expect(OrderRejectedError.isInstance(other)).toBe(true);
    expect(other.reason).toBe('No Trading Permission');
    expect(other.clientOrderId).toBe('c-1');
  });

  test('the other codes map to their classes', () => {
    expect(
      InvalidSymbolError.isInstance(
        toBrokerError(200, 'No security definition has been found for the request', context),
      ),
    ).toBe(true);
    expect(toBrokerError(200, 'No security definition', context).message).toMatch(/AAPL/);
    expect(
      RateLimitError.isInstance(
        toBrokerError(100, 'Max rate of messages per second has been exceeded', context),
      ),
    ).toBe(true);
    expect(
      OrderNotFoundError.isInstance(
        toBrokerError(10147, 'OrderId 7 that needs to be cancelled is not found.', context),
      ),
    ).toBe(true);
    expect(
      InvalidOrderError.isInstance(
        toBrokerError(110, 'The price does not conform to the minimum price variation', context),
      ),
    ).toBe(true);
    expect(
      InvalidOrderError.isInstance(
        toBrokerError(321, "Error validating request.-'bF' : cause - Invalid order type", context),
      ),
    ).toBe(true);
    expect(OrderRejectedError.isInstance(toBrokerError(103, 'Duplicate order id', context))).toBe(true);
    expect(
      BrokerConnectionError.isInstance(
        toBrokerError(1100, 'Connectivity between IB and Trader Workstation has been lost.', context),
      ),
    ).toBe(true);
    expect(BrokerAPIError.isInstance(toBrokerError(9999, 'something new', context))).toBe(true);
  });

  test('farm notices, 399 and 0 are never failures; cancels, connectivity and client ids have their own kinds', () => {
    for (const code of [2104, 2106, 2158, 2107, 2108, 2103])
      expect(classifyIbCode(code).kind).toBe('informational');
    expect(classifyIbCode(399).kind).toBe('warning');
    expect(classifyIbCode(0).kind).toBe('warning');
    expect(classifyIbCode(202).kind).toBe('cancel-confirmed');
    expect(classifyIbCode(10148).kind).toBe('not-cancellable');
    expect(classifyIbCode(161).kind).toBe('not-cancellable');
    expect(classifyIbCode(1100).kind).toBe('connection-lost');
    expect(classifyIbCode(2110).kind).toBe('connection-lost');
    expect(classifyIbCode(1101).kind).toBe('connection-restored');
    expect(classifyIbCode(326).kind).toBe('client-id-in-use');
  });

  test('reject reasons are read after "reason:"', () => {
    expect(rejectReason('Order rejected - reason:too big')).toBe('too big');
    expect(rejectReason('plain text')).toBe('plain text');
  });
});
