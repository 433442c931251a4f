/**
 * @brokerkit/tws-sim: a TWS / IB Gateway simulator. A loopback TCP server that speaks the TWS
 * socket API at server version 193 (what `@stoqey/ib` asks for) on top of the
 * `@brokerkit/exchange-sim` engine, with a control API for fault injection.
 *
 * @example
 * import { startTwsSim } from '@brokerkit/tws-sim';
 *
 * const sim = await startTwsSim({ clock: 'virtual', accounts: 'DU123456' });
 * // connect any TWS API client to sim.host:sim.port
 * sim.control.setPrice('AAPL', 190.25);
 * sim.control.sendNotice(1100);
 * await sim.close();
 */

export { ACCOUNT_SUMMARY_TAGS } from './account-reports.js';
export { ADMIN_ROUTES, type AdminEndpoint, startAdminEndpoint } from './admin-http.js';
export { ContractCatalogue, type ContractResolution } from './contracts/contract-catalogue.js';
export { IB_CONTRACT_METADATA, type IbContractMetadata } from './contracts/ib-contract-metadata.js';
export { CONNECTIVITY_NOTICES, type OrderSummary, type SessionSummary, TwsSimControl } from './control.js';
export { TwsErrorCode, TwsErrorText } from './error-codes.js';
export { END_MARKERS, type EndMarker, type EndMarkerPolicy, FaultState } from './fault-state.js';
export {
  CLIENT_MESSAGES,
  ClientMessageId,
  clientMessageName,
  type MessageDescriptor,
  SERVER_MESSAGES,
  ServerMessageId,
  serverMessageName,
} from './messages/catalogue.js';
export {
  type ClientMessage,
  parseClientMessage,
  UnknownMessageError,
} from './messages/incoming/parse-client-message.js';
export type { OrderFields, PlaceOrderMessage } from './messages/incoming/place-order.js';
export type { OrderLifecycle, TwsOrder, TwsOrderStatus } from './order-lifecycle.js';
export { LOOPBACK_HOSTS, TwsServer, type TwsServerOptions } from './server.js';
export type { ClientSession, PacingOptions, SessionState } from './session.js';
export { type StartTwsSimOptions, startTwsSim, type TwsSim } from './start-tws-sim.js';
export {
  FieldReader,
  formatJavaDouble,
  UNSET_DOUBLE,
  UNSET_DOUBLE_TEXT,
  UNSET_INTEGER,
} from './wire/fields.js';
export { encodeFrame, encodeHandshake, FrameDecoder, MAX_FRAME_LENGTH } from './wire/framing.js';
export { SERVER_VERSION } from './wire/handshake.js';
