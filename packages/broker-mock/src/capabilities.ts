import { type BrokerCapabilities, defineCapabilities } from '@brokerkit/core';

/**
 * What the mock supports, which is what its exchange simulator does: every asset class, the four
 * standard order types with the time-in-force values the matching engine implements (stops rest,
 * so they take DAY and GTC only), bitcoin bought by cash amount, Zerodha products on NSE/NFO
 * instruments, native modify, margin preview, pushed updates, and reconnection after a dropped
 * connection. `exchanges` is empty: any exchange of a known instrument (instruments can be added).
 */
export const mockCapabilities: BrokerCapabilities = defineCapabilities({
  assetClasses: ['STK', 'FUT', 'OPT', 'CASH', 'CRYPTO'],
  exchanges: [],
  orderTypes: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'],
  timeInForce: {
    MARKET: ['DAY', 'GTC', 'IOC', 'FOK'],
    LIMIT: ['DAY', 'GTC', 'IOC', 'FOK'],
    STOP: ['DAY', 'GTC'],
    STOP_LIMIT: ['DAY', 'GTC'],
  },
  cashQuantity: ['CRYPTO'],
  products: ['CNC', 'MIS', 'NRML'],
  modifyOrder: 'native',
  marginPreview: true,
  streamingOrderUpdates: true,
  reconnect: true,
  bracketOrders: false,
  trailingStop: false,
  rateLimits: [],
});
