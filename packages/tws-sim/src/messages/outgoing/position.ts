import { formatDecimal, formatJavaDouble, formatNumberOrEmpty } from '../../wire/fields.js';
import { ServerMessageId } from '../catalogue.js';
import type { WireContract } from './wire-contract.js';

/**
 * POSITION_DATA (61): `3 | account | conId | symbol | secType | lastTradeDate | strike | right |
 * multiplier | exchange | currency | localSymbol | tradingClass | position | avgCost`, e.g.
 * `61|3|DU1234567|76792991|TSLA|STK||0.0|||NASDAQ|USD|TSLA|NMS|500|196.77|` (real TWS). Stocks
 * report their primary exchange; futures and options an empty exchange.
 */
export function encodePosition(
  account: string,
  contract: WireContract,
  position: number,
  avgCost: number,
): string[] {
  return [
    String(ServerMessageId.POSITION_DATA),
    '3',
    account,
    String(contract.conId),
    contract.symbol,
    contract.secType,
    contract.lastTradeDateOrContractMonth,
    formatJavaDouble(contract.strike),
    contract.right,
    contract.multiplier,
    contract.exchange,
    contract.currency,
    contract.localSymbol,
    contract.tradingClass,
    formatDecimal(position),
    formatNumberOrEmpty(avgCost),
  ];
}

/** POSITION_END (62): `1`. */
export function encodePositionEnd(): string[] {
  return [String(ServerMessageId.POSITION_END), '1'];
}
