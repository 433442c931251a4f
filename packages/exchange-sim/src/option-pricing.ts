import type { OptionRight } from '@brokerkit/core';

/** Standard normal cumulative distribution (Abramowitz-Stegun 26.2.17, error < 7.5e-8). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const density = Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const tail =
    density *
    t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - tail : tail;
}

/**
 * Black-Scholes price with zero rates and dividends. Used only to give a newly listed option a
 * plausible starting premium; after that its price follows its own seeded path (the simulator
 * does not link option prices to the underlying's path).
 */
export function blackScholesPrice(
  right: OptionRight,
  underlying: number,
  strike: number,
  yearsToExpiry: number,
  volatility: number,
): number {
  const intrinsic = right === 'C' ? Math.max(0, underlying - strike) : Math.max(0, strike - underlying);
  if (yearsToExpiry <= 0 || volatility <= 0) return intrinsic;
  const deviation = volatility * Math.sqrt(yearsToExpiry);
  const d1 = (Math.log(underlying / strike) + (deviation * deviation) / 2) / deviation;
  const d2 = d1 - deviation;
  const call = underlying * normalCdf(d1) - strike * normalCdf(d2);
  const price = right === 'C' ? call : call - underlying + strike;
  return Math.max(intrinsic, price);
}
