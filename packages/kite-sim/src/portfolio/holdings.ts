import type { ExchangeSimulator } from '@brokerkit/exchange-sim';
import { hashString } from '@brokerkit/exchange-sim';
import type { InstrumentTable } from '../instruments/instrument-table.js';
import type { MarketData } from '../market/market-data.js';
import { formatIstDate } from '../time/ist-time.js';
import type { DayTrades } from './day-trades.js';

/** One holding (holdings.json). */
export interface KiteHoldingJson {
  tradingsymbol: string;
  exchange: string;
  instrument_token: number;
  isin: string;
  product: string;
  price: number;
  quantity: number;
  used_quantity: number;
  t1_quantity: number;
  realised_quantity: number;
  authorised_quantity: number;
  authorised_date: string;
  authorisation: Record<string, unknown>;
  opening_quantity: number;
  short_quantity: number;
  collateral_quantity: number;
  collateral_type: string;
  discrepancy: boolean;
  average_price: number;
  last_price: number;
  close_price: number;
  pnl: number;
  day_change: number;
  day_change_percentage: number;
  mtf: {
    quantity: number;
    used_quantity: number;
    average_price: number;
    value: number;
    initial_margin: number;
  };
}

/** Real ISINs of well-known symbols; others get a stable made-up one. */
const KNOWN_ISINS: Readonly<Record<string, string>> = {
  RELIANCE: 'INE002A01018',
  INFY: 'INE009A01021',
  SBIN: 'INE062A01020',
  TCS: 'INE467B01029',
  HDFCBANK: 'INE040A01034',
};

const round = (value: number, decimals = 2) => {
  const rounded = Number(value.toFixed(decimals));
  return Object.is(rounded, -0) ? 0 : rounded;
};

/**
 * `GET /portfolio/holdings`: delivery (CNC) positions held since before today. Shares bought
 * today appear in positions only, as on Kite; shares sold today from holdings show as
 * `used_quantity`.
 */
export function buildHoldings(
  simulator: ExchangeSimulator,
  accountId: string,
  table: InstrumentTable,
  market: MarketData,
  dayTrades: DayTrades,
): KiteHoldingJson[] {
  const holdings: KiteHoldingJson[] = [];
  const seen = new Set<string>();
  const candidates: {
    key: string;
    quantity: number;
    averagePrice: number;
    instrument: Parameters<DayTrades['of']>[0];
  }[] = [];
  for (const position of simulator.positions(accountId)) {
    if (position.product !== 'CNC') continue;
    seen.add(position.instrument.key);
    candidates.push({
      key: position.instrument.key,
      quantity: position.quantity,
      averagePrice: position.averagePrice,
      instrument: position.instrument,
    });
  }
  for (const tally of dayTrades.today()) {
    if (tally.product !== 'CNC' || seen.has(tally.instrument.key)) continue;
    candidates.push({
      key: tally.instrument.key,
      quantity: 0,
      averagePrice: 0,
      instrument: tally.instrument,
    });
  }
  const date = `${formatIstDate(simulator.clock.now())} 00:00:00`;
  for (const candidate of candidates) {
    const row = table.byInstrument(candidate.instrument);
    if (row === undefined || row.instrumentType !== 'EQ') continue;
    const tally = dayTrades.of(candidate.instrument, 'CNC');
    const dayBought = tally?.buyQuantity ?? 0;
    const daySold = tally?.sellQuantity ?? 0;
    const opening = candidate.quantity - dayBought + daySold;
    if (opening <= 0) continue;
    const used = Math.min(daySold, opening);
    const last = market.lastPrice(row);
    const close = market.close(row);
    const averagePrice = candidate.averagePrice;
    holdings.push({
      tradingsymbol: row.tradingsymbol,
      exchange: row.exchange,
      instrument_token: row.instrumentToken,
      isin:
        KNOWN_ISINS[row.tradingsymbol] ??
        `INE${String(hashString(row.tradingsymbol) % 1_000_000).padStart(6, '0')}01010`,
      product: 'CNC',
      price: 0,
      quantity: opening,
      used_quantity: used,
      t1_quantity: 0,
      realised_quantity: opening,
      authorised_quantity: 0,
      authorised_date: date,
      authorisation: {},
      opening_quantity: opening,
      short_quantity: 0,
      collateral_quantity: 0,
      collateral_type: '',
      discrepancy: false,
      average_price: round(averagePrice, 4),
      last_price: last,
      close_price: close,
      pnl: round((last - averagePrice) * opening),
      day_change: round(last - close, 4),
      day_change_percentage: close === 0 ? 0 : round(((last - close) * 100) / close, 6),
      mtf: { quantity: 0, used_quantity: 0, average_price: 0, value: 0, initial_margin: 0 },
    });
  }
  return holdings;
}
