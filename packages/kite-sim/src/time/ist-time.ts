/** India Standard Time is UTC+05:30 all year (no daylight saving). */
export const IST_OFFSET_MS = 19_800_000;
const DAY_MS = 86_400_000;

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

let lastSecond = Number.NaN;
let lastText = '';

/** `YYYY-MM-DD HH:MM:SS` in IST, the format of every Kite timestamp (order_timestamp, login_time...). */
export function formatIstDateTime(epochMs: number): string {
  // Many timestamps of one request fall in the same second: reuse the last text.
  const second = Math.floor(epochMs / 1000);
  if (second === lastSecond) return lastText;
  const ist = new Date(epochMs + IST_OFFSET_MS);
  lastText = `${ist.getUTCFullYear()}-${pad2(ist.getUTCMonth() + 1)}-${pad2(ist.getUTCDate())} ${pad2(ist.getUTCHours())}:${pad2(
    ist.getUTCMinutes(),
  )}:${pad2(ist.getUTCSeconds())}`;
  lastSecond = second;
  return lastText;
}

/** `HH:MM:SS` in IST (the time-only `order_timestamp` of trade rows). */
export function formatIstTime(epochMs: number): string {
  return formatIstDateTime(epochMs).slice(11);
}

/** `YYYY-MM-DD` in IST. */
export function formatIstDate(epochMs: number): string {
  return formatIstDateTime(epochMs).slice(0, 10);
}

/** `YYMMDD` in IST, the prefix of Kite order ids. */
export function istDatePrefix(epochMs: number): string {
  const date = formatIstDate(epochMs);
  return `${date.slice(2, 4)}${date.slice(5, 7)}${date.slice(8, 10)}`;
}

/** A number that changes once per IST calendar day (days since the epoch, in IST). */
export function istDayNumber(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
}

/** `2017-12-15T09:15:00+0530`, the timestamp format of historical candles. */
export function formatIstCandleTime(epochMs: number): string {
  const text = formatIstDateTime(epochMs);
  return `${text.slice(0, 10)}T${text.slice(11)}+0530`;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Milliseconds after IST midnight of an `HH:MM` IST time; throws RangeError for another format. */
export function istTimeOfDayMs(value: string, what: string): number {
  const match = TIME_OF_DAY.exec(value);
  if (match === null)
    throw new RangeError(`${what} must be an IST time of day "HH:MM", got ${JSON.stringify(value)}`);
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

/** The first instant strictly after `epochMs` at which the IST wall clock shows `timeOfDayMs`. */
export function nextIstTimeOfDay(epochMs: number, timeOfDayMs: number): number {
  const istMidnight = Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
  const today = istMidnight + timeOfDayMs;
  return today > epochMs ? today : today + DAY_MS;
}

/** Epoch ms of IST midnight starting the IST day that contains `epochMs`. */
export function istMidnight(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` as IST (the `from` / `to` of historical data);
 * `undefined` when it is not such a date.
 */
export function parseIstDateTime(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hours = '0', minutes = '0', seconds = '0'] = match;
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
  const check = new Date(utc);
  if (check.getUTCDate() !== Number(day) || check.getUTCMonth() !== Number(month) - 1) return undefined;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  return utc - IST_OFFSET_MS;
}
