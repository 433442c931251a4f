import assert from 'node:assert/strict';
import { BrokerTimeoutError } from '../../errors/broker-timeout-error.js';
import { OrderOutcomeUnknownError } from '../../errors/order-outcome-unknown-error.js';
import { orderOf, rejectsWith, roundToTick, type SuiteContext } from '../suite-context.js';

const SHORT = 300;

/** A request that gets no answer times out; a timed-out order is "outcome unknown", never a guess. */
export function timeoutTests(context: SuiteContext): void {
  const group = 'timeouts';
  const caps = context.capabilities;
  const brokerOptions = {
    timeouts: { getAccountBalance: SHORT, getOpenPositions: SHORT, placeOrder: SHORT },
  };

  context.declare(
    group,
    'a read with no answer rejects with BrokerTimeoutError, never an empty result',
    async (harness) => {
      await harness.market.injectFault('stall');
      const started = Date.now();
      const error = (await rejectsWith(
        harness.broker.getOpenPositions(),
        BrokerTimeoutError,
        'stalled getOpenPositions',
      )) as BrokerTimeoutError;
      assert.equal(error.operation, 'getOpenPositions');
      assert.ok(Date.now() - started < SHORT * 10, 'the timeout fired near its configured value');
    },
    { harness: { brokerOptions } },
  );

  context.declare(
    group,
    'a placement with no answer rejects with OrderOutcomeUnknownError carrying the clientOrderId',
    async (harness) => {
      const { broker, fixtures } = harness;
      await harness.market.injectFault('stall');
      const limitPrice = roundToTick(fixtures.price * 0.9, fixtures.tickSize);
      const tif = (caps.timeInForce.LIMIT ?? []).includes('DAY') ? 'DAY' : 'GTC';
      const error = (await rejectsWith(
        broker.placeOrder(
          orderOf(harness, {
            side: 'BUY',
            quantity: fixtures.quantity,
            orderType: 'LIMIT',
            limitPrice,
            tif,
            clientOrderId: 'conformance-stall-1',
          }),
        ),
        OrderOutcomeUnknownError,
        'stalled placeOrder',
      )) as OrderOutcomeUnknownError;
      assert.equal(error.clientOrderId, 'conformance-stall-1');
      assert.equal(error.retryable, false, 'an unknown outcome is not blindly retryable');
      const matches = (await broker.getOpenOrders()).filter(
        (order) => order.clientOrderId === 'conformance-stall-1',
      );
      assert.ok(matches.length <= 1, 'the order exists at most once');
    },
    {
      harness: { brokerOptions },
      requires: [
        {
          met: (caps.timeInForce.LIMIT ?? []).some((tif) => tif === 'DAY' || tif === 'GTC'),
          reason: 'capabilities declare no resting (DAY or GTC) LIMIT orders',
        },
      ],
    },
  );
}
