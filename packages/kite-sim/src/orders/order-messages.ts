/**
 * Texts of order errors and rejections. Sources: kite-connect-api.md (sections 2.2, 3, 4) and
 * code that handles the real API's answers; `[sim]` marks wording chosen by kite-sim where no
 * public source gives Kite's exact text.
 */

/** Market and SL-M orders without market protection (Kite's rule for API orders from April 2026). */
export const MARKET_PROTECTION_REQUIRED =
  'Market orders without market protection are not allowed via API. Please set market protection or use a Limit order.';

/** Unknown order id in history, trades, modify or cancel (GeneralException in kiteconnectjs users' code). */
export const ORDER_NOT_FOUND = "Couldn't find that `order_id`.";

/** The 26th modification of an order (kite.trade forum 9201 / 9212). */
export const MAX_MODIFICATIONS_EXCEEDED = 'Maximum allowed order modifications exceeded.';

/** A price outside the day's band (RMS pre-check). */
export const PRICE_OUTSIDE_CIRCUIT =
  'Price exceeds circuit limits for the instrument. Place an order within the daily range.';

/** [sim] Quantity that is not a whole number of lots (Kite's exact text is not public). */
export function lotSizeMessage(lotSize: number): string {
  return `Quantity should be a multiple of lot size ${lotSize}.`;
}

/** A price off the tick (the trigger-price form is Kite's, seen on GTT rejections). */
export function tickSizeMessage(field: 'Price' | 'Trigger price', tickSize: number): string {
  return `${field} should be a multiple of tick size ${tickSize}.`;
}

/** [sim] A product the segment does not offer (CNC on NFO, NRML on NSE). */
export function productNotAllowedMessage(product: string, exchange: string): string {
  return `Product type ${product} is not allowed for ${exchange}.`;
}

/** [sim] Modify or cancel of an order that is already final. */
export function orderFinalMessage(action: 'modified' | 'cancelled', status: string): string {
  return `Order cannot be ${action} as it is ${status === 'COMPLETE' ? 'completed' : status.toLowerCase()}.`;
}

const amount = (value: number) => value.toFixed(2);

/** status_message of an order rejected for margin (orders.json). */
export function insufficientFundsMessage(required: number, available: number): string {
  return `Insufficient funds. Required margin is ${amount(required)} but available margin is ${amount(available)}. Check the orderbook for open orders.`;
}

/** status_message_raw of an order rejected for margin (orders.json). */
export function insufficientFundsRaw(required: number, available: number, userId: string): string {
  return `RMS:Margin Exceeds,Required:${amount(required)}, Available:${amount(available)} for entity account-${userId} across exchange across segment across product `;
}

/** The MarginException text of a synchronous margin refusal (autoslice_response.json child error). */
export function marginExceptionMessage(required: number, available: number): string {
  return `Insufficient funds. Required margin is ${amount(required)} but available margin is ${amount(available)}.`;
}

/** [sim] A delivery sell of more than is held. */
export function insufficientHoldingsMessage(tradingsymbol: string, sellable: number): string {
  return `Insufficient holdings to sell ${tradingsymbol}. Sellable quantity is ${sellable}. Check your holdings and open sell orders.`;
}
