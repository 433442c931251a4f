import type { OrderInput, SimOrder } from '@brokerkit/exchange-sim';
import { TwsErrorCode, TwsErrorText } from './error-codes.js';

type EngineOrderType = OrderInput['orderType'];
type EngineStatus = SimOrder['status'];

/**
 * TWS order types the engine simulates, and the engine type each maps to. Source: IB's order type
 * strings (`@stoqey/ib` OrderType enum) and exchange-sim's four order types.
 */
export const SIMULATED_ORDER_TYPES: Readonly<Record<string, EngineOrderType>> = {
  MKT: 'MARKET',
  LMT: 'LIMIT',
  STP: 'STOP',
  'STP LMT': 'STOP_LIMIT',
  // Held by TWS (PreSubmitted, whyHeld "trigger") while the stop trails the price; a market
  // order once the price crosses it, as IB simulates trailing stops.
  TRAIL: 'MARKET',
};

/** The trailing-stop order type, which TWS holds until its trailing stop is crossed. */
export const TRAILING_STOP = 'TRAIL';

/**
 * Real TWS order types that tws-sim does not simulate. They are refused with 321 and a cause that
 * says so, instead of the "invalid order type" TWS gives for strings it does not know.
 */
export const UNSIMULATED_ORDER_TYPES: ReadonlySet<string> = new Set([
  'TRAIL LIMIT',
  'MOC',
  'LOC',
  'MIT',
  'LIT',
  'MTL',
  'REL',
  'MIDPRICE',
  'PEG MID',
  'PEG BEST',
  'PEG BENCH',
  'PEG MKT',
  'PEG STK',
  'PEG PRIM',
  'VWAP',
  'VOL',
  'BOX TOP',
  'SNAP MKT',
  'SNAP MID',
  'SNAP PRIM',
  'PASSV REL',
  'REL + LMT',
  'REL + MKT',
  'LMT + MKT',
  'AUC',
  'MKT PRT',
  'STP PRT',
  'QUOTE',
]);

/** Times in force the engine simulates (an empty TIF means DAY, as TWS reads it). */
export const SIMULATED_TIFS: ReadonlySet<string> = new Set(['DAY', 'GTC', 'IOC', 'FOK']);

/** IB's status for each engine status (protocol doc 3.1). */
export const TWS_STATUS_OF: Readonly<Record<EngineStatus, string>> = {
  PENDING: 'PendingSubmit',
  SUBMITTED: 'Submitted',
  PARTIALLY_FILLED: 'Submitted',
  FILLED: 'Filled',
  CANCELLED: 'Cancelled',
  REJECTED: 'Inactive',
};

/** A TWS error to send for an engine validation issue. */
export interface TwsError {
  code: number;
  message: string;
}

/**
 * exchange-sim's order issue codes (`OrderIssue.code`) and the TWS error each becomes. Source:
 * protocol doc 4.2 (110 off tick, 111 TIF/type, 201 rejects, 321 validation, 103 duplicate id).
 */
export const TWS_ERROR_OF_ISSUE: Readonly<Record<string, (message: string) => TwsError>> = {
  TICK_SIZE: () => ({ code: TwsErrorCode.PRICE_OFF_TICK, message: TwsErrorText.priceOffTick() }),
  TIME_IN_FORCE: () => ({
    code: TwsErrorCode.TIF_ORDER_TYPE_INCOMPATIBLE,
    message: TwsErrorText.tifOrderTypeIncompatible(),
  }),
  PRICE: (message) => ({
    code: TwsErrorCode.ERROR_VALIDATING_REQUEST,
    message: TwsErrorText.errorValidatingRequest(message),
  }),
  QUANTITY: (message) => ({
    code: TwsErrorCode.ERROR_VALIDATING_REQUEST,
    message: TwsErrorText.errorValidatingRequest(message),
  }),
  SIDE: (message) => ({
    code: TwsErrorCode.ERROR_VALIDATING_REQUEST,
    message: TwsErrorText.errorValidatingRequest(message),
  }),
  ORDER_TYPE: (message) => ({
    code: TwsErrorCode.ERROR_VALIDATING_REQUEST,
    message: TwsErrorText.errorValidatingRequest(message),
  }),
  PRODUCT: (message) => ({
    code: TwsErrorCode.ERROR_VALIDATING_REQUEST,
    message: TwsErrorText.errorValidatingRequest(message),
  }),
  LOT_SIZE: (message) => ({
    code: TwsErrorCode.ORDER_REJECTED,
    message: TwsErrorText.orderRejected(message),
  }),
  CASH_QUANTITY: (message) => ({
    code: TwsErrorCode.ORDER_REJECTED,
    message: TwsErrorText.orderRejected(message),
  }),
  DUPLICATE_ORDER_ID: () => ({
    code: TwsErrorCode.DUPLICATE_ORDER_ID,
    message: TwsErrorText.duplicateOrderId(),
  }),
  ORDER_STATE: () => ({
    code: TwsErrorCode.CANNOT_MODIFY_FILLED_ORDER,
    message: TwsErrorText.cannotModifyFilledOrder(),
  }),
};

/** The shape of core's InvalidOrderError as exchange-sim throws it. */
interface OrderIssuesErrorShape {
  code: 'INVALID_ORDER';
  issues: Array<{ path: string; message: string; code?: string }>;
}

/** True for exchange-sim's invalid-order error (core's InvalidOrderError), matched by its code. */
export function isOrderIssuesError(error: unknown): error is OrderIssuesErrorShape {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'INVALID_ORDER'
  );
}

/** True for exchange-sim's unknown/ambiguous symbol error (core's InvalidSymbolError). */
export function isInvalidSymbolError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'INVALID_SYMBOL'
  );
}

/** The TWS error for an engine validation error: its first issue, mapped by the table above. */
export function twsErrorOfIssues(error: OrderIssuesErrorShape): TwsError {
  const issue = error.issues[0];
  const message = issue === undefined ? 'invalid order' : `${issue.path}: ${issue.message}`;
  const map = issue?.code === undefined ? undefined : TWS_ERROR_OF_ISSUE[issue.code];
  return (
    map?.(message) ?? {
      code: TwsErrorCode.ERROR_VALIDATING_REQUEST,
      message: TwsErrorText.errorValidatingRequest(message),
    }
  );
}
