import { AbstractBroker, AuthenticationError, defineBrokerPlugin } from '@brokerkit/core';

const capabilities = {
  assetClasses: ['STK'],
  exchanges: [],
  orderTypes: ['MARKET'],
  timeInForce: { MARKET: ['DAY'] },
  cashQuantity: [],
  products: [],
  modifyOrder: 'none',
  marginPreview: false,
  streamingOrderUpdates: false,
  reconnect: false,
  bracketOrders: false,
  trailingStop: false,
  rateLimits: [],
};

class ExpiredBroker extends AbstractBroker {
  id = 'expired';
  capabilities = plugin.capabilities;

  constructor(config, options) {
    super(options);
    this.config = config;
  }

  // A careless plugin: it puts the token in the message. The CLI must still never print it.
  #expired() {
    return new AuthenticationError({
      message: `access token ${this.config.accessToken} has expired`,
      sessionExpired: true,
      broker: 'expired',
    });
  }

  async doConnect() {}
  async doDisconnect() {}
  async doGetAccountBalance() {
    throw this.#expired();
  }
  async doGetOpenPositions() {
    throw this.#expired();
  }
  async doPlaceOrder() {
    throw this.#expired();
  }
  async doGetOrder() {
    throw this.#expired();
  }
  async doGetOpenOrders() {
    throw this.#expired();
  }
  async doCancelOrder() {
    throw this.#expired();
  }
  async doModifyOrder() {
    throw this.#expired();
  }
  async doGetOrderMarginImpact() {
    throw this.#expired();
  }
}

export const plugin = defineBrokerPlugin({
  id: 'expired',
  displayName: 'Expired session (test fixture)',
  aliases: [],
  envPrefix: 'EXPIRED_',
  configFromEnv: (env) =>
    env.EXPIRED_ACCESS_TOKEN === undefined ? {} : { accessToken: env.EXPIRED_ACCESS_TOKEN },
  configSchema: { safeParse: (value) => ({ success: true, data: value }) },
  capabilities,
  create: (config, options) => new ExpiredBroker(config, options),
});

export default plugin;
