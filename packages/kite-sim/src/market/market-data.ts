import type { ExchangeSimulator, Execution, Instrument } from '@brokerkit/exchange-sim';
import type { InstrumentTable } from '../instruments/instrument-table.js';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import type { DepthLevel, TickSnapshot } from '../ticker/tick-snapshot.js';
import { istDayNumber } from '../time/ist-time.js';

interface DayStats {
  day: number;
  open: number;
  high: number;
  low: number;
  /** Previous day's last price (the first day: the instrument's starting price). */
  close: number;
  last: number;
  volume: number;
  turnover: number;
  lastQuantity: number;
  /** Epoch ms of the last trade (a price change counts as a market trade). */
  lastTradeTime: number;
}

/** Lower and upper circuit limits of the day. */
export interface CircuitLimits {
  lower: number;
  upper: number;
}

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

/**
 * Day statistics (open, high, low, previous close, volume, VWAP, last trade) per instrument, fed
 * by the engine's price and execution events, and the quote / tick snapshots built from them.
 *
 * The market is the engine's single price path: every price change counts as one lot traded by
 * the rest of the market, fills of the simulated account add their quantity. Depth is five
 * levels a tick apart around the engine's bid and ask; open interest of derivatives is a stable
 * made-up figure. None of this is market data; it is shaped like it.
 */
export class MarketData {
  readonly #simulator: ExchangeSimulator;
  readonly #table: InstrumentTable;
  readonly #stats = new Map<Instrument, DayStats>();

  constructor(simulator: ExchangeSimulator, table: InstrumentTable) {
    this.#simulator = simulator;
    this.#table = table;
  }

  /** Listener for the engine's `price` event. */
  readonly onPrice = (instrument: Instrument, price: number): void => {
    const stats = this.#statsOf(instrument, price);
    stats.last = price;
    if (price > stats.high) stats.high = price;
    if (price < stats.low) stats.low = price;
    stats.volume += instrument.lotSize;
    stats.turnover += instrument.lotSize * price;
    stats.lastQuantity = instrument.lotSize;
    stats.lastTradeTime = this.#simulator.clock.now();
  };

  /** Listener for the engine's `execution` event. */
  readonly onExecution = (execution: Execution): void => {
    const stats = this.#statsOf(execution.instrument, execution.price);
    stats.volume += execution.quantity;
    stats.turnover += execution.quantity * execution.price;
    stats.lastQuantity = execution.quantity;
    stats.lastTradeTime = execution.time;
    stats.last = execution.price;
    if (execution.price > stats.high) stats.high = execution.price;
    if (execution.price < stats.low) stats.low = execution.price;
  };

  /** The last price now (syncs the engine's price path). */
  lastPrice(row: KiteInstrument): number {
    return this.#simulator.price(row.instrument);
  }

  /** Previous close (the dump's `last_price`, the quote's `ohlc.close`). */
  close(row: KiteInstrument): number {
    return this.#statsOf(row.instrument, this.#simulator.price(row.instrument)).close;
  }

  /** Open, high, low, close of the day. */
  ohlc(row: KiteInstrument): { open: number; high: number; low: number; close: number } {
    const last = this.#simulator.price(row.instrument);
    const stats = this.#statsOf(row.instrument, last);
    return {
      open: stats.open,
      high: Math.max(stats.high, last),
      low: Math.min(stats.low, last),
      close: stats.close,
    };
  }

  /**
   * The day's price band: 20% either side of the previous close for equities and futures,
   * widened to include the last price (a price set far away moves the band with it); options
   * trade from one tick to five times the close.
   */
  circuitLimits(row: KiteInstrument): CircuitLimits {
    const last = this.#simulator.price(row.instrument);
    const close = this.close(row);
    const tick = row.tickSize;
    const decimals = row.instrument.priceDecimals;
    if (row.instrumentType === 'CE' || row.instrumentType === 'PE') {
      return { lower: tick, upper: round(Math.ceil(Math.max(close * 5, last * 2) / tick) * tick, decimals) };
    }
    const lower = Math.min(close * 0.8, last * 0.98);
    const upper = Math.max(close * 1.2, last * 1.02);
    return {
      lower: round(Math.max(tick, Math.ceil(lower / tick) * tick), decimals),
      upper: round(Math.floor(upper / tick) * tick, decimals),
    };
  }

  /** Everything a quote or a tick reports about an instrument now. */
  snapshot(row: KiteInstrument): TickSnapshot {
    const instrument = row.instrument;
    const quote = this.#simulator.quote(instrument);
    const stats = this.#statsOf(instrument, quote.last);
    const tick = row.tickSize;
    const decimals = instrument.priceDecimals;
    const bestBid = quote.bid < quote.ask ? quote.bid : round(quote.last - tick, decimals);
    const bestAsk = quote.bid < quote.ask ? quote.ask : round(quote.last + tick, decimals);
    const buyDepth: DepthLevel[] = [];
    const sellDepth: DepthLevel[] = [];
    let totalBuy = 0;
    let totalSell = 0;
    if (!row.isIndex) {
      for (let level = 0; level < 5; level++) {
        const quantity = row.lotSize * (5 + level * 3);
        buyDepth.push({
          price: Math.max(0, round(bestBid - level * tick, decimals)),
          quantity,
          orders: 1 + level,
        });
        sellDepth.push({ price: round(bestAsk + level * tick, decimals), quantity, orders: 1 + level });
        totalBuy += quantity * 20;
        totalSell += quantity * 20;
      }
    }
    const derivative = row.instrumentType !== 'EQ';
    const oi = derivative ? row.lotSize * (10_000 + (row.instrumentToken % 997)) : 0;
    const lastTradeTime = stats.lastTradeTime;
    return {
      instrumentToken: row.instrumentToken,
      isIndex: row.isIndex,
      lastPrice: quote.last,
      lastQuantity: row.isIndex ? 0 : stats.lastQuantity,
      averagePrice: row.isIndex || stats.volume === 0 ? 0 : round(stats.turnover / stats.volume, 2),
      volume: row.isIndex ? 0 : stats.volume,
      totalBuyQuantity: totalBuy,
      totalSellQuantity: totalSell,
      open: stats.open,
      high: Math.max(stats.high, quote.last),
      low: Math.min(stats.low, quote.last),
      close: stats.close,
      lastTradeTime: Math.floor(lastTradeTime / 1000),
      oi,
      oiDayHigh: derivative ? oi + row.lotSize * 100 : 0,
      oiDayLow: derivative ? oi - row.lotSize * 100 : 0,
      exchangeTimestamp: Math.floor(this.#simulator.clock.now() / 1000),
      buyDepth,
      sellDepth,
    };
  }

  /** The table the snapshots are for. */
  get instruments(): InstrumentTable {
    return this.#table;
  }

  #statsOf(instrument: Instrument, price: number): DayStats {
    const now = this.#simulator.clock.now();
    const day = istDayNumber(now);
    let stats = this.#stats.get(instrument);
    if (stats === undefined) {
      const start = instrument.initialPrice;
      stats = {
        day,
        open: start,
        high: Math.max(start, price),
        low: Math.min(start, price),
        close: start,
        last: price,
        volume: 0,
        turnover: 0,
        lastQuantity: 0,
        lastTradeTime: this.#simulator.origin,
      };
      this.#stats.set(instrument, stats);
    } else if (stats.day !== day) {
      // A new trading day: yesterday's last price becomes the close, the day starts over.
      stats.day = day;
      stats.close = stats.last;
      stats.open = price;
      stats.high = price;
      stats.low = price;
      stats.volume = 0;
      stats.turnover = 0;
      stats.lastQuantity = 0;
    }
    return stats;
  }
}
