import type { ExchangeSimulator, Instrument, InstrumentQuery } from '@brokerkit/exchange-sim';
import type { ContractFields } from '../messages/incoming/contract-fields.js';
import type { ContractDetailsView } from '../messages/outgoing/contract-data.js';
import type { WireContract } from '../messages/outgoing/wire-contract.js';
import {
  IB_CONTRACT_METADATA,
  IB_DEFAULTS_BY_SEC_TYPE,
  type IbContractMetadata,
} from './ib-contract-metadata.js';

type SecType = Instrument['secType'];

const SEC_TYPES = new Set<string>(['STK', 'FUT', 'OPT', 'CASH', 'CRYPTO']);
/** Months listed for a futures root asked without an expiry (real TWS answers one row per expiry). */
const FUTURE_MONTHS_LISTED = 4;

/** How a client's contract fields resolve. */
export type ContractResolution =
  | { kind: 'unique'; instrument: Instrument }
  | { kind: 'ambiguous'; candidates: Instrument[] }
  | { kind: 'unknown'; reason: string };

/** An error thrown by exchange-sim's registry for an unknown or ambiguous symbol (core's InvalidSymbolError). */
interface SymbolErrorShape {
  code: 'INVALID_SYMBOL';
  message: string;
  candidates?: string[];
}

function isSymbolError(error: unknown): error is SymbolErrorShape {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'INVALID_SYMBOL'
  );
}

function normalizeRight(right: string): 'C' | 'P' | undefined {
  const upper = right.trim().toUpperCase();
  if (upper === 'C' || upper === 'CALL') return 'C';
  if (upper === 'P' || upper === 'PUT') return 'P';
  return undefined;
}

const pad2 = (value: number) => String(value).padStart(2, '0');

function yyyymmdd(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}`;
}

/**
 * Maps between TWS contracts and the engine's instruments: resolves the contract fields of a
 * request (conId first, then symbol and the narrowing fields, as TWS does), lists the rows of a
 * contract-details answer, and writes instruments back as TWS contracts with IB's names and ids.
 */
export class ContractCatalogue {
  readonly #simulator: ExchangeSimulator;
  readonly #wireContracts = new Map<Instrument, WireContract>();
  readonly #instrumentsByIbConId = new Map<number, Instrument>();
  readonly #metadata = new Map<Instrument, IbContractMetadata & { orderTypes: string }>();

  constructor(simulator: ExchangeSimulator) {
    this.#simulator = simulator;
    for (const instrument of simulator.instruments.list()) this.#register(instrument);
  }

  /** IB metadata of an instrument: its own entry over its asset class's defaults. */
  metadataOf(instrument: Instrument): IbContractMetadata & { orderTypes: string } {
    let metadata = this.#metadata.get(instrument);
    if (metadata === undefined) {
      const own = IB_CONTRACT_METADATA[`${instrument.secType}:${instrument.symbol}`] ?? {};
      metadata = Object.freeze({ ...IB_DEFAULTS_BY_SEC_TYPE[instrument.secType], ...own });
      this.#metadata.set(instrument, metadata);
    }
    return metadata;
  }

  /** The conId TWS reports for an instrument. */
  conIdOf(instrument: Instrument): number {
    return this.#wire(instrument).conId;
  }

  /** The instrument behind an IB conId, if the simulator lists one. */
  byConId(conId: number): Instrument | undefined {
    const known = this.#instrumentsByIbConId.get(conId);
    if (known !== undefined) return known;
    const instrument = this.#simulator.instruments.byConId(conId);
    // An instrument with an IB conId of its own is not reachable by its engine hash.
    if (instrument === undefined || this.metadataOf(instrument).conId !== undefined) return undefined;
    return instrument;
  }

  /** Resolves the contract fields of an order or request to one instrument, several, or none. */
  resolve(fields: ContractFields): ContractResolution {
    if (fields.conId !== undefined) {
      const instrument = this.byConId(fields.conId);
      return instrument === undefined
        ? { kind: 'unknown', reason: `no contract with conId ${fields.conId}` }
        : { kind: 'unique', instrument: this.#register(instrument) };
    }
    const secType = fields.secType.trim().toUpperCase();
    if (secType !== '' && !SEC_TYPES.has(secType))
      return { kind: 'unknown', reason: `secType ${secType} is not simulated` };
    const symbol = fields.symbol.trim() === '' ? fields.localSymbol.trim() : fields.symbol.trim();
    if (symbol === '') return { kind: 'unknown', reason: 'no symbol, localSymbol or conId' };
    const query: InstrumentQuery = {
      symbol,
      secType: secType === '' ? undefined : (secType as SecType),
      exchange: this.#queryExchange(fields.exchange),
      currency: fields.currency.trim() === '' ? undefined : fields.currency.trim().toUpperCase(),
      lastTradeDateOrContractMonth:
        fields.lastTradeDateOrContractMonth.trim() === ''
          ? undefined
          : fields.lastTradeDateOrContractMonth.trim(),
      strike: fields.strike,
      right: normalizeRight(fields.right),
      multiplier: fields.multiplier.trim() === '' ? undefined : fields.multiplier.trim(),
    };
    try {
      const instrument = this.#simulator.instruments.resolve(query);
      if (!this.#localSymbolMatches(instrument, fields))
        return { kind: 'unknown', reason: 'localSymbol does not match' };
      return { kind: 'unique', instrument: this.#register(instrument) };
    } catch (error) {
      if (!isSymbolError(error)) throw error;
      const candidates = (error.candidates ?? [])
        .map((key) => this.#simulator.instruments.byKey(key))
        .filter((instrument): instrument is Instrument => instrument !== undefined);
      if (candidates.length > 0)
        return { kind: 'ambiguous', candidates: candidates.map((c) => this.#register(c)) };
      const listed = this.#listDerivativeRoot(query);
      if (listed.length > 0) return { kind: 'ambiguous', candidates: listed };
      return { kind: 'unknown', reason: error.message };
    }
  }

  /**
   * The rows of a contract-details answer: one per matching contract (a futures root without an
   * expiry lists its next months, as real TWS lists every expiry), none when nothing matches.
   */
  contractDetailsRows(fields: ContractFields): Instrument[] {
    const resolution = this.resolve(fields);
    if (resolution.kind === 'unique') return [resolution.instrument];
    if (resolution.kind === 'ambiguous') return resolution.candidates;
    return [];
  }

  /** The instrument as TWS writes a contract (conId, names, exchange, trading class). */
  toWireContract(instrument: Instrument): WireContract {
    return this.#wire(this.#register(instrument));
  }

  /** The contract-details row of an instrument. */
  contractDetails(instrument: Instrument): ContractDetailsView {
    const metadata = this.metadataOf(instrument);
    const contract = this.toWireContract(instrument);
    const today = yyyymmdd(this.#simulator.clock.now());
    const tomorrow = yyyymmdd(this.#simulator.clock.now() + 86_400_000);
    const isStock = instrument.secType === 'STK';
    const hours = (open: string, close: string) =>
      `${today}:${open}-${today}:${close};${tomorrow}:${open}-${tomorrow}:${close}`;
    const underlying =
      instrument.underlying === undefined
        ? undefined
        : this.#simulator.instruments.find({ symbol: instrument.underlying, secType: 'STK' });
    return {
      contract,
      marketName: metadata.marketName ?? contract.tradingClass,
      minTick: instrument.tickSize,
      orderTypes: metadata.orderTypes,
      validExchanges: metadata.validExchanges ?? contract.exchange,
      priceMagnifier: 1,
      underConId: underlying === undefined ? 0 : this.conIdOf(underlying),
      longName: metadata.longName ?? instrument.symbol,
      contractMonth: instrument.contractMonth ?? '',
      industry: metadata.industry ?? '',
      category: metadata.category ?? '',
      subcategory: metadata.subcategory ?? '',
      timeZoneId: metadata.timeZoneId ?? 'US/Eastern',
      tradingHours: isStock ? hours('0400', '2000') : hours('0000', '2359'),
      liquidHours: isStock ? hours('0930', '1600') : hours('0000', '2359'),
      secIdList: metadata.isin === undefined ? [] : [{ tag: 'ISIN', value: metadata.isin }],
      aggGroup: 1,
      underSymbol:
        instrument.secType === 'FUT' || instrument.secType === 'OPT'
          ? (instrument.underlying ?? instrument.symbol)
          : '',
      underSecType:
        instrument.secType === 'FUT' || instrument.secType === 'OPT' ? (metadata.underSecType ?? '') : '',
      marketRuleIds: metadata.marketRuleIds ?? '',
      realExpirationDate: instrument.expiry ?? '',
      lastTradeDate: instrument.expiry ?? '',
      stockType: isStock ? (metadata.stockType ?? 'COMMON') : '',
      minSize: metadata.minSize ?? instrument.lotSize,
      sizeIncrement: metadata.sizeIncrement ?? instrument.lotSize,
      suggestedSizeIncrement: metadata.suggestedSizeIncrement ?? instrument.lotSize,
    };
  }

  /** Venue reported by executions of an instrument (`ISLAND`, `COMEX`). */
  executionVenueOf(instrument: Instrument): string {
    const metadata = this.metadataOf(instrument);
    return metadata.executionVenue ?? metadata.exchange ?? instrument.exchange;
  }

  /** Exchange reported by POSITION_DATA (primary exchange for stocks, empty for derivatives). */
  positionExchangeOf(instrument: Instrument): string {
    const metadata = this.metadataOf(instrument);
    return metadata.positionExchange ?? metadata.primaryExch ?? metadata.exchange ?? instrument.exchange;
  }

  #wire(instrument: Instrument): WireContract {
    let contract = this.#wireContracts.get(instrument);
    if (contract !== undefined) return contract;
    const metadata = this.metadataOf(instrument);
    const derivative = instrument.secType === 'FUT' || instrument.secType === 'OPT';
    contract = Object.freeze({
      conId: metadata.conId ?? instrument.conId,
      symbol: instrument.symbol,
      secType: instrument.secType,
      lastTradeDateOrContractMonth:
        instrument.secType === 'FUT'
          ? (instrument.expiry ?? instrument.lastTradeDateOrContractMonth ?? '')
          : (instrument.expiry ?? ''),
      strike: instrument.strike ?? 0,
      right: instrument.right ?? '',
      multiplier: derivative || instrument.multiplier !== 1 ? String(instrument.multiplier) : '',
      exchange: metadata.exchange ?? instrument.exchange,
      primaryExch: instrument.secType === 'STK' ? (metadata.primaryExch ?? '') : '',
      currency: instrument.currency,
      localSymbol: instrument.localSymbol,
      tradingClass: metadata.tradingClass ?? instrument.symbol,
    });
    this.#wireContracts.set(instrument, contract);
    return contract;
  }

  #register(instrument: Instrument): Instrument {
    const conId = this.#wire(instrument).conId;
    if (!this.#instrumentsByIbConId.has(conId)) this.#instrumentsByIbConId.set(conId, instrument);
    return instrument;
  }

  /** TWS's routing exchange SMART and the venue names map to the engine's exchange names. */
  #queryExchange(exchange: string): string | undefined {
    const name = exchange.trim().toUpperCase();
    return name === '' ? undefined : name;
  }

  #localSymbolMatches(instrument: Instrument, fields: ContractFields): boolean {
    const localSymbol = fields.localSymbol.trim();
    return localSymbol === '' || localSymbol === instrument.localSymbol || localSymbol === instrument.symbol;
  }

  /** A futures root asked without a month lists the next months, like real TWS lists every expiry. */
  #listDerivativeRoot(query: InstrumentQuery): Instrument[] {
    if (query.lastTradeDateOrContractMonth !== undefined || query.secType === 'OPT') return [];
    const family = this.#simulator.instruments
      .families()
      .find(
        (candidate) =>
          candidate.root === query.symbol &&
          candidate.secType === 'FUT' &&
          candidate.naming === 'ib' &&
          (query.currency === undefined || candidate.currency === query.currency),
      );
    if (family === undefined) return [];
    const now = new Date(this.#simulator.clock.now());
    const instruments: Instrument[] = [];
    for (let offset = 0; offset < FUTURE_MONTHS_LISTED; offset++) {
      const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      const contractMonth = `${month.getUTCFullYear()}${pad2(month.getUTCMonth() + 1)}`;
      const instrument = this.#simulator.instruments.find({
        ...query,
        exchange: undefined,
        lastTradeDateOrContractMonth: contractMonth,
        secType: 'FUT',
      });
      if (instrument !== undefined) instruments.push(this.#register(instrument));
    }
    return instruments;
  }
}
