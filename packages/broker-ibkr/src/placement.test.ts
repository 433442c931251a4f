import {
  BrokerAPIError,
  InsufficientFundsError,
  InvalidOrderError,
  type NormalizedOrderRequest,
  OrderOutcomeUnknownError,
  type PlaceOrderAck,
} from '@brokerkit/core';
import type { Contract } from '@stoqey/ib';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { type OrderEntry, OrderStore } from './order-store.js';
import { Placement, type PlacementHost, REJECT_REASON_WAIT_MS, UNKNOWN_ERROR_WAIT_MS } from './placement.js';

const request: NormalizedOrderRequest = {
  symbol: 'AAPL',
  side: 'BUY',
  quantity: 10,
  orderType: 'LIMIT',
  limitPrice: 200,
  tif: 'DAY',
  clientOrderId: 'bk-test-1',
};
const contract: Contract = { conId: 265598, symbol: 'AAPL', exchange: 'SMART', currency: 'USD' };
const FUNDS_REJECT =
  'Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [100.00 USD] MUST EXCEED THE INITIAL MARGIN [2000.00 USD]';

function setup(sent = true) {
  const store = new OrderStore(() => 1_700_000_000_000);
  const entry = store.beginPlacement(
    42,
    request.clientOrderId,
    contract,
    'BUY',
    {
      orderType: 'LIMIT',
      tif: 'DAY',
      quantity: 10,
      cashQty: undefined,
      limitPrice: 200,
      stopPrice: undefined,
    },
    'LMT',
  );
  const rejected: string[] = [];
  let refreshes = 0;
  const host: PlacementHost = {
    id: 'ibkr',
    rejectOrder: (target, reason) => {
      store.markRejected(target, reason, true);
      rejected.push(reason);
    },
    refreshOrderIds: () => {
      refreshes++;
    },
  };
  const outcomes: (PlaceOrderAck | Error)[] = [];
  const placement = new Placement(
    entry,
    '42',
    request,
    sent,
    host,
    (ack) => outcomes.push(ack),
    (error) => outcomes.push(error),
  );
  entry.placement = placement;
  /** TWS reports the order in `ibStatus` (the store stamps it as the broker's #publish would). */
  const report = (ibStatus: string, change: (target: OrderEntry) => void = () => {}) => {
    entry.ibStatus = ibStatus;
    entry.acknowledged = true;
    change(entry);
    store.touch(entry);
    placement.onEntry(entry, undefined);
  };
  return { entry, placement, outcomes, rejected, report, refreshes: () => refreshes };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a placement', () => {
  test('is acknowledged by the first working report, with the ids and status, and leaves its entry', () => {
    const { entry, outcomes, report } = setup();
    report('PreSubmitted', (target) => {
      target.permId = 9001;
    });
    expect(outcomes).toEqual([
      {
        orderId: '42',
        status: 'SUBMITTED',
        createdAt: 1_700_000_000_000,
        raw: {
          ibOrderId: 42,
          permId: 9001,
          ibStatus: 'PreSubmitted',
          ibOrderType: 'LMT',
          whyHeld: undefined,
          termsKnown: true,
        },
      },
    ]);
    expect(entry.placement).toBeUndefined();
    // Later answers change nothing: it settles once.
    report('Submitted');
    expect(outcomes).toHaveLength(1);
  });

  test('a reject code fails it with the mapped error and marks the order rejected', () => {
    const { entry, placement, outcomes, rejected } = setup();
    placement.onError(201, FUNDS_REJECT);
    expect(outcomes).toHaveLength(1);
    expect(InsufficientFundsError.isInstance(outcomes[0])).toBe(true);
    expect((outcomes[0] as InsufficientFundsError).clientOrderId).toBe('bk-test-1');
    expect(rejected).toHaveLength(1);
    expect(entry.rejected).toBe(true);
    expect(entry.placement).toBeUndefined();
  });

  test('a duplicate order id (103) also asks TWS for the next valid id', () => {
    const { placement, outcomes, refreshes } = setup();
    placement.onError(103, 'Duplicate order id');
    expect(outcomes).toHaveLength(1);
    expect(refreshes()).toBe(1);
  });

  test('warnings and notices leave it waiting', () => {
    const { placement, outcomes } = setup();
    placement.onError(
      399,
      'Order Message: Warning: your order will not be placed at the exchange until 09:30',
    );
    placement.onError(2104, 'Market data farm connection is OK');
    expect(outcomes).toHaveLength(0);
  });

  test('Inactive followed by its reject code within the grace period fails with that code', () => {
    const { placement, outcomes, report } = setup();
    report('Inactive');
    expect(outcomes).toHaveLength(0);
    vi.advanceTimersByTime(REJECT_REASON_WAIT_MS / 2);
    placement.onError(201, FUNDS_REJECT);
    expect(InsufficientFundsError.isInstance(outcomes[0])).toBe(true);
    vi.advanceTimersByTime(REJECT_REASON_WAIT_MS * 2);
    expect(outcomes).toHaveLength(1);
  });

  test('Cancelled with no code to explain it is acknowledged as CANCELLED after the grace period', () => {
    const { outcomes, report } = setup();
    report('Cancelled');
    vi.advanceTimersByTime(REJECT_REASON_WAIT_MS - 1);
    expect(outcomes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(outcomes).toMatchObject([{ orderId: '42', status: 'CANCELLED' }]);
  });

  test('a code it does not know, then no status: outcome unknown after the wait', () => {
    const { placement, outcomes } = setup();
    placement.onError(10_999, 'something TWS has not said before');
    vi.advanceTimersByTime(UNKNOWN_ERROR_WAIT_MS - 1);
    expect(outcomes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    const error = outcomes[0] as OrderOutcomeUnknownError;
    expect(OrderOutcomeUnknownError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/IB 10999 \(something TWS has not said before\) and no status/);
    expect(error.clientOrderId).toBe('bk-test-1');
  });

  test('a code it does not know, then a working status: acknowledged', () => {
    const { placement, outcomes, report } = setup();
    placement.onError(10_999, 'something TWS has not said before');
    report('Submitted');
    expect(outcomes).toMatchObject([{ status: 'SUBMITTED' }]);
    vi.advanceTimersByTime(UNKNOWN_ERROR_WAIT_MS * 2);
    expect(outcomes).toHaveLength(1);
  });

  test('a code it does not know, then Inactive: rejected with that code once the grace period ends', () => {
    const { entry, placement, outcomes, report } = setup();
    placement.onError(10_999, 'Order rejected - reason:venue closed');
    report('Inactive');
    vi.advanceTimersByTime(REJECT_REASON_WAIT_MS);
    expect(outcomes).toHaveLength(1);
    expect(BrokerAPIError.isInstance(outcomes[0])).toBe(true);
    expect((outcomes[0] as BrokerAPIError).brokerCode).toBe(10_999);
    expect(entry.statusMessage).toBe('venue closed');
  });

  test('a dropped connection: outcome unknown once written, nothing while it waits for the pacer', () => {
    const written = setup(true);
    written.placement.onConnectionLost();
    expect(OrderOutcomeUnknownError.isInstance(written.outcomes[0])).toBe(true);
    expect((written.outcomes[0] as Error).message).toMatch(/dropped before order bk-test-1 was acknowledged/);

    const queued = setup(false);
    queued.placement.onConnectionLost();
    expect(queued.outcomes).toHaveLength(0);
    // Its send is refused instead, and that is what it reports.
    queued.placement.fail(new InvalidOrderError({ issues: [{ path: 'x', message: 'not sent' }] }));
    expect(InvalidOrderError.isInstance(queued.outcomes[0])).toBe(true);
    expect(queued.entry.placement).toBeUndefined();
  });
});
