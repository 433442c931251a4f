import { describe, expect, test } from 'vitest';
import {
  assertValidMargin,
  type MarginRequirement,
  type MarginSubject,
  positionMargin,
} from './margin-model.js';

const requirement = (
  subject: MarginSubject,
  quantity: number,
  price: number,
  product?: 'CNC' | 'MIS' | 'NRML',
) => positionMargin(subject, quantity, price, product, { initial: 0, maintenance: 0 } as MarginRequirement);

describe('positionMargin', () => {
  test('Reg-T stocks: 50% initial, 25% maintenance of notional, long or short', () => {
    const stock = { margin: { kind: 'percent', initial: 0.5, maintenance: 0.25 }, multiplier: 1 } as const;
    expect(requirement(stock, 100, 200)).toEqual({ initial: 10_000, maintenance: 5_000 });
    expect(requirement(stock, -100, 200)).toEqual({ initial: 10_000, maintenance: 5_000 });
    expect(requirement(stock, 0, 200)).toEqual({ initial: 0, maintenance: 0 });
  });

  test('per-product rates: NSE delivery is cash, MIS is leveraged', () => {
    const nse = {
      margin: {
        kind: 'percent',
        initial: 1,
        maintenance: 1,
        byProduct: { MIS: { initial: 0.2, maintenance: 0.2 } },
      },
      multiplier: 1,
    } as const;
    expect(requirement(nse, 10, 1000, 'CNC').initial).toBe(10_000);
    expect(requirement(nse, 10, 1000, 'MIS').initial).toBe(2_000);
  });

  test('futures per contract and SPAN-like percent of notional', () => {
    const gold = {
      margin: { kind: 'per-contract', initial: 11_000, maintenance: 10_000 },
      multiplier: 100,
    } as const;
    expect(requirement(gold, -3, 2650)).toEqual({ initial: 33_000, maintenance: 30_000 });
    const nifty = {
      margin: { kind: 'span', spanPercent: 0.1, exposurePercent: 0.02 },
      multiplier: 1,
    } as const;
    const nfo = requirement(nifty, 65, 24_000);
    expect(nfo.initial).toBeCloseTo(65 * 24_000 * 0.12, 6);
    expect(nfo.maintenance).toBeCloseTo(65 * 24_000 * 0.1, 6);
  });

  test('options: long needs the premium, short the premium plus a percent of strike notional', () => {
    const call = {
      margin: { kind: 'option', shortInitialPercentOfStrike: 0.2, shortMaintenancePercentOfStrike: 0.2 },
      multiplier: 100,
      strike: 450,
    } as const;
    expect(requirement(call, 2, 3.5)).toEqual({ initial: 700, maintenance: 700 });
    expect(requirement(call, -2, 3.5).initial).toBeCloseTo(700 + 2 * 450 * 100 * 0.2, 6);
  });

  test('assertValidMargin names the bad field', () => {
    expect(() => assertValidMargin({ kind: 'percent', initial: -1, maintenance: 0 }, 'X')).toThrow(
      /margin.initial/,
    );
    expect(() =>
      assertValidMargin({ kind: 'span', spanPercent: Number.NaN, exposurePercent: 0 }, 'X'),
    ).toThrow(/spanPercent/);
  });
});
