import { formatDecimal, formatJavaDouble } from '../../wire/fields.js';
import { ServerMessageId } from '../catalogue.js';
import type { WireContract } from './wire-contract.js';

/** ACCT_VALUE (6): `2 | key | value | currency | accountName`. */
export function encodeAccountValue(key: string, value: string, currency: string, account: string): string[] {
  return [String(ServerMessageId.ACCT_VALUE), '2', key, value, currency, account];
}

/** One PORTFOLIO_VALUE row. */
export interface PortfolioView {
  contract: WireContract;
  position: number;
  marketPrice: number;
  marketValue: number;
  averageCost: number;
  unrealizedPnl: number;
  realizedPnl: number;
  account: string;
}

/**
 * PORTFOLIO_VALUE (7): `8 | conId | symbol | secType | lastTradeDate | strike | right |
 * multiplier | primaryExch | currency | localSymbol | tradingClass | position | marketPrice |
 * marketValue | averageCost | unrealizedPNL | realizedPNL | accountName`.
 */
export function encodePortfolioValue(view: PortfolioView): string[] {
  const { contract } = view;
  return [
    String(ServerMessageId.PORTFOLIO_VALUE),
    '8',
    String(contract.conId),
    contract.symbol,
    contract.secType,
    contract.lastTradeDateOrContractMonth,
    formatJavaDouble(contract.strike),
    contract.right,
    contract.multiplier,
    contract.primaryExch,
    contract.currency,
    contract.localSymbol,
    contract.tradingClass,
    formatDecimal(view.position),
    formatJavaDouble(view.marketPrice),
    formatJavaDouble(view.marketValue),
    formatJavaDouble(view.averageCost),
    formatJavaDouble(view.unrealizedPnl),
    formatJavaDouble(view.realizedPnl),
    view.account,
  ];
}

/** ACCT_UPDATE_TIME (8): `1 | HH:mm`. */
export function encodeAccountUpdateTime(time: string): string[] {
  return [String(ServerMessageId.ACCT_UPDATE_TIME), '1', time];
}

/** ACCT_DOWNLOAD_END (54): `1 | account`. */
export function encodeAccountDownloadEnd(account: string): string[] {
  return [String(ServerMessageId.ACCT_DOWNLOAD_END), '1', account];
}
