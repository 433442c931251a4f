import type { FieldReader } from '../../wire/fields.js';

/** REQ_ACCOUNT_DATA (6), IB's reqAccountUpdates: `2 | subscribe | acctCode`. */
export interface AccountUpdatesRequestMessage {
  type: 'REQ_ACCOUNT_DATA';
  subscribe: boolean;
  accountCode: string;
}

/** Parses REQ_ACCOUNT_DATA after its id. */
export function parseAccountUpdatesRequest(reader: FieldReader): AccountUpdatesRequestMessage {
  reader.skip(); // version
  const subscribe = reader.bool() ?? false;
  return { type: 'REQ_ACCOUNT_DATA', subscribe, accountCode: reader.optionalString() ?? '' };
}
