import type { FieldReader } from '../../wire/fields.js';

/**
 * CANCEL_ORDER (4) at server version >= 192: `orderId | manualOrderCancelTime | extOperator |
 * manualOrderIndicator` (no version field).
 */
export interface CancelOrderMessage {
  type: 'CANCEL_ORDER';
  orderId: number;
  manualOrderCancelTime: string;
}

/** REQ_GLOBAL_CANCEL (58) at server version >= 192: `extOperator | manualOrderIndicator`. */
export interface GlobalCancelMessage {
  type: 'REQ_GLOBAL_CANCEL';
}

/** Parses CANCEL_ORDER after its id. */
export function parseCancelOrder(reader: FieldReader): CancelOrderMessage {
  const orderId = reader.int() ?? 0;
  const manualOrderCancelTime = reader.optionalString() ?? '';
  return { type: 'CANCEL_ORDER', orderId, manualOrderCancelTime };
}

/** Parses REQ_GLOBAL_CANCEL after its id. */
export function parseGlobalCancel(_reader: FieldReader): GlobalCancelMessage {
  return { type: 'REQ_GLOBAL_CANCEL' };
}
