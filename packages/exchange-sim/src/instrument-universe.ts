import type { Product } from '@brokerkit/core';
import type { CommissionSchedule } from './commission.js';
import {
  CRYPTO_COMMISSION,
  FX_COMMISSION,
  type InstrumentDefinition,
  US_FUTURE_COMMISSION,
  US_OPTION_COMMISSION,
  US_STOCK_COMMISSION,
  ZERODHA_DELIVERY_COMMISSION,
  ZERODHA_INTRADAY_COMMISSION,
  ZERODHA_OPTION_COMMISSION,
} from './instrument.js';
import type { MarginParameters } from './margin-model.js';

/** NSE's cash and F&O session closes at 15:30 IST. */
export const NSE_SESSION_CLOSE_UTC = '10:00';

const NSE_EQUITY_MARGIN: MarginParameters = {
  kind: 'percent',
  initial: 1,
  maintenance: 1,
  byProduct: { MIS: { initial: 0.2, maintenance: 0.2 } },
};

/**
 * The single instruments built in. Prices are illustrative (late 2024 levels), not market data.
 */
export const BUILT_IN_INSTRUMENTS: readonly InstrumentDefinition[] = Object.freeze([
  {
    symbol: 'AAPL',
    secType: 'STK',
    exchange: 'SMART',
    exchanges: ['NASDAQ', 'ISLAND'],
    currency: 'USD',
    tickSize: 0.01,
    price: 225,
    commission: US_STOCK_COMMISSION,
  },
  {
    symbol: 'SPY',
    secType: 'STK',
    exchange: 'SMART',
    exchanges: ['ARCA', 'NYSE'],
    currency: 'USD',
    tickSize: 0.01,
    price: 590,
    commission: US_STOCK_COMMISSION,
  },
  {
    symbol: 'EUR',
    localSymbol: 'EUR.USD',
    secType: 'CASH',
    exchange: 'IDEALPRO',
    currency: 'USD',
    tickSize: 0.00005,
    price: 1.055,
    commission: FX_COMMISSION,
  },
  {
    symbol: 'BTC',
    localSymbol: 'BTC.USD',
    secType: 'CRYPTO',
    exchange: 'PAXOS',
    currency: 'USD',
    tickSize: 0.01,
    lotSize: 0.00000001,
    price: 90_000,
    commission: CRYPTO_COMMISSION,
  },
  {
    symbol: 'RELIANCE',
    secType: 'STK',
    exchange: 'NSE',
    currency: 'INR',
    tickSize: 0.05,
    price: 1290,
    margin: NSE_EQUITY_MARGIN,
    commission: ZERODHA_DELIVERY_COMMISSION,
    commissionByProduct: { MIS: ZERODHA_INTRADAY_COMMISSION },
    products: ['CNC', 'MIS'],
    sessionCloseUtc: NSE_SESSION_CLOSE_UTC,
  },
  {
    symbol: 'INFY',
    secType: 'STK',
    exchange: 'NSE',
    currency: 'INR',
    tickSize: 0.05,
    price: 1800,
    margin: NSE_EQUITY_MARGIN,
    commission: ZERODHA_DELIVERY_COMMISSION,
    commissionByProduct: { MIS: ZERODHA_INTRADAY_COMMISSION },
    products: ['CNC', 'MIS'],
    sessionCloseUtc: NSE_SESSION_CLOSE_UTC,
  },
] satisfies InstrumentDefinition[]);

/**
 * A family of listed derivatives on one root (every expiry and strike of SPY options, every
 * month of GC futures). Contracts are created the first time an order or a lookup names them.
 */
export interface DerivativeFamily {
  root: string;
  secType: 'FUT' | 'OPT';
  /** `ib`: IB contract fields and localSymbols (`GCZ4`, OCC option symbols); `kite`: Kite trading symbols. */
  naming: 'ib' | 'kite';
  exchange: string;
  exchanges: string[];
  currency: string;
  tickSize: number;
  lotSize: number;
  multiplier: number;
  /** Futures: the price of every month. Options: the underlying level used to price them. */
  referencePrice: number;
  /** Options: strikes must be multiples of this. */
  strikeStep?: number;
  /** Options: annual implied volatility for the starting premium. */
  impliedVolatility?: number;
  margin: MarginParameters;
  commission: CommissionSchedule;
  products?: Product[];
  sessionCloseUtc?: string;
}

const NFO_FUTURE_MARGIN: MarginParameters = { kind: 'span', spanPercent: 0.1, exposurePercent: 0.02 };
const NFO_OPTION_MARGIN: MarginParameters = {
  kind: 'option',
  shortInitialPercentOfStrike: 0.12,
  shortMaintenancePercentOfStrike: 0.1,
};
const US_OPTION_MARGIN: MarginParameters = {
  kind: 'option',
  shortInitialPercentOfStrike: 0.2,
  shortMaintenancePercentOfStrike: 0.2,
};

function nfoFamilies(root: string, lotSize: number, level: number, strikeStep: number, volatility: number) {
  const common = {
    root,
    naming: 'kite' as const,
    exchange: 'NFO',
    exchanges: [],
    currency: 'INR',
    tickSize: 0.05,
    lotSize,
    multiplier: 1,
    products: ['NRML', 'MIS'] as Product[],
    sessionCloseUtc: NSE_SESSION_CLOSE_UTC,
  };
  return [
    // Futures trade at a small premium (basis) to the index.
    {
      ...common,
      secType: 'FUT' as const,
      referencePrice: Math.round(level * 1.002),
      margin: NFO_FUTURE_MARGIN,
      commission: ZERODHA_INTRADAY_COMMISSION,
    },
    {
      ...common,
      secType: 'OPT' as const,
      referencePrice: level,
      strikeStep,
      impliedVolatility: volatility,
      margin: NFO_OPTION_MARGIN,
      commission: ZERODHA_OPTION_COMMISSION,
    },
  ];
}

/**
 * The derivative families built in. Lot sizes are the NSE values in force from 2026 (NIFTY 65,
 * BANKNIFTY 30, FINNIFTY 60); quantities on NFO are in units (a multiple of the lot), as Kite takes them.
 */
export const BUILT_IN_FAMILIES: readonly DerivativeFamily[] = Object.freeze([
  {
    root: 'SPY',
    secType: 'OPT',
    naming: 'ib',
    exchange: 'SMART',
    exchanges: ['CBOE', 'AMEX'],
    currency: 'USD',
    tickSize: 0.01,
    lotSize: 1,
    multiplier: 100,
    referencePrice: 590,
    strikeStep: 1,
    impliedVolatility: 0.15,
    margin: US_OPTION_MARGIN,
    commission: US_OPTION_COMMISSION,
  },
  {
    root: 'GC',
    secType: 'FUT',
    naming: 'ib',
    exchange: 'NYMEX',
    exchanges: ['COMEX'],
    currency: 'USD',
    tickSize: 0.1,
    lotSize: 1,
    multiplier: 100,
    referencePrice: 2650,
    margin: { kind: 'per-contract', initial: 11_000, maintenance: 10_000 },
    commission: US_FUTURE_COMMISSION,
  },
  {
    root: 'ES',
    secType: 'FUT',
    naming: 'ib',
    exchange: 'CME',
    exchanges: ['GLOBEX'],
    currency: 'USD',
    tickSize: 0.25,
    lotSize: 1,
    multiplier: 50,
    referencePrice: 6000,
    margin: { kind: 'per-contract', initial: 24_200, maintenance: 22_000 },
    commission: US_FUTURE_COMMISSION,
  },
  ...nfoFamilies('NIFTY', 65, 24_000, 50, 0.14),
  ...nfoFamilies('BANKNIFTY', 30, 51_000, 100, 0.16),
  ...nfoFamilies('FINNIFTY', 60, 23_500, 50, 0.15),
] satisfies DerivativeFamily[]);

/** Contracts listed from the start (so that they show in `instruments.list()`), by lookup. */
export const BUILT_IN_LISTINGS: readonly {
  symbol: string;
  secType?: 'FUT' | 'OPT';
  lastTradeDateOrContractMonth?: string;
  strike?: number;
  right?: 'C' | 'P';
}[] = Object.freeze([
  { symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20241220', strike: 450, right: 'C' },
  { symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20241220', strike: 450, right: 'P' },
  { symbol: 'GC', secType: 'FUT', lastTradeDateOrContractMonth: '202412' },
  { symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '202412' },
  { symbol: 'NIFTY24NOVFUT' },
  { symbol: 'BANKNIFTY24NOVFUT' },
  { symbol: 'FINNIFTY24NOVFUT' },
  { symbol: 'NIFTY24NOV24000CE' },
  { symbol: 'NIFTY24NOV24000PE' },
  { symbol: 'NIFTY2411924000CE' },
]);
