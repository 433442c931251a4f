import type { ExchangeSimulator, Instrument } from '@brokerkit/exchange-sim';
import type { InstrumentTable } from '../instruments/instrument-table.js';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import type { MarketData } from '../market/market-data.js';
import type { DayTally, DayTrades } from './day-trades.js';

/** One row of `net` or `day` positions (positions.json): 29 keys. */
export interface KitePositionJson {
  tradingsymbol: string;
  exchange: string;
  instrument_token: number;
  product: string;
  quantity: number;
  overnight_quantity: number;
  multiplier: number;
  average_price: number;
  close_price: number;
  last_price: number;
  value: number;
  pnl: number;
  m2m: number;
  unrealised: number;
  realised: number;
  buy_quantity: number;
  buy_price: number;
  buy_value: number;
  buy_m2m: number;
  sell_quantity: number;
  sell_price: number;
  sell_value: number;
  sell_m2m: number;
  day_buy_quantity: number;
  day_buy_price: number;
  day_buy_value: number;
  day_sell_quantity: number;
  day_sell_price: number;
  day_sell_value: number;
}

const round = (value: number, decimals = 2) => {
  const rounded = Number(value.toFixed(decimals));
  return Object.is(rounded, -0) ? 0 : rounded;
};
const ratio = (value: number, quantity: number, multiplier: number) =>
  quantity === 0 ? 0 : round(value / (quantity * multiplier), 4);

interface PositionInput {
  row: KiteInstrument;
  product: string;
  quantity: number;
  averagePrice: number;
  tally: DayTally | undefined;
}

/**
 * `GET /portfolio/positions`: `net` (open F&O and intraday positions, plus what traded today and
 * is flat now) and `day` (today's trades only). Delivery (CNC) rows carry today's trades only:
 * what was held before today is in holdings, as on Kite. P&L follows Kite's formulas: `value = sell_value - buy_value`,
 * `pnl = value + quantity x last_price x multiplier`, `m2m` measures overnight quantity from the
 * previous close.
 */
export function buildPositions(
  simulator: ExchangeSimulator,
  accountId: string,
  table: InstrumentTable,
  market: MarketData,
  dayTrades: DayTrades,
): { net: KitePositionJson[]; day: KitePositionJson[] } {
  const inputs = new Map<string, PositionInput>();
  const keyOf = (instrument: Instrument, product: string) => `${instrument.key}|${product}`;
  for (const position of simulator.positions(accountId)) {
    const row = table.byInstrument(position.instrument);
    // Delivery (CNC) quantity held from earlier days is a holding, not a position: CNC rows show today's trades only.
    if (row === undefined || position.product === 'CNC') continue;
    const product = position.product ?? '';
    inputs.set(keyOf(position.instrument, product), {
      row,
      product,
      quantity: position.quantity,
      averagePrice: position.averagePrice,
      tally: dayTrades.of(position.instrument, product),
    });
  }
  const todays = dayTrades.today();
  const net: KitePositionJson[] = [];
  for (const tally of todays) {
    const key = keyOf(tally.instrument, tally.product);
    if (inputs.has(key)) continue;
    const row = table.byInstrument(tally.instrument);
    if (row === undefined) continue;
    if (tally.product === 'CNC') net.push(dayRow(row, tally, market));
    else inputs.set(key, { row, product: tally.product, quantity: 0, averagePrice: 0, tally });
  }
  for (const input of inputs.values()) net.push(netRow(input, market));
  const day: KitePositionJson[] = [];
  for (const tally of todays) {
    const row = table.byInstrument(tally.instrument);
    if (row !== undefined) day.push(dayRow(row, tally, market));
  }
  return { net, day };
}

function netRow(input: PositionInput, market: MarketData): KitePositionJson {
  const { row, tally } = input;
  const multiplier = row.instrument.multiplier;
  const last = market.lastPrice(row);
  const close = market.close(row);
  const dayBuyQuantity = tally?.buyQuantity ?? 0;
  const daySellQuantity = tally?.sellQuantity ?? 0;
  const dayBuyValue = tally?.buyValue ?? 0;
  const daySellValue = tally?.sellValue ?? 0;
  const overnight = input.quantity - (dayBuyQuantity - daySellQuantity);
  // The overnight part enters at the position's average price.
  const overnightValue = Math.abs(overnight) * input.averagePrice * multiplier;
  const buyQuantity = dayBuyQuantity + Math.max(0, overnight);
  const sellQuantity = daySellQuantity + Math.max(0, -overnight);
  const buyValue = dayBuyValue + (overnight > 0 ? overnightValue : 0);
  const sellValue = daySellValue + (overnight < 0 ? overnightValue : 0);
  const value = sellValue - buyValue;
  const pnl = value + input.quantity * last * multiplier;
  const unrealised = input.quantity * (last - input.averagePrice) * multiplier;
  const m2m =
    daySellValue - dayBuyValue + input.quantity * last * multiplier - overnight * close * multiplier;
  return {
    tradingsymbol: row.tradingsymbol,
    exchange: row.exchange,
    instrument_token: row.instrumentToken,
    product: input.product,
    quantity: input.quantity,
    overnight_quantity: overnight,
    multiplier,
    average_price: round(input.averagePrice, 4),
    close_price: close,
    last_price: last,
    value: round(value),
    pnl: round(pnl),
    m2m: round(m2m),
    unrealised: round(unrealised),
    realised: round(pnl - unrealised),
    buy_quantity: buyQuantity,
    buy_price: ratio(buyValue, buyQuantity, multiplier),
    buy_value: round(buyValue),
    buy_m2m: round(buyValue),
    sell_quantity: sellQuantity,
    sell_price: ratio(sellValue, sellQuantity, multiplier),
    sell_value: round(sellValue),
    sell_m2m: round(sellValue),
    day_buy_quantity: dayBuyQuantity,
    day_buy_price: ratio(dayBuyValue, dayBuyQuantity, multiplier),
    day_buy_value: round(dayBuyValue),
    day_sell_quantity: daySellQuantity,
    day_sell_price: ratio(daySellValue, daySellQuantity, multiplier),
    day_sell_value: round(daySellValue),
  };
}

function dayRow(row: KiteInstrument, tally: DayTally, market: MarketData): KitePositionJson {
  const multiplier = row.instrument.multiplier;
  const last = market.lastPrice(row);
  const quantity = tally.buyQuantity - tally.sellQuantity;
  const buyPrice = ratio(tally.buyValue, tally.buyQuantity, multiplier);
  const sellPrice = ratio(tally.sellValue, tally.sellQuantity, multiplier);
  const averagePrice = quantity > 0 ? buyPrice : quantity < 0 ? sellPrice : 0;
  const value = tally.sellValue - tally.buyValue;
  const pnl = value + quantity * last * multiplier;
  const unrealised = quantity * (last - averagePrice) * multiplier;
  return {
    tradingsymbol: row.tradingsymbol,
    exchange: row.exchange,
    instrument_token: row.instrumentToken,
    product: tally.product,
    quantity,
    overnight_quantity: 0,
    multiplier,
    average_price: averagePrice,
    close_price: market.close(row),
    last_price: last,
    value: round(value),
    pnl: round(pnl),
    m2m: round(pnl),
    unrealised: round(unrealised),
    realised: round(pnl - unrealised),
    buy_quantity: tally.buyQuantity,
    buy_price: buyPrice,
    buy_value: round(tally.buyValue),
    buy_m2m: round(tally.buyValue),
    sell_quantity: tally.sellQuantity,
    sell_price: sellPrice,
    sell_value: round(tally.sellValue),
    sell_m2m: round(tally.sellValue),
    day_buy_quantity: tally.buyQuantity,
    day_buy_price: buyPrice,
    day_buy_value: round(tally.buyValue),
    day_sell_quantity: tally.sellQuantity,
    day_sell_price: sellPrice,
    day_sell_value: round(tally.sellValue),
  };
}
