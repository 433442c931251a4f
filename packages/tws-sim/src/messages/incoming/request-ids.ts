import type { FieldReader } from '../../wire/fields.js';

/** REQ_IDS (8): `1 | numIds`. TWS ignores `numIds`. */
export interface RequestIdsMessage {
  type: 'REQ_IDS';
  numIds: number;
}

/** Parses REQ_IDS after its id. */
export function parseRequestIds(reader: FieldReader): RequestIdsMessage {
  reader.skip(); // version
  return { type: 'REQ_IDS', numIds: reader.int() ?? 0 };
}
