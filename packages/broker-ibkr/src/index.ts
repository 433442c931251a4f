/**
 * @brokerkit/broker-ibkr: Interactive Brokers (TWS / IB Gateway) for brokerkit, on @stoqey/ib.
 *
 * @example
 * import { createBroker } from '@brokerkit/core';
 * const broker = await createBroker({ broker: 'ibkr', port: 4002, accountId: 'DU123456' });
 * await broker.connect();
 * const ack = await broker.placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'LIMIT', limitPrice: 180 });
 */
export { ibkrCapabilities } from './capabilities.js';
export {
  type IbkrConfig,
  type IbkrConfigInput,
  ibkrConfigFromEnv,
  ibkrConfigSchema,
  ibkrReconnectSchema,
} from './config.js';
export {
  buildContract,
  CONTRACT_DEFAULTS,
  type ContractDefaults,
  type ContractRequest,
  describeCandidate,
  qualifiedContract,
} from './contract-builder.js';
export { parseExecutionTime } from './execution-time.js';
export { ACCOUNT_SUMMARY_TAGS, IbkrBroker, type IbkrBrokerInternals } from './ibkr-broker.js';
export {
  classifyIbCode,
  IBKR_ERROR_MAP,
  type IbErrorKind,
  type IbErrorMapping,
  toBrokerError,
} from './ibkr-error-map.js';
export {
  IBKR_STATUS_MAP,
  type IbOrderStatus,
  type IbStatusMapping,
  toCoreStatus,
} from './ibkr-status-map.js';
export { IB_UNSET_DOUBLE, ibDouble, isFinalWhatIf, toMarginImpact } from './margin-preview.js';
export { MessagePacer } from './message-pacer.js';
export {
  IB_ORDER_TYPE_TO_CORE,
  IB_TIF_TO_CORE,
  type IbOrderTypeMapping,
  ORDER_TYPE_TO_IB,
  TIF_TO_IB,
} from './order-type-map.js';
export { default, plugin } from './plugin.js';
