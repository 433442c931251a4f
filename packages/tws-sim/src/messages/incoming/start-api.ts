import type { FieldReader } from '../../wire/fields.js';

/** START_API (71): `2 | clientId | optionalCapabilities`. */
export interface StartApiMessage {
  type: 'START_API';
  clientId: number;
  optionalCapabilities: string;
}

/** Parses START_API after its id. A missing client id reads as 0, as TWS treats it. */
export function parseStartApi(reader: FieldReader): StartApiMessage {
  reader.skip(); // version
  const clientId = reader.int() ?? 0;
  return { type: 'START_API', clientId, optionalCapabilities: reader.optionalString() ?? '' };
}
