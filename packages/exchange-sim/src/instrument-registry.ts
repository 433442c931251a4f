import { InvalidSymbolError, type OptionRight, type SecType } from '@brokerkit/core';
import {
  createInstrument,
  type Instrument,
  type InstrumentDefinition,
  isMultipleOf,
  roundToStep,
} from './instrument.js';
import {
  BUILT_IN_FAMILIES,
  BUILT_IN_INSTRUMENTS,
  BUILT_IN_LISTINGS,
  type DerivativeFamily,
} from './instrument-universe.js';
import { formatKiteFuture, formatKiteOption, isValidDate, parseKiteSymbol } from './kite-symbols.js';
import { blackScholesPrice } from './option-pricing.js';

/**
 * How an order names an instrument: the contract fields of core's order request. Only `symbol`
 * is required; the other fields narrow the choice.
 */
export interface InstrumentQuery {
  symbol: string;
  secType?: SecType | undefined;
  exchange?: string | undefined;
  currency?: string | undefined;
  /** `YYYYMM` or `YYYYMMDD`. */
  lastTradeDateOrContractMonth?: string | undefined;
  strike?: number | undefined;
  right?: OptionRight | undefined;
  /** IB writes it as a string (`"100"`). */
  multiplier?: string | number | undefined;
}

/** Options of an `InstrumentRegistry`. */
export interface InstrumentRegistryOptions {
  /** Include the built-in universe (default true). */
  builtIn?: boolean;
  /** Time (epoch ms) newly listed options are priced at; the simulator passes its start time. */
  referenceTime?: number;
  /** Put in the `broker` field of errors (`mock`). */
  errorSource?: string;
  /** Most instruments the registry holds, counting contracts listed on demand. Default 100,000. */
  maxInstruments?: number;
}

const IB_MONTH_CODES = 'FGHJKMNQUVXZ';
const YEAR_MS = 365.25 * 86_400_000;
const CACHE_LIMIT = 10_000;

function isDerivative(instrument: Instrument): boolean {
  return instrument.secType === 'FUT' || instrument.secType === 'OPT';
}

function occSymbol(root: string, expiry: string, right: OptionRight, strike: number): string {
  return `${root.padEnd(6, ' ')}${expiry.slice(2)}${right}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}

function describeQuery(query: InstrumentQuery): string {
  const parts = [
    query.secType,
    query.exchange,
    query.currency,
    query.lastTradeDateOrContractMonth,
    query.strike === undefined ? undefined : String(query.strike),
    query.right,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? `"${query.symbol}"` : `"${query.symbol}" (${parts.join(' ')})`;
}

/**
 * The instruments a simulator knows: the built-in universe, contracts of the built-in derivative
 * families (listed the first time something names them), and whatever users add.
 *
 * Lookups follow IB's contract fields or Kite's trading symbols:
 *
 * @example
 * registry.resolve({ symbol: 'AAPL' });                                   // SMART:AAPL
 * registry.resolve({ symbol: 'EUR', secType: 'CASH', currency: 'USD' });  // IDEALPRO:EUR.USD
 * registry.resolve({ symbol: 'GC', secType: 'FUT', lastTradeDateOrContractMonth: '202412' }); // NYMEX:GCZ4
 * registry.resolve({ symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20241220', strike: 450, right: 'C' });
 * registry.resolve({ symbol: 'NIFTY24NOVFUT', exchange: 'NFO' });        // NFO:NIFTY24NOVFUT
 * registry.resolve({ symbol: 'INVALID' });                                // throws InvalidSymbolError
 */
export class InstrumentRegistry {
  readonly #byKey = new Map<string, Instrument>();
  readonly #byConId = new Map<number, Instrument>();
  readonly #bySymbol = new Map<string, Instrument[]>();
  readonly #familiesByRoot = new Map<string, DerivativeFamily[]>();
  readonly #cache = new Map<string, Instrument>();
  readonly #referenceTime: number;
  readonly #errorSource: string | undefined;
  readonly #maxInstruments: number;
  readonly #listeners: Array<(instrument: Instrument) => void> = [];

  constructor(options: InstrumentRegistryOptions = {}) {
    this.#referenceTime = options.referenceTime ?? Date.now();
    this.#errorSource = options.errorSource;
    this.#maxInstruments = options.maxInstruments ?? 100_000;
    if (options.builtIn ?? true) {
      for (const definition of BUILT_IN_INSTRUMENTS) this.add(definition);
      for (const family of BUILT_IN_FAMILIES) this.addFamily(family);
      for (const listing of BUILT_IN_LISTINGS) this.resolve(listing);
    }
  }

  /** Number of instruments listed so far. */
  get size(): number {
    return this.#byKey.size;
  }

  /** Every listed instrument, in listing order. */
  list(): Instrument[] {
    return [...this.#byKey.values()];
  }

  /** The derivative families contracts can be listed from. */
  families(): DerivativeFamily[] {
    return [...this.#familiesByRoot.values()].flat();
  }

  /** Calls `listener` with each instrument listed from now on (the simulator schedules its session close). */
  onListed(listener: (instrument: Instrument) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Adds an instrument. Throws RangeError for an invalid definition or a key (`EXCHANGE:localSymbol`)
   * that is already listed.
   */
  add(definition: InstrumentDefinition): Instrument {
    const instrument = createInstrument(definition);
    if (this.#byKey.has(instrument.key))
      throw new RangeError(`instrument ${instrument.key} is already listed`);
    if (this.#byKey.size >= this.#maxInstruments) {
      throw new RangeError(`the registry holds its maximum of ${this.#maxInstruments} instruments`);
    }
    let conId = instrument.conId;
    while (this.#byConId.has(conId)) conId = (conId % 2_147_483_646) + 1;
    const listed = conId === instrument.conId ? instrument : Object.freeze({ ...instrument, conId });
    this.#byKey.set(listed.key, listed);
    this.#byConId.set(listed.conId, listed);
    this.#index(listed.symbol, listed);
    if (listed.localSymbol !== listed.symbol) this.#index(listed.localSymbol, listed);
    this.#cache.clear();
    for (const listener of this.#listeners) listener(listed);
    return listed;
  }

  /** Adds a family of derivatives whose contracts are listed on demand. */
  addFamily(family: DerivativeFamily): void {
    const families = this.#familiesByRoot.get(family.root) ?? [];
    if (
      families.some(
        (existing) => existing.secType === family.secType && existing.exchange === family.exchange,
      )
    ) {
      throw new RangeError(`a ${family.secType} family ${family.root} on ${family.exchange} already exists`);
    }
    families.push(Object.freeze({ ...family }));
    this.#familiesByRoot.set(family.root, families);
    this.#cache.clear();
  }

  byKey(key: string): Instrument | undefined {
    return this.#byKey.get(key);
  }

  byConId(conId: number): Instrument | undefined {
    return this.#byConId.get(conId);
  }

  /** Like `resolve`, but `undefined` instead of throwing when nothing matches. */
  find(query: InstrumentQuery): Instrument | undefined {
    try {
      return this.resolve(query);
    } catch (error) {
      if (InvalidSymbolError.isInstance(error)) return undefined;
      throw error;
    }
  }

  /**
   * The instrument an order names. Throws core's `InvalidSymbolError` when the symbol is unknown,
   * ambiguous, or a derivative root without the fields that pick one contract.
   */
  resolve(query: InstrumentQuery): Instrument {
    const signature = `${query.symbol}|${query.secType ?? ''}|${query.exchange ?? ''}|${query.currency ?? ''}|${
      query.lastTradeDateOrContractMonth ?? ''
    }|${query.strike ?? ''}|${query.right ?? ''}|${query.multiplier ?? ''}`;
    const cached = this.#cache.get(signature);
    if (cached !== undefined) return cached;
    const instrument = this.#lookup(query);
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(signature, instrument);
    return instrument;
  }

  #index(name: string, instrument: Instrument): void {
    const list = this.#bySymbol.get(name);
    if (list === undefined) this.#bySymbol.set(name, [instrument]);
    else list.push(instrument);
  }

  #lookup(query: InstrumentQuery): Instrument {
    if (typeof query.symbol !== 'string' || query.symbol.trim() === '')
      this.#unknown(query, 'symbol must not be empty');
    const symbol = query.symbol.trim();
    const wantsContract =
      query.lastTradeDateOrContractMonth !== undefined ||
      query.strike !== undefined ||
      query.right !== undefined;
    let matches = (this.#bySymbol.get(symbol) ?? []).filter((instrument) =>
      this.#matches(instrument, query, symbol),
    );
    if (matches.length > 1 && !wantsContract && query.secType === undefined) {
      const plain = matches.filter((instrument) => !isDerivative(instrument));
      if (plain.length > 0) matches = plain;
    }
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new InvalidSymbolError({
        message: `symbol ${describeQuery(query)} is ambiguous: ${matches.map((instrument) => instrument.key).join(', ')}`,
        hint: 'add secType, exchange, currency or the contract fields to pick one',
        symbol,
        candidates: matches.map((instrument) => instrument.key),
        broker: this.#errorSource,
      });
    }
    const fromFamily = this.#fromFamily(symbol, query);
    if (fromFamily !== undefined) return fromFamily;
    const fromKite = this.#fromKiteSymbol(symbol, query);
    if (fromKite !== undefined) return fromKite;
    return this.#unknown(query);
  }

  #matches(instrument: Instrument, query: InstrumentQuery, symbol: string): boolean {
    if (query.secType !== undefined && instrument.secType !== query.secType) return false;
    if (query.exchange !== undefined && !instrument.exchanges.includes(query.exchange)) return false;
    if (query.currency !== undefined && instrument.currency !== query.currency) return false;
    if (query.multiplier !== undefined && Number(query.multiplier) !== instrument.multiplier) return false;
    const date = query.lastTradeDateOrContractMonth;
    if (date !== undefined) {
      if (instrument.secType === 'FUT') {
        if (date.slice(0, 6) !== instrument.contractMonth) return false;
      } else if (instrument.expiry === undefined) {
        return false;
      } else if (date.length === 8 ? date !== instrument.expiry : !instrument.expiry.startsWith(date)) {
        return false;
      }
    }
    if (
      query.strike !== undefined &&
      (instrument.strike === undefined || Math.abs(instrument.strike - query.strike) > 1e-9)
    ) {
      return false;
    }
    if (query.right !== undefined && instrument.right !== query.right) return false;
    // A root symbol (GC, SPY) names a family, not a contract: the contract fields must pick one.
    if (
      isDerivative(instrument) &&
      symbol === instrument.symbol &&
      instrument.symbol !== instrument.localSymbol
    ) {
      if (date === undefined) return false;
      if (instrument.secType === 'OPT' && (query.strike === undefined || query.right === undefined))
        return false;
    }
    return true;
  }

  #fromFamily(symbol: string, query: InstrumentQuery): Instrument | undefined {
    let families = (this.#familiesByRoot.get(symbol) ?? []).filter(
      (family) =>
        (query.secType === undefined || family.secType === query.secType) &&
        (query.exchange === undefined ||
          family.exchange === query.exchange ||
          family.exchanges.includes(query.exchange)) &&
        (query.currency === undefined || family.currency === query.currency) &&
        (query.multiplier === undefined || Number(query.multiplier) === family.multiplier),
    );
    if (families.length > 1) {
      const optionFields = query.strike !== undefined || query.right !== undefined;
      families = families.filter((family) => family.secType === (optionFields ? 'OPT' : 'FUT'));
    }
    const family = families[0];
    if (family === undefined) return undefined;
    const date = query.lastTradeDateOrContractMonth;
    if (family.secType === 'FUT') {
      if (date === undefined || !/^\d{4}(0[1-9]|1[0-2])(\d{2})?$/.test(date)) {
        this.#unknown(
          query,
          `${symbol} is a futures root: give lastTradeDateOrContractMonth as YYYYMM (e.g. "202412")`,
        );
      }
      return this.#listFuture(family, date.slice(0, 6));
    }
    if (date === undefined || !isValidDate(date)) {
      this.#unknown(
        query,
        `${symbol} is an options root: give lastTradeDateOrContractMonth as a date YYYYMMDD`,
      );
    }
    if (query.strike === undefined || query.right === undefined) {
      this.#unknown(query, `${symbol} is an options root: give strike and right ("C" or "P")`);
    }
    return this.#listOption(family, date, query.strike, query.right, query);
  }

  #fromKiteSymbol(symbol: string, query: InstrumentQuery): Instrument | undefined {
    const parsed = parseKiteSymbol(symbol);
    if (parsed === undefined) return undefined;
    const family = (this.#familiesByRoot.get(parsed.root) ?? []).find(
      (candidate) => candidate.naming === 'kite' && candidate.secType === parsed.secType,
    );
    if (family === undefined) return undefined;
    if (
      query.exchange !== undefined &&
      family.exchange !== query.exchange &&
      !family.exchanges.includes(query.exchange)
    ) {
      return undefined;
    }
    if (query.currency !== undefined && query.currency !== family.currency) return undefined;
    const instrument =
      parsed.secType === 'FUT'
        ? this.#listFuture(family, parsed.contractMonth)
        : this.#listOption(family, parsed.expiry, parsed.strike!, parsed.right!, query);
    // The symbol must be the canonical spelling (no `NIFTY24NOV024000CE`), and the other fields must agree.
    if (instrument.localSymbol !== symbol || !this.#matches(instrument, { ...query, symbol }, symbol))
      return undefined;
    return instrument;
  }

  #listFuture(family: DerivativeFamily, contractMonth: string): Instrument {
    const month = Number(contractMonth.slice(4, 6));
    const kite = family.naming === 'kite';
    const localSymbol = kite
      ? formatKiteFuture(family.root, contractMonth)
      : `${family.root}${IB_MONTH_CODES[month - 1]}${contractMonth.slice(3, 4)}`;
    const existing = this.#byKey.get(`${family.exchange}:${localSymbol}`);
    if (existing !== undefined) return existing;
    return this.add({
      symbol: kite ? localSymbol : family.root,
      localSymbol,
      secType: 'FUT',
      exchange: family.exchange,
      exchanges: family.exchanges,
      currency: family.currency,
      tickSize: family.tickSize,
      lotSize: family.lotSize,
      multiplier: family.multiplier,
      price: family.referencePrice,
      underlying: family.root,
      contractMonth,
      ...(kite ? { expiry: parseKiteSymbol(localSymbol)!.expiry } : {}),
      margin: family.margin,
      commission: family.commission,
      ...(family.products === undefined ? {} : { products: family.products }),
      ...(family.sessionCloseUtc === undefined ? {} : { sessionCloseUtc: family.sessionCloseUtc }),
    });
  }

  #listOption(
    family: DerivativeFamily,
    expiry: string,
    strike: number,
    right: OptionRight,
    query: InstrumentQuery,
  ): Instrument {
    const step = family.strikeStep ?? family.tickSize;
    if (!(strike > 0) || !isMultipleOf(strike, step)) {
      this.#unknown(
        query,
        `${family.root} options have strikes in steps of ${step}; ${strike} is not listed`,
      );
    }
    const kite = family.naming === 'kite';
    const localSymbol = kite
      ? formatKiteOption(family.root, expiry, strike, right)
      : occSymbol(family.root, expiry, right, strike);
    const existing = this.#byKey.get(`${family.exchange}:${localSymbol}`);
    if (existing !== undefined) return existing;
    const expiryTime = Date.UTC(
      Number(expiry.slice(0, 4)),
      Number(expiry.slice(4, 6)) - 1,
      Number(expiry.slice(6, 8)),
      20,
    );
    const years = Math.max((expiryTime - this.#referenceTime) / YEAR_MS, 1 / 365);
    const premium = blackScholesPrice(
      right,
      family.referencePrice,
      strike,
      years,
      family.impliedVolatility ?? 0.2,
    );
    return this.add({
      symbol: kite ? localSymbol : family.root,
      localSymbol,
      secType: 'OPT',
      exchange: family.exchange,
      exchanges: family.exchanges,
      currency: family.currency,
      tickSize: family.tickSize,
      lotSize: family.lotSize,
      multiplier: family.multiplier,
      price: Math.max(family.tickSize, roundToStep(premium, family.tickSize, 8)),
      underlying: family.root,
      contractMonth: expiry.slice(0, 6),
      expiry,
      strike,
      right,
      margin: family.margin,
      commission: family.commission,
      ...(family.products === undefined ? {} : { products: family.products }),
      ...(family.sessionCloseUtc === undefined ? {} : { sessionCloseUtc: family.sessionCloseUtc }),
    });
  }

  #unknown(query: InstrumentQuery, detail?: string): never {
    throw new InvalidSymbolError({
      message:
        detail === undefined
          ? `unknown symbol ${describeQuery(query)}: no such instrument`
          : `unknown symbol ${describeQuery(query)}: ${detail}`,
      hint: 'list the known instruments with simulator.instruments.list(), or add one with addInstrument()',
      symbol: String(query.symbol),
      broker: this.#errorSource,
    });
  }
}
