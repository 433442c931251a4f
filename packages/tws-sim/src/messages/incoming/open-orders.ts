import type { FieldReader } from '../../wire/fields.js';

/**
 * The three open-order requests: REQ_OPEN_ORDERS (5, this client's orders), REQ_ALL_OPEN_ORDERS
 * (16, every client's), REQ_AUTO_OPEN_ORDERS (15, bind future orders; client id 0 only).
 */
export type OpenOrdersRequestMessage =
  | { type: 'REQ_OPEN_ORDERS' }
  | { type: 'REQ_ALL_OPEN_ORDERS' }
  | { type: 'REQ_AUTO_OPEN_ORDERS'; autoBind: boolean };

/** Parses REQ_OPEN_ORDERS after its id: `1`. */
export function parseOpenOrdersRequest(_reader: FieldReader): OpenOrdersRequestMessage {
  return { type: 'REQ_OPEN_ORDERS' };
}

/** Parses REQ_ALL_OPEN_ORDERS after its id: `1`. */
export function parseAllOpenOrdersRequest(_reader: FieldReader): OpenOrdersRequestMessage {
  return { type: 'REQ_ALL_OPEN_ORDERS' };
}

/** Parses REQ_AUTO_OPEN_ORDERS after its id: `1 | autoBind`. */
export function parseAutoOpenOrdersRequest(reader: FieldReader): OpenOrdersRequestMessage {
  reader.skip(); // version
  return { type: 'REQ_AUTO_OPEN_ORDERS', autoBind: reader.bool() ?? false };
}
