/**
 * @brokerkit/broker-mock: the spec's Mock broker, in process, on `@brokerkit/exchange-sim`.
 *
 * @example
 * import { BrokerFactory } from '@brokerkit/core';
 * import '@brokerkit/broker-mock'; // or let the factory load it by name
 *
 * const broker = await BrokerFactory.createBroker({ broker: 'Mock', fillDelaySeconds: 1 });
 * await broker.connect();
 * const order = await broker.placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' });
 * order.status; // 'SUBMITTED'; FILLED one second later
 */
import { plugin } from './plugin.js';

export { mockCapabilities } from './capabilities.js';
export {
  type MockBrokerConfig,
  type MockBrokerConfigInput,
  type MockInstrument,
  mockConfigFromEnv,
  mockConfigSchema,
  mockInstrumentSchema,
} from './config.js';
export { createMockHarness, type MockHarness, MockMarketController } from './harness.js';
export { MockBroker } from './mock-broker.js';
export { plugin };
export default plugin;
