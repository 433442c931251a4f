import { OrderOutcomeUnknownError, type OrderRequest } from '@brokerkit/core';
import type { KiteSim } from '@brokerkit/kite-sim';
import { afterAll, describe, expect, test } from 'vitest';
import { brokerFor, startTestSim } from './test-support/kite-sim-harness.js';
import type { ZerodhaBroker } from './zerodha-broker.js';

const ORDERS = 500;
const WAVE = 20;

let sim: KiteSim | undefined;
let broker: ZerodhaBroker | undefined;
afterAll(async () => {
  await broker?.disconnect().catch(() => {});
  await sim?.close();
});

/** A small deterministic generator, so that every run injects the same faults. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('500 orders while kite-sim drops and delays responses', () => {
  test('zero orders lost, zero duplicated: every order whose answer was lost is resolved by its tag', async () => {
    // Faster limits than Kite's on both sides, so that the run takes seconds; pacing is tested elsewhere.
    const limits = { ordersPerSecond: 50, ordersPerMinute: 5_000 };
    sim = await startTestSim({ rateLimits: limits });
    broker = brokerFor(sim, { requestTimeoutMs: 400, rateLimits: limits });
    await broker.connect();
    const { control } = sim;
    const limitPrice = Math.round(control.price('NSE:INFY') * 0.9);
    const order = (clientOrderId: string): OrderRequest => ({
      symbol: 'INFY',
      exchange: 'NSE',
      product: 'MIS',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice,
      clientOrderId,
    });
    const post = { method: 'POST', path: '/orders' } as const;
    const faults: Array<[string, () => void]> = [
      ['answer lost, connection held', () => control.loseNextResponse({ ...post, mode: 'hang' })],
      ['answer lost, connection reset', () => control.loseNextResponse({ ...post, mode: 'reset' })],
      ['request reset before processing', () => control.dropNextRequest(post)],
      ['answer later than the timeout', () => control.delayNextRequest(700, post)],
      ['slow answer', () => control.delayNextRequest(150, post)],
      ['503 from the gateway', () => control.failNextRequest({ ...post, status: 503, html: true })],
      ['502 on a read', () => control.failNextRequest({ method: 'GET', path: '/orders', status: 502 })],
    ];
    const random = seeded(7);
    const injected = new Map<string, number>();
    const acknowledged = new Map<number, string>();
    const unknown: number[] = [];
    const otherErrors: unknown[] = [];

    for (let start = 0; start < ORDERS; start += WAVE) {
      for (let fault = 0; fault < 3; fault++) {
        const [name, inject] = faults[Math.floor(random() * faults.length)]!;
        inject();
        injected.set(name, (injected.get(name) ?? 0) + 1);
      }
      if (start === ORDERS / 2) control.dropConnections();
      await Promise.all(
        Array.from({ length: Math.min(WAVE, ORDERS - start) }, async (_, offset) => {
          const index = start + offset;
          try {
            const ack = await broker!.placeOrder(order(`run-${index}`));
            acknowledged.set(index, ack.orderId);
          } catch (error) {
            if (OrderOutcomeUnknownError.isInstance(error) && error.clientOrderId === `run-${index}`)
              unknown.push(index);
            else otherErrors.push(error);
          }
        }),
      );
    }
    expect(otherErrors).toEqual([]);

    // Resolve each unknown outcome by its tag once the simulator is quiet; only an order that is not
    // at the broker is placed again, under a new client order id.
    control.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    let replaced = 0;
    for (const index of unknown) {
      const found = await broker.findOrderByClientOrderId(`run-${index}`);
      if (found !== undefined) {
        acknowledged.set(index, found.orderId);
        continue;
      }
      const again = await broker.placeOrder(order(`run-${index}-r`));
      acknowledged.set(index, again.orderId);
      replaced++;
    }

    const atBroker = new Map<number, string[]>();
    for (const placed of control.orders()) {
      const index = Number(/^run-(\d+)(-r)?$/.exec(placed.tag ?? '')?.[1]);
      atBroker.set(index, [...(atBroker.get(index) ?? []), placed.order_id]);
    }
    const lost = Array.from({ length: ORDERS }, (_, index) => index).filter((index) => !atBroker.has(index));
    const duplicated = [...atBroker].filter(([, ids]) => ids.length > 1);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(control.orders()).toHaveLength(ORDERS);
    for (const [index, orderId] of acknowledged) expect(atBroker.get(index)).toEqual([orderId]);
    expect(acknowledged.size).toBe(ORDERS);
    // The faults did happen: some answers were lost, some requests never arrived.
    expect(unknown.length + replaced).toBeGreaterThan(0);
    expect(replaced).toBeGreaterThan(0);
    console.info(
      `500-order run: ${unknown.length} unknown outcomes resolved by tag (${unknown.length - replaced} found, ${replaced} never arrived and were placed again); faults: ${JSON.stringify(Object.fromEntries(injected))}`,
    );
  }, 180_000);
});
