import { describe, expect, test } from 'vitest';
import { FaultInjector } from './faults.js';
import { SeededRandom } from './random.js';

describe('FaultInjector', () => {
  test('forced rejections are consumed in order', () => {
    const faults = new FaultInjector(new SeededRandom(1));
    faults.rejectNextOrder('first');
    faults.rejectNextOrder('second', 2);
    expect([faults.takeOrderRejection(), faults.takeOrderRejection(), faults.takeOrderRejection()]).toEqual([
      'first',
      'second',
      'second',
    ]);
    expect(faults.takeOrderRejection()).toBeUndefined();
  });

  test('the random rejection rate is seeded: same seed, same rejections', () => {
    const run = (seed: number) => {
      const faults = new FaultInjector(new SeededRandom(seed));
      faults.setRejectionRate(0.3);
      return Array.from({ length: 200 }, () => faults.takeOrderRejection() !== undefined);
    };
    const first = run(4);
    expect(first).toEqual(run(4));
    expect(first).not.toEqual(run(5));
    const rate = first.filter(Boolean).length / first.length;
    expect(rate).toBeGreaterThan(0.2);
    expect(rate).toBeLessThan(0.4);
    expect(() => new FaultInjector(new SeededRandom(1)).setRejectionRate(1.5)).toThrow(RangeError);
  });

  test('stalls, delays and connection faults for transports', () => {
    const faults = new FaultInjector(new SeededRandom(1));
    expect(faults.requestFaultsArmed).toBe(false);
    faults.stallNextRequest();
    expect(faults.requestFaultsArmed).toBe(true);
    expect(faults.takeStall()).toBe(true);
    expect(faults.takeStall()).toBe(false);
    faults.setDelay('ack', 250);
    expect(faults.delayOf('ack')).toBe(250);
    faults.failNextConnect('nope');
    expect(faults.takeConnectFailure()).toBe('nope');
    expect(faults.takeConnectFailure()).toBeUndefined();
    faults.refuseConnections();
    expect(faults.takeConnectFailure()).toMatch(/refused/);
    expect(faults.takeConnectFailure()).toMatch(/refused/);
    faults.allowConnections();
    expect(faults.takeConnectFailure()).toBeUndefined();
    faults.refuseConnections();
    faults.reset();
    expect(faults.takeConnectFailure()).toBeUndefined();
    expect(faults.delayOf('ack')).toBe(0);
  });

  test('dropConnections notifies subscribed transports until they unsubscribe', () => {
    const faults = new FaultInjector(new SeededRandom(1));
    const reasons: string[] = [];
    const unsubscribe = faults.onDrop((reason) => reasons.push(reason));
    faults.dropConnections('cable cut');
    unsubscribe();
    faults.dropConnections('again');
    expect(reasons).toEqual(['cable cut']);
  });
});
