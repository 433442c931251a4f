import { type BrokerCapabilities, defineCapabilities } from '@brokerkit/core';

/**
 * What the IBKR plugin supports. Stops rest until triggered, so they take DAY or GTC only (IB
 * and tws-sim refuse IOC/FOK on them). FOK is not declared: TWS turns a FOK order on a US stock
 * `Inactive` at once, fillable or not (ibkr-tws-protocol.md 3, capture `api_ioc_fok_aapl`), so it
 * would not do what FOK promises; IOC does. BUY by cash amount (`cashQty`) is IB's crypto form
 * (section 9.4). IB's message budget is 50 messages per second per client,
 * all kinds together (section 5); the plugin paces below it.
 */
export const ibkrCapabilities: BrokerCapabilities = defineCapabilities({
  assetClasses: ['STK', 'FUT', 'OPT', 'CASH', 'CRYPTO'],
  exchanges: [],
  orderTypes: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'],
  timeInForce: {
    MARKET: ['DAY', 'GTC', 'IOC'],
    LIMIT: ['DAY', 'GTC', 'IOC'],
    STOP: ['DAY', 'GTC'],
    STOP_LIMIT: ['DAY', 'GTC'],
  },
  cashQuantity: ['CRYPTO'],
  products: [],
  modifyOrder: 'native',
  marginPreview: true,
  streamingOrderUpdates: true,
  reconnect: true,
  bracketOrders: false,
  trailingStop: false,
  rateLimits: [{ scope: 'messages', limit: 50, intervalMs: 1000 }],
});
