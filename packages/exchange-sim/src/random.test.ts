import { describe, expect, test } from 'vitest';
import { hashString, SeededRandom } from './random.js';

describe('SeededRandom', () => {
  test('the same seed gives the same sequence, a different seed a different one', () => {
    const draw = (seed: number | string) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => random.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw('alpha')).toEqual(draw('alpha'));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw('alpha')).not.toEqual(draw('beta'));
  });

  test('next() stays in [0, 1) and nextInt() in [0, bound)', () => {
    const random = new SeededRandom(7);
    for (let index = 0; index < 10_000; index++) {
      const value = random.next();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      const integer = random.nextInt(6);
      expect(Number.isInteger(integer) && integer >= 0 && integer < 6).toBe(true);
    }
    expect(() => random.nextInt(0)).toThrow(RangeError);
  });

  test('normal() has mean ~0 and variance ~1', () => {
    const random = new SeededRandom(11);
    const samples = Array.from({ length: 20_000 }, () => random.normal());
    const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
    const variance = samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / samples.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  test('fork() gives an independent stream without consuming from the parent', () => {
    const parent = new SeededRandom(5);
    const reference = new SeededRandom(5);
    const child = parent.fork('SMART:AAPL');
    child.next();
    expect(parent.nextUint32()).toBe(reference.nextUint32());
    expect(new SeededRandom(5).fork('SMART:AAPL').nextUint32()).toBe(
      new SeededRandom(5).fork('SMART:AAPL').nextUint32(),
    );
    expect(new SeededRandom(5).fork('a').nextUint32()).not.toBe(new SeededRandom(5).fork('b').nextUint32());
  });

  test('chance() honours 0 and 1 and is close to the rate in between', () => {
    const random = new SeededRandom(3);
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
    let hits = 0;
    for (let index = 0; index < 10_000; index++) if (random.chance(0.25)) hits++;
    expect(hits / 10_000).toBeGreaterThan(0.23);
    expect(hits / 10_000).toBeLessThan(0.27);
  });

  test('hashString is FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });

  test('rejects non-finite seeds', () => {
    expect(() => new SeededRandom(Number.NaN)).toThrow(RangeError);
  });
});
