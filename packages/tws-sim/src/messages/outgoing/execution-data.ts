import { formatDecimal, formatJavaDouble, formatNumberOrEmpty } from '../../wire/fields.js';
import { ServerMessageId } from '../catalogue.js';
import type { WireContract } from './wire-contract.js';

/** One execution as EXECUTION_DATA reports it. */
export interface ExecutionView {
  orderId: number;
  contract: WireContract;
  /** IB-style execution id, e.g. `0000e0d5.64305db8.01.01`. */
  execId: string;
  /** Execution time text, e.g. `20250708-14:35:00` (the Gateway's UTC form). */
  time: string;
  account: string;
  /** Venue that executed (`ISLAND`, `NYSE`, `CME`). */
  exchange: string;
  /** `BOT` or `SLD`. */
  side: string;
  shares: number;
  price: number;
  permId: number;
  clientId: number;
  cumQty: number;
  avgPrice: number;
  orderRef: string;
  /** 1 added liquidity, 2 removed, 3 routed out. */
  lastLiquidity: number;
}

/**
 * EXECUTION_DATA (11), no version field since server version 136: `reqId | orderId | conId |
 * symbol | secType | lastTradeDate | strike | right | multiplier | exchange | currency |
 * localSymbol | tradingClass | execId | time | acctNumber | exchange | side | shares | price |
 * permId | clientId | liquidation | cumQty | avgPrice | orderRef | evRule | evMultiplier |
 * modelCode | lastLiquidity | pendingPriceRevision`. `reqId` is -1 for live fills.
 */
export function encodeExecutionData(reqId: number, view: ExecutionView): string[] {
  const { contract } = view;
  return [
    String(ServerMessageId.EXECUTION_DATA),
    String(reqId),
    String(view.orderId),
    String(contract.conId),
    contract.symbol,
    contract.secType,
    contract.lastTradeDateOrContractMonth,
    formatJavaDouble(contract.strike),
    contract.right,
    contract.multiplier,
    view.exchange,
    contract.currency,
    contract.localSymbol,
    contract.tradingClass,
    view.execId,
    view.time,
    view.account,
    view.exchange,
    view.side,
    formatDecimal(view.shares),
    formatNumberOrEmpty(view.price),
    String(view.permId),
    String(view.clientId),
    '0', // liquidation
    formatDecimal(view.cumQty),
    formatNumberOrEmpty(view.avgPrice),
    view.orderRef,
    '', // evRule
    '', // evMultiplier
    '', // modelCode
    String(view.lastLiquidity),
    '0', // pendingPriceRevision
  ];
}

/** EXECUTION_DATA_END (55): `1 | reqId`. */
export function encodeExecutionDataEnd(reqId: number): string[] {
  return [String(ServerMessageId.EXECUTION_DATA_END), '1', String(reqId)];
}
