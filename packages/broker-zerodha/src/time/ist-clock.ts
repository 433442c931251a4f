/**
 * India Standard Time helpers. Kite timestamps are IST wall-clock strings without an offset
 * (`2026-01-15 09:16:39`), and Kite's day boundaries (token expiry, order counts, the instrument
 * dump) are IST times of day. IST is UTC+05:30 all year.
 */

/** IST's offset from UTC in milliseconds. */
export const IST_OFFSET_MS = 19_800_000;
const DAY_MS = 86_400_000;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
const KITE_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Milliseconds after IST midnight of an `HH:MM` time; throws a RangeError for anything else. */
export function parseIstTimeOfDay(value: string, what = 'time of day'): number {
  const match = TIME_OF_DAY.exec(value);
  if (match === null)
    throw new RangeError(`${what} must be an IST time "HH:MM", got ${JSON.stringify(value)}`);
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

/** The first instant strictly after `epochMs` at which the IST clock shows `timeOfDayMs`. */
export function nextIstBoundary(epochMs: number, timeOfDayMs: number): number {
  const midnight = istMidnight(epochMs);
  const today = midnight + timeOfDayMs;
  return today > epochMs ? today : today + DAY_MS;
}

/** The last instant at or before `epochMs` at which the IST clock showed `timeOfDayMs`. */
export function previousIstBoundary(epochMs: number, timeOfDayMs: number): number {
  return nextIstBoundary(epochMs, timeOfDayMs) - DAY_MS;
}

/** Epoch ms of the IST midnight that starts the IST day containing `epochMs`. */
export function istMidnight(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
}

/** A number that changes once per IST calendar day. */
export function istDayNumber(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
}

/**
 * Epoch ms of a Kite timestamp. kiteconnect turns some of them into `Date`s parsed as the
 * *process's* local time (whatever TZ is), and leaves others (order updates from the ticker,
 * `exchange_update_timestamp`) as strings. Both are IST wall-clock values, so a Date's local
 * components are read back and re-interpreted as IST. `undefined` for anything unparseable.
 */
export function kiteTimestampToEpoch(value: unknown): number | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    return (
      Date.UTC(
        value.getFullYear(),
        value.getMonth(),
        value.getDate(),
        value.getHours(),
        value.getMinutes(),
        value.getSeconds(),
        value.getMilliseconds(),
      ) - IST_OFFSET_MS
    );
  }
  if (typeof value !== 'string') return undefined;
  const match = KITE_TIMESTAMP.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hours, minutes, seconds] = match;
  return (
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hours), Number(minutes), Number(seconds)) -
    IST_OFFSET_MS
  );
}

/** `YYYY-MM-DD HH:MM:SS` in IST. */
export function formatIstDateTime(epochMs: number): string {
  return new Date(epochMs + IST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
