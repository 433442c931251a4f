import assert from 'node:assert/strict';
import { InvalidOrderError } from '../../errors/invalid-order-error.js';
import { NotSupportedError } from '../../errors/not-supported-error.js';
import { marginImpactSchema } from '../../schemas/margin-impact.js';
import { orderOf, rejectsWith, type SuiteContext } from '../suite-context.js';

/** Margin preview has the contract's shape and places nothing; without it, NotSupportedError. */
export function marginTests(context: SuiteContext): void {
  const group = 'margin preview';
  const caps = context.capabilities;
  if (!caps.marginPreview) {
    context.declare(group, 'getOrderMarginImpact is NotSupportedError when not declared', async (harness) => {
      await rejectsWith(
        harness.broker.getOrderMarginImpact(
          orderOf(harness, { side: 'BUY', quantity: harness.fixtures.quantity, orderType: 'MARKET' }),
        ),
        NotSupportedError,
        'margin preview',
      );
    });
    return;
  }
  const marketDeclared = {
    met: caps.orderTypes.includes('MARKET'),
    reason: 'capabilities do not declare MARKET orders',
  };
  context.declare(
    group,
    'getOrderMarginImpact returns initial and maintenance margin without placing the order',
    async (harness) => {
      const { broker, fixtures } = harness;
      const positionsBefore = await broker.getOpenPositions();
      const impact = await broker.getOrderMarginImpact(
        orderOf(harness, { side: 'BUY', quantity: fixtures.quantity, orderType: 'MARKET' }),
      );
      const parsed = marginImpactSchema.safeParse(impact);
      assert.ok(parsed.success, `margin impact shape: ${parsed.success ? '' : parsed.error.message}`);
      assert.ok(impact.initialMargin > 0, 'a buy needs some initial margin');
      assert.ok(impact.maintenanceMargin >= 0);
      assert.ok(
        impact.maintenanceMargin <= impact.initialMargin + 1e-9,
        'maintenance does not exceed initial',
      );
      assert.ok(Array.isArray(impact.warnings));
      const doubled = await broker.getOrderMarginImpact(
        orderOf(harness, { side: 'BUY', quantity: fixtures.quantity * 2, orderType: 'MARKET' }),
      );
      assert.ok(doubled.initialMargin > impact.initialMargin, 'twice the quantity needs more margin');
      assert.deepEqual(await broker.getOpenOrders(), [], 'no order was placed');
      assert.deepEqual(await broker.getOpenPositions(), positionsBefore, 'positions are unchanged');
    },
    { requires: [marketDeclared] },
  );
  context.declare(group, 'getOrderMarginImpact validates its input', async (harness) => {
    await rejectsWith(
      harness.broker.getOrderMarginImpact(
        orderOf(harness, { side: 'BUY', quantity: 0, orderType: 'MARKET' }),
      ),
      InvalidOrderError,
      'zero quantity',
    );
  });
}
