import { describe, expect, it } from 'vitest';
import { INSTRUMENT_FIELDS, keysOf, QUOTE_FIELDS, sorted } from '../test-support/kite-fields.js';
import { rejectionOf, startWithClient, TEST_ACCESS_TOKEN } from '../test-support/start-test-sim.js';

describe('instrument dumps', () => {
  it('serves the dump as exactly text/csv, which kiteconnect parses into typed rows', async () => {
    const { sim, kite } = await startWithClient();
    const response = await fetch(`${sim.root}/instruments`, {
      headers: { Authorization: `token ${sim.apiKey}:${TEST_ACCESS_TOKEN}`, 'X-Kite-Version': '3' },
    });
    expect(response.headers.get('content-type')).toBe('text/csv');
    const text = await response.text();
    expect(text.split('\n')[0]).toBe(INSTRUMENT_FIELDS.join(','));
    expect(text.endsWith('\n')).toBe(false);

    const rows = await kite.getInstruments();
    expect(Array.isArray(rows)).toBe(true);
    // No phantom row from a trailing newline.
    expect(rows.every((row) => row.tradingsymbol !== '' && row.tradingsymbol !== undefined)).toBe(true);
    for (const row of rows) expect(keysOf(row)).toEqual(sorted(INSTRUMENT_FIELDS));
    const infy = rows.find((row) => row.tradingsymbol === 'INFY')!;
    expect(infy).toMatchObject({
      instrument_token: '408065',
      exchange_token: '1594',
      name: 'INFOSYS',
      expiry: '',
      strike: 0,
      tick_size: 0.05,
      lot_size: 1,
      instrument_type: 'EQ',
      segment: 'NSE',
      exchange: 'NSE',
      last_price: 1800,
    });
    const future = rows.find((row) => row.tradingsymbol === 'NIFTY24NOVFUT')!;
    expect(future).toMatchObject({
      name: 'NIFTY',
      lot_size: 65,
      instrument_type: 'FUT',
      segment: 'NFO-FUT',
      exchange: 'NFO',
    });
    expect(future.expiry).toEqual(new Date('2024-11-28'));
    const option = rows.find((row) => row.tradingsymbol === 'BANKNIFTY24NOV51000PE')!;
    expect(option).toMatchObject({ strike: 51000, lot_size: 30, instrument_type: 'PE', segment: 'NFO-OPT' });
    expect(rows.find((row) => row.tradingsymbol === 'FINNIFTY24NOVFUT')!.lot_size).toBe(60);
    const index = rows.find((row) => row.tradingsymbol === 'NIFTY 50')!;
    expect(index).toMatchObject({ instrument_token: '256265', segment: 'INDICES', exchange: 'NSE' });
    // Instrument tokens carry the segment in their low byte.
    expect(Number(future.instrument_token) & 0xff).toBe(2);
    expect(Number(index.instrument_token) & 0xff).toBe(9);
  });

  it('serves one exchange with /instruments/:exchange', async () => {
    const { kite } = await startWithClient();
    const nse = await kite.getInstruments('NSE');
    expect(new Set(nse.map((row) => row.exchange))).toEqual(new Set(['NSE']));
    expect(nse.map((row) => row.tradingsymbol)).toEqual(
      expect.arrayContaining(['INFY', 'RELIANCE', 'NIFTY 50']),
    );
    const nfo = await kite.getInstruments('NFO');
    expect(nfo.length).toBeGreaterThan(100);
    expect(new Set(nfo.map((row) => row.segment))).toEqual(new Set(['NFO-FUT', 'NFO-OPT']));
    expect(await rejectionOf(kite.getInstruments('XYZ' as 'NSE'))).toMatchObject({
      error_type: 'InputException',
      message: 'Invalid `exchange`.',
    });
  });

  it('drops expired contracts from the dump of later days', async () => {
    const { sim, kite } = await startWithClient({ tokenExpiryTime: false });
    // 2024-11-18 -> 2024-11-29: the November contracts expired on the 28th.
    sim.control.advanceClock(11 * 86_400_000);
    const symbols = (await kite.getInstruments('NFO')).map((row) => row.tradingsymbol);
    expect(symbols).not.toContain('NIFTY24NOVFUT');
    expect(symbols).toContain('NIFTY24DECFUT');
  });

  it('lists the near months of the real date when running on the wall clock', async () => {
    const { kite } = await startWithClient({ clock: 'real' });
    const today = new Date().toISOString().slice(0, 10);
    const futures = (await kite.getInstruments('NFO')).filter((row) => row.instrument_type === 'FUT');
    expect(futures.length).toBeGreaterThanOrEqual(6);
    for (const future of futures)
      expect((future.expiry as Date).toISOString().slice(0, 10) >= today).toBe(true);
  });

  it('adds contracts listed on demand to the dump', async () => {
    const { kite } = await startWithClient();
    expect((await kite.getInstruments('NFO')).some((row) => row.tradingsymbol === 'NIFTY24DEC25000CE')).toBe(
      false,
    );
    await kite.placeOrder('regular', {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24DEC25000CE',
      transaction_type: 'BUY',
      quantity: 65,
      product: 'NRML',
      order_type: 'LIMIT',
      price: 10,
    });
    expect((await kite.getInstruments('NFO')).some((row) => row.tradingsymbol === 'NIFTY24DEC25000CE')).toBe(
      true,
    );
  });
});

describe('quotes', () => {
  it('returns full quotes with every field, timestamps as Dates, and depth', async () => {
    const { kite } = await startWithClient();
    const quotes = await kite.getQuote(['NSE:INFY', 'NSE:NOSUCH', 'NFO:NIFTY24NOVFUT']);
    expect(Object.keys(quotes).sort()).toEqual(['NFO:NIFTY24NOVFUT', 'NSE:INFY']);
    const infy = quotes['NSE:INFY']!;
    expect(keysOf(infy)).toEqual(sorted(QUOTE_FIELDS));
    expect(infy.timestamp).toBeInstanceOf(Date);
    expect(infy.last_trade_time).toBeInstanceOf(Date);
    expect(infy).toMatchObject({
      instrument_token: 408065,
      last_price: 1800,
      ohlc: { open: 1800, close: 1800 },
      oi: 0,
    });
    expect(infy.depth.buy).toHaveLength(5);
    expect(infy.depth.sell).toHaveLength(5);
    expect(infy.depth.buy[0]!.price).toBeLessThan(infy.depth.sell[0]!.price);
    expect(infy.lower_circuit_limit).toBeLessThan(1800);
    expect(infy.upper_circuit_limit).toBeGreaterThan(1800);
    expect(quotes['NFO:NIFTY24NOVFUT']!.oi).toBeGreaterThan(0);
  });

  it('tracks the day: volume and the last traded quantity follow fills, ohlc follows prices', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.setPrice('NSE:INFY', 1820);
    sim.control.setPrice('NSE:INFY', 1790);
    await kite.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: 7,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 1790,
    });
    const quote = (await kite.getQuote(['NSE:INFY']))['NSE:INFY']!;
    expect(quote.ohlc).toEqual({ open: 1800, high: 1820, low: 1790, close: 1800 });
    expect(quote.last_quantity).toBe(7);
    expect(quote.volume).toBe(9);
    expect(quote.net_change).toBe(-10);
  });

  it('returns ohlc and ltp maps, keyed as asked (EX:SYMBOL or token)', async () => {
    const { kite } = await startWithClient();
    const ohlc = await kite.getOHLC(['NSE:INFY', 'NSE:NIFTY 50']);
    expect(ohlc['NSE:INFY']).toEqual({
      instrument_token: 408065,
      last_price: 1800,
      ohlc: { open: 1800, high: 1800, low: 1800, close: 1800 },
    });
    expect(ohlc['NSE:NIFTY 50']).toMatchObject({ instrument_token: 256265, last_price: 24000 });
    const ltp = await kite.getLTP(['NSE:RELIANCE', '408065']);
    expect(ltp).toEqual({
      'NSE:RELIANCE': { instrument_token: 738561, last_price: 1290 },
      '408065': { instrument_token: 408065, last_price: 1800 },
    });
  });

  it('refuses more instruments than a request may carry', async () => {
    const { kite } = await startWithClient();
    const many = Array.from({ length: 501 }, () => 'NSE:INFY');
    expect((await rejectionOf(kite.getQuote(many))).error_type).toBe('InputException');
  });
});

describe('historical candles', () => {
  it('returns candles kiteconnect turns into objects with Dates, only up to now', async () => {
    const { sim, kite } = await startWithClient();
    const token = sim.control.instrument('NFO:NIFTY24NOVFUT').instrumentToken;
    const candles = await kite.getHistoricalData(
      token,
      '5minute',
      '2024-11-18 09:15:00',
      '2024-11-18 10:00:00',
      false,
      true,
    );
    expect(candles).toHaveLength(10);
    const [first] = candles;
    expect(first!.date).toEqual(new Date('2024-11-18T09:15:00+05:30'));
    expect(first!.high).toBeGreaterThanOrEqual(Math.max(first!.open, first!.close));
    expect(first!.low).toBeLessThanOrEqual(Math.min(first!.open, first!.close));
    expect(first!.oi).toBeGreaterThan(0);
    const again = await kite.getHistoricalData(
      token,
      '5minute',
      '2024-11-18 09:15:00',
      '2024-11-18 10:00:00',
      false,
      true,
    );
    expect(again).toEqual(candles);
    const future = await kite.getHistoricalData(token, 'day', '2024-11-20 00:00:00', '2024-11-25 00:00:00');
    expect(future).toEqual([]);
  });

  it('refuses an unknown interval and a range over the limit', async () => {
    const { sim, kite } = await startWithClient();
    const token = sim.control.instrument('NSE:INFY').instrumentToken;
    expect(
      await rejectionOf(kite.getHistoricalData(token, 'week' as 'day', '2024-11-01', '2024-11-02')),
    ).toMatchObject({
      error_type: 'InputException',
      message: 'Invalid `interval`.',
    });
    expect(
      await rejectionOf(kite.getHistoricalData(token, 'minute', '2024-01-01', '2024-11-01')),
    ).toMatchObject({
      message: 'interval exceeds max limit: 60 days',
    });
  });
});
