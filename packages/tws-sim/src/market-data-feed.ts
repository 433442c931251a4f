import type { ExchangeSimulator, Instrument } from '@brokerkit/exchange-sim';
import type { InstrumentWatch } from './instrument-watch.js';
import {
  encodeMarketDataType,
  encodeTickPrice,
  encodeTickRequestParams,
  encodeTickSize,
  encodeTickString,
  TickType,
} from './messages/outgoing/market-data.js';

/** A session as the feed sees it. */
export interface MarketDataSubscriber {
  send(fields: string[]): void;
  /** The type the client asked for with REQ_MARKET_DATA_TYPE (1 live ... 4 delayed-frozen). */
  readonly requestedMarketDataType: number;
}

interface InstrumentStats {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface Subscription {
  subscriber: MarketDataSubscriber;
  reqId: number;
}

/** The BBO exchange code and snapshot permissions TWS reports in TICK_REQ_PARAMS. */
const BBO_EXCHANGE = '9c0001';
const SNAPSHOT_PERMISSIONS = 3;

/**
 * Market data for REQ_MKT_DATA: an initial set of ticks (bid, ask, last with sizes, volume, high,
 * low, close, open, last timestamp) and then bid/ask/last on every price change of the engine,
 * until CANCEL_MKT_DATA or the session ends. The simulator always serves live data: after a
 * request for delayed data it says so with MARKET_DATA_TYPE 1, as TWS does when live data is
 * available.
 */
export class MarketDataFeed {
  readonly #simulator: ExchangeSimulator;
  readonly #watch: InstrumentWatch;
  readonly #subscriptions = new Map<Instrument, Subscription[]>();
  readonly #stats = new Map<Instrument, InstrumentStats>();
  readonly #unsubscribe: Array<() => void>;

  constructor(simulator: ExchangeSimulator, watch: InstrumentWatch) {
    this.#simulator = simulator;
    this.#watch = watch;
    this.#unsubscribe = [
      simulator.on('price', (instrument, price) => this.#onPrice(instrument, price)),
      simulator.on('execution', (execution) => {
        const stats = this.#stats.get(execution.instrument);
        if (stats !== undefined) stats.volume += execution.quantity;
      }),
    ];
  }

  /** Starts a stream (or answers a snapshot, ending with the caller's TICK_SNAPSHOT_END). */
  subscribe(
    subscriber: MarketDataSubscriber,
    reqId: number,
    instrument: Instrument,
    snapshot: boolean,
  ): void {
    subscriber.send(encodeTickRequestParams(reqId, instrument.tickSize, BBO_EXCHANGE, SNAPSHOT_PERMISSIONS));
    if (subscriber.requestedMarketDataType !== 1) subscriber.send(encodeMarketDataType(reqId, 1));
    const quote = this.#simulator.quote(instrument);
    const stats = this.#statsOf(instrument, quote.last);
    const size = this.#displaySize(instrument);
    subscriber.send(encodeTickPrice(reqId, TickType.BID, quote.bid, size, 1));
    subscriber.send(encodeTickPrice(reqId, TickType.ASK, quote.ask, size, 1));
    subscriber.send(encodeTickPrice(reqId, TickType.LAST, quote.last, size, 0));
    subscriber.send(encodeTickSize(reqId, TickType.VOLUME, stats.volume));
    subscriber.send(encodeTickPrice(reqId, TickType.HIGH, stats.high, 0, 0));
    subscriber.send(encodeTickPrice(reqId, TickType.LOW, stats.low, 0, 0));
    subscriber.send(encodeTickPrice(reqId, TickType.CLOSE, stats.close, 0, 0));
    subscriber.send(encodeTickPrice(reqId, TickType.OPEN, stats.open, 0, 0));
    subscriber.send(encodeTickString(reqId, TickType.LAST_TIMESTAMP, String(Math.floor(quote.time / 1000))));
    if (snapshot) return;
    const list = this.#subscriptions.get(instrument);
    if (list === undefined) {
      this.#subscriptions.set(instrument, [{ subscriber, reqId }]);
      this.#watch.acquire(instrument);
    } else list.push({ subscriber, reqId });
  }

  /** CANCEL_MKT_DATA. Returns false when the request id was not streaming. */
  cancel(subscriber: MarketDataSubscriber, reqId: number): boolean {
    for (const [instrument, list] of this.#subscriptions) {
      const index = list.findIndex((entry) => entry.subscriber === subscriber && entry.reqId === reqId);
      if (index === -1) continue;
      list.splice(index, 1);
      if (list.length === 0) this.#stop(instrument);
      return true;
    }
    return false;
  }

  /** Drops every stream of a session (disconnect; TWS forgets them). */
  dropSubscriber(subscriber: MarketDataSubscriber): void {
    for (const [instrument, list] of [...this.#subscriptions]) {
      const kept = list.filter((entry) => entry.subscriber !== subscriber);
      if (kept.length === list.length) continue;
      if (kept.length === 0) this.#stop(instrument);
      else this.#subscriptions.set(instrument, kept);
    }
  }

  /** Number of live streams. */
  get streamCount(): number {
    let count = 0;
    for (const list of this.#subscriptions.values()) count += list.length;
    return count;
  }

  /** Stops listening to the engine. */
  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe.length = 0;
    for (const instrument of this.#subscriptions.keys()) this.#watch.release(instrument);
    this.#subscriptions.clear();
  }

  #stop(instrument: Instrument): void {
    this.#subscriptions.delete(instrument);
    this.#watch.release(instrument);
  }

  #statsOf(instrument: Instrument, price: number): InstrumentStats {
    let stats = this.#stats.get(instrument);
    if (stats === undefined) {
      stats = {
        open: instrument.initialPrice,
        high: Math.max(price, instrument.initialPrice),
        low: Math.min(price, instrument.initialPrice),
        close: instrument.initialPrice,
        volume: 0,
      };
      this.#stats.set(instrument, stats);
    }
    return stats;
  }

  #displaySize(instrument: Instrument): number {
    return instrument.secType === 'STK' ? 100 : instrument.lotSize < 1 ? 1 : 10;
  }

  #onPrice(instrument: Instrument, price: number): void {
    const stats = this.#stats.get(instrument);
    if (stats !== undefined) {
      stats.high = Math.max(stats.high, price);
      stats.low = Math.min(stats.low, price);
    }
    const list = this.#subscriptions.get(instrument);
    if (list === undefined) return;
    const quote = this.#simulator.quote(instrument);
    const size = this.#displaySize(instrument);
    const timestamp = String(Math.floor(quote.time / 1000));
    for (const { subscriber, reqId } of list) {
      subscriber.send(encodeTickPrice(reqId, TickType.BID, quote.bid, size, 1));
      subscriber.send(encodeTickPrice(reqId, TickType.ASK, quote.ask, size, 1));
      subscriber.send(encodeTickPrice(reqId, TickType.LAST, quote.last, size, 0));
      subscriber.send(encodeTickString(reqId, TickType.LAST_TIMESTAMP, timestamp));
    }
  }
}
