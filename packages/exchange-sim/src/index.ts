/**
 * @brokerkit/exchange-sim: a deterministic, in-memory exchange and accounts engine. The mock
 * broker runs on it in process; the TWS and Kite wire simulators put their protocols in front of it.
 *
 * @example
 * import { ExchangeSimulator, VirtualClock } from '@brokerkit/exchange-sim';
 *
 * const clock = new VirtualClock();
 * const simulator = new ExchangeSimulator({ clock, seed: 42, fillDelayMs: 1_000 });
 * simulator.createAccount({ id: 'DU123456', cash: 1_000_000 });
 * const order = simulator.placeOrder('DU123456', { symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' });
 * clock.advance(1_000);
 * simulator.getOrder('DU123456', order.orderId)?.status; // 'FILLED'
 */
export { Account, type AccountOptions, type PositionState, positionKey, roundQuantity } from './account.js';
export { type Clock, DEFAULT_VIRTUAL_START, RealClock, type TimerHandle, VirtualClock } from './clock.js';
export { assertValidCommission, type CommissionSchedule, commissionFor, FREE } from './commission.js';
export type { SimulatorEventName, SimulatorEvents } from './events.js';
export { DEFAULT_USD_RATES, ExchangeRates } from './exchange-rates.js';
export {
  type BalanceSnapshot,
  type CancelOutcome,
  ExchangeSimulator,
  type ExchangeSimulatorOptions,
  type InstrumentTarget,
  type MarginFigures,
  type MarginImpactResult,
  type ModifyOutcome,
  type OrderChanges,
  type PositionSnapshot,
  type Quote,
} from './exchange-simulator.js';
export { ExecutionLog } from './execution-log.js';
export { type DelayKind, FaultInjector } from './faults.js';
export {
  CRYPTO_COMMISSION,
  commissionScheduleOf,
  createInstrument,
  decimalsOf,
  FX_COMMISSION,
  floorToStep,
  type Instrument,
  type InstrumentDefinition,
  isMultipleOf,
  roundToStep,
  US_FUTURE_COMMISSION,
  US_OPTION_COMMISSION,
  US_STOCK_COMMISSION,
  ZERODHA_DELIVERY_COMMISSION,
  ZERODHA_INTRADAY_COMMISSION,
  ZERODHA_OPTION_COMMISSION,
} from './instrument.js';
export {
  type InstrumentQuery,
  InstrumentRegistry,
  type InstrumentRegistryOptions,
} from './instrument-registry.js';
export {
  BUILT_IN_FAMILIES,
  BUILT_IN_INSTRUMENTS,
  BUILT_IN_LISTINGS,
  type DerivativeFamily,
  NSE_SESSION_CLOSE_UTC,
} from './instrument-universe.js';
export {
  formatKiteFuture,
  formatKiteOption,
  isValidDate,
  type KiteDerivativeSymbol,
  lastThursday,
  parseKiteSymbol,
} from './kite-symbols.js';
export {
  assertValidMargin,
  CASH_MARGIN,
  type MarginParameters,
  type MarginRates,
  type MarginRequirement,
  type MarginSubject,
  positionMargin,
  REG_T_MARGIN,
} from './margin-model.js';
export { blackScholesPrice, normalCdf } from './option-pricing.js';
export {
  type Execution,
  isWorking,
  type OrderInput,
  type Rejection,
  type RejectionCode,
  type SimOrder,
} from './order.js';
export { findOrderIssues, type OrderIssue, type OrderIssueCode } from './order-validation.js';
export { PricePath } from './price-path.js';
export { hashString, type Seed, SeededRandom } from './random.js';
export { nextSessionClose, sessionTimeToMs } from './session.js';
