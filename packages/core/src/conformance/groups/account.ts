import assert from 'node:assert/strict';
import { accountBalanceSchema, positionSchema } from '../../schemas/account.js';
import { orderOf, type SuiteContext, waitForStatus } from '../suite-context.js';

/** Balance and positions have the contract's shape and reflect fills. */
export function accountTests(context: SuiteContext): void {
  const group = 'account and positions';
  context.declare(
    group,
    'getAccountBalance returns the contract shape with positive equity',
    async ({ broker }) => {
      const balance = await broker.getAccountBalance();
      const parsed = accountBalanceSchema.safeParse(balance);
      assert.ok(parsed.success, `balance shape: ${parsed.success ? '' : parsed.error.message}`);
      assert.ok(balance.equity > 0, 'equity should be positive on a funded account');
      for (const key of ['equity', 'cash', 'buyingPower', 'marginUsed', 'marginAvailable'] as const) {
        assert.ok(Number.isFinite(balance[key]), `${key} must be a finite number`);
      }
    },
  );
  context.declare(group, 'a filled buy shows up in getOpenPositions with its quantity', async (harness) => {
    const { broker, fixtures } = harness;
    const before = await broker.getOpenPositions();
    assert.ok(Array.isArray(before));
    for (const position of before) {
      assert.ok(positionSchema.safeParse(position).success, 'position shape');
    }
    const heldBefore = before
      .filter((position) => position.symbol === fixtures.instrument.symbol)
      .reduce((sum, position) => sum + position.quantity, 0);
    const ack = await broker.placeOrder(
      orderOf(harness, { side: 'BUY', quantity: fixtures.quantity, orderType: 'MARKET' }),
    );
    await waitForStatus(harness, ack.orderId, ['FILLED']);
    const after = await broker.getOpenPositions();
    const held = after.filter((position) => position.symbol === fixtures.instrument.symbol);
    assert.ok(held.length > 0, `a position in ${fixtures.instrument.symbol} after the fill`);
    for (const position of held) assert.ok(positionSchema.safeParse(position).success, 'position shape');
    const total = held.reduce((sum, position) => sum + position.quantity, 0);
    assert.equal(total, heldBefore + fixtures.quantity);
    assert.ok(
      held.every((position) => position.averagePrice > 0),
      'average price is set',
    );
  });
}
