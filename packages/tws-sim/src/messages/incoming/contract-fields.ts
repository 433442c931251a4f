import type { FieldReader } from '../../wire/fields.js';

/**
 * The contract fields a client sends with a request (IB's `Contract`), as text the way they
 * arrived, except `conId` and `strike`, which are numbers (`undefined` when unset or 0).
 */
export interface ContractFields {
  conId: number | undefined;
  symbol: string;
  secType: string;
  lastTradeDateOrContractMonth: string;
  strike: number | undefined;
  right: string;
  multiplier: string;
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
}

/** One leg of a BAG (combo) contract. */
export interface ComboLegFields {
  conId: number | undefined;
  ratio: number | undefined;
  action: string;
  exchange: string;
}

const positiveOrUndefined = (value: number | undefined) =>
  value === undefined || value === 0 ? undefined : value;

/**
 * Reads conId, symbol, secType, lastTradeDateOrContractMonth, strike, right, multiplier,
 * exchange, primaryExch, currency, localSymbol, tradingClass: the block REQ_MKT_DATA,
 * REQ_CONTRACT_DATA and PLACE_ORDER share at server version 193.
 */
export function readContractFields(reader: FieldReader): ContractFields {
  return {
    conId: positiveOrUndefined(reader.int()),
    symbol: reader.string(),
    secType: reader.string(),
    lastTradeDateOrContractMonth: reader.string(),
    strike: positiveOrUndefined(reader.double()),
    right: reader.string(),
    multiplier: reader.string(),
    exchange: reader.string(),
    primaryExch: reader.string(),
    currency: reader.string(),
    localSymbol: reader.string(),
    tradingClass: reader.string(),
  };
}

/** True when the contract is a combo (`BAG`), which carries legs after the contract block. */
export function isBag(contract: ContractFields): boolean {
  return contract.secType.toUpperCase() === 'BAG';
}
