import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@brokerkit/core';
import { afterEach, describe, expect, test } from 'vitest';
import { parseIstTimeOfDay } from '../time/ist-clock.js';
import { InstrumentCache } from './instrument-cache.js';
import { parseCsv, toInstruments } from './kite-instrument.js';

const CSV = [
  'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
  '824345090,3220098,NIFTY26JANFUT,NIFTY,24048,2026-01-27,0,0.05,65,FUT,NFO-FUT,NFO',
  '1,2,"ODD, NAME",ODD,1,,0,0.05,1,EQ,NSE,NSE',
  '',
].join('\r\n');

describe('instrument dump parsing', () => {
  test('raw CSV (a content type kiteconnect does not parse) and parsed rows give the same instruments', () => {
    const fromCsv = toInstruments(CSV);
    expect(fromCsv).toHaveLength(2);
    expect(fromCsv[0]).toMatchObject({
      tradingsymbol: 'NIFTY26JANFUT',
      lotSize: 65,
      tickSize: 0.05,
      expiry: '20260127',
      instrumentType: 'FUT',
    });
    expect(fromCsv[1]?.tradingsymbol).toBe('ODD, NAME');
    const parsed = parseCsv(CSV).map((row) => ({ ...row, expiry: row.expiry ? new Date(row.expiry) : '' }));
    parsed.push({ instrument_token: '' } as never); // papaparse's phantom row after a trailing newline
    expect(toInstruments(parsed)).toEqual(fromCsv);
  });
});

describe('InstrumentCache', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  function cache(now: { value: number }, downloads: string[], cacheDir?: string) {
    return new InstrumentCache({
      download: async (exchange) => {
        downloads.push(exchange);
        return CSV;
      },
      refreshTimeOfDayMs: parseIstTimeOfDay('08:30'),
      now: () => now.value,
      sourceId: 'http://sim',
      logger: silentLogger,
      ...(cacheDir === undefined ? {} : { cacheDir }),
    });
  }

  test('downloads an exchange once a day, concurrently shared, and again after the refresh time', async () => {
    const now = { value: Date.parse('2026-01-15T05:00:00Z') }; // 10:30 IST
    const downloads: string[] = [];
    const instruments = cache(now, downloads);
    const [a, b] = await Promise.all([
      instruments.lookup('NFO', 'NIFTY26JANFUT'),
      instruments.lookup('NFO', 'NIFTY26JANFUT'),
    ]);
    expect(a?.lotSize).toBe(65);
    expect(b).toBe(a);
    expect(downloads).toEqual(['NFO']);
    now.value = Date.parse('2026-01-16T02:59:00Z'); // 08:29 IST next day: still yesterday's dump
    await instruments.lookup('NFO', 'NIFTY26JANFUT');
    expect(downloads).toEqual(['NFO']);
    now.value = Date.parse('2026-01-16T03:01:00Z'); // 08:31 IST
    await instruments.lookup('NFO', 'NIFTY26JANFUT');
    expect(downloads).toEqual(['NFO', 'NFO']);
  });

  test('a symbol missing from an old-enough dump triggers one fresh download, then is unknown', async () => {
    const now = { value: Date.parse('2026-01-15T05:00:00Z') };
    const downloads: string[] = [];
    const instruments = cache(now, downloads);
    expect(await instruments.lookup('NFO', 'NOPE')).toBeUndefined();
    expect(downloads).toHaveLength(1);
    now.value += 20 * 60_000;
    expect(await instruments.lookup('NFO', 'NOPE')).toBeUndefined();
    expect(downloads).toHaveLength(2);
    expect(await instruments.lookup('NFO', 'NOPE')).toBeUndefined();
    expect(downloads).toHaveLength(2);
  });

  test('with a cache directory, a second process of the same day reads the disk instead of downloading', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kite-instruments-'));
    const now = { value: Date.parse('2026-01-15T05:00:00Z') };
    const downloads: string[] = [];
    await cache(now, downloads, dir).lookup('NFO', 'NIFTY26JANFUT');
    expect(await readdir(dir)).toHaveLength(1);
    const again = cache(now, downloads, dir);
    expect((await again.lookup('NFO', 'NIFTY26JANFUT'))?.lotSize).toBe(65);
    expect(downloads).toEqual(['NFO']);
    now.value = Date.parse('2026-01-16T04:00:00Z'); // the next day, after 08:30 IST
    await cache(now, downloads, dir).lookup('NFO', 'NIFTY26JANFUT');
    expect(downloads).toEqual(['NFO', 'NFO']);
  });
});
