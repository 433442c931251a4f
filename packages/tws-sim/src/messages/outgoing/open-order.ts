import {
  formatBool,
  formatDecimal,
  formatIntOrUnset,
  formatJavaDouble,
  formatNumberOrEmpty,
  UNSET_DOUBLE_TEXT,
  UNSET_INTEGER_TEXT,
} from '../../wire/fields.js';
import { ServerMessageId } from '../catalogue.js';
import type { OrderFields } from '../incoming/place-order.js';
import type { WireContract } from './wire-contract.js';

/**
 * IB's `OrderState` as OPEN_ORDER carries it: the status, the nine whatIf margin figures
 * (before / change / after of initial margin, maintenance margin and equity with loan), the
 * commission estimate and a warning. `undefined` numbers are written as TWS's unset marker.
 */
export interface OrderStateView {
  status: string;
  initMarginBefore?: number | undefined;
  maintMarginBefore?: number | undefined;
  equityWithLoanBefore?: number | undefined;
  initMarginChange?: number | undefined;
  maintMarginChange?: number | undefined;
  equityWithLoanChange?: number | undefined;
  initMarginAfter?: number | undefined;
  maintMarginAfter?: number | undefined;
  equityWithLoanAfter?: number | undefined;
  commission?: number | undefined;
  minCommission?: number | undefined;
  maxCommission?: number | undefined;
  commissionCurrency?: string | undefined;
  warningText?: string | undefined;
  /**
   * Whether unknown commissions are written as `1.7976931348623157E308` (what a whatIf answer
   * carries) instead of the empty field (what an ordinary open order carries).
   */
  unknownCommissionAsMax?: boolean | undefined;
}

/** Everything OPEN_ORDER reports about one order. */
export interface OpenOrderView {
  orderId: number;
  contract: WireContract;
  /** The order as the client placed (or last modified) it. */
  order: OrderFields;
  /** The account the order belongs to (the client may have left it empty). */
  account: string;
  clientId: number;
  permId: number;
  parentId: number;
  state: OrderStateView;
}

const margin = (value: number | undefined) =>
  value === undefined ? UNSET_DOUBLE_TEXT : formatJavaDouble(value);
const optionalDouble = (value: number | undefined) => (value === undefined ? '' : formatJavaDouble(value));
const intOrZero = (value: number | undefined) => String(value ?? 0);

/**
 * OPEN_ORDER (5) at server version 193: no version field, 141 fields for an order without
 * combo legs, algo parameters, hedge or conditions (protocol doc 2.4). Defaults copy a real TWS
 * message (rust-ibapi recording of a TSLA market order): `?` as the right of a non-option,
 * `None` as delta-neutral order type (which brings 8 more fields), ocaType 3, clearingIntent
 * `IB`, sharesAllocation `permId.0/account/quantity`.
 */
export function encodeOpenOrder(view: OpenOrderView): string[] {
  const { contract, order, state } = view;
  const commissionUnset = state.unknownCommissionAsMax ? UNSET_DOUBLE_TEXT : '';
  const commission = (value: number | undefined) =>
    value === undefined ? commissionUnset : formatJavaDouble(value);
  const quantity = order.totalQuantity ?? 0;
  const fields: string[] = [
    String(ServerMessageId.OPEN_ORDER),
    String(view.orderId),
    // contract
    String(contract.conId),
    contract.symbol,
    contract.secType,
    contract.lastTradeDateOrContractMonth,
    formatDecimal(contract.strike),
    contract.right === '' ? '?' : contract.right,
    contract.multiplier,
    contract.exchange,
    contract.currency,
    contract.localSymbol,
    contract.tradingClass,
    // order
    order.action,
    formatDecimal(quantity),
    order.orderType,
    formatJavaDouble(order.lmtPrice ?? 0),
    formatJavaDouble(order.auxPrice ?? 0),
    order.tif === '' ? 'DAY' : order.tif,
    order.ocaGroup,
    view.account,
    order.openClose,
    intOrZero(order.origin),
    order.orderRef,
    String(view.clientId),
    String(view.permId),
    formatBool(order.outsideRth),
    formatBool(order.hidden),
    formatNumberOrEmpty(order.discretionaryAmt ?? 0),
    order.goodAfterTime,
    `${view.permId}.0/${view.account}/${formatDecimal(quantity)}`, // sharesAllocation (deprecated)
    order.faGroup,
    order.faMethod,
    order.faPercentage,
    order.modelCode,
    order.goodTillDate,
    order.rule80A,
    optionalDouble(order.percentOffset),
    order.settlingFirm,
    intOrZero(order.shortSaleSlot),
    order.designatedLocation,
    String(order.exemptCode ?? -1),
    intOrZero(order.auctionStrategy),
    optionalDouble(order.startingPrice),
    optionalDouble(order.stockRefPrice),
    optionalDouble(order.delta),
    optionalDouble(order.stockRangeLower),
    optionalDouble(order.stockRangeUpper),
    formatIntOrUnset(order.displaySize),
    formatBool(order.blockOrder),
    formatBool(order.sweepToFill),
    formatBool(order.allOrNone),
    order.minQty === undefined ? '' : String(order.minQty),
    String(order.ocaType || 3),
    formatBool(order.eTradeOnly),
    formatBool(order.firmQuoteOnly),
    optionalDouble(order.nbboPriceCap),
    String(view.parentId),
    intOrZero(order.triggerMethod),
    // volatility block; TWS writes "None" as deltaNeutralOrderType, which brings 8 fields
    optionalDouble(order.volatility),
    intOrZero(order.volatilityType),
    order.deltaNeutralOrderType === '' ? 'None' : order.deltaNeutralOrderType,
    optionalDouble(order.deltaNeutralAuxPrice),
    '0', // deltaNeutralConId
    '', // deltaNeutralSettlingFirm
    '', // deltaNeutralClearingAccount
    '', // deltaNeutralClearingIntent
    '?', // deltaNeutralOpenClose
    '0', // deltaNeutralShortSale
    '0', // deltaNeutralShortSaleSlot
    '', // deltaNeutralDesignatedLocation
    formatBool(order.continuousUpdate),
    intOrZero(order.referencePriceType),
    optionalDouble(order.trailStopPrice),
    optionalDouble(order.trailingPercent),
    '', // basisPoints
    '', // basisPointsType
    '', // comboLegsDescription
    '0', // comboLegsCount
    '0', // orderComboLegsCount
    '0', // smartComboRoutingParamsCount
    formatIntOrUnset(order.scaleInitLevelSize),
    formatIntOrUnset(order.scaleSubsLevelSize),
    '', // scalePriceIncrement (scale orders are not simulated)
    order.hedgeType,
  ];
  if (order.hedgeType !== '') fields.push(order.hedgeParam);
  fields.push(
    formatBool(order.optOutSmartRouting),
    order.clearingAccount,
    order.clearingIntent === '' ? 'IB' : order.clearingIntent,
    formatBool(order.notHeld),
    '0', // deltaNeutralContract present
    order.algoStrategy,
  );
  if (order.algoStrategy !== '') {
    fields.push(String(order.algoParams.length));
    for (const param of order.algoParams) fields.push(param.tag, param.value);
  }
  fields.push(
    formatBool(order.solicited),
    formatBool(order.whatIf),
    // OrderState
    state.status,
    margin(state.initMarginBefore),
    margin(state.maintMarginBefore),
    margin(state.equityWithLoanBefore),
    margin(state.initMarginChange),
    margin(state.maintMarginChange),
    margin(state.equityWithLoanChange),
    margin(state.initMarginAfter),
    margin(state.maintMarginAfter),
    margin(state.equityWithLoanAfter),
    commission(state.commission),
    commission(state.minCommission),
    commission(state.maxCommission),
    state.commissionCurrency ?? '',
    state.warningText ?? '',
    formatBool(order.randomizeSize),
    formatBool(order.randomizePrice),
    '0', // conditionsCount (conditions are not simulated)
    order.adjustedOrderType === '' ? 'None' : order.adjustedOrderType,
    margin(order.triggerPrice),
    margin(order.trailStopPrice),
    margin(order.lmtPriceOffset),
    margin(order.adjustedStopPrice),
    margin(order.adjustedStopLimitPrice),
    margin(order.adjustedTrailingAmount),
    intOrZero(order.adjustableTrailingUnit),
    order.softDollarTierName,
    order.softDollarTierValue,
    '', // softDollarTier displayName
    formatNumberOrEmpty(order.cashQty ?? 0),
    order.dontUseAutoPriceForHedge === false ? '0' : '1',
    formatBool(order.isOmsContainer),
    formatBool(order.discretionaryUpToLimitPrice),
    formatBool(order.usePriceMgmtAlgo),
    order.duration === undefined ? '' : String(order.duration),
    order.postToAts === undefined ? '' : String(order.postToAts),
    formatBool(order.autoCancelParent),
    formatIntOrUnset(order.minTradeQty),
    formatIntOrUnset(order.minCompeteSize),
    margin(order.competeAgainstBestOffset),
    margin(order.midOffsetAtWhole),
    margin(order.midOffsetAtHalf),
    order.customerAccount,
    formatBool(order.professionalCustomer),
    '', // bondAccruedInterest
    formatBool(order.includeOvernight),
    order.extOperator,
    order.manualOrderIndicator === undefined ? UNSET_INTEGER_TEXT : String(order.manualOrderIndicator),
  );
  return fields;
}

/** OPEN_ORDER_END (53): `1`. */
export function encodeOpenOrderEnd(): string[] {
  return [String(ServerMessageId.OPEN_ORDER_END), '1'];
}
