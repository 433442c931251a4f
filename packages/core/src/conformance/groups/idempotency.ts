import assert from 'node:assert/strict';
import { InvalidOrderError } from '../../errors/invalid-order-error.js';
import { orderOf, rejectsWith, roundToTick, type SuiteContext } from '../suite-context.js';

/** The client order id is generated when absent, echoed everywhere, and makes placement idempotent. */
export function idempotencyTests(context: SuiteContext): void {
  const group = 'idempotency by client order id';
  const caps = context.capabilities;
  const restingTif = (caps.timeInForce.LIMIT ?? []).find((tif) => tif === 'DAY' || tif === 'GTC');
  const requires = [
    { met: restingTif !== undefined, reason: 'capabilities declare no resting (DAY or GTC) LIMIT orders' },
  ];

  context.declare(
    group,
    'placing the same clientOrderId twice places one order',
    async (harness) => {
      const { broker, fixtures } = harness;
      const limitPrice = roundToTick(fixtures.price * 0.9, fixtures.tickSize);
      const request = orderOf(harness, {
        side: 'BUY',
        quantity: fixtures.quantity,
        orderType: 'LIMIT',
        limitPrice,
        tif: restingTif,
        clientOrderId: 'conformance-idem-1',
      });
      const [first, second] = await Promise.all([broker.placeOrder(request), broker.placeOrder(request)]);
      const third = await broker.placeOrder(request);
      assert.equal(second.orderId, first.orderId);
      assert.equal(third.orderId, first.orderId);
      const open = await broker.getOpenOrders();
      assert.equal(open.filter((order) => order.clientOrderId === 'conformance-idem-1').length, 1);
      const found = await broker.findOrderByClientOrderId('conformance-idem-1');
      assert.equal(found?.orderId, first.orderId);
      await rejectsWith(
        broker.placeOrder({ ...request, quantity: fixtures.quantity * 2 }),
        InvalidOrderError,
        'the same clientOrderId for a different order',
      );
    },
    { requires },
  );

  context.declare(
    group,
    'a clientOrderId is generated when absent and is unique',
    async (harness) => {
      const { broker, fixtures } = harness;
      const limitPrice = roundToTick(fixtures.price * 0.9, fixtures.tickSize);
      const request = orderOf(harness, {
        side: 'BUY',
        quantity: fixtures.quantity,
        orderType: 'LIMIT',
        limitPrice,
        tif: restingTif,
      });
      const first = await broker.placeOrder(request);
      const second = await broker.placeOrder(request);
      assert.ok(first.clientOrderId.length > 0);
      assert.notEqual(first.clientOrderId, second.clientOrderId);
      assert.notEqual(first.orderId, second.orderId);
      assert.equal((await broker.getOrder(first.orderId)).clientOrderId, first.clientOrderId);
      assert.equal((await broker.findOrderByClientOrderId(second.clientOrderId))?.orderId, second.orderId);
    },
    { requires },
  );
}
