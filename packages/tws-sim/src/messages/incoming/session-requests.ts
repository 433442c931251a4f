import type { FieldReader } from '../../wire/fields.js';

/**
 * Requests about the session itself, each just a version field: REQ_CURRENT_TIME (49),
 * REQ_MANAGED_ACCTS (17), SET_SERVER_LOGLEVEL (14, `1 | level`, accepted and ignored), and
 * CANCEL_HISTORICAL_DATA (25), which `@stoqey/ib` sends for cancelAccountUpdatesMulti.
 */
export type SessionRequestMessage =
  | { type: 'REQ_CURRENT_TIME' }
  | { type: 'REQ_MANAGED_ACCTS' }
  | { type: 'SET_SERVER_LOGLEVEL'; level: number }
  | { type: 'CANCEL_HISTORICAL_DATA'; reqId: number };

/** Parses REQ_CURRENT_TIME after its id. */
export function parseCurrentTimeRequest(_reader: FieldReader): SessionRequestMessage {
  return { type: 'REQ_CURRENT_TIME' };
}

/** Parses REQ_MANAGED_ACCTS after its id. */
export function parseManagedAccountsRequest(_reader: FieldReader): SessionRequestMessage {
  return { type: 'REQ_MANAGED_ACCTS' };
}

/** Parses SET_SERVER_LOGLEVEL after its id. */
export function parseServerLogLevel(reader: FieldReader): SessionRequestMessage {
  reader.skip(); // version
  return { type: 'SET_SERVER_LOGLEVEL', level: reader.int() ?? 0 };
}

/** Parses CANCEL_HISTORICAL_DATA after its id. */
export function parseCancelHistoricalData(reader: FieldReader): SessionRequestMessage {
  reader.skip(); // version
  return { type: 'CANCEL_HISTORICAL_DATA', reqId: reader.int() ?? 0 };
}
