import { formatDecimal, formatNumberOrEmpty } from '../../wire/fields.js';
import { ServerMessageId } from '../catalogue.js';
import { escapeNonAscii } from './error-message.js';
import type { WireContract } from './wire-contract.js';

/** IB's `ContractDetails` beyond the contract itself. */
export interface ContractDetailsView {
  contract: WireContract;
  marketName: string;
  minTick: number;
  orderTypes: string;
  validExchanges: string;
  priceMagnifier: number;
  underConId: number;
  longName: string;
  contractMonth: string;
  industry: string;
  category: string;
  subcategory: string;
  timeZoneId: string;
  tradingHours: string;
  liquidHours: string;
  secIdList: ReadonlyArray<{ tag: string; value: string }>;
  aggGroup: number;
  underSymbol: string;
  underSecType: string;
  marketRuleIds: string;
  realExpirationDate: string;
  /** `YYYYMMDD` of the last trading day (server version >= 182), empty when not applicable. */
  lastTradeDate: string;
  stockType: string;
  minSize: number;
  sizeIncrement: number;
  suggestedSizeIncrement: number;
}

/**
 * CONTRACT_DATA (10) at server version 193 (no version field): `reqId | symbol | secType |
 * lastTradeDateOrContractMonth | lastTradeDate | strike | right | exchange | currency |
 * localSymbol | marketName | tradingClass | conId | minTick | multiplier | orderTypes |
 * validExchanges | priceMagnifier | underConId | longName | primaryExchange | contractMonth |
 * industry | category | subcategory | timeZoneId | tradingHours | liquidHours | evRule |
 * evMultiplier | secIdListCount [+pairs] | aggGroup | underSymbol | underSecType | marketRuleIds |
 * realExpirationDate | stockType | minSize | sizeIncrement | suggestedSizeIncrement |
 * ineligibilityReasonCount`.
 */
export function encodeContractData(reqId: number, view: ContractDetailsView): string[] {
  const { contract } = view;
  const fields = [
    String(ServerMessageId.CONTRACT_DATA),
    String(reqId),
    contract.symbol,
    contract.secType,
    contract.lastTradeDateOrContractMonth,
    view.lastTradeDate,
    formatDecimal(contract.strike),
    contract.right,
    contract.exchange,
    contract.currency,
    contract.localSymbol,
    view.marketName,
    contract.tradingClass,
    String(contract.conId),
    formatNumberOrEmpty(view.minTick),
    contract.multiplier,
    view.orderTypes,
    view.validExchanges,
    String(view.priceMagnifier),
    String(view.underConId),
    escapeNonAscii(view.longName),
    contract.primaryExch,
    view.contractMonth,
    view.industry,
    view.category,
    view.subcategory,
    view.timeZoneId,
    view.tradingHours,
    view.liquidHours,
    '', // evRule
    '', // evMultiplier
    String(view.secIdList.length),
  ];
  for (const entry of view.secIdList) fields.push(entry.tag, entry.value);
  fields.push(
    String(view.aggGroup),
    view.underSymbol,
    view.underSecType,
    view.marketRuleIds,
    view.realExpirationDate,
    view.stockType,
    formatDecimal(view.minSize),
    formatDecimal(view.sizeIncrement),
    formatDecimal(view.suggestedSizeIncrement),
    '0', // ineligibilityReasonCount
  );
  return fields;
}

/** CONTRACT_DATA_END (52): `1 | reqId`. */
export function encodeContractDataEnd(reqId: number): string[] {
  return [String(ServerMessageId.CONTRACT_DATA_END), '1', String(reqId)];
}
