export { AuthenticationError, type AuthenticationErrorOptions } from './authentication-error.js';
export { BrokerAPIError, type BrokerAPIErrorOptions } from './broker-api-error.js';
export { BrokerConnectionError, type BrokerConnectionErrorOptions } from './broker-connection-error.js';
export { BrokerError, type BrokerErrorCode, type BrokerErrorOptions } from './broker-error.js';
export { BrokerTimeoutError, type BrokerTimeoutErrorOptions } from './broker-timeout-error.js';
export { InsufficientFundsError, type InsufficientFundsErrorOptions } from './insufficient-funds-error.js';
export { InvalidConfigError, type InvalidConfigErrorOptions } from './invalid-config-error.js';
export {
  formatIssues,
  type InputIssue,
  InvalidOrderError,
  type InvalidOrderErrorOptions,
} from './invalid-order-error.js';
export { InvalidSymbolError, type InvalidSymbolErrorOptions } from './invalid-symbol-error.js';
export { NotSupportedError, type NotSupportedErrorOptions } from './not-supported-error.js';
export { OrderNotFoundError, type OrderNotFoundErrorOptions } from './order-not-found-error.js';
export {
  OrderOutcomeUnknownError,
  type OrderOutcomeUnknownErrorOptions,
} from './order-outcome-unknown-error.js';
export { OrderRejectedError, type OrderRejectedErrorOptions } from './order-rejected-error.js';
export { PluginIncompatibleError, type PluginIncompatibleErrorOptions } from './plugin-incompatible-error.js';
export {
  PluginNotInstalledError,
  type PluginNotInstalledErrorOptions,
} from './plugin-not-installed-error.js';
export { RateLimitError, type RateLimitErrorOptions } from './rate-limit-error.js';
