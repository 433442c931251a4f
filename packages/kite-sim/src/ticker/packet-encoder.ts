import type { TickerMode, TickSnapshot } from './tick-snapshot.js';

/**
 * Kite ticker binary packets (kite-connect-api.md section 8; kiteconnectjs `parseBinary`). All
 * integers are big-endian int32 unless noted; prices are integers in paise (CDS: /1e7, BCD: /1e4).
 *
 * | bytes | packet | fields |
 * |---|---|---|
 * | 8 | LTP | token, last price |
 * | 28 | index quote | token, last, high, low, open, close, change (close-relative, x100) |
 * | 32 | index full | index quote + exchange timestamp (epoch s) |
 * | 44 | quote | token, last, last qty, avg price, volume, buy qty, sell qty, open, high, low, close |
 * | 184 | full | quote + last trade time @44, oi @48, oi high @52, oi low @56, exchange ts @60, depth @64 (10 x {qty int32, price int32, orders int16, 2 pad}) |
 *
 * A message is `int16 packet count`, then for each packet `int16 length` + bytes.
 */
export const PACKET_LENGTH = Object.freeze({ ltp: 8, indexQuote: 28, indexFull: 32, quote: 44, full: 184 });

/** The one-byte frame the server sends every second as a heartbeat. */
export const HEARTBEAT_FRAME: Buffer = Buffer.alloc(1);

/** Kite segment codes: `instrument_token & 0xff`. */
export const SEGMENT_CODE = Object.freeze({
  NSE: 1,
  NFO: 2,
  CDS: 3,
  BSE: 4,
  BFO: 5,
  BCD: 6,
  MCX: 7,
  MCXSX: 8,
  INDICES: 9,
});

/** The price divisor for a token's segment: 1e7 for CDS, 1e4 for BCD, 100 otherwise. */
export function priceDivisor(instrumentToken: number): number {
  const segment = instrumentToken & 0xff;
  if (segment === SEGMENT_CODE.CDS) return 10_000_000;
  if (segment === SEGMENT_CODE.BCD) return 10_000;
  return 100;
}

/** Bytes of one instrument's packet in a mode. */
export function packetLength(tick: TickSnapshot, mode: TickerMode): number {
  if (mode === 'ltp') return PACKET_LENGTH.ltp;
  if (tick.isIndex) return mode === 'full' ? PACKET_LENGTH.indexFull : PACKET_LENGTH.indexQuote;
  return mode === 'full' ? PACKET_LENGTH.full : PACKET_LENGTH.quote;
}

function price(value: number, divisor: number): number {
  return clampInt32(Math.round(value * divisor));
}

function clampInt32(value: number): number {
  if (!Number.isFinite(value)) return 0;
  if (value > 2_147_483_647) return 2_147_483_647;
  if (value < -2_147_483_648) return -2_147_483_648;
  return Math.trunc(value);
}

/** Writes one packet (without its length prefix) at `offset`; returns the offset after it. */
export function writePacket(buffer: Buffer, offset: number, tick: TickSnapshot, mode: TickerMode): number {
  const divisor = priceDivisor(tick.instrumentToken);
  buffer.writeUInt32BE(tick.instrumentToken >>> 0, offset);
  buffer.writeInt32BE(price(tick.lastPrice, divisor), offset + 4);
  if (mode === 'ltp') return offset + PACKET_LENGTH.ltp;

  if (tick.isIndex) {
    buffer.writeInt32BE(price(tick.high, divisor), offset + 8);
    buffer.writeInt32BE(price(tick.low, divisor), offset + 12);
    buffer.writeInt32BE(price(tick.open, divisor), offset + 16);
    buffer.writeInt32BE(price(tick.close, divisor), offset + 20);
    // The net change in paise; clients recompute the percentage from close and last price.
    buffer.writeInt32BE(price(tick.lastPrice - tick.close, divisor), offset + 24);
    if (mode === 'quote') return offset + PACKET_LENGTH.indexQuote;
    buffer.writeInt32BE(clampInt32(tick.exchangeTimestamp), offset + 28);
    return offset + PACKET_LENGTH.indexFull;
  }

  buffer.writeInt32BE(clampInt32(tick.lastQuantity), offset + 8);
  buffer.writeInt32BE(price(tick.averagePrice, divisor), offset + 12);
  buffer.writeInt32BE(clampInt32(tick.volume), offset + 16);
  buffer.writeInt32BE(clampInt32(tick.totalBuyQuantity), offset + 20);
  buffer.writeInt32BE(clampInt32(tick.totalSellQuantity), offset + 24);
  buffer.writeInt32BE(price(tick.open, divisor), offset + 28);
  buffer.writeInt32BE(price(tick.high, divisor), offset + 32);
  buffer.writeInt32BE(price(tick.low, divisor), offset + 36);
  buffer.writeInt32BE(price(tick.close, divisor), offset + 40);
  if (mode === 'quote') return offset + PACKET_LENGTH.quote;

  buffer.writeInt32BE(clampInt32(tick.lastTradeTime), offset + 44);
  buffer.writeInt32BE(clampInt32(tick.oi), offset + 48);
  buffer.writeInt32BE(clampInt32(tick.oiDayHigh), offset + 52);
  buffer.writeInt32BE(clampInt32(tick.oiDayLow), offset + 56);
  buffer.writeInt32BE(clampInt32(tick.exchangeTimestamp), offset + 60);
  let cursor = offset + 64;
  for (const side of [tick.buyDepth, tick.sellDepth]) {
    for (let level = 0; level < 5; level++) {
      const entry = side[level];
      buffer.writeInt32BE(clampInt32(entry?.quantity ?? 0), cursor);
      buffer.writeInt32BE(entry === undefined ? 0 : price(entry.price, divisor), cursor + 4);
      buffer.writeInt16BE(Math.max(-32_768, Math.min(32_767, Math.trunc(entry?.orders ?? 0))), cursor + 8);
      buffer.writeInt16BE(0, cursor + 10);
      cursor += 12;
    }
  }
  return offset + PACKET_LENGTH.full;
}

/** One tick and the mode to encode it in. */
export interface TickInMode {
  tick: TickSnapshot;
  mode: TickerMode;
}

/**
 * Encodes a binary message: `int16 count`, then `int16 length` + packet for each tick. At most
 * 32,767 packets fit in one message; callers split bigger batches.
 */
export function encodeTickMessage(ticks: readonly TickInMode[]): Buffer {
  if (ticks.length > 32_767)
    throw new RangeError(`a message holds at most 32767 packets, got ${ticks.length}`);
  let size = 2;
  for (const { tick, mode } of ticks) size += 2 + packetLength(tick, mode);
  const buffer = Buffer.allocUnsafe(size);
  buffer.writeInt16BE(ticks.length, 0);
  let offset = 2;
  for (const { tick, mode } of ticks) {
    buffer.writeInt16BE(packetLength(tick, mode), offset);
    offset = writePacket(buffer, offset + 2, tick, mode);
  }
  return buffer;
}
