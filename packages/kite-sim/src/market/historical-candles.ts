import { hashString } from '@brokerkit/exchange-sim';
import { inputError, invalidParameter } from '../http/kite-api-error.js';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import { formatIstCandleTime, IST_OFFSET_MS, istMidnight } from '../time/ist-time.js';

/** Candle intervals and Kite's longest range per request, in days. */
export const HISTORICAL_INTERVALS: Readonly<Record<string, { minutes: number; maxDays: number }>> = {
  minute: { minutes: 1, maxDays: 60 },
  '3minute': { minutes: 3, maxDays: 100 },
  '5minute': { minutes: 5, maxDays: 100 },
  '10minute': { minutes: 10, maxDays: 100 },
  '15minute': { minutes: 15, maxDays: 200 },
  '30minute': { minutes: 30, maxDays: 200 },
  '60minute': { minutes: 60, maxDays: 400 },
  day: { minutes: 1440, maxDays: 2000 },
};

const DAY_MS = 86_400_000;
const SESSION_OPEN_MS = (9 * 60 + 15) * 60_000;
const SESSION_CLOSE_MS = (15 * 60 + 30) * 60_000;

/** A candle: `[timestamp, open, high, low, close, volume]` plus open interest when asked. */
export type Candle =
  | [string, number, number, number, number, number]
  | [string, number, number, number, number, number, number];

function noise(seed: number, index: number, salt: number): number {
  return (hashString(`${seed}:${index}:${salt}`) % 2_000_001) / 1_000_000 - 1;
}

/**
 * Deterministic synthetic candles for `[from, to]` (IST session 09:15-15:30 on weekdays; daily
 * candles on weekdays), never later than `now`. The level wanders around the instrument's
 * starting price as a smooth function of time, so the same request always returns the same
 * candles. They are shaped like Kite's, not market data.
 */
export function historicalCandles(
  row: KiteInstrument,
  interval: string,
  from: number,
  to: number,
  now: number,
  withOi: boolean,
): Candle[] {
  const spec = HISTORICAL_INTERVALS[interval];
  if (spec === undefined) throw invalidParameter('interval');
  if (to < from) throw inputError('Invalid `from` date: it is after `to`.');
  if (to - from > spec.maxDays * DAY_MS) throw inputError(`interval exceeds max limit: ${spec.maxDays} days`);
  const end = Math.min(to, now);
  const stepMs = spec.minutes * 60_000;
  const base = row.instrument.initialPrice;
  const tick = row.isIndex ? 0.05 : row.tickSize;
  const decimals = row.instrument.priceDecimals;
  const seed = row.instrumentToken;
  const level = (time: number) => {
    const t = time / 3_600_000;
    return base * (1 + 0.03 * Math.sin(t / 37 + (seed % 11)) + 0.01 * Math.sin(t / 5.3 + (seed % 7)));
  };
  const roundPrice = (value: number) =>
    Number(Math.max(tick, Math.round(value / tick) * tick).toFixed(decimals));
  const candles: Candle[] = [];
  for (let day = istMidnight(from); day <= end; day += DAY_MS) {
    const weekday = new Date(day + IST_OFFSET_MS).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const starts: number[] = [];
    if (spec.minutes === 1440) {
      starts.push(day);
    } else {
      for (let start = day + SESSION_OPEN_MS; start < day + SESSION_CLOSE_MS; start += stepMs)
        starts.push(start);
    }
    for (const start of starts) {
      if (start < from - (spec.minutes === 1440 ? DAY_MS - 1 : 0) || start > end) continue;
      const stop = spec.minutes === 1440 ? start + SESSION_CLOSE_MS : start + stepMs;
      const index = Math.floor(start / 60_000);
      const open = level(start);
      const close = level(stop);
      const wiggle = base * 0.001 * (1 + Math.abs(noise(seed, index, 1)));
      const high = Math.max(open, close) + wiggle;
      const low = Math.min(open, close) - wiggle * (1 + Math.abs(noise(seed, index, 2)) / 2);
      const volume = row.isIndex
        ? 0
        : Math.round(
            row.lotSize * (100 + 900 * Math.abs(noise(seed, index, 3))) * (spec.minutes === 1440 ? 50 : 1),
          );
      const candle: Candle = [
        formatIstCandleTime(start),
        roundPrice(open),
        roundPrice(high),
        roundPrice(low),
        roundPrice(close),
        volume,
      ];
      if (withOi) candle.push(row.instrumentType === 'EQ' ? 0 : row.lotSize * (10_000 + (seed % 997)));
      candles.push(candle);
    }
  }
  return candles;
}
