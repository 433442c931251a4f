import { type BrokerOptions, defineBrokerPlugin } from '@brokerkit/core';
import { zerodhaCapabilities } from './capabilities.js';
import { type ZerodhaConfig, zerodhaConfigFromEnv, zerodhaConfigSchema } from './config.js';
import { ZerodhaBroker } from './zerodha-broker.js';

/**
 * The Zerodha (Kite Connect) plugin. `createBroker({ broker: 'zerodha', apiKey, accessToken })`
 * finds it by id or by the aliases `Zerodha`, `Kite` and `KiteConnect`.
 *
 * @example
 * import { createBroker } from '@brokerkit/core';
 * const broker = await createBroker({ broker: 'zerodha', apiKey: 'your_api_key', accessToken: process.env.ZERODHA_ACCESS_TOKEN });
 * await broker.connect();
 * await broker.placeOrder({ symbol: 'INFY', exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 1, orderType: 'LIMIT', limitPrice: 1500 });
 */
export const plugin = defineBrokerPlugin<ZerodhaConfig>({
  id: 'zerodha',
  displayName: 'Zerodha (Kite Connect)',
  aliases: ['Zerodha', 'Kite', 'KiteConnect'],
  configSchema: zerodhaConfigSchema,
  capabilities: zerodhaCapabilities,
  envPrefix: 'ZERODHA_',
  configFromEnv: zerodhaConfigFromEnv,
  create: (config: ZerodhaConfig, options: BrokerOptions) => new ZerodhaBroker(config, options),
});
