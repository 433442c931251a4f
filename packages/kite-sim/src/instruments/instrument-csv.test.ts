import { describe, expect, it } from 'vitest';
import { csvField, INSTRUMENT_CSV_COLUMNS, instrumentCsv } from './instrument-csv.js';
import type { KiteInstrument } from './kite-instrument.js';

describe('instrument CSV', () => {
  it('quotes fields that need it and writes no trailing newline', () => {
    expect(csvField('L&TFH')).toBe('L&TFH');
    expect(csvField('ACME, "INDIA"')).toBe('"ACME, ""INDIA"""');
    const row = {
      instrumentToken: 1,
      exchangeToken: 2,
      tradingsymbol: 'ACME',
      name: 'ACME, INDIA',
      exchange: 'NSE',
      segment: 'NSE',
      instrumentType: 'EQ',
      expiry: '',
      strike: 0,
      tickSize: 0.05,
      lotSize: 1,
      isIndex: false,
    } as unknown as KiteInstrument;
    const csv = instrumentCsv([row], () => 101.5);
    expect(csv).toBe(
      `${INSTRUMENT_CSV_COLUMNS.join(',')}\n1,2,ACME,"ACME, INDIA",101.5,,0,0.05,1,EQ,NSE,NSE`,
    );
  });
});
