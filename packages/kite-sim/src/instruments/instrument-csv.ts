import type { KiteInstrument } from './kite-instrument.js';

/** The dump's twelve columns, in Kite's order. */
export const INSTRUMENT_CSV_COLUMNS = [
  'instrument_token',
  'exchange_token',
  'tradingsymbol',
  'name',
  'last_price',
  'expiry',
  'strike',
  'tick_size',
  'lot_size',
  'instrument_type',
  'segment',
  'exchange',
] as const;

/** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  if (!/[",\r\n]/.test(value)) return value;
  return `"${value.replaceAll('"', '""')}"`;
}

function numberText(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(8)));
}

/**
 * The instrument dump as Kite serves it: a header row and one row per instrument, `\n`
 * separated and **without** a trailing newline (papaparse would turn one into a phantom row).
 * `lastPrice` gives the `last_price` column (the dump carries the previous close).
 */
export function instrumentCsv(
  rows: readonly KiteInstrument[],
  lastPrice: (row: KiteInstrument) => number,
): string {
  const lines: string[] = [INSTRUMENT_CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        String(row.instrumentToken),
        String(row.exchangeToken),
        csvField(row.tradingsymbol),
        csvField(row.name),
        numberText(lastPrice(row)),
        row.expiry,
        numberText(row.strike),
        numberText(row.isIndex ? 0 : row.tickSize),
        String(row.isIndex ? 0 : row.lotSize),
        row.instrumentType,
        row.segment,
        row.exchange,
      ].join(','),
    );
  }
  return lines.join('\n');
}
