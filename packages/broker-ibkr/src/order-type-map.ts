import type { OrderType, TimeInForce } from '@brokerkit/core';

/** One row: the IB `orderType` string for a brokerkit order type, its price fields, and the source. */
export interface IbOrderTypeMapping {
  ibOrderType: string;
  /** The brokerkit price that goes into IB's `lmtPrice`. */
  lmtPrice: 'limitPrice' | undefined;
  /** The brokerkit price that goes into IB's `auxPrice` (the stop trigger). */
  auxPrice: 'stopPrice' | undefined;
  source: string;
}

/** brokerkit order type -> IB order type and price fields (ibkr-tws-protocol.md section 9.1). */
export const ORDER_TYPE_TO_IB: Readonly<Partial<Record<OrderType, IbOrderTypeMapping>>> = Object.freeze({
  MARKET: {
    ibOrderType: 'MKT',
    lmtPrice: undefined,
    auxPrice: undefined,
    source: 'ibkr-tws-protocol.md 9.1: MKT, quantity only (crypto BUY may use cashQty)',
  },
  LIMIT: {
    ibOrderType: 'LMT',
    lmtPrice: 'limitPrice',
    auxPrice: undefined,
    source: 'ibkr-tws-protocol.md 9.1: LMT, lmtPrice',
  },
  STOP: {
    ibOrderType: 'STP',
    lmtPrice: undefined,
    auxPrice: 'stopPrice',
    source: 'ibkr-tws-protocol.md 9.1: STP, auxPrice = stop',
  },
  STOP_LIMIT: {
    ibOrderType: 'STP LMT',
    lmtPrice: 'limitPrice',
    auxPrice: 'stopPrice',
    source: 'ibkr-tws-protocol.md 9.1: STP LMT, lmtPrice and auxPrice = stop',
  },
});

/**
 * IB order type -> brokerkit order type, for orders TWS reports (including ones placed
 * elsewhere). Types without a brokerkit equivalent are not listed; see `fromIbOrderType`.
 */
export const IB_ORDER_TYPE_TO_CORE: Readonly<Record<string, OrderType>> = Object.freeze({
  MKT: 'MARKET',
  LMT: 'LIMIT',
  STP: 'STOP',
  'STP LMT': 'STOP_LIMIT',
  TRAIL: 'TRAILING_STOP',
  'TRAIL LIMIT': 'TRAILING_STOP',
});

/** brokerkit time in force -> IB `tif` (ibkr-tws-protocol.md section 9.2: the names are the same). */
export const TIF_TO_IB: Readonly<Record<TimeInForce, string>> = Object.freeze({
  DAY: 'DAY',
  GTC: 'GTC',
  IOC: 'IOC',
  FOK: 'FOK',
});

/** IB `tif` -> brokerkit; OPG, GTD, GTT and the rest have no brokerkit equivalent. */
export const IB_TIF_TO_CORE: Readonly<Record<string, TimeInForce>> = Object.freeze({
  DAY: 'DAY',
  GTC: 'GTC',
  IOC: 'IOC',
  FOK: 'FOK',
});

/** The IB order type of a brokerkit order type; throws for types this plugin does not send. */
export function toIbOrderType(orderType: OrderType): IbOrderTypeMapping {
  const mapping = ORDER_TYPE_TO_IB[orderType];
  if (mapping === undefined) throw new RangeError(`no IB order type for ${orderType}`);
  return mapping;
}

/**
 * The brokerkit order type of an order TWS reports. IB types with no equivalent (MOC, REL, ...)
 * are reported by their price fields (LIMIT when a limit price is set, else MARKET); the IB type
 * stays in the record's `raw`.
 */
export function fromIbOrderType(ibOrderType: string | undefined, hasLimitPrice: boolean): OrderType {
  const known = ibOrderType === undefined ? undefined : IB_ORDER_TYPE_TO_CORE[ibOrderType.toUpperCase()];
  if (known !== undefined) return known;
  return hasLimitPrice ? 'LIMIT' : 'MARKET';
}

/** The brokerkit time in force of an IB `tif`; unknown or empty ones read as DAY (IB's default). */
export function fromIbTif(tif: string | undefined): TimeInForce {
  return (tif === undefined ? undefined : IB_TIF_TO_CORE[tif.toUpperCase()]) ?? 'DAY';
}
