/**
 * The message catalogue: every message id the simulator reads or writes, with the version field
 * each message carries at server version 193 (protocol doc 2.1, 2.3). Source: `@stoqey/ib` 1.6.7
 * `encoder.ts` / `in-msg-id.ts` and IB's Java reference client at the same version.
 */

/** Ids of client -> server messages. */
export const ClientMessageId = {
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  PLACE_ORDER: 3,
  CANCEL_ORDER: 4,
  REQ_OPEN_ORDERS: 5,
  REQ_ACCOUNT_DATA: 6,
  REQ_EXECUTIONS: 7,
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  SET_SERVER_LOGLEVEL: 14,
  REQ_AUTO_OPEN_ORDERS: 15,
  REQ_ALL_OPEN_ORDERS: 16,
  REQ_MANAGED_ACCTS: 17,
  CANCEL_HISTORICAL_DATA: 25,
  REQ_CURRENT_TIME: 49,
  REQ_GLOBAL_CANCEL: 58,
  REQ_MARKET_DATA_TYPE: 59,
  REQ_POSITIONS: 61,
  REQ_ACCOUNT_SUMMARY: 62,
  CANCEL_ACCOUNT_SUMMARY: 63,
  CANCEL_POSITIONS: 64,
  START_API: 71,
} as const;
export type ClientMessageId = (typeof ClientMessageId)[keyof typeof ClientMessageId];

/** Ids of server -> client messages. */
export const ServerMessageId = {
  TICK_PRICE: 1,
  TICK_SIZE: 2,
  ORDER_STATUS: 3,
  ERR_MSG: 4,
  OPEN_ORDER: 5,
  ACCT_VALUE: 6,
  PORTFOLIO_VALUE: 7,
  ACCT_UPDATE_TIME: 8,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  EXECUTION_DATA: 11,
  MANAGED_ACCTS: 15,
  TICK_GENERIC: 45,
  TICK_STRING: 46,
  CURRENT_TIME: 49,
  CONTRACT_DATA_END: 52,
  OPEN_ORDER_END: 53,
  ACCT_DOWNLOAD_END: 54,
  EXECUTION_DATA_END: 55,
  TICK_SNAPSHOT_END: 57,
  MARKET_DATA_TYPE: 58,
  COMMISSION_REPORT: 59,
  POSITION_DATA: 61,
  POSITION_END: 62,
  ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64,
  TICK_REQ_PARAMS: 81,
} as const;
export type ServerMessageId = (typeof ServerMessageId)[keyof typeof ServerMessageId];

/** One catalogue row. */
export interface MessageDescriptor {
  id: number;
  name: string;
  /**
   * The version field written right after the id at server version 193, or `undefined` when
   * the message has none at that version.
   */
  version: number | undefined;
}

const describe = (ids: Record<string, number>, versions: Record<string, number>) => {
  const byId = new Map<number, MessageDescriptor>();
  for (const [name, id] of Object.entries(ids)) byId.set(id, { id, name, version: versions[name] });
  return byId;
};

/** Client -> server messages by id (the simulator accepts exactly these). */
export const CLIENT_MESSAGES: ReadonlyMap<number, MessageDescriptor> = describe(ClientMessageId, {
  REQ_MKT_DATA: 11,
  CANCEL_MKT_DATA: 1,
  REQ_OPEN_ORDERS: 1,
  REQ_ACCOUNT_DATA: 2,
  REQ_EXECUTIONS: 3,
  REQ_IDS: 1,
  REQ_CONTRACT_DATA: 8,
  SET_SERVER_LOGLEVEL: 1,
  REQ_AUTO_OPEN_ORDERS: 1,
  REQ_ALL_OPEN_ORDERS: 1,
  REQ_MANAGED_ACCTS: 1,
  CANCEL_HISTORICAL_DATA: 1,
  REQ_CURRENT_TIME: 1,
  REQ_MARKET_DATA_TYPE: 1,
  REQ_POSITIONS: 1,
  REQ_ACCOUNT_SUMMARY: 1,
  CANCEL_ACCOUNT_SUMMARY: 1,
  CANCEL_POSITIONS: 1,
  START_API: 2,
});

/** Server -> client messages by id. */
export const SERVER_MESSAGES: ReadonlyMap<number, MessageDescriptor> = describe(ServerMessageId, {
  TICK_PRICE: 6,
  TICK_SIZE: 6,
  ERR_MSG: 2,
  ACCT_VALUE: 2,
  PORTFOLIO_VALUE: 8,
  ACCT_UPDATE_TIME: 1,
  NEXT_VALID_ID: 1,
  MANAGED_ACCTS: 1,
  TICK_GENERIC: 6,
  TICK_STRING: 6,
  CURRENT_TIME: 1,
  CONTRACT_DATA_END: 1,
  OPEN_ORDER_END: 1,
  ACCT_DOWNLOAD_END: 1,
  EXECUTION_DATA_END: 1,
  TICK_SNAPSHOT_END: 1,
  MARKET_DATA_TYPE: 1,
  COMMISSION_REPORT: 1,
  POSITION_DATA: 3,
  POSITION_END: 1,
  ACCOUNT_SUMMARY: 1,
  ACCOUNT_SUMMARY_END: 1,
});

/** Name of a server message id (`OPEN_ORDER`), for logs and test failure messages. */
export function serverMessageName(id: number): string {
  return SERVER_MESSAGES.get(id)?.name ?? `UNKNOWN_${id}`;
}

/** Name of a client message id (`PLACE_ORDER`). */
export function clientMessageName(id: number): string {
  return CLIENT_MESSAGES.get(id)?.name ?? `UNKNOWN_${id}`;
}
