import assert from 'node:assert/strict';
import type { ConnectionStateEvent } from '../../broker.js';
import { BrokerConnectionError } from '../../errors/broker-connection-error.js';
import { orderOf, rejectsWith, type SuiteContext } from '../suite-context.js';

/** connect / disconnect are idempotent, report state, and failures are BrokerConnectionError. */
export function connectionTests(context: SuiteContext): void {
  const group = 'connection lifecycle';
  context.declare(
    group,
    'connect and disconnect are idempotent and isConnected follows them',
    async ({ broker }) => {
      assert.equal(broker.isConnected(), false, 'a new broker is not connected');
      const states: ConnectionStateEvent[] = [];
      broker.on('connectionState', (event) => states.push(event));
      await Promise.all([broker.connect(), broker.connect()]);
      assert.equal(broker.isConnected(), true);
      assert.equal(broker.connectionState, 'connected');
      await broker.connect();
      await broker.disconnect();
      assert.equal(broker.isConnected(), false);
      await broker.disconnect();
      assert.deepEqual(
        states.map((event) => event.state),
        ['connecting', 'connected', 'disconnected'],
      );
      await broker.connect();
      assert.equal(broker.isConnected(), true, 'a broker can connect again after disconnecting');
    },
    { connect: false },
  );
  context.declare(
    group,
    'calls before connect fail fast with BrokerConnectionError and send nothing',
    async (harness) => {
      const { broker } = harness;
      await rejectsWith(
        broker.getAccountBalance(),
        BrokerConnectionError,
        'getAccountBalance before connect',
      );
      await rejectsWith(broker.getOpenPositions(), BrokerConnectionError, 'getOpenPositions before connect');
      await rejectsWith(
        broker.placeOrder(
          orderOf(harness, { side: 'BUY', quantity: harness.fixtures.quantity, orderType: 'MARKET' }),
        ),
        BrokerConnectionError,
        'placeOrder before connect',
      );
      await broker.connect();
      assert.deepEqual(await broker.getOpenOrders(), [], 'no order reached the broker');
    },
    { connect: false },
  );
  context.declare(
    group,
    'an unreachable endpoint gives BrokerConnectionError',
    async ({ broker }) => {
      await rejectsWith(broker.connect(), BrokerConnectionError, 'connect to an unreachable endpoint');
      assert.equal(broker.isConnected(), false);
      assert.equal(broker.connectionState, 'disconnected');
    },
    { connect: false, harness: { unreachable: true } },
  );
}
