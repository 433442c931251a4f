import { ServerMessageId } from '../catalogue.js';

/** The id TWS puts in ERR_MSG for notices that belong to no request or order. */
export const NO_REQUEST_ID = -1;

/**
 * Escapes every non-ASCII character as `\uXXXX`, as TWS does for ERR_MSG texts and long names
 * from server version 153 on (ENCODE_MSG_ASCII7); clients unescape them.
 */
export function escapeNonAscii(text: string): string {
  let escaped = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    escaped += code < 0x80 ? text[index] : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return escaped;
}

/**
 * ERR_MSG (4) at server version 166-193: `2 | id | code | message | advancedOrderRejectJson`
 * (no errorTime: that field arrives at 194). `id` is the order id or request id, or -1 for
 * connection-level notices (which `@stoqey/ib` routes to its `info` event).
 *
 * `advancedOrderRejectJson` must be empty or valid JSON: clients `JSON.parse` it and a parse
 * error escapes `@stoqey/ib`'s decoder.
 */
export function encodeErrorMessage(
  id: number,
  code: number,
  message: string,
  advancedOrderRejectJson = '',
): string[] {
  return [
    String(ServerMessageId.ERR_MSG),
    '2',
    String(id),
    String(code),
    escapeNonAscii(message),
    advancedOrderRejectJson === '' ? '' : escapeNonAscii(advancedOrderRejectJson),
  ];
}
