import type {
  ConformanceFault,
  ConformanceHarness,
  HarnessOptions,
  MarketController,
} from '@brokerkit/core/conformance';
import type { ExchangeSimulator } from '@brokerkit/exchange-sim';
import type { MockBrokerConfigInput } from './config.js';
import { MockBroker } from './mock-broker.js';

/** Drives the mock's simulated market: what the conformance suite (and your tests) use. */
export class MockMarketController implements MarketController {
  constructor(private readonly broker: MockBroker) {}

  setPrice(symbol: string, price: number): void {
    this.broker.simulator.setPrice(symbol, price);
  }

  advanceTime(ms: number): Promise<void> {
    return this.broker.advanceTime(ms);
  }

  /** `reject`: the venue rejects the next order. `stall`: the next request is never answered. */
  injectFault(fault: ConformanceFault): void {
    const faults = this.broker.simulator.faults;
    if (fault === 'reject') faults.rejectNextOrder('Order rejected by the mock venue (injected fault)');
    else faults.stallNextRequest();
  }

  /** The venue drops the connection; the mock goes `reconnecting` and reconnects after `reconnectDelaySeconds`. */
  async dropConnection(): Promise<void> {
    this.broker.simulator.faults.dropConnections('dropped by the market controller');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A conformance harness around a fresh mock broker, with direct access to its simulator. */
export interface MockHarness extends ConformanceHarness {
  broker: MockBroker;
  market: MockMarketController;
  simulator: ExchangeSimulator;
  cleanup(): Promise<void>;
}

/**
 * A fresh, unconnected mock broker on a virtual clock with a still market (no random walk), plus
 * its market controller and the suite's fixtures: AAPL at 225.00, 100 shares, fills 1 s of market
 * time after acceptance. `options.unreachable` makes every connect fail with BrokerConnectionError.
 *
 * @example
 * import { describe, test } from 'vitest';
 * import { runConformanceSuite } from '@brokerkit/core/conformance';
 * import plugin, { createMockHarness } from '@brokerkit/broker-mock';
 *
 * runConformanceSuite({ name: 'mock', capabilities: plugin.capabilities, describe, test, createHarness: createMockHarness });
 */
export async function createMockHarness(
  options: HarnessOptions = {},
  config: MockBrokerConfigInput = {},
): Promise<MockHarness> {
  const broker = new MockBroker(
    {
      clock: 'virtual',
      randomWalk: false,
      ...config,
      unreachable: (options.unreachable ?? false) || (config.unreachable ?? false),
    },
    options.brokerOptions,
  );
  const simulator = broker.simulator;
  const price = simulator.price('AAPL');
  const equity = simulator.balance(broker.accountId).equity;
  return {
    broker,
    market: new MockMarketController(broker),
    simulator,
    fixtures: {
      instrument: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' },
      price,
      tickSize: 0.01,
      quantity: 100,
      invalidSymbol: 'INVALID',
      // Reg-T lets equity buy twice its value in stock; ten times is out of reach.
      unaffordableQuantity: Math.ceil((equity * 10) / price),
      fillTimeMs: (config.fillDelaySeconds ?? 1) * 1_000,
    },
    async cleanup() {
      simulator.dispose();
    },
  };
}
