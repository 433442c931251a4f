import assert from 'node:assert/strict';
import type { OrderUpdateEvent } from '../../broker.js';
import { InvalidOrderError } from '../../errors/invalid-order-error.js';
import { OrderNotFoundError } from '../../errors/order-not-found-error.js';
import { OrderRejectedError } from '../../errors/order-rejected-error.js';
import { canTransition } from '../../order-status-transitions.js';
import type { OrderType, TimeInForce } from '../../schemas/enums.js';
import { orderRecordSchema, placeOrderResultSchema } from '../../schemas/order-record.js';
import type { OrderRequest } from '../../schemas/order-request.js';
import type { ConformanceHarness } from '../harness.js';
import { eventually, orderOf, roundToTick, type SuiteContext, waitForStatus } from '../suite-context.js';

const STANDARD_TYPES: OrderType[] = ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'];
const ALL_TIFS: TimeInForce[] = ['DAY', 'GTC', 'IOC', 'FOK'];

/** A BUY that cannot trade at the current price (limit below it, stop above it). */
function restingOrder(harness: ConformanceHarness, orderType: OrderType, tif: TimeInForce): OrderRequest {
  const { price, tickSize, quantity } = harness.fixtures;
  const below = roundToTick(price * 0.9, tickSize);
  const above = roundToTick(price * 1.1, tickSize);
  switch (orderType) {
    case 'LIMIT':
      return orderOf(harness, { side: 'BUY', quantity, orderType, tif, limitPrice: below });
    case 'STOP':
      return orderOf(harness, { side: 'BUY', quantity, orderType, tif, stopPrice: above });
    case 'STOP_LIMIT':
      return orderOf(harness, { side: 'BUY', quantity, orderType, tif, stopPrice: above, limitPrice: above });
    default:
      throw new Error(`no resting form of ${orderType}`);
  }
}

/** A BUY that trades now (market, limit above the price) or once the price rises (stops). */
function tradingOrder(harness: ConformanceHarness, orderType: OrderType, tif: TimeInForce): OrderRequest {
  const { price, tickSize, quantity } = harness.fixtures;
  const above = roundToTick(price * 1.05, tickSize);
  const trigger = roundToTick(price * 1.02, tickSize);
  switch (orderType) {
    case 'MARKET':
      return orderOf(harness, { side: 'BUY', quantity, orderType, tif });
    case 'LIMIT':
      return orderOf(harness, { side: 'BUY', quantity, orderType, tif, limitPrice: above });
    case 'STOP':
      return orderOf(harness, { side: 'BUY', quantity, orderType, tif, stopPrice: trigger });
    default:
      return orderOf(harness, {
        side: 'BUY',
        quantity,
        orderType,
        tif,
        stopPrice: trigger,
        limitPrice: above,
      });
  }
}

function collectUpdates(harness: ConformanceHarness): OrderUpdateEvent[] {
  const updates: OrderUpdateEvent[] = [];
  harness.broker.on('orderUpdate', (event) => updates.push(event));
  return updates;
}

function assertLegalSequence(updates: OrderUpdateEvent[], orderId: string): void {
  const statuses = updates
    .filter((event) => event.order.orderId === orderId)
    .map((event) => event.order.status);
  for (let index = 1; index < statuses.length; index++) {
    assert.ok(
      canTransition(statuses[index - 1]!, statuses[index]!),
      `status went ${statuses[index - 1]} -> ${statuses[index]}, which the status table forbids (${statuses.join(' -> ')})`,
    );
  }
}

/** Each declared order type x time in force: acknowledgement, resting, fill, cancel; plus modify. */
export function orderTests(context: SuiteContext): void {
  const caps = context.capabilities;
  for (const orderType of STANDARD_TYPES) {
    for (const tif of ALL_TIFS) {
      const declared =
        caps.orderTypes.includes(orderType) && (caps.timeInForce[orderType] ?? []).includes(tif);
      const group = `orders ${orderType} ${tif}`;
      const requires = [{ met: declared, reason: `capabilities do not declare ${orderType} with ${tif}` }];
      const immediate = tif === 'IOC' || tif === 'FOK';
      const isStop = orderType === 'STOP' || orderType === 'STOP_LIMIT';

      context.declare(
        group,
        isStop && immediate
          ? `${orderType} ${tif} is acknowledged and ends FILLED or CANCELLED once triggered`
          : `${orderType} ${tif} is acknowledged and ends FILLED when it can trade`,
        async (harness) => {
          const { broker, fixtures, market } = harness;
          const updates = collectUpdates(harness);
          const request = tradingOrder(harness, orderType, tif);
          const ack = await broker.placeOrder(request);
          const parsed = placeOrderResultSchema.safeParse(ack);
          assert.ok(parsed.success, `acknowledgement shape: ${parsed.success ? '' : parsed.error.message}`);
          assert.ok(
            ['PENDING', 'SUBMITTED', 'PARTIALLY_FILLED', 'FILLED'].includes(ack.status),
            `ack status ${ack.status}`,
          );
          if (isStop)
            await market.setPrice(
              fixtures.instrument.symbol,
              roundToTick(fixtures.price * 1.04, fixtures.tickSize),
            );
          if (isStop && immediate) {
            // Once triggered, an immediate stop trades what it can and cancels the rest.
            const record = await waitForStatus(harness, ack.orderId, ['FILLED', 'CANCELLED']);
            assert.ok(orderRecordSchema.safeParse(record).success, 'order record shape');
            assertLegalSequence(updates, ack.orderId);
            return;
          }
          const record = await waitForStatus(harness, ack.orderId, ['FILLED']);
          assert.ok(orderRecordSchema.safeParse(record).success, 'order record shape');
          assert.equal(record.filledQuantity, fixtures.quantity);
          assert.ok((record.averageFillPrice ?? 0) > 0, 'averageFillPrice is set once filled');
          assert.equal(record.clientOrderId, ack.clientOrderId);
          assertLegalSequence(updates, ack.orderId);
        },
        { requires },
      );

      // Market orders never rest; an immediate stop's resting phase is its trigger wait, tested above.
      if (orderType === 'MARKET' || (isStop && immediate)) continue;

      context.declare(
        group,
        immediate
          ? `${orderType} ${tif} that cannot trade at once ends CANCELLED with nothing filled`
          : `${orderType} ${tif} rests as SUBMITTED, is listed as open, and cancels`,
        async (harness) => {
          const { broker } = harness;
          const updates = collectUpdates(harness);
          const request = restingOrder(harness, orderType, tif);
          const ack = await broker.placeOrder(request);
          if (immediate) {
            const record = await waitForStatus(harness, ack.orderId, ['CANCELLED']);
            assert.equal(record.filledQuantity, 0);
            assertLegalSequence(updates, ack.orderId);
            return;
          }
          await harness.market.advanceTime(harness.fixtures.fillTimeMs * 2);
          const record = await broker.getOrder(ack.orderId);
          assert.equal(record.status, 'SUBMITTED', 'a resting order stays SUBMITTED');
          assert.equal(record.filledQuantity, 0);
          assert.equal(record.orderType, orderType);
          assert.equal(record.tif, tif);
          assert.equal(record.side, 'BUY');
          assert.equal(record.symbol, request.symbol);
          if (request.limitPrice !== undefined) assert.equal(record.limitPrice, request.limitPrice);
          if (request.stopPrice !== undefined) assert.equal(record.stopPrice, request.stopPrice);
          const open = await broker.getOpenOrders();
          assert.ok(
            open.some((order) => order.orderId === ack.orderId),
            'getOpenOrders lists the resting order',
          );
          assert.equal(
            await broker.cancelOrder(ack.orderId),
            true,
            'cancelOrder resolves true for a working order',
          );
          await waitForStatus(harness, ack.orderId, ['CANCELLED']);
          await eventually(harness, 'the cancelled order leaves getOpenOrders', async () =>
            (await broker.getOpenOrders()).every((order) => order.orderId !== ack.orderId),
          );
          assertLegalSequence(updates, ack.orderId);
        },
        { requires },
      );
    }
  }

  const group = 'order management';
  const restingLimit = [
    { met: caps.orderTypes.includes('LIMIT'), reason: 'capabilities do not declare LIMIT orders' },
    {
      met: (caps.timeInForce.LIMIT ?? []).some((tif) => tif === 'DAY' || tif === 'GTC'),
      reason: 'capabilities declare no resting (DAY or GTC) LIMIT orders',
    },
  ];
  const restingTif = (): TimeInForce => ((caps.timeInForce.LIMIT ?? []).includes('DAY') ? 'DAY' : 'GTC');
  const canModify = { met: caps.modifyOrder !== 'none', reason: 'capabilities declare modifyOrder: none' };

  context.declare(
    group,
    'modifyOrder changes the limit price and quantity of a working order and keeps its id',
    async (harness) => {
      const { broker, fixtures } = harness;
      const ack = await broker.placeOrder(restingOrder(harness, 'LIMIT', restingTif()));
      await harness.market.advanceTime(fixtures.fillTimeMs);
      const newPrice = roundToTick(fixtures.price * 0.8, fixtures.tickSize);
      const repriced = await broker.modifyOrder(ack.orderId, { limitPrice: newPrice });
      assert.equal(
        repriced.orderId,
        ack.orderId,
        caps.modifyOrder === 'native' ? 'same id after modify' : 'id',
      );
      assert.equal(repriced.limitPrice, newPrice);
      const resized = await broker.modifyOrder(ack.orderId, { quantity: fixtures.quantity * 2 });
      assert.equal(resized.quantity, fixtures.quantity * 2);
      const record = await broker.getOrder(ack.orderId);
      assert.equal(record.limitPrice, newPrice);
      assert.equal(record.quantity, fixtures.quantity * 2);
      assert.equal(record.status, 'SUBMITTED');
    },
    { requires: [...restingLimit, canModify] },
  );

  context.declare(
    group,
    'a filled order cannot be cancelled (false) or modified',
    async (harness) => {
      const { broker, fixtures } = harness;
      const ack = await broker.placeOrder(
        orderOf(harness, { side: 'BUY', quantity: fixtures.quantity, orderType: 'MARKET' }),
      );
      await waitForStatus(harness, ack.orderId, ['FILLED']);
      assert.equal(
        await broker.cancelOrder(ack.orderId),
        false,
        'cancelOrder of a filled order resolves false',
      );
      if (caps.modifyOrder !== 'none') {
        const limitPrice = roundToTick(fixtures.price * 0.9, fixtures.tickSize);
        await assert.rejects(broker.modifyOrder(ack.orderId, { limitPrice }), (error: unknown) => {
          assert.ok(
            InvalidOrderError.isInstance(error) || OrderRejectedError.isInstance(error),
            `modify of a filled order: expected InvalidOrderError or OrderRejectedError, got ${(error as Error).name}`,
          );
          return true;
        });
      }
      assert.equal(await broker.getOrderStatus(ack.orderId), 'FILLED');
    },
    {
      requires: [
        { met: caps.orderTypes.includes('MARKET'), reason: 'capabilities do not declare MARKET orders' },
      ],
    },
  );

  context.declare(group, 'unknown order ids give OrderNotFoundError', async ({ broker }) => {
    for (const [what, call] of [
      ['getOrder', () => broker.getOrder('999999999')],
      ['getOrderStatus', () => broker.getOrderStatus('999999999')],
      ['cancelOrder', () => broker.cancelOrder('999999999')],
    ] as const) {
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(
          OrderNotFoundError.isInstance(error),
          `${what}: expected OrderNotFoundError, got ${(error as Error).name}`,
        );
        return true;
      });
    }
  });
}
