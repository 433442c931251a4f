import {
  DEFAULT_USD_RATES,
  type ExchangeSimulator,
  type Instrument,
  type PositionSnapshot,
} from '@brokerkit/exchange-sim';
import type { ContractCatalogue } from './contracts/contract-catalogue.js';
import {
  encodeAccountDownloadEnd,
  encodeAccountUpdateTime,
  encodeAccountValue,
  encodePortfolioValue,
} from './messages/outgoing/account-updates.js';
import { encodePosition } from './messages/outgoing/position.js';

/** One ACCOUNT_SUMMARY row. */
export interface AccountSummaryRow {
  account: string;
  tag: string;
  value: string;
  currency: string;
}

/** The account-summary tags the simulator answers (protocol doc 3.2), besides the `$LEDGER` flags. */
export const ACCOUNT_SUMMARY_TAGS = [
  'AccountType',
  'NetLiquidation',
  'TotalCashValue',
  'SettledCash',
  'AccruedCash',
  'BuyingPower',
  'EquityWithLoanValue',
  'PreviousDayEquityWithLoanValue',
  'GrossPositionValue',
  'RegTEquity',
  'RegTMargin',
  'SMA',
  'InitMarginReq',
  'MaintMarginReq',
  'AvailableFunds',
  'ExcessLiquidity',
  'Cushion',
  'FullInitMarginReq',
  'FullMaintMarginReq',
  'FullAvailableFunds',
  'FullExcessLiquidity',
  'LookAheadNextChange',
  'LookAheadInitMarginReq',
  'LookAheadMaintMarginReq',
  'LookAheadAvailableFunds',
  'LookAheadExcessLiquidity',
  'HighestSeverity',
  'DayTradesRemaining',
  'Leverage',
] as const;

const money = (value: number) => value.toFixed(2);
const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(4) : '0');

/** Every tag's value for one account, as text, with its currency (empty for non-monetary tags). */
function accountFigures(
  simulator: ExchangeSimulator,
  account: string,
): Map<string, { value: string; currency: string }> {
  const balance = simulator.balance(account);
  const positions = simulator.positions(account);
  const ccy = balance.currency;
  let gross = 0;
  for (const position of positions)
    gross += Math.abs(toBase(position.marketValue, position.instrument.currency, ccy));
  const figures = new Map<string, { value: string; currency: string }>();
  const put = (tag: string, value: string, currency = ccy) => figures.set(tag, { value, currency });
  put('AccountType', 'INDIVIDUAL', '');
  put('NetLiquidation', money(balance.equity));
  put('TotalCashValue', money(balance.cash));
  put('SettledCash', money(balance.cash));
  put('AccruedCash', money(0));
  put('BuyingPower', money(balance.buyingPower));
  put('EquityWithLoanValue', money(balance.equity));
  put('PreviousDayEquityWithLoanValue', money(balance.equity));
  put('GrossPositionValue', money(gross));
  put('RegTEquity', money(balance.equity));
  put('RegTMargin', money(balance.initialMargin));
  put('SMA', money(Math.max(0, balance.availableFunds)));
  for (const prefix of ['', 'Full', 'LookAhead']) {
    put(`${prefix}InitMarginReq`, money(balance.initialMargin));
    put(`${prefix}MaintMarginReq`, money(balance.maintenanceMargin));
    put(`${prefix}AvailableFunds`, money(balance.availableFunds));
    put(`${prefix}ExcessLiquidity`, money(balance.excessLiquidity));
  }
  put('LookAheadNextChange', '0', '');
  put('Cushion', ratio(balance.equity === 0 ? 0 : balance.excessLiquidity / balance.equity), '');
  put('HighestSeverity', '0', '');
  put('DayTradesRemaining', '-1', '');
  put('Leverage', ratio(balance.equity === 0 ? 0 : gross / balance.equity), '');
  return figures;
}

/** Converts with exchange-sim's default rates (the engine does not expose the rates it was given). */
function toBase(amount: number, from: string, to: string): number {
  if (from === to) return amount;
  const fromRate = DEFAULT_USD_RATES[from];
  const toRate = DEFAULT_USD_RATES[to];
  return fromRate === undefined || toRate === undefined ? amount : (amount * fromRate) / toRate;
}

/** Cash-balance (`$LEDGER`) rows for one currency, or the base currency under the name `BASE`. */
function ledgerRows(
  simulator: ExchangeSimulator,
  account: string,
  currency: string | 'BASE',
): AccountSummaryRow[] {
  const balance = simulator.balance(account);
  const positions = simulator.positions(account);
  const base = currency === 'BASE';
  const inCurrency = (position: PositionSnapshot) => base || position.instrument.currency === currency;
  const value = (position: PositionSnapshot, amount: number) =>
    base ? toBase(amount, position.instrument.currency, balance.currency) : amount;
  let stocks = 0;
  let options = 0;
  let unrealized = 0;
  let realized = 0;
  for (const position of positions) {
    if (!inCurrency(position)) continue;
    if (position.instrument.secType === 'OPT') options += value(position, position.marketValue);
    else if (position.instrument.secType !== 'FUT') stocks += value(position, position.marketValue);
    unrealized += value(position, position.unrealizedPnl);
    realized += value(position, position.realizedPnl);
  }
  const cash = base ? balance.cash : (balance.cashByCurrency[currency] ?? 0);
  const rate = base ? 1 : toBase(1, currency, balance.currency);
  const rows: Array<[string, string]> = [
    ['CashBalance', money(cash)],
    ['Currency', base ? balance.currency : currency],
    ['ExchangeRate', rate.toFixed(6)],
    ['FutureOptionValue', money(0)],
    ['NetLiquidationByCurrency', money(cash + stocks + options)],
    ['OptionMarketValue', money(options)],
    ['RealizedPnL', money(base ? balance.realizedPnl : realized)],
    ['StockMarketValue', money(stocks)],
    ['TotalCashBalance', money(cash)],
    ['UnrealizedPnL', money(unrealized)],
  ];
  return rows.map(([tag, text]) => ({ account, tag, value: text, currency }));
}

/**
 * The ACCOUNT_SUMMARY rows for `tags` over `accounts`: per account, the requested tags in
 * alphabetical order (as real TWS sends them), then any `$LEDGER`, `$LEDGER:ALL` or
 * `$LEDGER:<CCY>` cash-balance rows.
 */
export function accountSummaryRows(
  simulator: ExchangeSimulator,
  accounts: readonly string[],
  tags: readonly string[],
): AccountSummaryRow[] {
  const rows: AccountSummaryRow[] = [];
  const plain = [...new Set(tags.filter((tag) => !tag.startsWith('$LEDGER')))].sort();
  const ledgers = tags.filter((tag) => tag.startsWith('$LEDGER'));
  for (const account of accounts) {
    const figures = accountFigures(simulator, account);
    for (const tag of plain) {
      const figure = figures.get(tag);
      if (figure !== undefined) rows.push({ account, tag, value: figure.value, currency: figure.currency });
    }
    for (const ledger of ledgers) {
      const which = ledger.slice('$LEDGER'.length).replace(/^:/, '').toUpperCase();
      const balance = simulator.balance(account);
      if (which === '') rows.push(...ledgerRows(simulator, account, 'BASE'));
      else if (which === 'ALL') {
        for (const currency of Object.keys(balance.cashByCurrency).sort())
          rows.push(...ledgerRows(simulator, account, currency));
        rows.push(...ledgerRows(simulator, account, 'BASE'));
      } else rows.push(...ledgerRows(simulator, account, which));
    }
  }
  return rows;
}

/** POSITION_DATA for one position (or a closed one, quantity 0), with IB's avgCost (x multiplier). */
export function positionMessage(
  catalogue: ContractCatalogue,
  account: string,
  instrument: Instrument,
  quantity: number,
  averagePrice: number,
): string[] {
  const contract = {
    ...catalogue.toWireContract(instrument),
    exchange: catalogue.positionExchangeOf(instrument),
  };
  return encodePosition(account, contract, quantity, averagePrice * instrument.multiplier);
}

/** POSITION_DATA rows of every position of the accounts, in opening order. */
export function positionMessages(
  simulator: ExchangeSimulator,
  catalogue: ContractCatalogue,
  accounts: readonly string[],
): string[][] {
  const messages: string[][] = [];
  for (const account of accounts) {
    for (const position of simulator.positions(account)) {
      messages.push(
        positionMessage(catalogue, account, position.instrument, position.quantity, position.averagePrice),
      );
    }
  }
  return messages;
}

/** The position of an account in an instrument now (quantity 0 when flat). */
export function positionOf(
  simulator: ExchangeSimulator,
  account: string,
  instrument: Instrument,
): PositionSnapshot | undefined {
  return simulator.positions(account).find((position) => position.instrument === instrument);
}

/** PORTFOLIO_VALUE for one position (IB's averageCost includes the multiplier). */
export function portfolioMessage(
  catalogue: ContractCatalogue,
  account: string,
  instrument: Instrument,
  position: PositionSnapshot | undefined,
): string[] {
  const contract = {
    ...catalogue.toWireContract(instrument),
    exchange: catalogue.positionExchangeOf(instrument),
  };
  return encodePortfolioValue({
    contract,
    position: position?.quantity ?? 0,
    marketPrice: position?.marketPrice ?? 0,
    marketValue: position?.marketValue ?? 0,
    averageCost: (position?.averagePrice ?? 0) * instrument.multiplier,
    unrealizedPnl: position?.unrealizedPnl ?? 0,
    realizedPnl: position?.realizedPnl ?? 0,
    account,
  });
}

/** ACCT_VALUE rows of an account (reqAccountUpdates), base currency and per currency. */
export function accountValueMessages(simulator: ExchangeSimulator, account: string): string[][] {
  const figures = accountFigures(simulator, account);
  const balance = simulator.balance(account);
  const messages: string[][] = [
    encodeAccountValue('AccountCode', account, '', account),
    encodeAccountValue('AccountReady', 'true', '', account),
  ];
  for (const [tag, figure] of figures)
    messages.push(encodeAccountValue(tag, figure.value, figure.currency, account));
  for (const currency of Object.keys(balance.cashByCurrency).sort()) {
    for (const row of ledgerRows(simulator, account, currency)) {
      messages.push(encodeAccountValue(row.tag, row.value, currency, account));
    }
  }
  for (const row of ledgerRows(simulator, account, 'BASE'))
    messages.push(encodeAccountValue(row.tag, row.value, 'BASE', account));
  return messages;
}

const pad2 = (value: number) => String(value).padStart(2, '0');

/** The full answer to reqAccountUpdates: values, portfolio, update time, ACCT_DOWNLOAD_END last. */
export function accountUpdateMessages(
  simulator: ExchangeSimulator,
  catalogue: ContractCatalogue,
  account: string,
): { body: string[][]; end: string[] } {
  const body = accountValueMessages(simulator, account);
  for (const position of simulator.positions(account)) {
    body.push(portfolioMessage(catalogue, account, position.instrument, position));
  }
  const now = new Date(simulator.clock.now());
  body.push(encodeAccountUpdateTime(`${pad2(now.getUTCHours())}:${pad2(now.getUTCMinutes())}`));
  return { body, end: encodeAccountDownloadEnd(account) };
}
