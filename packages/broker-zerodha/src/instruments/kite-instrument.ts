import type { SecType } from '@brokerkit/core';

/** One row of Kite's instrument dump, as this plugin keeps it. */
export interface KiteInstrument {
  instrumentToken: string;
  tradingsymbol: string;
  /** Underlying or company name (`NIFTY`, `INFOSYS`). */
  name: string;
  exchange: string;
  /** `NSE`, `NFO-FUT`, `NFO-OPT`, `INDICES`, ... */
  segment: string;
  /** `EQ`, `FUT`, `CE`, `PE`. */
  instrumentType: string;
  lotSize: number;
  tickSize: number;
  /** `YYYYMMDD`, empty for equities. */
  expiry: string;
  strike: number;
}

/** Kite instrument type -> brokerkit asset class (kite docs, instruments dump columns). */
export const SEC_TYPE_FROM_INSTRUMENT_TYPE: Readonly<Record<string, SecType>> = Object.freeze({
  EQ: 'STK',
  FUT: 'FUT',
  CE: 'OPT',
  PE: 'OPT',
});

/** An index (`NIFTY 50`): quoted, never traded. */
export function isIndex(instrument: KiteInstrument): boolean {
  return instrument.segment === 'INDICES' || instrument.lotSize <= 0 || instrument.tickSize <= 0;
}

/** Asset class of an instrument, or of a tradingsymbol by its suffix when the dump row is not at hand. */
export function secTypeOf(
  instrument: KiteInstrument | undefined,
  tradingsymbol: string,
  exchange: string,
): SecType {
  if (instrument !== undefined) return SEC_TYPE_FROM_INSTRUMENT_TYPE[instrument.instrumentType] ?? 'STK';
  if (exchange === 'NSE' || exchange === 'BSE') return 'STK';
  if (/FUT$/.test(tradingsymbol)) return 'FUT';
  if (/(CE|PE)$/.test(tradingsymbol)) return 'OPT';
  return 'STK';
}

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYYMMDD` from kiteconnect's parsed expiry (a Date at UTC midnight) or the raw `YYYY-MM-DD`. */
export function expiryOf(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return `${value.getUTCFullYear()}${pad(value.getUTCMonth() + 1)}${pad(value.getUTCDate())}`;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value.replaceAll('-', '');
  return '';
}

/**
 * Turns what `getInstruments` resolved with into instruments: kiteconnect's parsed rows, or the raw
 * CSV text it returns when the server's content type is not exactly `text/csv`. Rows without a
 * tradingsymbol (papaparse's phantom row after a trailing newline) are dropped.
 */
export function toInstruments(dump: unknown): KiteInstrument[] {
  const rows = typeof dump === 'string' ? parseCsv(dump) : Array.isArray(dump) ? dump : [];
  const instruments: KiteInstrument[] = [];
  for (const row of rows as Array<Record<string, unknown>>) {
    const tradingsymbol = String(row.tradingsymbol ?? '').trim();
    if (tradingsymbol === '') continue;
    instruments.push({
      instrumentToken: String(row.instrument_token ?? ''),
      tradingsymbol,
      name: String(row.name ?? ''),
      exchange: String(row.exchange ?? ''),
      segment: String(row.segment ?? ''),
      instrumentType: String(row.instrument_type ?? ''),
      lotSize: Number(row.lot_size),
      tickSize: Number(row.tick_size),
      expiry: expiryOf(row.expiry),
      strike: Number(row.strike) || 0,
    });
  }
  return instruments;
}

/** RFC 4180 CSV with a header row -> objects (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...body] = records;
  if (header === undefined) return [];
  return body.map((values) => Object.fromEntries(header.map((name, column) => [name, values[column] ?? ''])));
}
