/**
 * Version negotiation (protocol doc 1.2): the client offers `v<min>..<max>` (or `v<n>`), possibly
 * followed by a space and connect options; the server answers with one version and its
 * connection time.
 */

/** The server version this simulator speaks: what `@stoqey/ib` 1.6.x asks for. */
export const SERVER_VERSION = 193;

/** A client's offered version range. */
export interface ClientVersionRange {
  min: number;
  max: number;
  /** Text after the first space (official clients' connect options), trimmed. */
  connectOptions: string;
}

/** Parses `v100..193`, `v176..176 ` or `v100`; `undefined` when the text is not a version range. */
export function parseVersionRange(text: string): ClientVersionRange | undefined {
  const space = text.indexOf(' ');
  const range = space === -1 ? text : text.slice(0, space);
  const connectOptions = space === -1 ? '' : text.slice(space + 1).trim();
  const match = /^v(\d{1,5})(?:\.\.(\d{1,5}))?$/.exec(range);
  if (match === null) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (min > max) return undefined;
  return { min, max, connectOptions };
}

/**
 * The version to answer with: the highest both sides speak. This simulator encodes messages
 * for {@link SERVER_VERSION} only, so a client that cannot speak it gets `undefined` (the caller
 * closes the socket, as TWS does for a client outside its supported range).
 */
export function negotiateVersion(range: ClientVersionRange): number | undefined {
  return range.min <= SERVER_VERSION && range.max >= SERVER_VERSION ? SERVER_VERSION : undefined;
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * The connection time TWS sends after the version: `yyyyMMdd HH:mm:ss <zone>`, e.g.
 * `20250101 12:00:00 UTC`. Clients do not parse it; the zone is always UTC here.
 */
export function formatConnectionTime(epochMs: number): string {
  const date = new Date(epochMs);
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`
  );
}
