import { FieldFormatError, FieldReader } from '../../wire/fields.js';
import { ClientMessageId } from '../catalogue.js';
import {
  type AccountSummaryRequestMessage,
  type CancelAccountSummaryMessage,
  parseAccountSummaryRequest,
  parseCancelAccountSummary,
} from './account-summary.js';
import { type AccountUpdatesRequestMessage, parseAccountUpdatesRequest } from './account-updates.js';
import {
  type CancelOrderMessage,
  type GlobalCancelMessage,
  parseCancelOrder,
  parseGlobalCancel,
} from './cancel-order.js';
import { type ContractDetailsRequestMessage, parseContractDetailsRequest } from './contract-details.js';
import { type ExecutionsRequestMessage, parseExecutionsRequest } from './executions.js';
import {
  type CancelMarketDataMessage,
  type MarketDataRequestMessage,
  type MarketDataTypeMessage,
  parseCancelMarketData,
  parseMarketDataRequest,
  parseMarketDataType,
} from './market-data.js';
import {
  type OpenOrdersRequestMessage,
  parseAllOpenOrdersRequest,
  parseAutoOpenOrdersRequest,
  parseOpenOrdersRequest,
} from './open-orders.js';
import { type PlaceOrderMessage, parsePlaceOrder } from './place-order.js';
import { type PositionsRequestMessage, parseCancelPositions, parsePositionsRequest } from './positions.js';
import { parseRequestIds, type RequestIdsMessage } from './request-ids.js';
import {
  parseCancelHistoricalData,
  parseCurrentTimeRequest,
  parseManagedAccountsRequest,
  parseServerLogLevel,
  type SessionRequestMessage,
} from './session-requests.js';
import { parseStartApi, type StartApiMessage } from './start-api.js';

/** Every client message the simulator understands, discriminated by `type`. */
export type ClientMessage =
  | StartApiMessage
  | RequestIdsMessage
  | PlaceOrderMessage
  | CancelOrderMessage
  | GlobalCancelMessage
  | OpenOrdersRequestMessage
  | PositionsRequestMessage
  | AccountSummaryRequestMessage
  | CancelAccountSummaryMessage
  | AccountUpdatesRequestMessage
  | ContractDetailsRequestMessage
  | ExecutionsRequestMessage
  | MarketDataRequestMessage
  | CancelMarketDataMessage
  | MarketDataTypeMessage
  | SessionRequestMessage;

/** Raised for a message id the simulator does not implement (TWS answers such ids with an error). */
export class UnknownMessageError extends Error {
  override readonly name = 'UnknownMessageError';
  constructor(readonly messageId: string) {
    super(`unknown message id ${messageId}`);
  }
}

type Parser = (reader: FieldReader) => ClientMessage;

/** The parser table: message id -> parser (data, one row per message). */
const PARSERS: ReadonlyMap<number, Parser> = new Map<number, Parser>([
  [ClientMessageId.START_API, parseStartApi],
  [ClientMessageId.REQ_IDS, parseRequestIds],
  [ClientMessageId.PLACE_ORDER, parsePlaceOrder],
  [ClientMessageId.CANCEL_ORDER, parseCancelOrder],
  [ClientMessageId.REQ_GLOBAL_CANCEL, parseGlobalCancel],
  [ClientMessageId.REQ_OPEN_ORDERS, parseOpenOrdersRequest],
  [ClientMessageId.REQ_ALL_OPEN_ORDERS, parseAllOpenOrdersRequest],
  [ClientMessageId.REQ_AUTO_OPEN_ORDERS, parseAutoOpenOrdersRequest],
  [ClientMessageId.REQ_POSITIONS, parsePositionsRequest],
  [ClientMessageId.CANCEL_POSITIONS, parseCancelPositions],
  [ClientMessageId.REQ_ACCOUNT_SUMMARY, parseAccountSummaryRequest],
  [ClientMessageId.CANCEL_ACCOUNT_SUMMARY, parseCancelAccountSummary],
  [ClientMessageId.REQ_ACCOUNT_DATA, parseAccountUpdatesRequest],
  [ClientMessageId.REQ_CONTRACT_DATA, parseContractDetailsRequest],
  [ClientMessageId.REQ_EXECUTIONS, parseExecutionsRequest],
  [ClientMessageId.REQ_MKT_DATA, parseMarketDataRequest],
  [ClientMessageId.CANCEL_MKT_DATA, parseCancelMarketData],
  [ClientMessageId.REQ_MARKET_DATA_TYPE, parseMarketDataType],
  [ClientMessageId.REQ_CURRENT_TIME, parseCurrentTimeRequest],
  [ClientMessageId.REQ_MANAGED_ACCTS, parseManagedAccountsRequest],
  [ClientMessageId.SET_SERVER_LOGLEVEL, parseServerLogLevel],
  [ClientMessageId.CANCEL_HISTORICAL_DATA, parseCancelHistoricalData],
]);

/**
 * Parses one client message (the fields of one frame, index 0 being the message id).
 *
 * @throws UnknownMessageError for an id outside the catalogue.
 * @throws FieldFormatError / MessageUnderrunError for malformed fields.
 */
export function parseClientMessage(fields: readonly string[]): ClientMessage {
  const idText = fields[0] ?? '';
  if (!/^\d{1,4}$/.test(idText.trim())) throw new FieldFormatError(idText, 0);
  const parser = PARSERS.get(Number(idText));
  if (parser === undefined) throw new UnknownMessageError(idText);
  return parser(new FieldReader(fields, 1));
}
