import { expect, test } from 'vitest';
import { OrderIdRegistry } from './order-ids.js';

test('ids are per client id, above every used id, and REQ_IDS advances them', () => {
  const ids = new OrderIdRegistry(1000);
  expect(ids.idAtConnect(1)).toBe(1000);
  expect(ids.idOnRequest(1)).toBe(1001);
  expect(ids.idOnRequest(1)).toBe(1002);
  expect(ids.isFresh(1, 999)).toBe(false);
  expect(ids.isFresh(1, 1000)).toBe(true);
  ids.markUsed(1, 1294);
  expect(ids.isFresh(1, 1294)).toBe(false);
  expect(ids.idAtConnect(1)).toBe(1295);
  expect(ids.idOnRequest(1)).toBe(1296);
  expect(ids.idAtConnect(2)).toBe(1000);
  expect(() => new OrderIdRegistry(0)).toThrow(RangeError);
});
