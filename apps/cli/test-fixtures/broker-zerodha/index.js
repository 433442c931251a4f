import { AbstractBroker, AuthenticationError, defineBrokerPlugin } from '@brokerkit/core';

const capabilities = {
  assetClasses: ['STK'],
  exchanges: ['NSE'],
  orderTypes: ['MARKET'],
  timeInForce: { MARKET: ['DAY'] },
  cashQuantity: [],
  products: ['CNC'],
  modifyOrder: 'none',
  marginPreview: false,
  streamingOrderUpdates: false,
  reconnect: false,
  bracketOrders: false,
  trailingStop: false,
  rateLimits: [],
};

class FixtureZerodhaBroker extends AbstractBroker {
  id = 'zerodha';
  capabilities = plugin.capabilities;
  async doConnect() {}
  async doDisconnect() {}
}

export const plugin = defineBrokerPlugin({
  id: 'zerodha',
  displayName: 'Zerodha (test fixture)',
  aliases: ['Zerodha'],
  envPrefix: 'ZERODHA_',
  configFromEnv: (env) => ({
    ...(env.ZERODHA_API_KEY === undefined ? {} : { apiKey: env.ZERODHA_API_KEY }),
    ...(env.ZERODHA_API_SECRET === undefined ? {} : { apiSecret: env.ZERODHA_API_SECRET }),
    ...(env.ZERODHA_ACCESS_TOKEN === undefined ? {} : { accessToken: env.ZERODHA_ACCESS_TOKEN }),
  }),
  configSchema: { safeParse: (value) => ({ success: true, data: value }) },
  capabilities,
  create: (_config, options) => new FixtureZerodhaBroker(options),
});

export default plugin;

/** Kite's login page for an app. */
export function loginUrl({ apiKey }) {
  return `https://kite.zerodha.com/connect/login?v=3&api_key=${apiKey}`;
}

/** Exchanges a request token; this fixture accepts only "goodtoken". */
export async function createSession({ apiKey, apiSecret, requestToken }) {
  if (requestToken !== 'goodtoken' || apiSecret !== 'kite-secret-value') {
    throw new AuthenticationError({ message: 'Token is invalid or has expired.', broker: 'zerodha' });
  }
  return { accessToken: `tok-supersecret-${apiKey}`, userId: 'AB1234', userName: 'Test Trader' };
}
