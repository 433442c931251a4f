import type { MarginOrderInput } from '../margins/margin-order-input.js';
import { computeCharges, type KiteChargesJson } from './zerodha-charges.js';

/** One entry of `POST /charges/orders` (virtual_contract_note.json). */
export interface KiteContractNoteJson {
  transaction_type: string;
  tradingsymbol: string;
  exchange: string;
  variety: string;
  product: string;
  order_type: string;
  quantity: number;
  price: number;
  charges: KiteChargesJson;
}

/** The virtual contract note: the charges of each executed order at its average price. */
export function contractNote(orders: readonly MarginOrderInput[]): KiteContractNoteJson[] {
  return orders.map((order) => ({
    transaction_type: order.transactionType,
    tradingsymbol: order.tradingsymbol,
    exchange: order.exchange,
    variety: order.variety,
    product: order.product,
    order_type: order.orderType,
    quantity: order.quantity,
    price: order.averagePrice,
    charges: computeCharges(
      order.row,
      order.product,
      order.transactionType,
      order.quantity,
      order.averagePrice,
    ),
  }));
}
