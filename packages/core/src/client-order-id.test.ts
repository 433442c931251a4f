import { describe, expect, test } from 'vitest';
import { generateClientOrderId } from './client-order-id.js';
import { clientOrderIdSchema } from './schemas/order-request.js';

describe('generateClientOrderId', () => {
  test('ids are unique, valid client order ids, and fit Kite tags (20 characters)', () => {
    const ids = Array.from({ length: 50_000 }, () => generateClientOrderId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [ids[0]!, ids.at(-1)!]) {
      expect(id.length).toBeLessThanOrEqual(20);
      expect(clientOrderIdSchema.safeParse(id).success).toBe(true);
    }
  });
});
