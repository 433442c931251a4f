import type { Instrument } from '@brokerkit/exchange-sim';

type SecType = Instrument['secType'];

/**
 * What TWS knows about a contract beyond the engine's instrument: IB's own conId, names,
 * classification and the venues it reports. Values for the built-in instruments come from real
 * contract details (protocol doc 2.5 and rust-ibapi recordings: AAPL 265598, EUR.USD 12087792,
 * TSLA layout); the rest are IB's published contract specifications.
 */
export interface IbContractMetadata {
  /** IB's conId; by default the engine's stable hash of the instrument key. */
  conId?: number;
  /** Exchange written in contract rows and open orders (`SMART`, `COMEX`, `IDEALPRO`). */
  exchange?: string;
  primaryExch?: string;
  tradingClass?: string;
  marketName?: string;
  longName?: string;
  industry?: string;
  category?: string;
  subcategory?: string;
  stockType?: string;
  isin?: string;
  timeZoneId?: string;
  validExchanges?: string;
  /** Venue reported in executions and positions (`ISLAND` for a NASDAQ stock routed SMART). */
  executionVenue?: string;
  /** Exchange reported in POSITION_DATA (stocks: the primary exchange; derivatives: empty). */
  positionExchange?: string;
  marketRuleIds?: string;
  underSecType?: string;
  minSize?: number;
  sizeIncrement?: number;
  suggestedSizeIncrement?: number;
}

/** Order types TWS lists for US stocks (contract details `orderTypes`), abridged from a real row. */
const STOCK_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AON,AVGCOST,BASKET,BENCHPX,CASHQTY,COND,CONDORDER,DARKONLY,DARKPOLL,DAY,DEACT,DEACTDIS,DEACTEOD,DIS,DUR,GAT,GTC,GTD,GTT,HID,IBKRATS,ICE,IMB,IOC,LIT,LMT,LOC,MIDPX,MIT,MKT,MOC,MTL,NGCOMB,NODARK,NONALGO,OCA,OPG,OPGREROUT,PEGBENCH,PEGMID,POSTATS,POSTONLY,PREOPGRTH,PRICECHK,REL,REL2MID,RELPCTOFS,RPI,RTH,SCALE,SCALEODD,SCALERST,SIZECHK,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,SWEEP,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const STOCK_VALID_EXCHANGES =
  'SMART,AMEX,NYSE,CBOE,PHLX,ISE,CHX,ARCA,ISLAND,DRCTEDGE,BEX,BATS,EDGEA,BYX,IEX,EDGX,FOXRIVER,PEARL,NYSENAT,LTSE,MEMX,PSX';
const FUTURE_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,LTH,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,SCALE,SCALERST,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const OPTION_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,DIS,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,OPG,OPGREROUT,POSTONLY,PRICECHK,REL,SCALE,SCALERST,SIZECHK,SNAPMID,SNAPMKT,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const FX_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,CASHQTY,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,RELPCTOFS,SCALE,SCALERST,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const CRYPTO_ORDER_TYPES =
  'ACTIVETIM,AD,ALERT,ALLOC,CASHQTY,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,IOC,LMT,MKT,NONALGO,WHATIF';

/** Defaults per asset class, used when an instrument has no entry of its own. */
export const IB_DEFAULTS_BY_SEC_TYPE: Readonly<Record<SecType, IbContractMetadata & { orderTypes: string }>> =
  {
    STK: {
      exchange: 'SMART',
      primaryExch: 'NASDAQ',
      timeZoneId: 'US/Eastern',
      validExchanges: STOCK_VALID_EXCHANGES,
      executionVenue: 'ISLAND',
      stockType: 'COMMON',
      marketRuleIds: '26',
      minSize: 1,
      sizeIncrement: 1,
      suggestedSizeIncrement: 100,
      orderTypes: STOCK_ORDER_TYPES,
    },
    FUT: {
      timeZoneId: 'US/Central',
      underSecType: 'IND',
      marketRuleIds: '32',
      minSize: 1,
      sizeIncrement: 1,
      suggestedSizeIncrement: 1,
      positionExchange: '',
      orderTypes: FUTURE_ORDER_TYPES,
    },
    OPT: {
      exchange: 'SMART',
      timeZoneId: 'US/Eastern',
      validExchanges:
        'SMART,AMEX,CBOE,PHLX,PSE,ISE,BOX,BATS,NASDAQOM,CBOE2,NASDAQBX,MIAX,GEMINI,EDGX,MERCURY,PEARL,EMERALD,MEMX',
      executionVenue: 'CBOE',
      underSecType: 'STK',
      marketRuleIds: '32',
      minSize: 1,
      sizeIncrement: 1,
      suggestedSizeIncrement: 1,
      positionExchange: '',
      orderTypes: OPTION_ORDER_TYPES,
    },
    CASH: {
      exchange: 'IDEALPRO',
      timeZoneId: 'US/Eastern',
      validExchanges: 'IDEALPRO',
      executionVenue: 'IDEALPRO',
      marketRuleIds: '239',
      minSize: 0.01,
      sizeIncrement: 0.01,
      suggestedSizeIncrement: 20000,
      orderTypes: FX_ORDER_TYPES,
    },
    CRYPTO: {
      exchange: 'PAXOS',
      timeZoneId: 'US/Central',
      validExchanges: 'PAXOS',
      executionVenue: 'PAXOS',
      marketRuleIds: '3128',
      orderTypes: CRYPTO_ORDER_TYPES,
    },
  };

/**
 * Per-instrument entries, keyed `secType:symbol` (a futures or options root covers every
 * contract of the family).
 */
export const IB_CONTRACT_METADATA: Readonly<Record<string, IbContractMetadata>> = {
  'STK:AAPL': {
    conId: 265598,
    primaryExch: 'NASDAQ',
    tradingClass: 'NMS',
    marketName: 'NMS',
    longName: 'APPLE INC',
    industry: 'Technology',
    category: 'Computers',
    subcategory: 'Computers',
    isin: 'US0378331005',
    executionVenue: 'ISLAND',
    positionExchange: 'NASDAQ',
  },
  'STK:SPY': {
    conId: 756733,
    primaryExch: 'ARCA',
    tradingClass: 'SPY',
    marketName: 'SPY',
    longName: 'SPDR S&P 500 ETF TRUST',
    industry: 'Funds',
    category: 'Equity Fund',
    subcategory: 'Growth&Income-Large Cap',
    stockType: 'ETF',
    isin: 'US78462F1030',
    executionVenue: 'ARCA',
    positionExchange: 'ARCA',
  },
  'CASH:EUR': {
    conId: 12087792,
    tradingClass: 'EUR.USD',
    marketName: 'EUR.USD',
    longName: 'European Monetary Union Euro',
    industry: '',
    category: '',
  },
  'CRYPTO:BTC': {
    conId: 479624278,
    tradingClass: 'BTC',
    marketName: 'BTC',
    longName: 'Bitcoin',
    minSize: 0.0001,
    sizeIncrement: 0.00000001,
    suggestedSizeIncrement: 0.0001,
  },
  'FUT:GC': {
    exchange: 'COMEX',
    tradingClass: 'GC',
    marketName: 'GC',
    longName: 'Gold',
    validExchanges: 'COMEX',
    executionVenue: 'COMEX',
    underSecType: 'CMDTY',
  },
  'FUT:ES': {
    exchange: 'CME',
    tradingClass: 'ES',
    marketName: 'ES',
    longName: 'E-mini S&P 500',
    validExchanges: 'CME,QBALGO',
    executionVenue: 'CME',
    underSecType: 'IND',
  },
  'OPT:SPY': {
    tradingClass: 'SPY',
    marketName: 'SPY',
    longName: 'SPDR S&P 500 ETF TRUST',
  },
};
