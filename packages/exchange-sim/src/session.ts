const DAY_MS = 86_400_000;
const SESSION_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Throws a RangeError unless `value` is a UTC time of day written `HH:MM` (24-hour). */
export function assertSessionTime(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string' || !SESSION_TIME.test(value)) {
    throw new RangeError(`${where} must be a UTC time of day "HH:MM", got ${String(value)}`);
  }
}

/** Milliseconds after UTC midnight of an `HH:MM` time. */
export function sessionTimeToMs(value: string): number {
  const match = SESSION_TIME.exec(value);
  if (match === null) throw new RangeError(`session time must be "HH:MM" UTC, got ${value}`);
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

/**
 * The first session close strictly after `time` (epoch ms). The market is modelled as open at all
 * other times: no opening auction, no weekends, no holidays. DAY orders expire at the close.
 */
export function nextSessionClose(time: number, closeUtc: string): number {
  const offset = sessionTimeToMs(closeUtc);
  const midnight = Math.floor(time / DAY_MS) * DAY_MS;
  const today = midnight + offset;
  return today > time ? today : today + DAY_MS;
}

/** One day in milliseconds. */
export const SESSION_PERIOD_MS = DAY_MS;
