/**
 * Parses an execution time as TWS sends it, in any of the three forms seen on the wire
 * (ibkr-tws-protocol.md 2.3):
 *
 * - `20260610-19:58:22`: Gateway's UTC form;
 * - `20250708 02:35:00 America/New_York`: local time with an IANA zone;
 * - `20230224  12:04:56`: older TWS, local time of the TWS machine, no zone (read in this
 *   process's zone, which is where TWS usually runs).
 *
 * Returns epoch milliseconds, or `undefined` when the text is none of these.
 */
export function parseExecutionTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const utc = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})$/.exec(trimmed);
  if (utc !== null) {
    const [, y, mo, d, h, mi, s] = utc.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
  const local = /^(\d{4})(\d{2})(\d{2})\s+(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(trimmed);
  if (local === null) return undefined;
  const [y, mo, d, h, mi, s] = local.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zone = local[7];
  if (zone === undefined) return new Date(y, mo - 1, d, h, mi, s).getTime();
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const offset = zoneOffsetMs(zone, asUtc);
  if (offset === undefined) return undefined;
  // The offset at the guessed instant can differ across a DST change; one correction settles it.
  const first = asUtc - offset;
  const corrected = zoneOffsetMs(zone, first);
  return corrected === undefined || corrected === offset ? first : asUtc - corrected;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      formatter = null;
    }
    formatters.set(zone, formatter);
  }
  return formatter ?? undefined;
}

/** Offset of `zone` from UTC at `instant`, in ms (positive east of Greenwich). */
function zoneOffsetMs(zone: string, instant: number): number | undefined {
  const formatter = formatterFor(zone);
  if (formatter === undefined) return undefined;
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** Formats epoch ms as IB's execution-filter time (`yyyymmdd-hh:mm:ss`, UTC). */
export function formatExecutionFilterTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}
