import type { BrokerOptions } from '../../abstract-broker.js';
import type { ConformanceHarness, HarnessOptions } from '../harness.js';
import { InMemoryBroker, type InMemoryBrokerConfig } from './in-memory-broker.js';
import { InMemoryMarket } from './in-memory-market.js';

/** Builds brokers for the in-memory harness; broken variants for the suite's self-tests pass their own. */
export type InMemoryBrokerConstructor = new (
  config: InMemoryBrokerConfig,
  options?: BrokerOptions,
) => InMemoryBroker;

/**
 * A conformance harness around the in-memory reference broker: one instrument, `ACME` at 100.00
 * with a 0.01 tick, 100,000 USD of cash, fills 100 ms of market time after acceptance.
 */
export async function createInMemoryHarness(
  options: HarnessOptions = {},
  BrokerClass: InMemoryBrokerConstructor = InMemoryBroker,
): Promise<ConformanceHarness> {
  const market = new InMemoryMarket([{ symbol: 'ACME', price: 100, tickSize: 0.01 }]);
  const broker = new BrokerClass(
    { market, cash: 100_000, fillDelayMs: 100, unreachable: options.unreachable ?? false },
    options.brokerOptions,
  );
  return {
    broker,
    market,
    fixtures: {
      instrument: { symbol: 'ACME' },
      price: 100,
      tickSize: 0.01,
      quantity: 10,
      invalidSymbol: 'INVALID',
      unaffordableQuantity: 1_000_000,
      fillTimeMs: 100,
    },
  };
}
