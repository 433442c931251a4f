/**
 * @brokerkit/broker-zerodha: Zerodha (Kite Connect v3) for brokerkit, on the official `kiteconnect`
 * client. Default export: the plugin. Also the broker class, the config schema, the mapping tables
 * and the daily login helper (`createLoginUrl`, `exchangeRequestToken`, `TokenStore`).
 *
 * @example
 * import { createBroker } from '@brokerkit/core';
 * const broker = await createBroker({ broker: 'zerodha', apiKey: 'your_api_key' }); // token from the TokenStore
 * await broker.connect();
 * const ack = await broker.placeOrder({
 *   symbol: 'NIFTY26JANFUT', exchange: 'NFO', product: 'NRML', side: 'BUY', quantity: 65, orderType: 'MARKET',
 * });
 */
import { plugin } from './plugin.js';

export { ZERODHA_EXCHANGES, type ZerodhaExchange, zerodhaCapabilities } from './capabilities.js';
export {
  DEFAULT_KITE_ROOT,
  DEFAULT_KITE_TICKER_ROOT,
  rateLimitOverridesSchema,
  ZERODHA_ENV_VARIABLES,
  type ZerodhaConfig,
  type ZerodhaConfigInput,
  zerodhaConfigFromEnv,
  zerodhaConfigSchema,
} from './config.js';
export { type KiteInstrument, SEC_TYPE_FROM_INSTRUMENT_TYPE } from './instruments/kite-instrument.js';
export { defaultProduct, KITE_TAG_MAX_LENGTH, PRODUCTS_BY_EXCHANGE } from './instruments/order-checks.js';
export {
  type ExchangeRequestTokenOptions,
  exchangeRequestToken,
  type KiteSession,
} from './login/exchange-request-token.js';
export {
  createLoginUrl,
  KITE_LOGIN_URL,
  type LoginUrlOptions,
  parseRequestToken,
} from './login/login-url.js';
export { parseTokenKey, TOKEN_KEY_VARIABLE } from './login/token-key.js';
export {
  DEFAULT_TOKEN_EXPIRY_TIME,
  DEFAULT_TOKEN_FILE,
  type SessionToSave,
  type StoredSession,
  type TokenStatus,
  TokenStore,
  type TokenStoreOptions,
} from './login/token-store.js';
export {
  KITE_ERROR_RULES,
  type KiteErrorRule,
  type KiteFailureKind,
  SESSION_EXPIRED_HINT,
} from './mapping/kite-error-map.js';
export {
  KITE_ORDER_TYPE_MAP,
  KITE_VALIDITY_MAP,
  KITE_VARIETY,
  type KiteOrderTypeRule,
  ORDER_TYPE_FROM_KITE,
  TIF_FROM_KITE,
} from './mapping/kite-order-type-map.js';
export { KITE_STATUS_MAP, type KiteStatusRule, mapKiteStatus } from './mapping/kite-status-map.js';
export { KITE_RATE_LIMITS, type KiteRateLimits } from './rate-limit/kite-rate-limits.js';
export { tickerUrlFor, ZerodhaBroker } from './zerodha-broker.js';
export { plugin };
export default plugin;
