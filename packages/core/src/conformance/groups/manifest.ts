import assert from 'node:assert/strict';
import { capabilitiesSchema } from '../../capabilities.js';
import type { SuiteContext } from '../suite-context.js';

/** The declared capabilities are valid, are what the broker reports, and cannot be changed. */
export function manifestTests(context: SuiteContext): void {
  const group = 'manifest';
  context.declare(
    group,
    'declares valid capabilities and reports the same ones on the broker',
    async ({ broker }) => {
      assert.ok(
        capabilitiesSchema.safeParse(broker.capabilities).success,
        'broker.capabilities must match the schema',
      );
      assert.deepEqual(broker.capabilities, context.capabilities);
      for (const orderType of broker.capabilities.orderTypes) {
        assert.ok(
          (broker.capabilities.timeInForce[orderType] ?? []).length > 0,
          `orderType ${orderType} is declared but has no time-in-force values`,
        );
      }
    },
    { connect: false },
  );
  context.declare(
    group,
    'capabilities cannot be changed after creation',
    async ({ broker }) => {
      const before = JSON.stringify(broker.capabilities);
      try {
        (broker.capabilities.orderTypes as string[]).push('TRAILING_STOP');
      } catch {
        // frozen: expected
      }
      assert.equal(JSON.stringify(broker.capabilities), before);
    },
    { connect: false },
  );
}
