import type { Product } from '@brokerkit/core';

/** Initial and maintenance rates as fractions of notional (0.5 = 50%). */
export interface MarginRates {
  initial: number;
  maintenance: number;
}

/**
 * How much margin a position in an instrument needs. All amounts are in the instrument's currency.
 *
 * - `percent`: a fraction of notional (`|quantity| x price x multiplier`). Reg-T stocks (50% / 25%),
 *   FX leverage (3%), crypto and delivery equity held in cash (100%). `short` overrides the rates
 *   for short positions; `byProduct` overrides them per Zerodha product (MIS intraday leverage).
 * - `per-contract`: a fixed amount per futures contract (exchange-style outright margin).
 * - `span`: a SPAN-like simplification for NSE F&O futures: initial = (span + exposure) % of
 *   notional, maintenance = span % of notional.
 * - `option`: long options need their premium (100% of market value, no loan value); short
 *   options need the premium plus a percent of the strike notional (`|quantity| x strike x
 *   multiplier`), with no out-of-the-money reduction. That is a documented simplification of the
 *   CBOE/SPAN rules, conservative for far out-of-the-money strikes.
 */
export type MarginParameters =
  | {
      kind: 'percent';
      initial: number;
      maintenance: number;
      short?: MarginRates;
      byProduct?: Partial<Record<Product, MarginRates>>;
    }
  | { kind: 'per-contract'; initial: number; maintenance: number }
  | { kind: 'span'; spanPercent: number; exposurePercent: number }
  | { kind: 'option'; shortInitialPercentOfStrike: number; shortMaintenancePercentOfStrike: number };

/** A margin requirement: initial (to open) and maintenance (to hold). */
export interface MarginRequirement {
  initial: number;
  maintenance: number;
}

/** What the margin model needs to know about an instrument. */
export interface MarginSubject {
  readonly margin: MarginParameters;
  readonly multiplier: number;
  readonly strike?: number | undefined;
}

/** Reg-T for US stocks: 50% initial, 25% maintenance. */
export const REG_T_MARGIN: MarginParameters = Object.freeze({
  kind: 'percent',
  initial: 0.5,
  maintenance: 0.25,
});
/** Cash: the full notional (crypto, delivery equity). */
export const CASH_MARGIN: MarginParameters = Object.freeze({ kind: 'percent', initial: 1, maintenance: 1 });

/**
 * The margin a position of `quantity` (signed: negative is short) needs at `price`, in the
 * instrument's currency. The one function every check, balance and margin preview uses.
 */
export function positionMargin(
  subject: MarginSubject,
  quantity: number,
  price: number,
  product: Product | undefined,
  into: MarginRequirement,
): MarginRequirement {
  const size = Math.abs(quantity);
  if (size === 0) {
    into.initial = 0;
    into.maintenance = 0;
    return into;
  }
  const notional = size * price * subject.multiplier;
  const margin = subject.margin;
  switch (margin.kind) {
    case 'percent': {
      const rates =
        (product === undefined ? undefined : margin.byProduct?.[product]) ??
        (quantity < 0 && margin.short !== undefined ? margin.short : margin);
      into.initial = notional * rates.initial;
      into.maintenance = notional * rates.maintenance;
      return into;
    }
    case 'per-contract':
      into.initial = size * margin.initial;
      into.maintenance = size * margin.maintenance;
      return into;
    case 'span':
      into.initial = notional * (margin.spanPercent + margin.exposurePercent);
      into.maintenance = notional * margin.spanPercent;
      return into;
    case 'option': {
      if (quantity > 0) {
        into.initial = notional;
        into.maintenance = notional;
        return into;
      }
      const strikeNotional = size * (subject.strike ?? price) * subject.multiplier;
      into.initial = notional + strikeNotional * margin.shortInitialPercentOfStrike;
      into.maintenance = notional + strikeNotional * margin.shortMaintenancePercentOfStrike;
      return into;
    }
  }
}

/** Checks a margin definition; throws RangeError naming the bad field. */
export function assertValidMargin(margin: MarginParameters, where: string): void {
  const nonNegative = (value: unknown, field: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`${where}: margin.${field} must be a finite number >= 0, got ${String(value)}`);
    }
  };
  const rates = (value: MarginRates, field: string) => {
    nonNegative(value.initial, `${field}initial`);
    nonNegative(value.maintenance, `${field}maintenance`);
    if (value.maintenance > value.initial) {
      throw new RangeError(`${where}: margin.${field}maintenance must not exceed margin.${field}initial`);
    }
  };
  switch (margin.kind) {
    case 'percent':
      rates(margin, '');
      if (margin.short !== undefined) rates(margin.short, 'short.');
      for (const [product, value] of Object.entries(margin.byProduct ?? {})) {
        if (value !== undefined) rates(value, `byProduct.${product}.`);
      }
      return;
    case 'per-contract':
      rates(margin, '');
      return;
    case 'span':
      nonNegative(margin.spanPercent, 'spanPercent');
      nonNegative(margin.exposurePercent, 'exposurePercent');
      return;
    case 'option':
      nonNegative(margin.shortInitialPercentOfStrike, 'shortInitialPercentOfStrike');
      nonNegative(margin.shortMaintenancePercentOfStrike, 'shortMaintenancePercentOfStrike');
      if (margin.shortMaintenancePercentOfStrike > margin.shortInitialPercentOfStrike) {
        throw new RangeError(
          `${where}: margin.shortMaintenancePercentOfStrike must not exceed the initial one`,
        );
      }
      return;
    default:
      throw new RangeError(`${where}: unknown margin kind ${(margin as { kind: unknown }).kind}`);
  }
}
