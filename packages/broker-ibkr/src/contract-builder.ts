import type { NormalizedOrderRequest, SecType } from '@brokerkit/core';
import type { Contract, ContractDetails, SecType as IbSecType, OptionType } from '@stoqey/ib';

/** Exchange and currency used when an order leaves them out, per asset class. */
export interface ContractDefaults {
  exchange: string | undefined;
  currency: string;
  source: string;
}

/**
 * Defaults per secType, from the spec's order examples (brokers-abstraction-layer.md "Asset
 * Classes Supported") and ibkr-tws-protocol.md section 9.4. Futures have no default exchange: the
 * contract-details lookup finds it, or lists the candidates when there are several.
 */
export const CONTRACT_DEFAULTS: Readonly<Record<SecType, ContractDefaults>> = Object.freeze({
  STK: { exchange: 'SMART', currency: 'USD', source: 'spec STK example: SMART, USD' },
  FUT: {
    exchange: undefined,
    currency: 'USD',
    source: 'spec FUT example (GC on NYMEX) and 9.4: the exchange depends on the product',
  },
  OPT: { exchange: 'SMART', currency: 'USD', source: 'spec OPT example: SMART, USD' },
  CASH: {
    exchange: 'IDEALPRO',
    currency: 'USD',
    source: 'spec CASH example: EUR on IDEALPRO, quoted in USD',
  },
  CRYPTO: { exchange: 'PAXOS', currency: 'USD', source: 'spec CRYPTO example: BTC on PAXOS in USD' },
});

/** The contract fields of an order request (everything but side, quantity, type and prices). */
export type ContractRequest = Pick<
  NormalizedOrderRequest,
  | 'symbol'
  | 'secType'
  | 'exchange'
  | 'currency'
  | 'lastTradeDateOrContractMonth'
  | 'strike'
  | 'right'
  | 'multiplier'
>;

/**
 * The IB contract to look up for an order: symbol, secType (STK when omitted), exchange and
 * currency (defaults above), and for futures and options expiry, strike, right and multiplier.
 */
export function buildContract(request: ContractRequest): Contract {
  const secType: SecType = request.secType ?? 'STK';
  const defaults = CONTRACT_DEFAULTS[secType];
  const contract: Contract = {
    symbol: request.symbol.toUpperCase(),
    secType: secType as IbSecType,
    currency: request.currency ?? defaults.currency,
  };
  const exchange = request.exchange ?? defaults.exchange;
  if (exchange !== undefined) contract.exchange = exchange;
  if (request.lastTradeDateOrContractMonth !== undefined)
    contract.lastTradeDateOrContractMonth = request.lastTradeDateOrContractMonth;
  if (request.strike !== undefined) contract.strike = request.strike;
  if (request.right !== undefined) contract.right = request.right as OptionType;
  if (request.multiplier !== undefined) contract.multiplier = Number(request.multiplier);
  return contract;
}

/** `contractKey(buildContract(request))` without building the contract (the per-order cache lookup). */
export function requestContractKey(request: ContractRequest): string {
  const secType: SecType = request.secType ?? 'STK';
  const defaults = CONTRACT_DEFAULTS[secType];
  const multiplier = request.multiplier === undefined ? '' : Number(request.multiplier);
  return `${secType}|${request.symbol.toUpperCase()}|${request.exchange ?? defaults.exchange ?? ''}|${request.currency ?? defaults.currency}|${request.lastTradeDateOrContractMonth ?? ''}|${request.strike ?? ''}|${request.right ?? ''}|${multiplier}`;
}

/** True when two requests name the same contract (the fields `buildContract` reads). */
export function sameContractRequest(a: ContractRequest, b: ContractRequest): boolean {
  return (
    a.symbol === b.symbol &&
    a.secType === b.secType &&
    a.exchange === b.exchange &&
    a.currency === b.currency &&
    a.lastTradeDateOrContractMonth === b.lastTradeDateOrContractMonth &&
    a.strike === b.strike &&
    a.right === b.right &&
    a.multiplier === b.multiplier
  );
}

/** A stable cache key for a contract request. */
export function contractKey(contract: Contract): string {
  return [
    contract.secType,
    contract.symbol,
    contract.exchange ?? '',
    contract.currency ?? '',
    contract.lastTradeDateOrContractMonth ?? '',
    contract.strike ?? '',
    contract.right ?? '',
    contract.multiplier ?? '',
  ].join('|');
}

/**
 * The expiry part of `lastTradeDateOrContractMonth`. TWS may send `20250620 08:30 US/Central` for
 * futures, which @stoqey/ib leaves whole (ibkr-tws-protocol.md 2.5); orders take only the date.
 */
export function expiryOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = value.trim().split(/[\s-]/)[0];
  return first === undefined || first === '' ? undefined : first;
}

/**
 * The contract an order is sent with once the lookup found exactly one match: the match's conId
 * and fields, on the exchange the order asked for (SMART routing stays SMART).
 */
export function qualifiedContract(requested: Contract, details: ContractDetails): Contract {
  const found = details.contract;
  const contract: Contract = {
    conId: found.conId,
    symbol: found.symbol ?? requested.symbol,
    secType: found.secType ?? requested.secType,
    exchange: requested.exchange ?? found.exchange,
    currency: found.currency ?? requested.currency,
  };
  const expiry = expiryOf(found.lastTradeDateOrContractMonth) ?? requested.lastTradeDateOrContractMonth;
  if (expiry !== undefined) contract.lastTradeDateOrContractMonth = expiry;
  const strike = found.strike !== undefined && found.strike > 0 ? found.strike : requested.strike;
  if (strike !== undefined) contract.strike = strike;
  const right = found.right ?? requested.right;
  if (right !== undefined) contract.right = right;
  const multiplier =
    found.multiplier !== undefined && found.multiplier > 0 ? found.multiplier : requested.multiplier;
  if (multiplier !== undefined) contract.multiplier = multiplier;
  if (found.localSymbol) contract.localSymbol = found.localSymbol;
  if (found.tradingClass) contract.tradingClass = found.tradingClass;
  if (found.primaryExch) contract.primaryExch = found.primaryExch;
  return contract;
}

/** One line per candidate of an ambiguous lookup: `GC FUT COMEX USD 202412 x100 (GCZ4, conId 1234)`. */
export function describeCandidate(details: ContractDetails): string {
  const contract = details.contract;
  const parts = [
    contract.symbol ?? '?',
    contract.secType ?? '?',
    contract.exchange ?? '?',
    contract.currency ?? '?',
  ];
  const expiry = expiryOf(contract.lastTradeDateOrContractMonth);
  if (expiry !== undefined) parts.push(expiry);
  if (contract.strike !== undefined && contract.strike > 0) parts.push(`strike ${contract.strike}`);
  if (contract.right !== undefined) parts.push(contract.right);
  if (contract.multiplier !== undefined && contract.multiplier > 0) parts.push(`x${contract.multiplier}`);
  const extra = [
    contract.localSymbol,
    contract.primaryExch ? `primary ${contract.primaryExch}` : undefined,
    contract.conId === undefined ? undefined : `conId ${contract.conId}`,
  ].filter((part): part is string => part !== undefined && part !== '');
  return extra.length > 0 ? `${parts.join(' ')} (${extra.join(', ')})` : parts.join(' ');
}

/** `AAPL STK SMART USD`, `SPY OPT 20241220 450 C`: how an order's contract is named in errors. */
export function describeContract(contract: Contract): string {
  return [
    contract.symbol,
    contract.secType,
    contract.exchange,
    contract.currency,
    contract.lastTradeDateOrContractMonth,
    contract.strike,
    contract.right,
  ]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
}
