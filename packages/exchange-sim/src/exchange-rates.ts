/**
 * Default value of one unit of each currency in USD. Fixed, illustrative rates (late 2024): the
 * simulator converts balances with them and does not move them with the EUR.USD price path.
 */
export const DEFAULT_USD_RATES: Readonly<Record<string, number>> = Object.freeze({
  USD: 1,
  EUR: 1.055,
  GBP: 1.27,
  JPY: 0.0065,
  CHF: 1.13,
  CAD: 0.715,
  AUD: 0.65,
  HKD: 0.1285,
  INR: 0.01185,
});

/**
 * Converts amounts between currencies through USD. Used for account figures in the base currency
 * when positions or cash are in others (an INR position in a USD account).
 */
export class ExchangeRates {
  readonly #usdPerUnit = new Map<string, number>();

  constructor(rates: Readonly<Record<string, number>> = {}) {
    for (const [currency, rate] of Object.entries({ ...DEFAULT_USD_RATES, ...rates }))
      this.set(currency, rate);
  }

  /** Sets the USD value of one unit of `currency`. */
  set(currency: string, usdPerUnit: number): void {
    if (!/^[A-Z]{3}$/.test(currency))
      throw new RangeError(`currency must be a 3-letter code, got ${currency}`);
    if (!(usdPerUnit > 0) || !Number.isFinite(usdPerUnit)) {
      throw new RangeError(`rate of ${currency} must be a finite number > 0, got ${usdPerUnit}`);
    }
    this.#usdPerUnit.set(currency, usdPerUnit);
  }

  has(currency: string): boolean {
    return this.#usdPerUnit.has(currency);
  }

  /** `amount` of `from` in `to`. Throws RangeError for a currency without a rate. */
  convert(amount: number, from: string, to: string): number {
    if (from === to || amount === 0) return amount;
    return (amount * this.#rate(from)) / this.#rate(to);
  }

  #rate(currency: string): number {
    const rate = this.#usdPerUnit.get(currency);
    if (rate === undefined)
      throw new RangeError(`no exchange rate for ${currency}; set one with setExchangeRate()`);
    return rate;
  }
}
