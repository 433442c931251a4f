import { inputError } from '../http/kite-api-error.js';
import type { InstrumentTable } from '../instruments/instrument-table.js';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import { formatIstDateTime } from '../time/ist-time.js';
import type { MarketData } from './market-data.js';

/** Instruments per request: /quote takes 500, /quote/ohlc and /quote/ltp 1000 (Kite docs). */
export const QUOTE_LIMITS = Object.freeze({ full: 500, ohlc: 1000, ltp: 1000 });

/** A full quote (quote.json). */
export interface KiteQuoteJson {
  instrument_token: number;
  timestamp: string;
  last_trade_time: string;
  last_price: number;
  last_quantity: number;
  buy_quantity: number;
  sell_quantity: number;
  volume: number;
  average_price: number;
  oi: number;
  oi_day_high: number;
  oi_day_low: number;
  net_change: number;
  lower_circuit_limit: number;
  upper_circuit_limit: number;
  ohlc: { open: number; high: number; low: number; close: number };
  depth: {
    buy: { price: number; quantity: number; orders: number }[];
    sell: { price: number; quantity: number; orders: number }[];
  };
}

/**
 * Resolves `i` values (`NSE:INFY` or an instrument token) to rows, keyed as given. Unknown
 * instruments are left out, as Kite leaves them out of the map.
 */
export function resolveInstruments(
  keys: readonly string[],
  table: InstrumentTable,
  limit: number,
): [string, KiteInstrument][] {
  if (keys.length > limit)
    throw inputError(`Too many instruments. At most ${limit} are allowed in one request.`);
  const rows: [string, KiteInstrument][] = [];
  for (const key of keys) {
    const colon = key.indexOf(':');
    const row =
      colon > 0
        ? table.bySymbol(key.slice(0, colon), key.slice(colon + 1))
        : /^\d+$/.test(key)
          ? table.byToken(Number(key))
          : undefined;
    if (row !== undefined) rows.push([key, row]);
  }
  return rows;
}

const round = (value: number) => Number(value.toFixed(4));

/** GET /quote. */
export function fullQuotes(
  rows: readonly [string, KiteInstrument][],
  market: MarketData,
  now: number,
): Record<string, KiteQuoteJson> {
  const result: Record<string, KiteQuoteJson> = {};
  for (const [key, row] of rows) {
    const tick = market.snapshot(row);
    const band = market.circuitLimits(row);
    result[key] = {
      instrument_token: row.instrumentToken,
      timestamp: formatIstDateTime(now),
      last_trade_time: formatIstDateTime(tick.lastTradeTime * 1000),
      last_price: tick.lastPrice,
      last_quantity: tick.lastQuantity,
      buy_quantity: tick.totalBuyQuantity,
      sell_quantity: tick.totalSellQuantity,
      volume: tick.volume,
      average_price: tick.averagePrice,
      oi: tick.oi,
      oi_day_high: tick.oiDayHigh,
      oi_day_low: tick.oiDayLow,
      net_change: round(tick.lastPrice - tick.close),
      lower_circuit_limit: row.isIndex ? 0 : band.lower,
      upper_circuit_limit: row.isIndex ? 0 : band.upper,
      ohlc: { open: tick.open, high: tick.high, low: tick.low, close: tick.close },
      depth: {
        buy: tick.buyDepth.map((level) => ({
          price: level.price,
          quantity: level.quantity,
          orders: level.orders,
        })),
        sell: tick.sellDepth.map((level) => ({
          price: level.price,
          quantity: level.quantity,
          orders: level.orders,
        })),
      },
    };
  }
  return result;
}

/** GET /quote/ohlc (ohlc.json). */
export function ohlcQuotes(
  rows: readonly [string, KiteInstrument][],
  market: MarketData,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, row] of rows) {
    result[key] = {
      instrument_token: row.instrumentToken,
      last_price: market.lastPrice(row),
      ohlc: market.ohlc(row),
    };
  }
  return result;
}

/** GET /quote/ltp (ltp.json). */
export function ltpQuotes(
  rows: readonly [string, KiteInstrument][],
  market: MarketData,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, row] of rows)
    result[key] = { instrument_token: row.instrumentToken, last_price: market.lastPrice(row) };
  return result;
}
