import { describe, expect, test } from 'vitest';
import type { PlaceOrderAck } from '../abstract-broker.js';
import { BrokerAPIError } from '../errors/broker-api-error.js';
import type { OrderRecord } from '../schemas/order-record.js';
import type { NormalizedOrderRequest } from '../schemas/order-request.js';
import { InMemoryBroker, inMemoryBrokerCapabilities } from './reference/in-memory-broker.js';
import { createInMemoryHarness, type InMemoryBrokerConstructor } from './reference/in-memory-harness.js';
import { runConformanceSuite } from './run-conformance-suite.js';
import type { TestFunction } from './suite-context.js';

// The suite against its reference implementation: everything declared passes.
const report = runConformanceSuite({
  name: 'in-memory reference broker',
  capabilities: inMemoryBrokerCapabilities,
  describe,
  test,
  createHarness: (options) => createInMemoryHarness(options),
});

test('the suite reports exactly the skips that the declared capabilities imply', () => {
  const skipped = report.skipped.map((skip) => skip.test).sort();
  // MARKET GTC, STOP/STOP_LIMIT with IOC/FOK are undeclared: each skips its fill test.
  expect(skipped).toEqual(
    [
      'MARKET GTC is acknowledged and ends FILLED when it can trade',
      'STOP FOK is acknowledged and ends FILLED or CANCELLED once triggered',
      'STOP IOC is acknowledged and ends FILLED or CANCELLED once triggered',
      'STOP_LIMIT FOK is acknowledged and ends FILLED or CANCELLED once triggered',
      'STOP_LIMIT IOC is acknowledged and ends FILLED or CANCELLED once triggered',
    ].sort(),
  );
  expect(report.skipped.every((skip) => skip.reason.startsWith('capabilities do not declare'))).toBe(true);
});

/** Registers the suite into a collector and runs every test, returning the names of those that failed. */
async function failuresAgainst(BrokerClass: InMemoryBrokerConstructor): Promise<string[]> {
  const collected: Array<{ name: string; fn: () => Promise<void> }> = [];
  const collect: TestFunction = (name, fn) => collected.push({ name, fn });
  runConformanceSuite({
    name: 'broken',
    capabilities: inMemoryBrokerCapabilities,
    describe: (_name, body) => body(),
    test: collect,
    createHarness: (options) => createInMemoryHarness(options, BrokerClass),
    groups: ['orders', 'rejections', 'timeouts', 'events'],
  });
  const failed: string[] = [];
  for (const { name, fn } of collected) {
    try {
      await fn();
    } catch {
      failed.push(name);
    }
  }
  return failed;
}

describe('the suite fails deliberately broken brokers', () => {
  test('a cancel that does nothing', async () => {
    class CancelDoesNothing extends InMemoryBroker {
      protected override async doCancelOrder(): Promise<boolean> {
        return true;
      }
    }
    const failed = await failuresAgainst(CancelDoesNothing);
    expect(failed).toContain('LIMIT DAY rests as SUBMITTED, is listed as open, and cancels');
    expect(failed).toContain('STOP GTC rests as SUBMITTED, is listed as open, and cancels');
  }, 60_000);

  test('a wrong error class for an unknown symbol', async () => {
    class WrongErrorClass extends InMemoryBroker {
      protected override async doPlaceOrder(order: NormalizedOrderRequest): Promise<PlaceOrderAck> {
        if (!this.market.instruments.has(order.symbol)) {
          throw new BrokerAPIError({ message: `unknown symbol ${order.symbol}` });
        }
        return super.doPlaceOrder(order);
      }
    }
    const failed = await failuresAgainst(WrongErrorClass);
    expect(failed).toEqual(['an unknown symbol is InvalidSymbolError']);
  }, 60_000);

  test('a status that jumps backwards', async () => {
    class StatusJumpsBack extends InMemoryBroker {
      protected override async doGetOrder(orderId: string): Promise<OrderRecord> {
        const record = await super.doGetOrder(orderId);
        return record.status === 'FILLED' ? { ...record, status: 'SUBMITTED' } : record;
      }
    }
    const failed = await failuresAgainst(StatusJumpsBack);
    expect(failed).toContain('LIMIT DAY is acknowledged and ends FILLED when it can trade');
    expect(failed).toContain('MARKET DAY is acknowledged and ends FILLED when it can trade');
  }, 60_000);

  test('positions that come back empty when the venue does not answer', async () => {
    class EmptyOnFailure extends InMemoryBroker {
      protected override async doGetOpenPositions() {
        return this.market.takeFault('stall') ? [] : super.doGetOpenPositions();
      }
    }
    const failed = await failuresAgainst(EmptyOnFailure);
    expect(failed).toEqual(['a read with no answer rejects with BrokerTimeoutError, never an empty result']);
  }, 60_000);

  test('capabilities that promise more than the broker does', async () => {
    class NoStopLimit extends InMemoryBroker {
      protected override async doPlaceOrder(order: NormalizedOrderRequest): Promise<PlaceOrderAck> {
        if (order.orderType === 'STOP_LIMIT') throw new BrokerAPIError({ message: 'STOP_LIMIT unsupported' });
        return super.doPlaceOrder(order);
      }
    }
    const failed = await failuresAgainst(NoStopLimit);
    expect(failed).toEqual(
      expect.arrayContaining([
        'STOP_LIMIT DAY is acknowledged and ends FILLED when it can trade',
        'STOP_LIMIT GTC rests as SUBMITTED, is listed as open, and cancels',
      ]),
    );
  }, 60_000);
});
