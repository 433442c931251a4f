import assert from 'node:assert/strict';
import { BrokerConnectionError } from '../../errors/broker-connection-error.js';
import { eventually, orderOf, rejectsWith, roundToTick, type SuiteContext } from '../suite-context.js';

/** Open orders are still known, with their true status, after the connection drops and returns. */
export function reconnectTests(context: SuiteContext): void {
  const group = 'reconnect';
  const caps = context.capabilities;
  const restingTif = (caps.timeInForce.LIMIT ?? []).find((tif) => tif === 'DAY' || tif === 'GTC');

  context.declare(
    group,
    'a resting order is still known and cancellable after the connection drops and returns',
    async (harness) => {
      const { broker, fixtures } = harness;
      const limitPrice = roundToTick(fixtures.price * 0.9, fixtures.tickSize);
      const ack = await broker.placeOrder(
        orderOf(harness, {
          side: 'BUY',
          quantity: fixtures.quantity,
          orderType: 'LIMIT',
          limitPrice,
          tif: restingTif,
        }),
      );
      await harness.market.dropConnection();
      let open: Awaited<ReturnType<typeof broker.getOpenOrders>> | undefined;
      if (caps.reconnect) {
        // The broker comes back by itself. Until it has, calls may only fail fast with a
        // retryable BrokerConnectionError (never hang, never another error); then they answer.
        await eventually(
          harness,
          'the broker answers again after reconnecting by itself',
          async () => {
            try {
              open = await broker.getOpenOrders();
              return true;
            } catch (error) {
              assert.ok(
                BrokerConnectionError.isInstance(error),
                `while reconnecting: ${(error as Error).message}`,
              );
              assert.equal((error as BrokerConnectionError).retryable, true);
              return false;
            }
          },
          200,
        );
      } else {
        await eventually(harness, 'the broker notices the drop', () => !broker.isConnected());
        await rejectsWith(broker.getOpenOrders(), BrokerConnectionError, 'a call while disconnected');
        await broker.connect();
        open = await broker.getOpenOrders();
      }
      assert.ok(open !== undefined);
      const again = open.find((order) => order.orderId === ack.orderId);
      assert.ok(again !== undefined, 'the resting order is listed after the reconnect');
      assert.equal(again.status, 'SUBMITTED');
      assert.equal(again.clientOrderId, ack.clientOrderId);
      assert.equal(await broker.cancelOrder(ack.orderId), true);
    },
    {
      requires: [
        {
          met: restingTif !== undefined,
          reason: 'capabilities declare no resting (DAY or GTC) LIMIT orders',
        },
      ],
    },
  );
}
