import type { Fill, OrderUpdateEvent } from '@brokerkit/core';
import type { KiteSim } from '@brokerkit/kite-sim';
import { afterEach, describe, expect, test } from 'vitest';
import { capturingLogger, waitUntil } from '../test-support/capturing-logger.js';
import { brokerFor, startTestSim } from '../test-support/kite-sim-harness.js';
import type { ZerodhaBroker } from '../zerodha-broker.js';

const sims: KiteSim[] = [];
const brokers: ZerodhaBroker[] = [];
afterEach(async () => {
  for (const broker of brokers.splice(0)) await broker.disconnect().catch(() => {});
  for (const sim of sims.splice(0)) await sim.close();
});

async function setup(
  config: Parameters<typeof brokerFor>[1] = {},
  options: Parameters<typeof brokerFor>[2] = {},
) {
  const sim = await startTestSim();
  sims.push(sim);
  const broker = brokerFor(sim, config, options);
  brokers.push(broker);
  await broker.connect();
  const updates: OrderUpdateEvent[] = [];
  const fills: Fill[] = [];
  broker.on('orderUpdate', (event) => updates.push(event));
  broker.on('fill', (fill) => fills.push(fill));
  return { sim, broker, updates, fills };
}

/** A resting BUY LIMIT below INFY's price, then the price falls through it. */
async function restThenFill(sim: KiteSim, broker: ZerodhaBroker, quantity = 4) {
  const price = sim.control.price('NSE:INFY');
  const limitPrice = Math.round(price * 0.9);
  const ack = await broker.placeOrder({
    symbol: 'INFY',
    exchange: 'NSE',
    side: 'BUY',
    quantity,
    orderType: 'LIMIT',
    limitPrice,
  });
  sim.control.setPrice('NSE:INFY', limitPrice - 1);
  return ack;
}

const filledEvent = (updates: OrderUpdateEvent[], orderId: string) =>
  updates.some((event) => event.order.orderId === orderId && event.order.status === 'FILLED');

describe('order updates', () => {
  test('arrive over the ticker WebSocket without any polling: status events and fills', async () => {
    // Polling every minute: an update within a second can only have come from the stream.
    const { sim, broker, updates, fills } = await setup({ pollIntervalMs: 60_000 });
    expect(broker.streaming).toBe(true);
    const ack = await restThenFill(sim, broker);
    await waitUntil('a FILLED update is pushed', () => filledEvent(updates, ack.orderId), 3_000);
    const own = fills.filter((fill) => fill.orderId === ack.orderId);
    expect(own.reduce((sum, fill) => sum + fill.quantity, 0)).toBe(4);
    expect(own[0]).toMatchObject({ clientOrderId: ack.clientOrderId, side: 'BUY', symbol: 'INFY' });
    expect(own[0]!.price).toBeGreaterThan(0);
  });

  test('fall back to polling while the socket is down, and the stream comes back by itself', async () => {
    const logger = capturingLogger();
    const { sim, broker, updates } = await setup({ pollIntervalMs: 200 }, { logger });
    sim.control.simulator.faults.refuseConnections('ticker down (test)');
    sim.control.dropConnections();
    await waitUntil('the stream notices the drop', () => !broker.streaming);
    expect(broker.isConnected()).toBe(true);
    const ack = await restThenFill(sim, broker);
    await waitUntil('the FILLED update arrives by polling', () => filledEvent(updates, ack.orderId), 3_000);
    expect(broker.streaming).toBe(false);
    expect(logger.lines.some((line) => /polling until it is back/.test(line.message))).toBe(true);
    sim.control.simulator.faults.allowConnections();
    await waitUntil('the stream reconnects', () => broker.streaming, 15_000);
    expect(sim.control.tickerConnections).toBe(1);
  }, 20_000);

  test('two brokers in one process keep separate streams (KiteTicker state is module-global)', async () => {
    const first = await setup({ pollIntervalMs: 60_000 });
    const second = await setup({ pollIntervalMs: 60_000 });
    const a = await restThenFill(first.sim, first.broker, 2);
    const b = await restThenFill(second.sim, second.broker, 3);
    await waitUntil(
      'both fills are pushed',
      () => filledEvent(first.updates, a.orderId) && filledEvent(second.updates, b.orderId),
      3_000,
    );
    expect(
      first.updates.some((event) => event.order.orderId === b.orderId && event.order.quantity === 3),
    ).toBe(false);
    expect(first.sim.control.tickerConnections).toBe(1);
    expect(second.sim.control.tickerConnections).toBe(1);
  });

  test('an update that fails its checksum is not trusted: the order is read from the API instead', async () => {
    const logger = capturingLogger();
    const { sim, broker, updates } = await setup(
      { apiSecret: 'not-the-apps-secret', pollIntervalMs: 60_000 },
      { logger },
    );
    const ack = await restThenFill(sim, broker);
    await waitUntil('the FILLED update arrives', () => filledEvent(updates, ack.orderId), 2_000);
    expect(logger.lines.some((line) => /failed its checksum/.test(line.message))).toBe(true);
    expect(logger.text()).not.toContain('not-the-apps-secret');
  });

  test('disconnecting and reconnecting the ticker never ends the process', async () => {
    const { sim, broker } = await setup();
    for (let round = 0; round < 3; round++) {
      await broker.disconnect();
      await waitUntil('the ticker closes', () => sim.control.tickerConnections === 0);
      await broker.connect();
      expect(broker.streaming).toBe(true);
      sim.control.dropConnections();
      await waitUntil('the stream is back', () => broker.streaming, 5_000);
    }
    await broker.disconnect();
    // KiteTicker's read timer fires 5-10 s after a disconnect; ours are cleared, so the process lives on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sim.control.tickerConnections).toBe(0);
  });
});
