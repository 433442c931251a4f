import type { ExchangeSimulator, Instrument } from '@brokerkit/exchange-sim';
import { hashString, parseKiteSymbol } from '@brokerkit/exchange-sim';
import { SEGMENT_CODE } from '../ticker/packet-encoder.js';
import type { KiteInstrument, KiteInstrumentType } from './kite-instrument.js';

/** Exchanges Kite lists (kiteconnect's `Exchanges` type). */
export const KITE_EXCHANGES: ReadonlySet<string> = new Set(['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX']);

/** An index the simulator quotes (segment INDICES, not tradable). */
export interface IndexDefinition {
  /** The dump's tradingsymbol: `NIFTY 50`. */
  tradingsymbol: string;
  name: string;
  /** Kite's exchange token (the instrument token is `exchangeToken << 8 | 9`). */
  exchangeToken: number;
  price: number;
}

/** NSE indices with their real Kite tokens (NIFTY 50 = 256265, NIFTY BANK = 260105, NIFTY FIN SERVICE = 257801). */
export const DEFAULT_INDICES: readonly IndexDefinition[] = Object.freeze([
  { tradingsymbol: 'NIFTY 50', name: 'NIFTY 50', exchangeToken: 1001, price: 24_000 },
  { tradingsymbol: 'NIFTY BANK', name: 'NIFTY BANK', exchangeToken: 1016, price: 51_000 },
  { tradingsymbol: 'NIFTY FIN SERVICE', name: 'NIFTY FIN SERVICE', exchangeToken: 1007, price: 23_500 },
]);

/** Real exchange tokens of well-known instruments, so tokens in tests match production ones. */
const KNOWN_EXCHANGE_TOKENS: Readonly<Record<string, number>> = {
  'NSE:RELIANCE': 2885,
  'NSE:INFY': 1594,
  'NSE:SBIN': 3045,
  'NSE:TCS': 11536,
  'NSE:HDFCBANK': 1333,
};

/** Company names of the dump's `name` column for well-known symbols. */
const COMPANY_NAMES: Readonly<Record<string, string>> = {
  RELIANCE: 'RELIANCE INDUSTRIES',
  INFY: 'INFOSYS',
  SBIN: 'STATE BANK OF INDIA',
  TCS: 'TATA CONSULTANCY SERV LT',
  HDFCBANK: 'HDFC BANK',
};

const SEGMENT_CODES: Readonly<Record<string, number>> = SEGMENT_CODE;

/**
 * The instrument dump: the engine's Kite-exchange instruments (NSE / BSE equities, NFO / BFO /
 * MCX / CDS derivatives) plus the configured indices, each with a stable instrument token. Rows
 * are added as the engine lists contracts (an order for a valid F&O symbol lists it on demand).
 */
export class InstrumentTable {
  readonly #simulator: ExchangeSimulator;
  readonly #byToken = new Map<number, KiteInstrument>();
  readonly #bySymbol = new Map<string, KiteInstrument>();
  readonly #byInstrument = new Map<Instrument, KiteInstrument>();
  readonly #indexKeys = new Set<string>();
  readonly #rows: KiteInstrument[] = [];
  #seen = 0;
  #version = 0;

  constructor(simulator: ExchangeSimulator, indices: readonly IndexDefinition[] = DEFAULT_INDICES) {
    this.#simulator = simulator;
    for (const index of indices) {
      const key = `NSE:${index.tradingsymbol}`;
      const instrument =
        simulator.instruments.byKey(key) ??
        simulator.addInstrument({
          symbol: index.tradingsymbol,
          secType: 'STK',
          exchange: 'NSE',
          currency: 'INR',
          tickSize: 0.05,
          price: index.price,
          products: [],
        });
      this.#indexKeys.add(instrument.key);
      this.#add(instrument, index);
    }
    this.refresh();
  }

  /** Changes whenever rows are added (for caches such as the CSV dump). */
  get version(): number {
    this.refresh();
    return this.#version;
  }

  /** Every row, in listing order; with `exchange`, only that exchange's. */
  list(exchange?: string): readonly KiteInstrument[] {
    this.refresh();
    if (exchange === undefined) return this.#rows;
    return this.#rows.filter((row) => row.exchange === exchange);
  }

  /** The row of an instrument token. */
  byToken(instrumentToken: number): KiteInstrument | undefined {
    this.refresh();
    return this.#byToken.get(instrumentToken);
  }

  /** The row of the engine instrument. */
  byInstrument(instrument: Instrument): KiteInstrument | undefined {
    this.refresh();
    return this.#byInstrument.get(instrument);
  }

  /**
   * The row of `exchange:tradingsymbol`. A valid F&O symbol not listed yet (`NIFTY24DEC24000CE`)
   * is listed by the engine on demand, as the daily dump would already contain it, when it has
   * not expired and expires within five years (the longest-dated index options).
   */
  bySymbol(exchange: string, tradingsymbol: string): KiteInstrument | undefined {
    this.refresh();
    const key = `${exchange}:${tradingsymbol}`;
    const known = this.#bySymbol.get(key);
    if (
      known !== undefined ||
      !KITE_EXCHANGES.has(exchange) ||
      (exchange !== 'NFO' && exchange !== 'BFO' && exchange !== 'MCX')
    ) {
      return known;
    }
    const parsed = parseKiteSymbol(tradingsymbol);
    if (parsed === undefined) return undefined;
    const today = new Date(this.#simulator.clock.now()).toISOString().slice(0, 10).replaceAll('-', '');
    const horizon = String(Number(today.slice(0, 4)) + 5) + today.slice(4);
    if (parsed.expiry < today || parsed.expiry > horizon) return undefined;
    try {
      this.#simulator.resolveInstrument({ symbol: tradingsymbol, exchange });
    } catch {
      return undefined;
    }
    this.refresh();
    return this.#bySymbol.get(key);
  }

  /** Picks up instruments the engine listed since the last call. */
  refresh(): void {
    const registry = this.#simulator.instruments;
    if (registry.size === this.#seen) return;
    const all = registry.list();
    for (let index = this.#seen; index < all.length; index++) {
      const instrument = all[index]!;
      if (this.#byInstrument.has(instrument) || this.#indexKeys.has(instrument.key)) continue;
      if (!KITE_EXCHANGES.has(instrument.exchange) || instrument.currency !== 'INR') continue;
      this.#add(instrument, undefined);
    }
    this.#seen = all.length;
  }

  #add(instrument: Instrument, index: IndexDefinition | undefined): void {
    const isIndex = index !== undefined;
    const derivative = instrument.secType === 'FUT' || instrument.secType === 'OPT';
    const instrumentType: KiteInstrumentType =
      instrument.secType === 'FUT'
        ? 'FUT'
        : instrument.secType === 'OPT'
          ? instrument.right === 'P'
            ? 'PE'
            : 'CE'
          : 'EQ';
    const segment = isIndex
      ? 'INDICES'
      : derivative
        ? `${instrument.exchange}-${instrumentType === 'FUT' ? 'FUT' : 'OPT'}`
        : instrument.exchange;
    const segmentCode = isIndex
      ? SEGMENT_CODE.INDICES
      : (SEGMENT_CODES[instrument.exchange] ?? SEGMENT_CODE.NSE);
    const tradingsymbol = instrument.localSymbol;
    const exchangeToken = this.#uniqueExchangeToken(
      index?.exchangeToken ??
        KNOWN_EXCHANGE_TOKENS[instrument.key] ??
        100_000 + (hashString(instrument.key) % 8_000_000),
      segmentCode,
    );
    const expiry = instrument.expiry;
    const row: KiteInstrument = Object.freeze({
      instrumentToken: exchangeToken * 256 + segmentCode,
      exchangeToken,
      tradingsymbol,
      name:
        index?.name ??
        (derivative
          ? (instrument.underlying ?? instrument.symbol)
          : (COMPANY_NAMES[instrument.symbol] ?? instrument.symbol)),
      exchange: instrument.exchange,
      segment,
      instrumentType,
      expiry: expiry === undefined ? '' : `${expiry.slice(0, 4)}-${expiry.slice(4, 6)}-${expiry.slice(6, 8)}`,
      strike: instrument.strike ?? 0,
      tickSize: instrument.tickSize,
      lotSize: instrument.lotSize,
      isIndex,
      instrument,
    });
    this.#rows.push(row);
    this.#byToken.set(row.instrumentToken, row);
    this.#bySymbol.set(`${row.exchange}:${row.tradingsymbol}`, row);
    this.#byInstrument.set(instrument, row);
    this.#version++;
  }

  #uniqueExchangeToken(candidate: number, segmentCode: number): number {
    let token = candidate;
    while (this.#byToken.has(token * 256 + segmentCode)) token = token >= 8_388_000 ? 100_000 : token + 1;
    return token;
  }
}
