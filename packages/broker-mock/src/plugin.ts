import { defineBrokerPlugin } from '@brokerkit/core';
import { mockCapabilities } from './capabilities.js';
import { type MockBrokerConfig, mockConfigFromEnv, mockConfigSchema } from './config.js';
import { MockBroker } from './mock-broker.js';

/**
 * The mock broker plugin. `createBroker({ broker: 'mock' })` (or `'Mock'`, `'MockBroker'`, or
 * `USE_MOCK_BROKER=true` with `BrokerFactory.fromEnv()`) creates a `MockBroker`.
 */
export const plugin = defineBrokerPlugin<MockBrokerConfig>({
  id: 'mock',
  displayName: 'Mock broker',
  aliases: ['Mock', 'MockBroker'],
  configSchema: mockConfigSchema,
  capabilities: mockCapabilities,
  envPrefix: 'MOCK_',
  configFromEnv: mockConfigFromEnv,
  create: (config, options) => new MockBroker(config, options),
});
