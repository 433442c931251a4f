import type { OrderSide, Product } from '@brokerkit/core';
import type { Instrument } from './instrument.js';

/** One open position. `quantity` is signed (negative is short) and in the instrument's units. */
export interface PositionState {
  readonly instrument: Instrument;
  readonly product: Product | undefined;
  quantity: number;
  /** Average opening price of the open quantity. */
  averagePrice: number;
  /** P&L realised by closing parts of this position since it was opened, in the instrument's currency. */
  realizedPnl: number;
}

/** Options of `simulator.createAccount`. */
export interface AccountOptions {
  id: string;
  /** Base (reporting) currency. Default USD. */
  currency?: string;
  /** Starting cash: an amount of the base currency, or amounts per currency. Default 1,000,000. */
  cash?: number | Record<string, number>;
}

/**
 * Cash per currency and positions, and the accounting of a fill.
 *
 * Cash-settled instruments (stocks, options, FX, crypto) pay or receive the traded value in the
 * instrument's currency at the fill: a buy on margin takes cash below zero (a loan), a short sale
 * adds the proceeds. Futures exchange no cash at the fill; their P&L is unrealised until the
 * position is reduced, when the realised part is paid into cash (daily variation settlement is not
 * modelled). Commission is paid from cash in the instrument's currency.
 */
export class Account {
  readonly id: string;
  readonly currency: string;
  readonly cash = new Map<string, number>();
  readonly positions = new Map<string, PositionState>();
  /** Realised P&L and commissions, per currency, since the account was created. */
  readonly realizedPnl = new Map<string, number>();
  readonly commissions = new Map<string, number>();
  /** Margin held by working orders (the part not filled yet), in the base currency. */
  reservedInitial = 0;
  reservedMaintenance = 0;

  constructor(options: AccountOptions) {
    if (typeof options.id !== 'string' || options.id.trim() === '')
      throw new RangeError('account id must be a non-empty string');
    this.id = options.id;
    this.currency = options.currency ?? 'USD';
    if (!/^[A-Z]{3}$/.test(this.currency))
      throw new RangeError(`account currency must be a 3-letter code, got ${this.currency}`);
    const cash = options.cash ?? 1_000_000;
    const amounts = typeof cash === 'number' ? { [this.currency]: cash } : cash;
    for (const [currency, amount] of Object.entries(amounts)) {
      if (!/^[A-Z]{3}$/.test(currency))
        throw new RangeError(`cash currency must be a 3-letter code, got ${currency}`);
      if (!Number.isFinite(amount)) throw new RangeError(`cash in ${currency} must be a finite number`);
      this.cash.set(currency, amount);
    }
  }

  /** The position in `instrument` under `product`, if one is open. */
  position(instrument: Instrument, product: Product | undefined): PositionState | undefined {
    return this.positions.get(positionKey(instrument, product));
  }

  /** Signed quantity held in `instrument` under `product` (0 when flat). */
  quantityOf(instrument: Instrument, product: Product | undefined): number {
    return this.positions.get(positionKey(instrument, product))?.quantity ?? 0;
  }

  /** Adds `amount` to the cash balance in `currency`. */
  credit(currency: string, amount: number): void {
    this.cash.set(currency, (this.cash.get(currency) ?? 0) + amount);
  }

  /**
   * Books a fill: position, average price, realised P&L, cash and commission. Returns the P&L it
   * realised in the instrument's currency.
   */
  applyFill(
    instrument: Instrument,
    product: Product | undefined,
    side: OrderSide,
    quantity: number,
    price: number,
    commission: number,
  ): number {
    const key = positionKey(instrument, product);
    let position = this.positions.get(key);
    if (position === undefined) {
      position = { instrument, product, quantity: 0, averagePrice: 0, realizedPnl: 0 };
      this.positions.set(key, position);
    }
    const signed = side === 'BUY' ? quantity : -quantity;
    const held = position.quantity;
    let realized = 0;
    if (held === 0 || Math.sign(held) === Math.sign(signed)) {
      position.averagePrice =
        (Math.abs(held) * position.averagePrice + quantity * price) / (Math.abs(held) + quantity);
    } else {
      const closing = Math.min(Math.abs(held), quantity);
      realized = (price - position.averagePrice) * closing * instrument.multiplier * Math.sign(held);
      if (quantity > Math.abs(held)) position.averagePrice = price;
    }
    position.quantity = roundQuantity(held + signed, instrument);
    position.realizedPnl += realized;
    const currency = instrument.currency;
    if (instrument.secType === 'FUT') this.credit(currency, realized - commission);
    else this.credit(currency, -signed * price * instrument.multiplier - commission);
    if (realized !== 0) this.realizedPnl.set(currency, (this.realizedPnl.get(currency) ?? 0) + realized);
    if (commission !== 0) this.commissions.set(currency, (this.commissions.get(currency) ?? 0) + commission);
    if (position.quantity === 0) this.positions.delete(key);
    return realized;
  }
}

/** Key of a position: one per instrument and product. */
export function positionKey(instrument: Instrument, product: Product | undefined): string {
  return product === undefined ? instrument.key : `${instrument.key}|${product}`;
}

/** Removes binary noise from a quantity (0.1 + 0.2 BTC is 0.3 BTC). */
export function roundQuantity(quantity: number, instrument: Instrument): number {
  if (instrument.quantityDecimals === 0) return Math.round(quantity);
  return Number(quantity.toFixed(instrument.quantityDecimals));
}
