import type { FieldReader } from '../../wire/fields.js';

/** IB's `ExecutionFilter`; empty strings and an undefined client id match everything. */
export interface ExecutionFilterFields {
  clientId: number | undefined;
  accountCode: string;
  /** `yyyymmdd-hh:mm:ss` (UTC) or `yyyymmdd hh:mm:ss [zone]`: executions at or after it. */
  time: string;
  symbol: string;
  secType: string;
  exchange: string;
  /** `BUY` or `SELL`. */
  side: string;
}

/** REQ_EXECUTIONS (7): `3 | reqId | clientId | acctCode | time | symbol | secType | exchange | side`. */
export interface ExecutionsRequestMessage {
  type: 'REQ_EXECUTIONS';
  reqId: number;
  filter: ExecutionFilterFields;
}

/** Parses REQ_EXECUTIONS after its id. */
export function parseExecutionsRequest(reader: FieldReader): ExecutionsRequestMessage {
  reader.skip(); // version
  const reqId = reader.int() ?? 0;
  const filter: ExecutionFilterFields = {
    clientId: reader.int(),
    accountCode: reader.string(),
    time: reader.string(),
    symbol: reader.string(),
    secType: reader.string(),
    exchange: reader.string(),
    side: reader.string(),
  };
  return { type: 'REQ_EXECUTIONS', reqId, filter };
}
