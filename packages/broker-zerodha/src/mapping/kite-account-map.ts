import {
  type AccountBalance,
  BrokerAPIError,
  type MarginImpact,
  type Position,
  type Product,
  productSchema,
  redactDeep,
} from '@brokerkit/core';
import { type KiteInstrument, secTypeOf } from '../instruments/kite-instrument.js';

type Json = Record<string, unknown>;

const num = (value: unknown): number => {
  const number = Number(value);
  return Number.isFinite(number) ? number : 0;
};
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});

function malformed(what: string, payload: unknown): BrokerAPIError {
  return new BrokerAPIError({
    message: `zerodha: Kite answered ${what} with an unexpected shape`,
    broker: 'zerodha',
    raw: redactDeep(payload),
  });
}

/**
 * The account balance from `GET /user/margins` (both segments added up, in INR). Kite has no net
 * liquidation figure, so:
 * - `cash`: `available.cash`; `marginAvailable` and `buyingPower`: `net` (what new orders can use);
 * - `marginUsed`: `utilised.debits` (margin blocked by positions and open orders);
 * - `equity`: `available.opening_balance + available.intraday_payin` plus the day's realised and
 *   unrealised profit (`utilised.m2m_realised + utilised.m2m_unrealised`); the value of settled
 *   holdings is not part of it (Kite reports holdings separately);
 * - `realizedPnl` / `unrealizedPnl`: the day's m2m.
 */
export function toAccountBalance(margins: unknown): AccountBalance {
  const root = obj(margins);
  const segments = ['equity', 'commodity']
    .map((name) => obj(root[name]))
    .filter((segment) => segment.enabled !== false && Object.keys(segment).length > 0);
  if (segments.length === 0) throw malformed('/user/margins', margins);
  let cash = 0;
  let net = 0;
  let debits = 0;
  let opening = 0;
  let realized = 0;
  let unrealized = 0;
  for (const segment of segments) {
    const available = obj(segment.available);
    const utilised = obj(segment.utilised);
    cash += num(available.cash);
    net += num(segment.net);
    debits += num(utilised.debits);
    opening += num(available.opening_balance) + num(available.intraday_payin);
    realized += num(utilised.m2m_realised);
    unrealized += num(utilised.m2m_unrealised);
  }
  return {
    currency: 'INR',
    equity: opening + realized + unrealized,
    cash,
    buyingPower: net,
    marginUsed: debits,
    marginAvailable: net,
    realizedPnl: realized,
    unrealizedPnl: unrealized,
    raw: redactDeep(margins),
  };
}

/** Open net positions from `GET /portfolio/positions` (rows with a non-zero quantity). */
export function toPositions(
  positions: unknown,
  instrumentOf: (exchange: string, tradingsymbol: string) => KiteInstrument | undefined,
): Position[] {
  const net = obj(positions).net;
  if (!Array.isArray(net)) throw malformed('/portfolio/positions', positions);
  const result: Position[] = [];
  for (const row of net as Json[]) {
    const quantity = num(row.quantity);
    if (quantity === 0) continue;
    const symbol = String(row.tradingsymbol ?? '');
    const exchange = String(row.exchange ?? '');
    const multiplier = num(row.multiplier) || 1;
    const lastPrice = num(row.last_price);
    const averagePrice =
      num(row.average_price) || (quantity > 0 ? num(row.buy_price) : num(row.sell_price)) || lastPrice;
    const product = productSchema.safeParse(row.product);
    const position: Position = {
      symbol,
      secType: secTypeOf(instrumentOf(exchange, symbol), symbol, exchange),
      exchange,
      currency: 'INR',
      quantity,
      averagePrice,
      marketPrice: lastPrice,
      marketValue: quantity * lastPrice * multiplier,
      unrealizedPnl: num(row.unrealised),
      realizedPnl: num(row.realised),
      raw: redactDeep(row),
    };
    if (product.success) position.product = product.data as Product;
    result.push(position);
  }
  return result;
}

/** Settled delivery holdings from `GET /portfolio/holdings` as positions (product CNC). */
export function holdingsToPositions(holdings: unknown): Position[] {
  if (!Array.isArray(holdings)) throw malformed('/portfolio/holdings', holdings);
  const result: Position[] = [];
  for (const row of holdings as Json[]) {
    const quantity = num(row.quantity) + num(row.t1_quantity);
    if (quantity === 0) continue;
    const lastPrice = num(row.last_price);
    result.push({
      symbol: String(row.tradingsymbol ?? ''),
      secType: 'STK',
      exchange: String(row.exchange ?? ''),
      currency: 'INR',
      quantity,
      averagePrice: num(row.average_price) || lastPrice,
      marketPrice: lastPrice,
      marketValue: quantity * lastPrice,
      unrealizedPnl: num(row.pnl),
      product: 'CNC',
      raw: redactDeep(row),
    });
  }
  return result;
}

/**
 * Margin impact from `POST /margins/orders?mode=full` (order_margins.json). `initialMargin` is
 * Kite's `total`; `maintenanceMargin` is the SPAN part when there is one (the exchange's minimum
 * for F&O), else the total (cash equity must be paid in full); the breakdown keeps every part and
 * `commission` is Kite's estimate of the order's charges.
 */
export function toMarginImpact(response: unknown): MarginImpact {
  const first = Array.isArray(response) ? obj(response[0]) : {};
  if (!('total' in first)) throw malformed('/margins/orders', response);
  const total = num(first.total);
  const span = num(first.span);
  const charges = obj(first.charges);
  const gst = obj(charges.gst);
  return {
    currency: 'INR',
    initialMargin: total,
    maintenanceMargin: span > 0 && span <= total ? span : total,
    commission: num(charges.total),
    commissionCurrency: 'INR',
    breakdown: {
      span,
      exposure: num(first.exposure),
      optionPremium: num(first.option_premium),
      additional: num(first.additional),
      bo: num(first.bo),
      cash: num(first.cash),
      var: num(first.var),
      total,
      charges: num(charges.total),
      brokerage: num(charges.brokerage),
      transactionTax: num(charges.transaction_tax),
      exchangeTurnoverCharge: num(charges.exchange_turnover_charge),
      sebiTurnoverCharge: num(charges.sebi_turnover_charge),
      stampDuty: num(charges.stamp_duty),
      gst: num(gst.total),
    },
    warnings: [],
    raw: redactDeep(response),
  };
}
