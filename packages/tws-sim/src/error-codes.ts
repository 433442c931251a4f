/**
 * The TWS error and notice codes the simulator sends, with their texts (protocol doc 4.2).
 * Texts are the live-captured ones where the doc quotes them exactly (161, 200, 202, 321, 399,
 * 10147, 10148, 2104/2106/2158) and IB's code table otherwise.
 */
export const TwsErrorCode = {
  /** Approaching the message-rate limit (newer TWS builds warn with code 0). */
  RATE_WARNING: 0,
  MAX_RATE_EXCEEDED: 100,
  DUPLICATE_ORDER_ID: 103,
  CANNOT_MODIFY_FILLED_ORDER: 104,
  MODIFY_MISMATCH: 105,
  PRICE_OFF_TICK: 110,
  TIF_ORDER_TYPE_INCOMPATIBLE: 111,
  MOC_LOC_NEED_DAY: 113,
  NOT_CANCELLABLE: 161,
  NO_SECURITY_DEFINITION: 200,
  ORDER_REJECTED: 201,
  ORDER_CANCELLED: 202,
  ERROR_READING_REQUEST: 320,
  ERROR_VALIDATING_REQUEST: 321,
  ERROR_PROCESSING_REQUEST: 322,
  CLIENT_ID_IN_USE: 326,
  AUTO_BIND_CLIENT_ZERO_ONLY: 327,
  ORDER_MESSAGE_WARNING: 399,
  WHAT_IF_NEEDS_TRANSMIT: 413,
  CONNECTIVITY_LOST: 1100,
  CONNECTIVITY_RESTORED_DATA_LOST: 1101,
  CONNECTIVITY_RESTORED_DATA_MAINTAINED: 1102,
  MARKET_DATA_FARM_OK: 2104,
  HMDS_FARM_OK: 2106,
  SERVER_CONNECTIVITY_BROKEN: 2110,
  SEC_DEF_FARM_OK: 2158,
  MISSING_PARENT_ORDER: 10006,
  CANCEL_ORDER_NOT_FOUND: 10147,
  CANCEL_ORDER_NOT_CANCELLABLE: 10148,
} as const;
export type TwsErrorCode = (typeof TwsErrorCode)[keyof typeof TwsErrorCode];

/** The texts, as functions of what varies in them. */
export const TwsErrorText = {
  maxRateExceeded: () => 'Max rate of messages per second has been exceeded.',
  rateWarning: (count: number) => `Warning: Approaching max rate of 50 messages per second (${count})`,
  duplicateOrderId: () => 'Duplicate order id',
  cannotModifyFilledOrder: () => 'Cannot modify a filled order.',
  modifyMismatch: () => 'Order being modified does not match original order.',
  priceOffTick: () => 'The price does not conform to the minimum price variation for this contract.',
  tifOrderTypeIncompatible: () => 'Invalid Time in Force/Order Type combination.',
  mocLocNeedDay: () => 'The Tif option should be set to DAY for MOC and LOC orders.',
  notCancellable: (permId: number) =>
    `Cancel attempted when order is not in a cancellable state.  Order permId =${permId}`,
  noSecurityDefinition: () => 'No security definition has been found for the request',
  ambiguousContract: (description: string) =>
    `The contract description specified for ${description} is ambiguous.`,
  orderRejected: (reason: string) => `Order rejected - reason:${reason}`,
  orderCancelled: (reason = '') => `Order Canceled - reason:${reason}`,
  errorReadingRequest: (messageId: string, detail: string) =>
    `Error reading request. Message id ${messageId}. Unable to parse data. ${detail}`,
  unknownMessageId: (messageId: string) =>
    `Error reading request. Message id ${messageId}. Unsupported message id.`,
  invalidOrderType: (orderType: string) =>
    `Error validating request.-'${orderType}' : cause - Invalid order type was entered`,
  errorValidatingRequest: (cause: string) => `Error validating request.-'' : cause - ${cause}`,
  tooManyAccountSummaryRequests: () =>
    "Error processing request.-'' : cause - Maximum number of account summary requests exceeded",
  clientIdInUse: () => 'Unable to connect as the client id is already in use. Retry with a unique client id.',
  autoBindClientZeroOnly: () =>
    'Only API connections with clientId set to 0 can set the auto bind TWS orders property.',
  orderMessageWarning: (text: string) => `Order Message:\n${text}`,
  whatIfNeedsTransmit: () => 'What-if order should have the transmit flag set to true.',
  connectivityLost: () => 'Connectivity between IBKR and Trader Workstation has been lost.',
  connectivityRestoredDataLost: () => 'Connectivity between IB and TWS has been restored - data lost.',
  connectivityRestoredDataMaintained: () =>
    'Connectivity between IB and TWS has been restored - data maintained.',
  serverConnectivityBroken: () =>
    'Connectivity between TWS and server is broken. It will be restored automatically.',
  marketDataFarmOk: (farm: string) => `Market data farm connection is OK:${farm}`,
  hmdsFarmOk: (farm: string) => `HMDS data farm connection is OK:${farm}`,
  secDefFarmOk: (farm: string) => `Sec-def data farm connection is OK:${farm}`,
  missingParentOrder: () => 'Missing parent order.',
  cancelOrderNotFound: (orderId: number) => `OrderId ${orderId} that needs to be cancelled is not found.`,
  cancelOrderNotCancellable: (orderId: number, state: string) =>
    `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${state}.`,
  insufficientMargin: (equityWithLoan: number, initialMargin: number, currency: string) =>
    `YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [${equityWithLoan.toFixed(2)} ${currency}] MUST EXCEED THE INITIAL MARGIN [${initialMargin.toFixed(2)} ${currency}]`,
} as const;
