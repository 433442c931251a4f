import type { OptionRight, Product, SecType } from '@brokerkit/core';
import { assertValidCommission, type CommissionSchedule } from './commission.js';
import { assertValidMargin, CASH_MARGIN, type MarginParameters, REG_T_MARGIN } from './margin-model.js';
import { hashString } from './random.js';
import { assertSessionTime } from './session.js';

/** What a user gives to add an instrument. Everything but the first six fields has a default. */
export interface InstrumentDefinition {
  /** The symbol orders use: `AAPL`, `EUR` (quote in `currency`), `NIFTY24NOVFUT`. */
  symbol: string;
  secType: SecType;
  /** The primary (routing) exchange: `SMART`, `NYMEX`, `IDEALPRO`, `NSE`, `NFO`. */
  exchange: string;
  /** ISO currency the instrument trades in (for CASH pairs, the quote currency). */
  currency: string;
  /** Minimum price increment. */
  tickSize: number;
  /** Price at the simulator's start. Rounded to the tick. */
  price: number;
  /** Other exchange names orders may give (`NASDAQ` for an `SMART` stock). */
  exchanges?: string[];
  /** Quantities must be whole multiples of this (Zerodha lot size; 1e-8 for bitcoin). Default 1. */
  lotSize?: number;
  /** Contract multiplier (100 for US options). Default 1. */
  multiplier?: number;
  /** The exchange's own name (IB localSymbol, Kite tradingsymbol). Default `symbol`. */
  localSymbol?: string;
  underlying?: string;
  /** Futures contract month `YYYYMM`. */
  contractMonth?: string;
  /** Last trading day `YYYYMMDD` (options; futures when known). */
  expiry?: string;
  strike?: number;
  right?: OptionRight;
  /** Default by asset class and exchange; see the README's margin table. */
  margin?: MarginParameters;
  /** Default by asset class and exchange; see the README's commission table. */
  commission?: CommissionSchedule;
  /** Commission per Zerodha product, overriding `commission` for it. */
  commissionByProduct?: Partial<Record<Product, CommissionSchedule>>;
  /** Zerodha products accepted; the first is the default. NSE/BSE: CNC, MIS. NFO: NRML, MIS. */
  products?: Product[];
  /** False forbids short positions (crypto). Default true, false for CRYPTO. */
  shortable?: boolean;
  /** Orders may give `cashQty` (amount of `currency` to spend) instead of `quantity`. Default: CRYPTO. */
  cashQuantity?: boolean;
  /** Standard deviation of one price step, in basis points of price. Default by asset class. */
  volatilityBps?: number;
  /** Session close `HH:MM` UTC at which DAY orders expire; default the simulator's. */
  sessionCloseUtc?: string;
  /** Most quantity one fill may take (liquidity); default the simulator's. */
  maxFillQuantity?: number;
}

/** An instrument the simulator trades: a definition with every default resolved. Immutable. */
export interface Instrument {
  /** Unique id: `EXCHANGE:localSymbol` (`SMART:AAPL`, `NYMEX:GCZ4`, `NFO:NIFTY24NOVFUT`). */
  readonly key: string;
  /** A stable positive 31-bit number derived from `key` (IB conId, Kite instrument token). */
  readonly conId: number;
  readonly symbol: string;
  readonly localSymbol: string;
  readonly secType: SecType;
  readonly exchange: string;
  /** Every exchange name that selects this instrument, `exchange` first. */
  readonly exchanges: readonly string[];
  readonly currency: string;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly multiplier: number;
  readonly initialPrice: number;
  readonly underlying: string | undefined;
  readonly contractMonth: string | undefined;
  readonly expiry: string | undefined;
  /** IB's field: the expiry for options, the contract month for futures. */
  readonly lastTradeDateOrContractMonth: string | undefined;
  readonly strike: number | undefined;
  readonly right: OptionRight | undefined;
  readonly margin: MarginParameters;
  readonly commission: CommissionSchedule;
  readonly commissionByProduct: Readonly<Partial<Record<Product, CommissionSchedule>>>;
  readonly products: readonly Product[];
  readonly defaultProduct: Product | undefined;
  readonly shortable: boolean;
  readonly cashQuantity: boolean;
  readonly volatilityBps: number;
  readonly sessionCloseUtc: string | undefined;
  readonly maxFillQuantity: number | undefined;
  /** Decimals of `tickSize`, for printing prices without binary noise. */
  readonly priceDecimals: number;
  /** Decimals of `lotSize`. */
  readonly quantityDecimals: number;
}

const INDIAN_CASH_EXCHANGES = new Set(['NSE', 'BSE']);
const INDIAN_DERIVATIVE_EXCHANGES = new Set(['NFO', 'BFO', 'MCX', 'CDS']);

/** IBKR's fixed US-stock pricing: 0.005 per share, minimum 1.00, at most 1% of value. */
export const US_STOCK_COMMISSION: CommissionSchedule = Object.freeze({
  perUnit: 0.005,
  minimum: 1,
  maximumRate: 0.01,
});
/** IBKR US options: 0.65 per contract, minimum 1.00. */
export const US_OPTION_COMMISSION: CommissionSchedule = Object.freeze({ perUnit: 0.65, minimum: 1 });
/** IBKR US futures: 0.85 per contract. */
export const US_FUTURE_COMMISSION: CommissionSchedule = Object.freeze({ perUnit: 0.85 });
/** IBKR IDEALPRO FX: 0.2 basis points of value, minimum 2.00. */
export const FX_COMMISSION: CommissionSchedule = Object.freeze({ rate: 0.00002, minimum: 2 });
/** IBKR PAXOS crypto: 0.18% of value, minimum 1.75. */
export const CRYPTO_COMMISSION: CommissionSchedule = Object.freeze({ rate: 0.0018, minimum: 1.75 });
/** Zerodha intraday and futures: 0.03% of value, at most 20 per order. */
export const ZERODHA_INTRADAY_COMMISSION: CommissionSchedule = Object.freeze({ rate: 0.0003, maximum: 20 });
/** Zerodha options: 20 per executed order. */
export const ZERODHA_OPTION_COMMISSION: CommissionSchedule = Object.freeze({ flat: 20 });
/** Zerodha equity delivery (CNC): free. */
export const ZERODHA_DELIVERY_COMMISSION: CommissionSchedule = Object.freeze({});

function defaultMargin(definition: InstrumentDefinition): MarginParameters {
  if (INDIAN_CASH_EXCHANGES.has(definition.exchange)) {
    return {
      kind: 'percent',
      initial: 1,
      maintenance: 1,
      byProduct: { MIS: { initial: 0.2, maintenance: 0.2 } },
    };
  }
  switch (definition.secType) {
    case 'STK':
      return REG_T_MARGIN;
    case 'FUT':
      return INDIAN_DERIVATIVE_EXCHANGES.has(definition.exchange)
        ? { kind: 'span', spanPercent: 0.1, exposurePercent: 0.02 }
        : { kind: 'percent', initial: 0.1, maintenance: 0.08 };
    case 'OPT':
      return INDIAN_DERIVATIVE_EXCHANGES.has(definition.exchange)
        ? { kind: 'option', shortInitialPercentOfStrike: 0.12, shortMaintenancePercentOfStrike: 0.1 }
        : { kind: 'option', shortInitialPercentOfStrike: 0.2, shortMaintenancePercentOfStrike: 0.2 };
    case 'CASH':
      return { kind: 'percent', initial: 0.03, maintenance: 0.025 };
    case 'CRYPTO':
      return CASH_MARGIN;
  }
}

function defaultCommission(definition: InstrumentDefinition): CommissionSchedule {
  if (INDIAN_CASH_EXCHANGES.has(definition.exchange)) return ZERODHA_DELIVERY_COMMISSION;
  if (INDIAN_DERIVATIVE_EXCHANGES.has(definition.exchange)) {
    return definition.secType === 'OPT' ? ZERODHA_OPTION_COMMISSION : ZERODHA_INTRADAY_COMMISSION;
  }
  switch (definition.secType) {
    case 'STK':
      return US_STOCK_COMMISSION;
    case 'FUT':
      return US_FUTURE_COMMISSION;
    case 'OPT':
      return US_OPTION_COMMISSION;
    case 'CASH':
      return FX_COMMISSION;
    case 'CRYPTO':
      return CRYPTO_COMMISSION;
  }
}

function defaultCommissionByProduct(
  definition: InstrumentDefinition,
): Partial<Record<Product, CommissionSchedule>> {
  if (INDIAN_CASH_EXCHANGES.has(definition.exchange)) return { MIS: ZERODHA_INTRADAY_COMMISSION };
  return {};
}

function defaultProducts(definition: InstrumentDefinition): Product[] {
  if (INDIAN_CASH_EXCHANGES.has(definition.exchange)) return ['CNC', 'MIS'];
  if (INDIAN_DERIVATIVE_EXCHANGES.has(definition.exchange)) return ['NRML', 'MIS'];
  return [];
}

const DEFAULT_VOLATILITY_BPS: Record<SecType, number> = { STK: 1, FUT: 1, OPT: 5, CASH: 0.5, CRYPTO: 2 };

/** Number of decimals needed to write `step` exactly (0.05 -> 2, 0.00005 -> 5, 1e-8 -> 8). */
export function decimalsOf(step: number): number {
  for (let decimals = 0; decimals < 12; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return decimals;
  }
  return 12;
}

/** Rounds `value` to the nearest multiple of `step`, written with `decimals` decimals. */
export function roundToStep(value: number, step: number, decimals: number): number {
  return Number((Math.round(value / step) * step).toFixed(decimals));
}

/** Rounds `value` down to a multiple of `step`. */
export function floorToStep(value: number, step: number, decimals: number): number {
  return Number((Math.floor(value / step + 1e-9) * step).toFixed(decimals));
}

/** True when `value` is a whole multiple of `step` (within floating-point noise). */
export function isMultipleOf(value: number, step: number): boolean {
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-6;
}

function positive(value: unknown, field: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${where}: ${field} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

function text(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new RangeError(`${where}: ${field} must be a non-empty string`);
  }
  return value.trim();
}

const SEC_TYPES = new Set<SecType>(['STK', 'FUT', 'OPT', 'CASH', 'CRYPTO']);

/**
 * Builds an `Instrument` from a definition: checks every field (RangeError naming it), fills the
 * defaults and freezes the result.
 */
export function createInstrument(definition: InstrumentDefinition): Instrument {
  const where = `instrument ${String(definition?.symbol)}`;
  const symbol = text(definition.symbol, 'symbol', where);
  if (!SEC_TYPES.has(definition.secType))
    throw new RangeError(`${where}: unknown secType ${String(definition.secType)}`);
  const exchange = text(definition.exchange, 'exchange', where);
  const currency = text(definition.currency, 'currency', where);
  if (!/^[A-Z]{3}$/.test(currency))
    throw new RangeError(`${where}: currency must be a 3-letter code such as USD`);
  const tickSize = positive(definition.tickSize, 'tickSize', where);
  const lotSize = positive(definition.lotSize ?? 1, 'lotSize', where);
  const multiplier = positive(definition.multiplier ?? 1, 'multiplier', where);
  const priceDecimals = decimalsOf(tickSize);
  const initialPrice = Math.max(
    tickSize,
    roundToStep(positive(definition.price, 'price', where), tickSize, priceDecimals),
  );
  const localSymbol =
    definition.localSymbol === undefined ? symbol : text(definition.localSymbol, 'localSymbol', where);
  if (definition.contractMonth !== undefined && !/^\d{6}$/.test(definition.contractMonth)) {
    throw new RangeError(`${where}: contractMonth must be YYYYMM`);
  }
  if (definition.expiry !== undefined && !/^\d{8}$/.test(definition.expiry)) {
    throw new RangeError(`${where}: expiry must be YYYYMMDD`);
  }
  if (definition.secType === 'OPT') {
    positive(definition.strike, 'strike', where);
    if (definition.right !== 'C' && definition.right !== 'P')
      throw new RangeError(`${where}: right must be "C" or "P"`);
    if (definition.expiry === undefined) throw new RangeError(`${where}: options need an expiry (YYYYMMDD)`);
  }
  if (
    definition.secType === 'FUT' &&
    definition.contractMonth === undefined &&
    definition.expiry === undefined
  ) {
    throw new RangeError(`${where}: futures need a contractMonth (YYYYMM) or an expiry (YYYYMMDD)`);
  }
  const margin = definition.margin ?? defaultMargin(definition);
  assertValidMargin(margin, where);
  const commission = definition.commission ?? defaultCommission(definition);
  assertValidCommission(commission, where);
  const commissionByProduct = definition.commissionByProduct ?? defaultCommissionByProduct(definition);
  for (const schedule of Object.values(commissionByProduct)) {
    if (schedule !== undefined) assertValidCommission(schedule, where);
  }
  const products = definition.products ?? defaultProducts(definition);
  if (definition.sessionCloseUtc !== undefined)
    assertSessionTime(definition.sessionCloseUtc, `${where}: sessionCloseUtc`);
  const volatilityBps = definition.volatilityBps ?? DEFAULT_VOLATILITY_BPS[definition.secType];
  if (!Number.isFinite(volatilityBps) || volatilityBps < 0)
    throw new RangeError(`${where}: volatilityBps must be >= 0`);
  if (definition.maxFillQuantity !== undefined)
    positive(definition.maxFillQuantity, 'maxFillQuantity', where);
  const contractMonth =
    definition.contractMonth ?? (definition.secType === 'FUT' ? definition.expiry?.slice(0, 6) : undefined);
  const exchanges = [
    exchange,
    ...(definition.exchanges ?? []).map((name) => text(name, 'exchanges[]', where)),
  ];
  const key = `${exchange}:${localSymbol}`;
  const instrument: Instrument = {
    key,
    conId: hashString(key) % 2_147_483_646 || 1,
    symbol,
    localSymbol,
    secType: definition.secType,
    exchange,
    exchanges: Object.freeze([...new Set(exchanges)]),
    currency,
    tickSize,
    lotSize,
    multiplier,
    initialPrice,
    underlying: definition.underlying,
    contractMonth,
    expiry: definition.expiry,
    lastTradeDateOrContractMonth:
      definition.secType === 'FUT' ? (contractMonth ?? definition.expiry) : definition.expiry,
    strike: definition.strike,
    right: definition.right,
    margin: Object.freeze(margin),
    commission: Object.freeze(commission),
    commissionByProduct: Object.freeze({ ...commissionByProduct }),
    products: Object.freeze([...products]),
    defaultProduct: products[0],
    shortable: definition.shortable ?? definition.secType !== 'CRYPTO',
    cashQuantity: definition.cashQuantity ?? definition.secType === 'CRYPTO',
    volatilityBps,
    sessionCloseUtc: definition.sessionCloseUtc,
    maxFillQuantity: definition.maxFillQuantity,
    priceDecimals,
    quantityDecimals: decimalsOf(lotSize),
  };
  return Object.freeze(instrument);
}

/** The commission schedule that applies to an order of this instrument with this product. */
export function commissionScheduleOf(
  instrument: Instrument,
  product: Product | undefined,
): CommissionSchedule {
  return (
    (product === undefined ? undefined : instrument.commissionByProduct[product]) ?? instrument.commission
  );
}
