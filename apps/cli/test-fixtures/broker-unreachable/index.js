import { connect } from 'node:net';
import { AbstractBroker, BrokerAPIError, defineBrokerPlugin } from '@brokerkit/core';

const capabilities = {
  assetClasses: ['STK'],
  exchanges: [],
  orderTypes: ['MARKET', 'LIMIT'],
  timeInForce: { MARKET: ['DAY'], LIMIT: ['DAY', 'GTC'] },
  cashQuantity: [],
  products: [],
  modifyOrder: 'native',
  marginPreview: true,
  streamingOrderUpdates: false,
  reconnect: false,
  bracketOrders: false,
  trailingStop: false,
  rateLimits: [],
};

const unsupported = () => {
  throw new BrokerAPIError({ message: 'not reachable in this fixture' });
};

class UnreachableBroker extends AbstractBroker {
  id = 'unreachable';
  capabilities = plugin.capabilities;

  constructor(config, options) {
    super(options);
    this.config = config;
  }

  connectionHint() {
    return `is anything listening on ${this.config.host}:${this.config.port}?`;
  }

  doConnect() {
    return new Promise((resolve, reject) => {
      const socket = connect(this.config.port, this.config.host);
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
  }

  async doDisconnect() {}
  doGetAccountBalance = unsupported;
  doGetOpenPositions = unsupported;
  doPlaceOrder = unsupported;
  doGetOrder = unsupported;
  doGetOpenOrders = unsupported;
  doCancelOrder = unsupported;
  doModifyOrder = unsupported;
  doGetOrderMarginImpact = unsupported;
}

export const plugin = defineBrokerPlugin({
  id: 'unreachable',
  displayName: 'Unreachable (test fixture)',
  aliases: [],
  configSchema: {
    safeParse: (value) => ({ success: true, data: { host: '127.0.0.1', port: 9, ...value } }),
  },
  capabilities,
  create: (config, options) => new UnreachableBroker(config, options),
});

export default plugin;
