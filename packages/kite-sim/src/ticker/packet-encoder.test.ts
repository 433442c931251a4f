import { describe, expect, it } from 'vitest';
import { freshKiteTicker } from '../test-support/start-test-sim.js';
import { encodeTickMessage, HEARTBEAT_FRAME, PACKET_LENGTH, priceDivisor } from './packet-encoder.js';
import type { TickSnapshot } from './tick-snapshot.js';

const INFY: TickSnapshot = {
  instrumentToken: 408065,
  isIndex: false,
  lastPrice: 1812.35,
  lastQuantity: 7,
  averagePrice: 1805.5,
  volume: 1_234_567,
  totalBuyQuantity: 45_000,
  totalSellQuantity: 52_000,
  open: 1800,
  high: 1820.1,
  low: 1795.05,
  close: 1790,
  lastTradeTime: 1_731_940_200,
  oi: 0,
  oiDayHigh: 0,
  oiDayLow: 0,
  exchangeTimestamp: 1_731_940_201,
  buyDepth: [1, 2, 3, 4, 5].map((level) => ({
    price: 1812.35 - level * 0.05,
    quantity: level * 10,
    orders: level,
  })),
  sellDepth: [1, 2, 3, 4, 5].map((level) => ({
    price: 1812.35 + level * 0.05,
    quantity: level * 11,
    orders: level + 1,
  })),
};

const NIFTY_INDEX: TickSnapshot = {
  ...INFY,
  instrumentToken: 256265,
  isIndex: true,
  lastPrice: 24_100.5,
  close: 24_000,
  high: 24_150,
  low: 23_990,
  open: 24_010,
};

/** Decodes with the published client's own parser. */
function parse(message: Buffer) {
  const KiteTicker = freshKiteTicker();
  const ticker = new KiteTicker({ api_key: 'k', access_token: 't', reconnect: false } as never);
  const bytes = message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength);
  // biome-ignore lint/suspicious/noExplicitAny: parseBinary returns untyped ticks
  return (ticker as any).parseBinary(bytes) as any[];
}

describe('ticker packet encoder', () => {
  it('frames packets as int16 count, then int16 length + bytes each, big-endian', () => {
    const message = encodeTickMessage([
      { tick: INFY, mode: 'ltp' },
      { tick: INFY, mode: 'quote' },
      { tick: INFY, mode: 'full' },
      { tick: NIFTY_INDEX, mode: 'quote' },
      { tick: NIFTY_INDEX, mode: 'full' },
    ]);
    expect(message.readInt16BE(0)).toBe(5);
    const lengths: number[] = [];
    let offset = 2;
    for (let index = 0; index < 5; index++) {
      const length = message.readInt16BE(offset);
      lengths.push(length);
      expect(message.readUInt32BE(offset + 2)).toBe(index < 3 ? 408065 : 256265);
      offset += 2 + length;
    }
    expect(offset).toBe(message.length);
    expect(lengths).toEqual([
      PACKET_LENGTH.ltp,
      PACKET_LENGTH.quote,
      PACKET_LENGTH.full,
      PACKET_LENGTH.indexQuote,
      PACKET_LENGTH.indexFull,
    ]);
    expect(lengths).toEqual([8, 44, 184, 28, 32]);
    expect(message.readInt32BE(2 + 2 + 4)).toBe(181_235);
  });

  it('decodes with kiteconnect into the documented tick fields', () => {
    const [ltp, quote, full] = parse(
      encodeTickMessage([
        { tick: INFY, mode: 'ltp' },
        { tick: INFY, mode: 'quote' },
        { tick: INFY, mode: 'full' },
      ]),
    );
    expect(ltp).toEqual({ tradable: true, mode: 'ltp', instrument_token: 408065, last_price: 1812.35 });
    expect(quote).toEqual({
      tradable: true,
      mode: 'quote',
      instrument_token: 408065,
      last_price: 1812.35,
      last_traded_quantity: 7,
      average_traded_price: 1805.5,
      volume_traded: 1_234_567,
      total_buy_quantity: 45_000,
      total_sell_quantity: 52_000,
      ohlc: { open: 1800, high: 1820.1, low: 1795.05, close: 1790 },
      change: ((1812.35 - 1790) * 100) / 1790,
    });
    expect(full).toMatchObject({
      mode: 'full',
      last_trade_time: new Date(1_731_940_200_000),
      exchange_timestamp: new Date(1_731_940_201_000),
      oi: 0,
      oi_day_high: 0,
      oi_day_low: 0,
    });
    expect(full.depth.buy).toEqual(
      INFY.buyDepth.map((level) => ({
        quantity: level.quantity,
        price: Number(level.price.toFixed(2)),
        orders: level.orders,
      })),
    );
    expect(full.depth.sell[4]).toEqual({ quantity: 55, price: 1812.6, orders: 6 });
  });

  it('encodes index packets in H, L, O, C order, not tradable', () => {
    const [quote, full] = parse(
      encodeTickMessage([
        { tick: NIFTY_INDEX, mode: 'quote' },
        { tick: NIFTY_INDEX, mode: 'full' },
      ]),
    );
    expect(quote).toEqual({
      tradable: false,
      mode: 'quote',
      instrument_token: 256265,
      last_price: 24_100.5,
      ohlc: { high: 24_150, low: 23_990, open: 24_010, close: 24_000 },
      change: (100.5 * 100) / 24_000,
    });
    expect(full).toMatchObject({
      mode: 'full',
      tradable: false,
      exchange_timestamp: new Date(1_731_940_201_000),
    });
  });

  it('scales prices by segment: paise, CDS 1e7, BCD 1e4', () => {
    expect(priceDivisor(408065)).toBe(100);
    expect(priceDivisor((1000 << 8) + 3)).toBe(10_000_000);
    expect(priceDivisor((1000 << 8) + 6)).toBe(10_000);
    const cds: TickSnapshot = { ...INFY, instrumentToken: (1000 << 8) + 3, lastPrice: 83.1234 };
    const [tick] = parse(encodeTickMessage([{ tick: cds, mode: 'ltp' }]));
    expect(tick.last_price).toBeCloseTo(83.1234, 7);
  });

  it('uses a one-byte heartbeat that kiteconnect does not parse as ticks', () => {
    expect(HEARTBEAT_FRAME.length).toBe(1);
  });
});
