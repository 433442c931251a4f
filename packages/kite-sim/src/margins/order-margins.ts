import type { ExchangeSimulator } from '@brokerkit/exchange-sim';
import { positionMargin } from '@brokerkit/exchange-sim';
import { addCharges, computeCharges, type KiteChargesJson, zeroCharges } from '../charges/zerodha-charges.js';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import type { MarketData } from '../market/market-data.js';
import { engineProduct } from '../orders/kite-order-types.js';
import type { MarginOrderInput } from './margin-order-input.js';

/** A full order-margin object (order_margins.json). */
export interface KiteOrderMarginJson {
  type: string;
  tradingsymbol: string;
  exchange: string;
  span: number;
  exposure: number;
  option_premium: number;
  additional: number;
  bo: number;
  cash: number;
  var: number;
  pnl: { realised: number; unrealised: number };
  leverage: number;
  charges: KiteChargesJson;
  total: number;
}

/** `mode=compact`: only type, tradingsymbol, exchange and total (Kite docs). */
export interface KiteCompactMarginJson {
  type: string;
  tradingsymbol: string;
  exchange: string;
  total: number;
}

/** `POST /margins/basket`. */
export interface KiteBasketMarginJson {
  initial: KiteOrderMarginJson;
  final: KiteOrderMarginJson;
  orders: (KiteOrderMarginJson | KiteCompactMarginJson)[];
  charges: KiteChargesJson;
}

interface Breakdown {
  span: number;
  exposure: number;
  optionPremium: number;
  varMargin: number;
  total: number;
  leverage: number;
}

const round = (value: number) => {
  const rounded = Number(value.toFixed(2));
  return Object.is(rounded, -0) ? 0 : rounded;
};

/** The price an order is margined at: its limit price, else the last price. */
function marginPrice(order: MarginOrderInput, market: MarketData): number {
  if ((order.orderType === 'LIMIT' || order.orderType === 'SL') && order.price > 0) return order.price;
  return market.lastPrice(order.row);
}

/**
 * The margin a position of `quantity` (signed) needs, split like Kite: futures into span and
 * exposure, long options into premium, short options into span, equity into VaR.
 */
function breakdown(row: KiteInstrument, quantity: number, price: number, product: string): Breakdown {
  const instrument = row.instrument;
  const scratch = { initial: 0, maintenance: 0 };
  const engineProductName = engineProduct(product as 'CNC');
  positionMargin(instrument, quantity, price, engineProductName, scratch);
  const margin = instrument.margin;
  const result: Breakdown = {
    span: 0,
    exposure: 0,
    optionPremium: 0,
    varMargin: 0,
    total: scratch.initial,
    leverage: 1,
  };
  if (margin.kind === 'span') {
    const notional = Math.abs(quantity) * price * instrument.multiplier;
    result.span = notional * margin.spanPercent;
    result.exposure = notional * margin.exposurePercent;
  } else if (margin.kind === 'option') {
    if (quantity > 0) result.optionPremium = scratch.initial;
    else result.span = scratch.initial;
  } else {
    result.varMargin = scratch.initial;
    const notional = Math.abs(quantity) * price * instrument.multiplier;
    if (scratch.initial > 0) result.leverage = round(notional / scratch.initial);
  }
  return result;
}

function toJson(
  type: string,
  tradingsymbol: string,
  exchange: string,
  parts: Breakdown,
  charges: KiteChargesJson,
  leverage: number,
): KiteOrderMarginJson {
  return {
    type,
    tradingsymbol,
    exchange,
    span: round(parts.span),
    exposure: round(parts.exposure),
    option_premium: round(parts.optionPremium),
    additional: 0,
    bo: 0,
    cash: 0,
    var: round(parts.varMargin),
    pnl: { realised: 0, unrealised: 0 },
    leverage,
    charges,
    total: round(parts.total),
  };
}

const segmentType = (row: KiteInstrument) => (row.exchange === 'MCX' ? 'commodity' : 'equity');

/** The full margin object of one order, on its own (no netting with positions). */
export function orderMargin(order: MarginOrderInput, market: MarketData): KiteOrderMarginJson {
  const price = marginPrice(order, market);
  const signed = order.transactionType === 'BUY' ? order.quantity : -order.quantity;
  const parts = breakdown(order.row, signed, price, order.product);
  const charges = computeCharges(order.row, order.product, order.transactionType, order.quantity, price);
  return toJson(segmentType(order.row), order.tradingsymbol, order.exchange, parts, charges, parts.leverage);
}

/** `POST /margins/orders`: one margin object per order, compact or full. */
export function orderMargins(
  orders: readonly MarginOrderInput[],
  market: MarketData,
  compact: boolean,
): (KiteOrderMarginJson | KiteCompactMarginJson)[] {
  return orders.map((order) => {
    const full = orderMargin(order, market);
    return compact
      ? { type: full.type, tradingsymbol: full.tradingsymbol, exchange: full.exchange, total: full.total }
      : full;
  });
}

/**
 * `POST /margins/basket`: `initial` is the sum of the orders' own margins; `final` nets the
 * basket per instrument and product (a buy and a sell of the same contract offset), and with
 * `considerPositions` counts only what the basket adds to the open positions' margin.
 */
export function basketMargins(
  orders: readonly MarginOrderInput[],
  market: MarketData,
  simulator: ExchangeSimulator,
  accountId: string,
  considerPositions: boolean,
  compact: boolean,
): KiteBasketMarginJson {
  const initialParts: Breakdown = {
    span: 0,
    exposure: 0,
    optionPremium: 0,
    varMargin: 0,
    total: 0,
    leverage: 0,
  };
  const charges = zeroCharges();
  charges.transaction_tax_type = 'stt';
  const perOrder: (KiteOrderMarginJson | KiteCompactMarginJson)[] = [];
  const groups = new Map<string, { row: KiteInstrument; product: string; quantity: number; price: number }>();
  for (const order of orders) {
    const full = orderMargin(order, market);
    initialParts.span += full.span;
    initialParts.exposure += full.exposure;
    initialParts.optionPremium += full.option_premium;
    initialParts.varMargin += full.var;
    initialParts.total += full.total;
    addCharges(charges, full.charges);
    perOrder.push(
      compact
        ? { type: full.type, tradingsymbol: full.tradingsymbol, exchange: full.exchange, total: full.total }
        : full,
    );
    const key = `${order.row.instrumentToken}|${order.product}`;
    const signed = order.transactionType === 'BUY' ? order.quantity : -order.quantity;
    const group = groups.get(key);
    if (group === undefined)
      groups.set(key, {
        row: order.row,
        product: order.product,
        quantity: signed,
        price: marginPrice(order, market),
      });
    else group.quantity += signed;
  }
  const held = new Map<string, number>();
  if (considerPositions) {
    for (const position of simulator.positions(accountId)) {
      held.set(`${position.instrument.key}|${position.product ?? ''}`, position.quantity);
    }
  }
  const finalParts: Breakdown = {
    span: 0,
    exposure: 0,
    optionPremium: 0,
    varMargin: 0,
    total: 0,
    leverage: 0,
  };
  for (const group of groups.values()) {
    const existing = held.get(`${group.row.instrument.key}|${engineProduct(group.product as 'CNC')}`) ?? 0;
    const after = breakdown(group.row, existing + group.quantity, group.price, group.product);
    const before = breakdown(group.row, existing, group.price, group.product);
    finalParts.span += Math.max(0, after.span - before.span);
    finalParts.exposure += Math.max(0, after.exposure - before.exposure);
    finalParts.optionPremium += Math.max(0, after.optionPremium - before.optionPremium);
    finalParts.varMargin += Math.max(0, after.varMargin - before.varMargin);
    finalParts.total += Math.max(0, after.total - before.total);
  }
  return {
    initial: toJson('', '', '', initialParts, zeroCharges(), 0),
    final: toJson('', '', '', finalParts, zeroCharges(), 0),
    orders: perOrder,
    charges,
  };
}
