import {
  type Broker,
  type Fill,
  generateClientOrderId,
  OrderRejectedError,
  type OrderRequest,
} from '@brokerkit/core';
import { OrderWatcher } from '../order-watcher.js';
import { withoutRaw } from '../output/record-views.js';
import type { DemoInstrument } from './demo-targets.js';

/** How long the demo waits for the market order to fill and the cancel to land. */
const SETTLE_TIMEOUT_MS = 15_000;
/** The resting limit order is placed this far below the market, so it cannot fill during the demo. */
const RESTING_DISCOUNT = 0.8;
/** ... and modified to this, still far from the market. */
const MODIFIED_DISCOUNT = 0.85;

/** One finished step of the demo: its name, how long it took, and what it returned (JSON shape). */
export interface DemoStep {
  step:
    | 'connect'
    | 'balance'
    | 'placeMarketOrder'
    | 'watchFill'
    | 'positions'
    | 'placeLimitOrder'
    | 'marginImpact'
    | 'modifyLimitOrder'
    | 'cancelLimitOrder'
    | 'disconnect';
  durationMs: number;
  [result: string]: unknown;
}

/** Receives the demo's progress as it happens. */
export interface DemoReporter {
  step(step: DemoStep): void;
  fill(fill: Fill): void;
}

/**
 * The demo session, on any broker: connect, balance, a MARKET order watched to its fill through
 * events, positions, a resting LIMIT order (priced from the fill, well below the market), a margin
 * preview, a modification and a cancellation of the limit order, disconnect. It uses only the
 * Broker contract, so the same script runs on the mock and on the simulators.
 */
export async function runDemoScript(
  broker: Broker,
  instrument: DemoInstrument,
  reporter: DemoReporter,
): Promise<DemoStep[]> {
  const steps: DemoStep[] = [];
  const record = async <T>(
    name: DemoStep['step'],
    run: () => Promise<T>,
    shape: (value: T) => object,
  ): Promise<T> => {
    const started = performance.now();
    const value = await run();
    const step = {
      step: name,
      durationMs: Math.round(performance.now() - started),
      ...shape(value),
    } as DemoStep;
    steps.push(step);
    reporter.step(step);
    return value;
  };
  const order = (fields: Partial<OrderRequest>): OrderRequest =>
    ({ ...instrument.contract, side: 'BUY', quantity: instrument.quantity, ...fields }) as OrderRequest;

  await record(
    'connect',
    () => broker.connect(),
    () => ({}),
  );
  try {
    await record(
      'balance',
      () => broker.getAccountBalance(),
      (balance) => ({ balance: withoutRaw(balance) }),
    );

    const market = order({ orderType: 'MARKET', clientOrderId: generateClientOrderId() });
    const watcher = new OrderWatcher(broker, market.clientOrderId!, (fill) => reporter.fill(fill));
    let fillPrice: number;
    try {
      const placed = await record(
        'placeMarketOrder',
        () => broker.placeOrder(market),
        (ack) => ({
          request: market,
          order: withoutRaw(ack),
        }),
      );
      const watched = await record(
        'watchFill',
        () => watcher.waitForFinal(placed.orderId, SETTLE_TIMEOUT_MS),
        (result) => ({ order: withoutRaw(result.order), fills: result.fills.map(withoutRaw) }),
      );
      if (watched.order.status !== 'FILLED' || watched.order.averageFillPrice === undefined) {
        throw new OrderRejectedError({
          message: `the demo's market order ended ${watched.order.status}${watched.timedOut ? ' (timed out)' : ''}: ${watched.order.statusMessage ?? 'no fill'}`,
          reason: watched.order.statusMessage ?? watched.order.status,
          orderId: placed.orderId,
          broker: broker.id,
        });
      }
      fillPrice = watched.order.averageFillPrice;
    } finally {
      watcher.stop();
    }

    await record(
      'positions',
      () => broker.getOpenPositions(),
      (positions) => ({ positions: positions.map(withoutRaw) }),
    );

    const limitPrice = roundToTick(fillPrice * RESTING_DISCOUNT, instrument.tickSize);
    // A resting order: GTC where the broker has it (IB), else DAY (Kite has no GTC).
    const restingTif = (broker.capabilities.timeInForce.LIMIT ?? []).includes('GTC') ? 'GTC' : 'DAY';
    const limit = order({ orderType: 'LIMIT', limitPrice, tif: restingTif });
    const resting = await record(
      'placeLimitOrder',
      () => broker.placeOrder(limit),
      (ack) => ({
        request: limit,
        order: withoutRaw(ack),
      }),
    );

    const preview = order({
      orderType: 'LIMIT',
      limitPrice,
      tif: restingTif,
      quantity: instrument.quantity * 10,
    });
    await record(
      'marginImpact',
      () => broker.getOrderMarginImpact(preview),
      (impact) => ({
        request: preview,
        marginImpact: withoutRaw(impact),
      }),
    );

    const newLimit = roundToTick(fillPrice * MODIFIED_DISCOUNT, instrument.tickSize);
    await record(
      'modifyLimitOrder',
      () => broker.modifyOrder(resting.orderId, { limitPrice: newLimit }),
      (modified) => ({
        order: withoutRaw(modified),
      }),
    );

    const cancelWatcher = new OrderWatcher(broker, resting.clientOrderId);
    try {
      await record(
        'cancelLimitOrder',
        async () => {
          const cancelled = await broker.cancelOrder(resting.orderId);
          const settled = await cancelWatcher.waitForFinal(resting.orderId, SETTLE_TIMEOUT_MS);
          return { cancelled, order: settled.order };
        },
        (result) => ({ cancelled: result.cancelled, order: withoutRaw(result.order) }),
      );
    } finally {
      cancelWatcher.stop();
    }
  } catch (error) {
    await broker.disconnect().catch(() => {});
    throw error;
  }
  await record(
    'disconnect',
    () => broker.disconnect(),
    () => ({}),
  );
  return steps;
}

function roundToTick(price: number, tick: number): number {
  const ticks = Math.max(1, Math.round(price / tick));
  // Round the product too: 0.05 * 3 is 0.15000000000000002 in floating point.
  const decimals = Math.max(0, -Math.floor(Math.log10(tick)) + 1);
  return Number((ticks * tick).toFixed(decimals));
}
