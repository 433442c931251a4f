/**
 * @brokerkit/kite-sim: a Kite Connect v3 simulator (HTTP API + ticker WebSocket) on loopback,
 * over the @brokerkit/exchange-sim engine, for testing code that uses the unmodified
 * `kiteconnect` client without a Zerodha account.
 *
 * @example
 * import { KiteConnect } from 'kiteconnect';
 * import { startKiteSim } from '@brokerkit/kite-sim';
 *
 * const sim = await startKiteSim({ apiKey: 'key', accessToken: 'token' });
 * const kite = new KiteConnect({ api_key: 'key', access_token: 'token', root: sim.root });
 * console.log(await kite.getProfile());
 * await sim.close();
 */
export { ADMIN_COMMANDS, ADMIN_PREFIX } from './admin/admin-endpoint.js';
export { postbackChecksum, sessionChecksum } from './auth/checksum.js';
export {
  INCORRECT_TOKEN_MESSAGE,
  INVALID_CHECKSUM_MESSAGE,
  STALE_REQUEST_TOKEN_MESSAGE,
} from './auth/session-store.js';
export { CHARGE_RATES, type KiteChargesJson } from './charges/zerodha-charges.js';
export { type FaultTarget, KiteSimControl } from './control.js';
export { KiteApiError, type KiteErrorType } from './http/kite-api-error.js';
export type { RequestFault, RequestFaultKind } from './http/request-faults.js';
export type { RateClass } from './http/router.js';
export { INSTRUMENT_CSV_COLUMNS } from './instruments/instrument-csv.js';
export { DEFAULT_INDICES, type IndexDefinition } from './instruments/instrument-table.js';
export type { KiteInstrument, KiteInstrumentType } from './instruments/kite-instrument.js';
export { type HoldingSeed, type KiteSim, type KiteSimOptions, startKiteSim } from './kite-sim.js';
export {
  FINAL_KITE_STATUSES,
  isFinalKiteStatus,
  KITE_ORDER_STATUS,
  type KiteOrderStatus,
} from './order-statuses.js';
export type { KiteOrderJson, KiteOrderUpdateJson, KiteTradeJson } from './orders/kite-order.js';
export {
  MARKET_PROTECTION_REQUIRED,
  MAX_MODIFICATIONS_EXCEEDED,
  ORDER_NOT_FOUND,
} from './orders/order-messages.js';
export { MAX_TAG_LENGTH } from './orders/order-params.js';
export type { MarginRejectionPolicy } from './orders/order-service.js';
export {
  DAILY_ORDER_CAP_EXCEEDED,
  KITE_RATE_LIMITS,
  type RateLimits,
  TOO_MANY_REQUESTS,
} from './rate-limit/rate-limiter.js';
export {
  encodeTickMessage,
  HEARTBEAT_FRAME,
  PACKET_LENGTH,
  priceDivisor,
  SEGMENT_CODE,
  type TickInMode,
} from './ticker/packet-encoder.js';
export type { DepthLevel, TickerMode, TickSnapshot } from './ticker/tick-snapshot.js';
