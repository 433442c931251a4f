import { type BrokerPlugin, defineBrokerPlugin } from '@brokerkit/core';
import { ibkrCapabilities } from './capabilities.js';
import { type IbkrConfig, ibkrConfigFromEnv, ibkrConfigSchema } from './config.js';
import { IbkrBroker } from './ibkr-broker.js';

/**
 * The Interactive Brokers plugin. `createBroker({ broker: 'IBKR', ... })` finds it by its id or
 * one of its aliases (`IBKR`, `InteractiveBrokers`, `IB`, any case) once this package is
 * installed; `readonly: true` in the config refuses order-changing calls before anything is sent.
 *
 * @example
 * import { createBroker } from '@brokerkit/core';
 * const broker = await createBroker({ broker: 'IBKR', host: '127.0.0.1', port: 4002, clientId: 1, accountId: 'DU123456' });
 * await broker.connect();
 * const balance = await broker.getAccountBalance();
 */
export const plugin: BrokerPlugin<IbkrConfig> = defineBrokerPlugin<IbkrConfig>({
  id: 'ibkr',
  displayName: 'Interactive Brokers',
  aliases: ['IBKR', 'InteractiveBrokers', 'IB'],
  configSchema: ibkrConfigSchema,
  capabilities: ibkrCapabilities,
  envPrefix: 'IBKR_',
  configFromEnv: ibkrConfigFromEnv,
  create: (config, options) => new IbkrBroker(config, options),
});

export default plugin;
