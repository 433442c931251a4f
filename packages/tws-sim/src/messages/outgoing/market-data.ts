import { formatDecimal, formatNumberOrEmpty } from '../../wire/fields.js';
import { ServerMessageId } from '../catalogue.js';

/** Tick type ids (protocol doc 3.3). */
export const TickType = {
  BID_SIZE: 0,
  BID: 1,
  ASK: 2,
  ASK_SIZE: 3,
  LAST: 4,
  LAST_SIZE: 5,
  HIGH: 6,
  LOW: 7,
  VOLUME: 8,
  CLOSE: 9,
  OPEN: 14,
  LAST_TIMESTAMP: 45,
  DELAYED_BID: 66,
  DELAYED_ASK: 67,
  DELAYED_LAST: 68,
  DELAYED_BID_SIZE: 69,
  DELAYED_ASK_SIZE: 70,
  DELAYED_LAST_SIZE: 71,
  DELAYED_HIGH: 72,
  DELAYED_LOW: 73,
  DELAYED_VOLUME: 74,
  DELAYED_CLOSE: 75,
  DELAYED_OPEN: 76,
  DELAYED_LAST_TIMESTAMP: 88,
} as const;
export type TickType = (typeof TickType)[keyof typeof TickType];

/**
 * TICK_PRICE (1): `6 | reqId | tickType | price | size | attrMask`, e.g. `1|6|9000|4|202.55|2|0|`
 * (real TWS). `attrMask` bit 0 canAutoExecute, bit 1 pastLimit, bit 2 preOpen.
 */
export function encodeTickPrice(
  reqId: number,
  tickType: number,
  price: number,
  size: number,
  attrMask = 0,
): string[] {
  return [
    String(ServerMessageId.TICK_PRICE),
    '6',
    String(reqId),
    String(tickType),
    formatNumberOrEmpty(price),
    formatDecimal(size),
    String(attrMask),
  ];
}

/** TICK_SIZE (2): `6 | reqId | tickType | size`, e.g. `2|6|9000|8|323886|`. */
export function encodeTickSize(reqId: number, tickType: number, size: number): string[] {
  return [String(ServerMessageId.TICK_SIZE), '6', String(reqId), String(tickType), formatDecimal(size)];
}

/** TICK_STRING (46): `6 | reqId | tickType | value`, e.g. `46|6|9000|45|1744742857|`. */
export function encodeTickString(reqId: number, tickType: number, value: string): string[] {
  return [String(ServerMessageId.TICK_STRING), '6', String(reqId), String(tickType), value];
}

/** TICK_GENERIC (45): `6 | reqId | tickType | value`. */
export function encodeTickGeneric(reqId: number, tickType: number, value: number): string[] {
  return [
    String(ServerMessageId.TICK_GENERIC),
    '6',
    String(reqId),
    String(tickType),
    formatNumberOrEmpty(value),
  ];
}

/** MARKET_DATA_TYPE (58): `1 | reqId | type`. */
export function encodeMarketDataType(reqId: number, marketDataType: number): string[] {
  return [String(ServerMessageId.MARKET_DATA_TYPE), '1', String(reqId), String(marketDataType)];
}

/**
 * TICK_REQ_PARAMS (81), no version field: `reqId | minTick | bboExchange | snapshotPermissions`.
 * (`@stoqey/ib` parses minTick with parseInt, so `0.01` reaches its users as 0.)
 */
export function encodeTickRequestParams(
  reqId: number,
  minTick: number,
  bboExchange: string,
  snapshotPermissions: number,
): string[] {
  return [
    String(ServerMessageId.TICK_REQ_PARAMS),
    String(reqId),
    formatNumberOrEmpty(minTick),
    bboExchange,
    String(snapshotPermissions),
  ];
}

/** TICK_SNAPSHOT_END (57): `1 | reqId`. */
export function encodeTickSnapshotEnd(reqId: number): string[] {
  return [String(ServerMessageId.TICK_SNAPSHOT_END), '1', String(reqId)];
}
