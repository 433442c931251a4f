import { describe, expect, test } from 'vitest';
import { createInstrument } from './instrument.js';
import { PricePath } from './price-path.js';
import { SeededRandom } from './random.js';

const fx = createInstrument({
  symbol: 'EUR',
  secType: 'CASH',
  exchange: 'IDEALPRO',
  currency: 'USD',
  tickSize: 0.00005,
  price: 1.0823,
  volatilityBps: 20,
});

const walk = (seed: number, steps: number) => {
  const path = new PricePath(fx, new SeededRandom(seed));
  const prices: number[] = [];
  for (let index = 0; index < steps; index++) {
    path.advance(true);
    prices.push(path.price);
  }
  return prices;
};

describe('PricePath', () => {
  test('a seeded random walk is reproducible and moves in whole ticks', () => {
    const prices = walk(9, 500);
    expect(prices).toEqual(walk(9, 500));
    expect(prices).not.toEqual(walk(10, 500));
    expect(new Set(prices).size).toBeGreaterThan(10);
    for (const price of prices) {
      const ticks = price / 0.00005;
      expect(Math.abs(ticks - Math.round(ticks))).toBeLessThan(1e-6);
      // Printed without binary noise.
      expect(String(price).length).toBeLessThanOrEqual(7);
    }
  });

  test('set() rounds to the tick and never goes below one tick', () => {
    const path = new PricePath(fx, new SeededRandom(1));
    path.set(1.1);
    expect(path.set(1.08231)).toBe(true);
    expect(path.price).toBe(1.0823);
    expect(path.set(1.08229)).toBe(false);
    path.set(0.000001);
    expect(path.price).toBe(0.00005);
    expect(() => path.set(-1)).toThrow(RangeError);
  });

  test('scripted prices take one step each, then the walk resumes', () => {
    const path = new PricePath(fx, new SeededRandom(1));
    path.script([1.1, 1.2, 1.15]);
    const seen: number[] = [];
    for (let index = 0; index < 3; index++) {
      path.advance(false);
      seen.push(path.price);
    }
    expect(seen).toEqual([1.1, 1.2, 1.15]);
    expect(path.scriptedRemaining).toBe(0);
    path.advance(false);
    expect(path.price).toBe(1.15);
    expect(path.step).toBe(4);
  });

  test('a script does not shift the random stream: the walk after step n is the same', () => {
    const plain = new PricePath(fx, new SeededRandom(3));
    const scripted = new PricePath(fx, new SeededRandom(3));
    scripted.script([fx.initialPrice]);
    for (let index = 0; index < 50; index++) {
      plain.advance(index > 0);
      scripted.advance(true);
    }
    expect(scripted.price).toBe(plain.price);
  });
});
