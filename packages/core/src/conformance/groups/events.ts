import assert from 'node:assert/strict';
import type { OrderUpdateEvent } from '../../broker.js';
import { canTransition } from '../../order-status-transitions.js';
import { type Fill, fillSchema, orderRecordSchema } from '../../schemas/order-record.js';
import { eventually, orderOf, type SuiteContext } from '../suite-context.js';

/** Streaming brokers push order updates and fills without being asked. */
export function eventTests(context: SuiteContext): void {
  const group = 'events';
  const caps = context.capabilities;
  context.declare(
    group,
    'a filled order emits legal orderUpdate events ending FILLED and fill events for its quantity',
    async (harness) => {
      const { broker, fixtures } = harness;
      const updates: OrderUpdateEvent[] = [];
      const fills: Fill[] = [];
      broker.on('orderUpdate', (event) => updates.push(event));
      broker.on('fill', (fill) => fills.push(fill));
      const ack = await broker.placeOrder(
        orderOf(harness, { side: 'BUY', quantity: fixtures.quantity, orderType: 'MARKET' }),
      );
      // Only wait on pushed events here: no status queries, which would also produce updates.
      await eventually(harness, 'a FILLED orderUpdate event arrives', () =>
        updates.some((event) => event.order.orderId === ack.orderId && event.order.status === 'FILLED'),
      );
      const own = updates.filter((event) => event.order.orderId === ack.orderId);
      for (const event of own) {
        assert.ok(orderRecordSchema.safeParse(event.order).success, 'orderUpdate carries an order record');
        assert.equal(event.order.clientOrderId, ack.clientOrderId);
        if (event.previousStatus !== undefined) {
          assert.ok(canTransition(event.previousStatus, event.order.status), 'legal transition');
        }
      }
      await eventually(
        harness,
        'fill events add up to the order quantity',
        () =>
          fills
            .filter((fill) => fill.orderId === ack.orderId)
            .reduce((sum, fill) => sum + fill.quantity, 0) >= fixtures.quantity,
      );
      const own_fills = fills.filter((fill) => fill.orderId === ack.orderId);
      for (const fill of own_fills) assert.ok(fillSchema.safeParse(fill).success, 'fill shape');
      assert.equal(
        own_fills.reduce((sum, fill) => sum + fill.quantity, 0),
        fixtures.quantity,
        'fills add up to exactly the order quantity',
      );
      assert.equal(
        new Set(own_fills.map((fill) => fill.executionId)).size,
        own_fills.length,
        'no duplicate fills',
      );
    },
    {
      requires: [
        { met: caps.streamingOrderUpdates, reason: 'capabilities declare no streaming order updates' },
        { met: caps.orderTypes.includes('MARKET'), reason: 'capabilities do not declare MARKET orders' },
      ],
    },
  );
}
