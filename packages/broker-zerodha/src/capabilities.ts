import { type BrokerCapabilities, defineCapabilities } from '@brokerkit/core';

/** The exchanges orders can be sent to. */
export const ZERODHA_EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO', 'MCX', 'CDS'] as const;
export type ZerodhaExchange = (typeof ZERODHA_EXCHANGES)[number];

/**
 * What the Zerodha plugin supports. Kite has no GTC or FOK for regular orders, so they are not
 * declared and brokerkit refuses them with NotSupportedError before anything is sent; MARKET and
 * LIMIT take DAY and IOC, the stops (SL-M, SL) DAY. Rate limits
 * are Kite's published ones (kite-connect-api.md section 5).
 */
export const zerodhaCapabilities: BrokerCapabilities = defineCapabilities({
  assetClasses: ['STK', 'FUT', 'OPT'],
  exchanges: [...ZERODHA_EXCHANGES],
  orderTypes: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'],
  timeInForce: {
    MARKET: ['DAY', 'IOC'],
    LIMIT: ['DAY', 'IOC'],
    // Stops are DAY only: an IOC stop is refused by the venue (exchange-sim: "IOC is not accepted on
    // STOP orders"), so it is not declared and brokerkit refuses it before sending.
    STOP: ['DAY'],
    STOP_LIMIT: ['DAY'],
  },
  cashQuantity: [],
  products: ['CNC', 'MIS', 'NRML'],
  modifyOrder: 'native',
  marginPreview: true,
  streamingOrderUpdates: true,
  reconnect: true,
  bracketOrders: false,
  trailingStop: false,
  rateLimits: [
    { scope: 'orders', limit: 10, intervalMs: 1_000 },
    { scope: 'orders', limit: 400, intervalMs: 60_000 },
    { scope: 'orders', limit: 5_000, intervalMs: 86_400_000 },
    { scope: 'quotes', limit: 1, intervalMs: 1_000 },
    { scope: 'other', limit: 10, intervalMs: 1_000 },
  ],
});
