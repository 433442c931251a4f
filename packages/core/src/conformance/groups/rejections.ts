import assert from 'node:assert/strict';
import { InsufficientFundsError } from '../../errors/insufficient-funds-error.js';
import { InvalidOrderError } from '../../errors/invalid-order-error.js';
import { InvalidSymbolError } from '../../errors/invalid-symbol-error.js';
import { NotSupportedError } from '../../errors/not-supported-error.js';
import { OrderRejectedError } from '../../errors/order-rejected-error.js';
import type { OrderRequest } from '../../schemas/order-request.js';
import type { ConformanceHarness } from '../harness.js';
import { orderOf, rejectsWith, roundToTick, type SuiteContext, waitForStatus } from '../suite-context.js';

/**
 * Places an order the broker must refuse, and returns how: a thrown error, or (for brokers that
 * accept first and reject later, like Kite's risk checks) the REJECTED record.
 */
async function refusal(
  harness: ConformanceHarness,
  request: OrderRequest,
): Promise<{ error: unknown } | { statusMessage: string | undefined }> {
  let orderId: string;
  try {
    orderId = (await harness.broker.placeOrder(request)).orderId;
  } catch (error) {
    return { error };
  }
  const record = await waitForStatus(harness, orderId, ['REJECTED', 'FILLED', 'CANCELLED']);
  assert.equal(record.status, 'REJECTED', `expected the order to be refused, but it ended ${record.status}`);
  return { statusMessage: record.statusMessage };
}

/** Refusals arrive as the right error class, before anything is sent where the layer can know. */
export function rejectionTests(context: SuiteContext): void {
  const group = 'rejections';
  const caps = context.capabilities;
  const marketDeclared = {
    met: caps.orderTypes.includes('MARKET'),
    reason: 'capabilities do not declare MARKET orders',
  };

  context.declare(group, 'an unknown symbol is InvalidSymbolError', async (harness) => {
    const request = orderOf(harness, {
      side: 'BUY',
      quantity: harness.fixtures.quantity,
      orderType: 'LIMIT',
    });
    const limitPrice = roundToTick(harness.fixtures.price, harness.fixtures.tickSize);
    const error = await rejectsWith(
      harness.broker.placeOrder({
        ...request,
        symbol: harness.fixtures.invalidSymbol,
        limitPrice,
        tif: 'DAY',
      }),
      InvalidSymbolError,
      'unknown symbol',
    );
    assert.match((error as Error).message, new RegExp(harness.fixtures.invalidSymbol));
    assert.deepEqual(await harness.broker.getOpenOrders(), []);
  });

  context.declare(
    group,
    'an order the account cannot afford is InsufficientFundsError (or REJECTED with the reason)',
    async (harness) => {
      const outcome = await refusal(
        harness,
        orderOf(harness, {
          side: 'BUY',
          quantity: harness.fixtures.unaffordableQuantity,
          orderType: 'MARKET',
        }),
      );
      if ('error' in outcome) {
        assert.ok(
          InsufficientFundsError.isInstance(outcome.error),
          `expected InsufficientFundsError, got ${(outcome.error as Error).name}: ${(outcome.error as Error).message}`,
        );
      } else {
        assert.match(
          outcome.statusMessage ?? '',
          /(fund|margin|cash|buying power)/i,
          'the reject reason names funds',
        );
      }
    },
    { requires: [marketDeclared] },
  );

  context.declare(
    group,
    'invalid input is InvalidOrderError naming the field, and nothing is sent',
    async (harness) => {
      const { broker, fixtures } = harness;
      const cases: Array<[string, unknown]> = [
        ['limitPrice', orderOf(harness, { side: 'BUY', quantity: fixtures.quantity, orderType: 'LIMIT' })],
        ['quantity', orderOf(harness, { side: 'BUY', quantity: -1, orderType: 'MARKET' })],
        [
          'side',
          orderOf(harness, { side: 'HOLD' as 'BUY', quantity: fixtures.quantity, orderType: 'MARKET' }),
        ],
        [
          'order_type',
          {
            ...orderOf(harness, { side: 'BUY', quantity: fixtures.quantity, orderType: 'MARKET' }),
            order_type: 'MARKET',
          },
        ],
      ];
      for (const [field, request] of cases) {
        const error = (await rejectsWith(
          broker.placeOrder(request as OrderRequest),
          InvalidOrderError,
          `invalid ${field}`,
        )) as InvalidOrderError;
        assert.ok(
          error.issues.some((issue) => issue.path === field),
          `the error names ${field}: ${JSON.stringify(error.issues)}`,
        );
      }
      assert.deepEqual(await broker.getOpenOrders(), [], 'nothing reached the broker');
      assert.equal(broker.health().trackedOrders, 0, 'nothing was tracked');
    },
  );

  context.declare(
    group,
    'an undeclared order type or time in force is NotSupportedError',
    async (harness) => {
      const { broker, fixtures } = harness;
      if (!caps.trailingStop) {
        await rejectsWith(
          broker.placeOrder(
            orderOf(harness, { side: 'BUY', quantity: fixtures.quantity, orderType: 'TRAILING_STOP' }),
          ),
          NotSupportedError,
          'TRAILING_STOP without the trailingStop capability',
        );
      }
      for (const orderType of caps.orderTypes) {
        const missing = (['DAY', 'GTC', 'IOC', 'FOK'] as const).find(
          (tif) => !(caps.timeInForce[orderType] ?? []).includes(tif),
        );
        if (missing === undefined || orderType === 'TRAILING_STOP') continue;
        const price = roundToTick(fixtures.price, fixtures.tickSize);
        const prices =
          orderType === 'LIMIT'
            ? { limitPrice: price }
            : orderType === 'STOP'
              ? { stopPrice: price }
              : orderType === 'STOP_LIMIT'
                ? { stopPrice: price, limitPrice: price }
                : {};
        await rejectsWith(
          broker.placeOrder(
            orderOf(harness, {
              side: 'BUY',
              quantity: fixtures.quantity,
              orderType,
              tif: missing,
              ...prices,
            }),
          ),
          NotSupportedError,
          `${orderType} with undeclared tif ${missing}`,
        );
      }
      assert.deepEqual(await broker.getOpenOrders(), []);
    },
  );

  context.declare(
    group,
    'a venue rejection is OrderRejectedError with the reason (or REJECTED with it)',
    async (harness) => {
      await harness.market.injectFault('reject');
      const outcome = await refusal(
        harness,
        orderOf(harness, { side: 'BUY', quantity: harness.fixtures.quantity, orderType: 'MARKET' }),
      );
      if ('error' in outcome) {
        assert.ok(
          OrderRejectedError.isInstance(outcome.error),
          `expected OrderRejectedError, got ${(outcome.error as Error).name}: ${(outcome.error as Error).message}`,
        );
        assert.ok((outcome.error as OrderRejectedError).reason.length > 0, 'the reason is given');
      } else {
        assert.ok((outcome.statusMessage ?? '').length > 0, 'a REJECTED order carries the reason');
      }
    },
    { requires: [marketDeclared] },
  );
}
