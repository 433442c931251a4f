import type { BalanceSnapshot, ExchangeSimulator } from '@brokerkit/exchange-sim';
import { positionMargin } from '@brokerkit/exchange-sim';

/** One margin segment (margins.json `equity` / `commodity`). */
export interface KiteMarginSegmentJson {
  enabled: boolean;
  net: number;
  available: {
    adhoc_margin: number;
    cash: number;
    opening_balance: number;
    live_balance: number;
    collateral: number;
    intraday_payin: number;
  };
  utilised: {
    debits: number;
    exposure: number;
    m2m_realised: number;
    m2m_unrealised: number;
    option_premium: number;
    payout: number;
    span: number;
    holding_sales: number;
    turnover: number;
    liquid_collateral: number;
    stock_collateral: number;
    delivery: number;
  };
}

const round = (value: number) => {
  const rounded = Number(value.toFixed(2));
  return Object.is(rounded, -0) ? 0 : rounded;
};

/**
 * The equity segment from the engine's balance: `net` and `live_balance` are the funds new
 * orders can use (the engine's `availableFunds`, the same figure an insufficient-funds rejection
 * quotes), `debits` the initial margin in use, and `opening_balance = net + debits` (Kite's
 * `live_balance = opening_balance - debits`). Debits are broken down into span / exposure
 * (futures, short options), option_premium (long options) and delivery (CNC / MIS equity);
 * margin held for open orders is counted as span.
 */
export function equitySegment(simulator: ExchangeSimulator, accountId: string): KiteMarginSegmentJson {
  const balance: BalanceSnapshot = simulator.balance(accountId);
  let span = 0;
  let exposure = 0;
  let optionPremium = 0;
  let delivery = 0;
  const scratch = { initial: 0, maintenance: 0 };
  for (const position of simulator.positions(accountId)) {
    const instrument = position.instrument;
    positionMargin(instrument, position.quantity, position.marketPrice, position.product, scratch);
    const margin = instrument.margin;
    if (margin.kind === 'span') {
      const notional = Math.abs(position.quantity) * position.marketPrice * instrument.multiplier;
      span += notional * margin.spanPercent;
      exposure += notional * margin.exposurePercent;
    } else if (margin.kind === 'option') {
      if (position.quantity > 0) optionPremium += scratch.initial;
      else span += scratch.initial;
    } else {
      delivery += scratch.initial;
    }
  }
  const debits = Math.max(0, balance.initialMargin);
  const accounted = span + exposure + optionPremium + delivery;
  if (debits > accounted) span += debits - accounted;
  const net = balance.availableFunds;
  const opening = net + debits;
  return {
    enabled: true,
    net: round(net),
    available: {
      adhoc_margin: 0,
      cash: round(opening),
      opening_balance: round(opening),
      live_balance: round(net),
      collateral: 0,
      intraday_payin: 0,
    },
    utilised: {
      debits: round(debits),
      exposure: round(exposure),
      m2m_realised: round(balance.realizedPnl),
      m2m_unrealised: round(balance.unrealizedPnl),
      option_premium: round(optionPremium),
      payout: 0,
      span: round(span),
      holding_sales: 0,
      turnover: 0,
      liquid_collateral: 0,
      stock_collateral: 0,
      delivery: round(delivery),
    },
  };
}

/** The commodity segment: kite-sim lists no MCX contracts, so it is enabled with nothing in it. */
export function commoditySegment(): KiteMarginSegmentJson {
  return {
    enabled: true,
    net: 0,
    available: {
      adhoc_margin: 0,
      cash: 0,
      opening_balance: 0,
      live_balance: 0,
      collateral: 0,
      intraday_payin: 0,
    },
    utilised: {
      debits: 0,
      exposure: 0,
      m2m_realised: 0,
      m2m_unrealised: 0,
      option_premium: 0,
      payout: 0,
      span: 0,
      holding_sales: 0,
      turnover: 0,
      liquid_collateral: 0,
      stock_collateral: 0,
      delivery: 0,
    },
  };
}
