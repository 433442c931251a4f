/**
 * @brokerkit/core: the broker contract. Schemas and types for every input and output, the error
 * classes, capabilities, the order status table, AbstractBroker, and the plugin registry/factory.
 *
 * @example
 * import { BrokerFactory } from '@brokerkit/core';
 * const broker = await BrokerFactory.createBroker({ broker: 'mock' });
 * await broker.connect();
 * const ack = await broker.placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' });
 */
export {
  AbstractBroker,
  type BrokerOperation,
  type BrokerOptions,
  DEFAULT_TIMEOUTS,
  type PlaceOrderAck,
} from './abstract-broker.js';
export type {
  Broker,
  BrokerEventListener,
  BrokerEventName,
  BrokerEvents,
  BrokerHealth,
  ConnectionStateEvent,
  OrderUpdateEvent,
} from './broker.js';
export {
  type BrokerCapabilities,
  capabilitiesSchema,
  defineCapabilities,
  type RateLimit,
  rateLimitSchema,
} from './capabilities.js';
export { generateClientOrderId } from './client-order-id.js';
export { CONTRACT_VERSION } from './contract-version.js';
export * from './errors/index.js';
export {
  type BrokerConfig,
  BrokerFactory,
  type CreateBrokerOptions,
  configFromEnv,
  createBroker,
  type FromEnvOptions,
} from './factory.js';
export { type BrokerLogger, silentLogger } from './logger.js';
export { canTransition, isFinalStatus, ORDER_STATUS_TRANSITIONS } from './order-status-transitions.js';
export { OrderTracker, type TrackedOrder } from './order-tracker.js';
export { importInstalledPackage } from './package-loader.js';
export {
  type BrokerPlugin,
  type BrokerPluginDefinition,
  defineBrokerPlugin,
  isBrokerPlugin,
} from './plugin.js';
export {
  BrokerRegistry,
  defaultRegistry,
  pluginPackageNames,
  type ResolvePluginOptions,
} from './registry.js';
export * from './schemas/account.js';
export * from './schemas/enums.js';
export * from './schemas/margin-impact.js';
export * from './schemas/order-record.js';
export * from './schemas/order-request.js';
export * from './schemas/order-update.js';
export { isSecretKey, redactDeep, revealSecret, Secret } from './secret.js';
export { secretSchema } from './secret-schema.js';
export { toInputIssues } from './validation.js';
