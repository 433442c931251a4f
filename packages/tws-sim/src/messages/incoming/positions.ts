import type { FieldReader } from '../../wire/fields.js';

/** REQ_POSITIONS (61) and CANCEL_POSITIONS (64), both `1`. */
export type PositionsRequestMessage = { type: 'REQ_POSITIONS' } | { type: 'CANCEL_POSITIONS' };

/** Parses REQ_POSITIONS after its id. */
export function parsePositionsRequest(_reader: FieldReader): PositionsRequestMessage {
  return { type: 'REQ_POSITIONS' };
}

/** Parses CANCEL_POSITIONS after its id. */
export function parseCancelPositions(_reader: FieldReader): PositionsRequestMessage {
  return { type: 'CANCEL_POSITIONS' };
}
