import {
  type ExchangeSimulator,
  type Execution,
  type Instrument,
  type OrderInput,
  type Rejection,
  roundToStep,
  type SimOrder,
} from '@brokerkit/exchange-sim';
import type { ContractCatalogue } from './contracts/contract-catalogue.js';
import { TwsErrorCode, TwsErrorText } from './error-codes.js';
import type { FaultState } from './fault-state.js';
import type { InstrumentWatch } from './instrument-watch.js';
import type { ExecutionFilterFields } from './messages/incoming/executions.js';
import type { OrderFields, PlaceOrderMessage } from './messages/incoming/place-order.js';
import type { CommissionReportView } from './messages/outgoing/commission-report.js';
import { encodeCommissionReport } from './messages/outgoing/commission-report.js';
import { encodeErrorMessage } from './messages/outgoing/error-message.js';
import { type ExecutionView, encodeExecutionData } from './messages/outgoing/execution-data.js';
import { encodeOpenOrder, type OrderStateView } from './messages/outgoing/open-order.js';
import { encodeOrderStatus } from './messages/outgoing/order-status.js';
import type { WireContract } from './messages/outgoing/wire-contract.js';
import type { OrderIdRegistry } from './order-ids.js';
import {
  isInvalidSymbolError,
  isOrderIssuesError,
  SIMULATED_ORDER_TYPES,
  SIMULATED_TIFS,
  TRAILING_STOP,
  twsErrorOfIssues,
  UNSIMULATED_ORDER_TYPES,
} from './order-translation.js';

/** IB order statuses used by the simulator (protocol doc 3.1). */
export type TwsOrderStatus =
  | 'PendingSubmit'
  | 'PreSubmitted'
  | 'Submitted'
  | 'PendingCancel'
  | 'Cancelled'
  | 'Filled'
  | 'Inactive';

const FINAL_STATUSES: ReadonlySet<TwsOrderStatus> = new Set(['Cancelled', 'Filled', 'Inactive']);

/** A trailing stop TWS holds: the stop follows the best price by an amount or a percentage. */
export interface TrailingStopState {
  amount: number | undefined;
  percent: number | undefined;
  /** Best price since the order was armed: the high for a sell, the low for a buy. */
  extreme: number;
  stop: number;
  triggered: boolean;
}

/** An order as TWS keeps it: the client's fields, IB's ids and status, and the engine order behind it. */
export interface TwsOrder {
  readonly clientId: number;
  readonly orderId: number;
  readonly permId: number;
  readonly account: string;
  readonly instrument: Instrument;
  /** The contract echoed in OPEN_ORDER (IB's names, the exchange the client routed to). */
  readonly contract: WireContract;
  /** The order as the client last sent it. */
  fields: OrderFields;
  /** The engine's view of the order terms. */
  input: OrderInput;
  status: TwsOrderStatus;
  /** Why TWS holds the order (`trigger` for a trailing stop waiting for its price), else empty. */
  whyHeld: string;
  /** Set while a trailing stop is held by TWS. */
  trail: TrailingStopState | undefined;
  /** Held by TWS: sent with transmit=false, not transmitted yet. */
  staged: boolean;
  /** The engine order id once the order reached the engine. */
  engineOrderId: string | undefined;
  parentId: number;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** Commission charged so far. */
  commission: number;
  cancelRequested: boolean;
  /** Cancelled by TWS because a sibling in its OCA group or bracket filled. */
  ocaCancel: boolean;
  /** An execution arrived; the next engine order event is its fill update. */
  awaitingFill: boolean;
  pendingCommissions: CommissionReportView[];
}

/** Where the life cycle sends messages: to the session(s) of a client id. */
export interface OrderMessageSink {
  toClient(clientId: number, fields: string[]): void;
}

/** Options of an {@link OrderLifecycle}. */
export interface OrderLifecycleOptions {
  simulator: ExchangeSimulator;
  catalogue: ContractCatalogue;
  ids: OrderIdRegistry;
  faults: FaultState;
  sink: OrderMessageSink;
  /** Accounts this TWS manages; the first is the default for orders without one. */
  accounts: readonly string[];
  /** Shared price-step subscriptions (trailing stops need prices on time). */
  watch: InstrumentWatch;
  /** Final orders remembered for open-order and cancel answers. Default 10,000. */
  retainClosedOrders?: number;
  /** First permId handed out. Default 1,000,000,001. */
  firstPermId?: number;
  /** Called after each fill's messages went out (positions and portfolio subscribers update then). */
  onFill?: (account: string, instrument: Instrument) => void;
  /** Unexpected errors while handling engine events (bugs); default: rethrown. */
  onInternalError?: (error: unknown) => void;
}

type EngineEvent =
  | { kind: 'execution'; execution: Execution }
  | { kind: 'order'; status: SimOrder['status']; previous: SimOrder['status'] | undefined };

/** The terms of an order checked and translated for the engine. */
interface PreparedOrder {
  instrument: Instrument;
  account: string;
  input: OrderInput;
  contract: WireContract;
}

const PRELIMINARY_WHAT_IF_WARNING = 'Preliminary margin estimate; the final figures follow.';

function orderKey(clientId: number, orderId: number): string {
  return `${clientId}:${orderId}`;
}

function ocaKey(account: string, group: string): string {
  return `${account}\u0000${group}`;
}

const NO_ORDERS: readonly TwsOrder[] = Object.freeze([]);

const positiveOrUndefined = (value: number | undefined) =>
  value !== undefined && value > 0 ? value : undefined;

const pad2 = (value: number) => String(value).padStart(2, '0');

/** `yyyyMMdd-HH:mm:ss`, the UTC form IB Gateway uses in executions (protocol doc 2.3). */
export function formatExecutionTime(epochMs: number): string {
  const date = new Date(epochMs);
  return (
    `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}-` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`
  );
}

/** Parses an execution-filter time: `yyyymmdd-hh:mm:ss` (UTC) or `yyyymmdd hh:mm:ss [zone]` (read as UTC). */
export function parseFilterTime(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})[- ]+(\d{2}):(\d{2}):(\d{2})/.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
}

/** IB-style execution id (`0000b7c1.0000002a.01.01`) from the engine's execution sequence. */
function execIdOf(execution: Execution): string {
  return `0000b7c1.${(execution.sequence + 1).toString(16).padStart(8, '0')}.01.01`;
}

/**
 * The TWS order life cycle on top of the engine: order ids, permIds, transmit=false staging,
 * brackets (children held until the parent fills, siblings cancelled when one fills), whatIf,
 * modify, cancel and global cancel, and the translation of engine events into the message
 * sequences real TWS sends (protocol doc section 3):
 *
 * - accepted: OPEN_ORDER + ORDER_STATUS `PreSubmitted`, then `Submitted` while it rests;
 * - fill: EXECUTION_DATA (reqId -1) -> OPEN_ORDER -> ORDER_STATUS -> COMMISSION_REPORT;
 * - API cancel: ORDER_STATUS `Cancelled` + ERR 202; IOC not filled: `PendingCancel` -> `Cancelled`;
 * - FOK on a stock: `Inactive`; venue reject: `Inactive` + ERR 201 with the reason.
 */
export class OrderLifecycle {
  readonly #simulator: ExchangeSimulator;
  readonly #catalogue: ContractCatalogue;
  readonly #ids: OrderIdRegistry;
  readonly #faults: FaultState;
  readonly #sink: OrderMessageSink;
  readonly #accounts: readonly string[];
  readonly #retainClosed: number;
  readonly #onFill: ((account: string, instrument: Instrument) => void) | undefined;
  readonly #watch: InstrumentWatch;
  /** Armed trailing stops by instrument. */
  readonly #trailing = new Map<Instrument, Set<TwsOrder>>();
  readonly #orders = new Map<string, TwsOrder>();
  readonly #byEngineId = new Map<string, TwsOrder>();
  readonly #buffers = new Map<TwsOrder, EngineEvent[]>();
  /** Orders not final yet (staged, held, working), in creation order. */
  readonly #live = new Set<TwsOrder>();
  /** Bracket children by their parent's key. */
  readonly #children = new Map<string, TwsOrder[]>();
  /** Live members of each OCA group, by account and group name. */
  readonly #ocaGroups = new Map<string, Set<TwsOrder>>();
  readonly #closed: TwsOrder[] = [];
  readonly #retired = new WeakSet<TwsOrder>();
  #closedHead = 0;
  #nextPermId: number;
  readonly #unsubscribe: Array<() => void>;

  constructor(options: OrderLifecycleOptions) {
    this.#simulator = options.simulator;
    this.#catalogue = options.catalogue;
    this.#ids = options.ids;
    this.#faults = options.faults;
    this.#sink = options.sink;
    this.#accounts = options.accounts;
    this.#retainClosed = options.retainClosedOrders ?? 10_000;
    this.#onFill = options.onFill;
    this.#watch = options.watch;
    this.#nextPermId = options.firstPermId ?? 1_000_000_001;
    const onInternalError =
      options.onInternalError ??
      ((error: unknown) => {
        throw error;
      });
    // An engine listener must not throw into the engine: report and carry on.
    const guarded =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A) => {
        try {
          handler(...args);
        } catch (error) {
          onInternalError(error);
        }
      };
    this.#unsubscribe = [
      this.#simulator.on(
        'order',
        guarded((order: SimOrder, previous: SimOrder['status'] | undefined) =>
          this.#onEngineOrder(order, previous),
        ),
      ),
      this.#simulator.on(
        'execution',
        guarded((execution: Execution) => this.#onEngineExecution(execution)),
      ),
      this.#simulator.on(
        'cancelRejected',
        guarded((order: SimOrder) => this.#onCancelRejected(order)),
      ),
      this.#simulator.on(
        'price',
        guarded((instrument: Instrument, price: number) => this.#onPrice(instrument, price)),
      ),
    ];
  }

  /** Stops listening to the engine. */
  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe.length = 0;
  }

  /** Every order remembered (working, staged, and recent final ones), oldest first. */
  orders(): TwsOrder[] {
    return [...this.#orders.values()];
  }

  /** One order by client id and order id. */
  getOrder(clientId: number, orderId: number): TwsOrder | undefined {
    return this.#orders.get(orderKey(clientId, orderId));
  }

  // ---- requests -----------------------------------------------------------------------------

  /** PLACE_ORDER: a new order, a modification (same id), or the transmission of a staged order. */
  place(clientId: number, message: PlaceOrderMessage): void {
    const { orderId, order: fields } = message;
    const existing = this.#orders.get(orderKey(clientId, orderId));
    if (existing !== undefined) {
      this.#placeAgain(existing, message);
      return;
    }
    if (!this.#ids.isFresh(clientId, orderId)) {
      this.#error(clientId, orderId, TwsErrorCode.DUPLICATE_ORDER_ID, TwsErrorText.duplicateOrderId());
      return;
    }
    if (fields.whatIf === true && fields.transmit !== true) {
      this.#error(clientId, orderId, TwsErrorCode.WHAT_IF_NEEDS_TRANSMIT, TwsErrorText.whatIfNeedsTransmit());
      return;
    }
    const prepared = this.#prepare(clientId, message);
    if (prepared === undefined) return;
    this.#ids.markUsed(clientId, orderId);
    if (fields.whatIf === true) {
      this.#whatIf(clientId, message, prepared);
      return;
    }
    const order: TwsOrder = {
      clientId,
      orderId,
      permId: this.#nextPermId++,
      account: prepared.account,
      instrument: prepared.instrument,
      contract: prepared.contract,
      fields,
      input: prepared.input,
      status: 'PendingSubmit',
      whyHeld: '',
      trail: undefined,
      staged: fields.transmit !== true,
      engineOrderId: undefined,
      parentId: fields.parentId ?? 0,
      filled: 0,
      avgFillPrice: 0,
      lastFillPrice: 0,
      commission: 0,
      cancelRequested: false,
      ocaCancel: false,
      awaitingFill: false,
      pendingCommissions: [],
    };
    this.#orders.set(orderKey(clientId, orderId), order);
    this.#live.add(order);
    if (order.parentId !== 0) {
      const parentKey = orderKey(clientId, order.parentId);
      const siblings = this.#children.get(parentKey);
      if (siblings === undefined) this.#children.set(parentKey, [order]);
      else siblings.push(order);
    }
    if (fields.ocaGroup !== '') {
      const groupKey = ocaKey(order.account, fields.ocaGroup);
      const group = this.#ocaGroups.get(groupKey);
      if (group === undefined) this.#ocaGroups.set(groupKey, new Set([order]));
      else group.add(order);
    }
    // transmit=false: TWS keeps the order and says nothing until it is sent again with transmit=1.
    if (!order.staged) this.#transmit(order);
  }

  /** CANCEL_ORDER from a client (only its own orders). */
  cancel(clientId: number, orderId: number): void {
    const order = this.#orders.get(orderKey(clientId, orderId));
    if (order === undefined) {
      this.#error(
        clientId,
        orderId,
        TwsErrorCode.CANCEL_ORDER_NOT_FOUND,
        TwsErrorText.cancelOrderNotFound(orderId),
      );
      return;
    }
    if (FINAL_STATUSES.has(order.status) || order.status === 'PendingCancel') {
      this.#error(
        clientId,
        orderId,
        TwsErrorCode.CANCEL_ORDER_NOT_CANCELLABLE,
        TwsErrorText.cancelOrderNotCancellable(orderId, order.status),
      );
      return;
    }
    this.#cancelOrder(order);
  }

  /** REQ_GLOBAL_CANCEL: cancels every working, held and staged order of every client. */
  globalCancel(): void {
    for (const order of [...this.#live]) {
      if (!FINAL_STATUSES.has(order.status) && order.status !== 'PendingCancel') this.#cancelOrder(order);
    }
  }

  /**
   * The OPEN_ORDER/ORDER_STATUS pairs of the open orders of `clientId` (all clients when
   * `undefined`), as REQ_OPEN_ORDERS / REQ_ALL_OPEN_ORDERS answer before OPEN_ORDER_END.
   */
  openOrderMessages(clientId: number | undefined): string[][] {
    const messages: string[][] = [];
    for (const order of this.#live) {
      if (order.staged || FINAL_STATUSES.has(order.status) || order.status === 'PendingSubmit') continue;
      if (clientId !== undefined && order.clientId !== clientId) continue;
      messages.push(this.#openOrderFields(order, order.status), this.#statusFields(order, order.status));
    }
    return messages;
  }

  /** EXECUTION_DATA + COMMISSION_REPORT of every retained execution that matches the filter. */
  executionMessages(reqId: number, filter: ExecutionFilterFields): string[][] {
    const since = filter.time === '' ? undefined : parseFilterTime(filter.time);
    const messages: string[][] = [];
    for (const account of this.#accounts) {
      if (filter.accountCode !== '' && filter.accountCode !== account) continue;
      for (const execution of this.#simulator.executions(account)) {
        const order = this.#byEngineId.get(execution.orderId);
        if (
          filter.clientId !== undefined &&
          filter.clientId !== 0 &&
          (order?.clientId ?? 0) !== filter.clientId
        )
          continue;
        if (since !== undefined && execution.time < since) continue;
        const instrument = execution.instrument;
        if (filter.symbol !== '' && filter.symbol !== instrument.symbol) continue;
        if (filter.secType !== '' && filter.secType !== instrument.secType) continue;
        if (filter.side !== '' && filter.side.toUpperCase() !== execution.side) continue;
        const venue = this.#catalogue.executionVenueOf(instrument);
        if (
          filter.exchange !== '' &&
          filter.exchange !== venue &&
          !instrument.exchanges.includes(filter.exchange)
        )
          continue;
        messages.push(
          encodeExecutionData(reqId, this.#executionView(order, execution)),
          encodeCommissionReport(this.#commissionView(execution)),
        );
      }
    }
    return messages;
  }

  // ---- placing ------------------------------------------------------------------------------

  /** Checks an order's terms as TWS does and translates them for the engine; sends the error and returns undefined when they fail. */
  #prepare(clientId: number, message: PlaceOrderMessage): PreparedOrder | undefined {
    const { orderId, order: fields } = message;
    const fail = (code: number, text: string) => {
      this.#error(clientId, orderId, code, text);
      return undefined;
    };
    const orderType = fields.orderType.trim().toUpperCase();
    const engineType = SIMULATED_ORDER_TYPES[orderType];
    if (engineType === undefined) {
      if (UNSIMULATED_ORDER_TYPES.has(orderType)) {
        return fail(
          TwsErrorCode.ERROR_VALIDATING_REQUEST,
          TwsErrorText.errorValidatingRequest(`Order type ${orderType} is not simulated by tws-sim`),
        );
      }
      return fail(TwsErrorCode.ERROR_VALIDATING_REQUEST, TwsErrorText.invalidOrderType(fields.orderType));
    }
    const trailing = orderType === TRAILING_STOP;
    if (trailing && !((fields.auxPrice ?? 0) > 0) && !((fields.trailingPercent ?? 0) > 0)) {
      return fail(
        TwsErrorCode.ERROR_VALIDATING_REQUEST,
        TwsErrorText.errorValidatingRequest('A trailing amount (auxPrice) or a trailing percent is required'),
      );
    }
    const action = fields.action.trim().toUpperCase();
    if (action !== 'BUY' && action !== 'SELL' && action !== 'SSHORT') {
      return fail(
        TwsErrorCode.ERROR_VALIDATING_REQUEST,
        TwsErrorText.errorValidatingRequest(`Invalid action "${fields.action}"`),
      );
    }
    const tif = fields.tif.trim().toUpperCase() || 'DAY';
    if (trailing && tif !== 'DAY' && tif !== 'GTC') {
      return fail(TwsErrorCode.TIF_ORDER_TYPE_INCOMPATIBLE, TwsErrorText.tifOrderTypeIncompatible());
    }
    if (!SIMULATED_TIFS.has(tif)) {
      return fail(
        TwsErrorCode.ERROR_VALIDATING_REQUEST,
        TwsErrorText.errorValidatingRequest(`Time in force ${tif} is not simulated by tws-sim`),
      );
    }
    const resolution = this.#catalogue.resolve(message.contract);
    if (resolution.kind === 'unknown')
      return fail(TwsErrorCode.NO_SECURITY_DEFINITION, TwsErrorText.noSecurityDefinition());
    if (resolution.kind === 'ambiguous') {
      return fail(
        TwsErrorCode.NO_SECURITY_DEFINITION,
        TwsErrorText.ambiguousContract(message.contract.symbol),
      );
    }
    const instrument = resolution.instrument;
    const account = fields.account.trim() === '' ? this.#accounts[0]! : fields.account.trim();
    if (!this.#accounts.includes(account)) {
      return fail(TwsErrorCode.ORDER_REJECTED, TwsErrorText.orderRejected(`Invalid account code ${account}`));
    }
    const input: OrderInput = {
      symbol: instrument.symbol,
      secType: instrument.secType,
      exchange: instrument.exchange,
      currency: instrument.currency,
      lastTradeDateOrContractMonth: instrument.expiry ?? instrument.contractMonth,
      strike: instrument.strike,
      right: instrument.right,
      side: action === 'BUY' ? 'BUY' : 'SELL',
      orderType: engineType,
      quantity: positiveOrUndefined(fields.totalQuantity),
      cashQty:
        positiveOrUndefined(fields.totalQuantity) === undefined
          ? positiveOrUndefined(fields.cashQty)
          : undefined,
      limitPrice: engineType === 'LIMIT' || engineType === 'STOP_LIMIT' ? fields.lmtPrice : undefined,
      stopPrice: engineType === 'STOP' || engineType === 'STOP_LIMIT' ? fields.auxPrice : undefined,
      tif,
      clientOrderId: fields.orderRef === '' ? undefined : fields.orderRef,
    };
    // An order that goes straight to the engine is checked there (same errors); one that TWS
    // keeps (staged, or a bracket child held under its parent) is checked now, as TWS does.
    const goesStraightToEngine =
      fields.transmit === true && (fields.parentId ?? 0) === 0 && fields.whatIf !== true;
    if (!goesStraightToEngine) {
      try {
        this.#simulator.validateOrder(input);
      } catch (error) {
        const twsError = this.#twsErrorOf(error);
        return fail(twsError.code, twsError.message);
      }
    }
    const wire = this.#catalogue.toWireContract(instrument);
    const exchange = message.contract.exchange.trim();
    const contract = exchange === '' || exchange === wire.exchange ? wire : { ...wire, exchange };
    return { instrument, account, input, contract };
  }

  #twsErrorOf(error: unknown): { code: number; message: string } {
    if (isOrderIssuesError(error)) return twsErrorOfIssues(error);
    if (isInvalidSymbolError(error)) {
      return { code: TwsErrorCode.NO_SECURITY_DEFINITION, message: TwsErrorText.noSecurityDefinition() };
    }
    throw error;
  }

  /** The same order id again: a staged order updated or transmitted, or a modification. */
  #placeAgain(order: TwsOrder, message: PlaceOrderMessage): void {
    const { clientId, orderId } = order;
    if (order.status === 'Filled') {
      this.#error(
        clientId,
        orderId,
        TwsErrorCode.CANNOT_MODIFY_FILLED_ORDER,
        TwsErrorText.cannotModifyFilledOrder(),
      );
      return;
    }
    if (FINAL_STATUSES.has(order.status)) {
      this.#error(clientId, orderId, TwsErrorCode.DUPLICATE_ORDER_ID, TwsErrorText.duplicateOrderId());
      return;
    }
    const prepared = this.#prepare(clientId, message);
    if (prepared === undefined) return;
    if (prepared.instrument !== order.instrument || prepared.input.side !== order.input.side) {
      this.#error(clientId, orderId, TwsErrorCode.MODIFY_MISMATCH, TwsErrorText.modifyMismatch());
      return;
    }
    if (order.staged) {
      order.fields = message.order;
      order.input = prepared.input;
      order.parentId = message.order.parentId ?? 0;
      if (message.order.transmit === true) {
        order.staged = false;
        this.#transmit(order);
      }
      return;
    }
    if (order.engineOrderId === undefined) {
      // Held by TWS (a bracket child, a trailing stop): TWS just takes the new terms.
      order.fields = message.order;
      order.input = prepared.input;
      if (order.trail !== undefined) {
        order.trail.amount = positiveOrUndefined(message.order.auxPrice);
        order.trail.percent = positiveOrUndefined(message.order.trailingPercent);
        order.trail.stop = this.#trailStop(order, order.trail.extreme);
        order.fields = { ...order.fields, trailStopPrice: order.trail.stop };
      }
      this.#emitPair(order, order.status);
      if (order.trail !== undefined) this.#checkTrail(order, this.#simulator.price(order.instrument));
      return;
    }
    this.#modify(order, message.order, prepared);
  }

  #modify(order: TwsOrder, fields: OrderFields, prepared: PreparedOrder): void {
    const engineOrderId = order.engineOrderId!;
    const { result: outcome, events } = this.#buffered(order, () => {
      try {
        return this.#simulator.modifyOrder(order.account, engineOrderId, {
          quantity: prepared.input.quantity,
          limitPrice: prepared.input.limitPrice,
          stopPrice: prepared.input.stopPrice,
          orderType: prepared.input.orderType,
          tif: prepared.input.tif as SimOrder['tif'],
        });
      } catch (error) {
        const twsError = this.#twsErrorOf(error);
        this.#error(order.clientId, order.orderId, twsError.code, twsError.message);
        return undefined;
      }
    });
    if (outcome?.status === 'modified') {
      order.fields = fields;
      order.input = prepared.input;
      this.#emitPair(order, order.status);
    } else if (outcome?.status === 'rejected') {
      this.#error(
        order.clientId,
        order.orderId,
        TwsErrorCode.ORDER_REJECTED,
        TwsErrorText.orderRejected(outcome.rejection.reason),
      );
    } else if (outcome?.status === 'final') {
      this.#error(
        order.clientId,
        order.orderId,
        TwsErrorCode.CANNOT_MODIFY_FILLED_ORDER,
        TwsErrorText.cannotModifyFilledOrder(),
      );
    }
    // Fills the new terms caused at once follow the modification's acknowledgement.
    for (const event of events)
      if (!(event.kind === 'order' && event.previous === event.status)) this.#replay(order, event);
  }

  /** Sends a transmitted order on: to the engine, or held under its parent. */
  #transmit(order: TwsOrder): void {
    if (order.parentId === 0) {
      this.#submit(order, false);
      this.#transmitStagedChildren(order);
      return;
    }
    const parent = this.#orders.get(orderKey(order.clientId, order.parentId));
    if (parent === undefined) {
      this.#orders.delete(orderKey(order.clientId, order.orderId));
      this.#error(
        order.clientId,
        order.orderId,
        TwsErrorCode.MISSING_PARENT_ORDER,
        TwsErrorText.missingParentOrder(),
      );
      return;
    }
    if (parent.staged) {
      // The last child sent with transmit=1 releases its parent and every staged sibling.
      parent.staged = false;
      this.#submit(parent, false);
      this.#transmitStagedChildren(parent, order);
    }
    this.#attachChild(order, parent);
  }

  #transmitStagedChildren(parent: TwsOrder, except?: TwsOrder): void {
    for (const child of this.#childrenOf(parent)) {
      if (child === except || !child.staged) continue;
      child.staged = false;
      this.#attachChild(child, parent);
    }
  }

  #attachChild(child: TwsOrder, parent: TwsOrder): void {
    if (parent.status === 'Filled') {
      this.#submit(child, false);
    } else if (FINAL_STATUSES.has(parent.status)) {
      child.status = 'Cancelled';
      this.#emitPair(child, 'Cancelled');
      this.#retire(child);
    } else {
      // Children stay PreSubmitted until the parent fills.
      child.status = 'PreSubmitted';
      this.#emitPair(child, 'PreSubmitted');
    }
  }

  #childrenOf(parent: TwsOrder): readonly TwsOrder[] {
    return this.#children.get(orderKey(parent.clientId, parent.orderId)) ?? NO_ORDERS;
  }

  /** Places the order in the engine and tells the client what happened, in TWS's order. */
  #submit(order: TwsOrder, announced: boolean): void {
    if (order.instrument.secType === 'STK' && order.input.tif === 'FOK') {
      // Real TWS: FOK on a US stock goes straight to Inactive.
      order.status = 'Inactive';
      this.#emitPair(order, 'Inactive');
      this.#retire(order);
      return;
    }
    if (order.fields.orderType.trim().toUpperCase() === TRAILING_STOP && order.trail?.triggered !== true) {
      this.#armTrail(order);
      return;
    }
    const engineOrderId = String(order.permId);
    order.engineOrderId = engineOrderId;
    this.#byEngineId.set(engineOrderId, order);
    const { result: simOrder, events } = this.#buffered(order, () => {
      try {
        return this.#simulator.placeOrder(order.account, { ...order.input, orderId: engineOrderId });
      } catch (error) {
        const twsError = this.#twsErrorOf(error);
        this.#error(order.clientId, order.orderId, twsError.code, twsError.message);
        return undefined;
      }
    });
    if (simOrder === undefined) {
      // Refused before it existed (off tick, bad quantity): TWS keeps no order, only the error.
      this.#byEngineId.delete(engineOrderId);
      this.#forget(order);
      return;
    }
    if (simOrder.status === 'REJECTED' && simOrder.executionCount === 0) {
      this.#reject(order, simOrder.rejection);
      return;
    }
    const cancelledUnfilled =
      simOrder.status === 'CANCELLED' && simOrder.filledQuantity === 0 && !order.cancelRequested;
    if (cancelledUnfilled) {
      // IOC (or FOK) that could not fill: PendingCancel then Cancelled, no 202 (api_ioc_fok_aapl).
      order.status = 'PendingCancel';
      this.#emitPair(order, 'PendingCancel');
      this.#finishCancelled(order, false);
      return;
    }
    if (!announced) {
      order.status = 'PreSubmitted';
      this.#emitPair(order, 'PreSubmitted');
      const warning = this.#faults.takeWarning();
      if (warning !== undefined) {
        this.#error(
          order.clientId,
          order.orderId,
          TwsErrorCode.ORDER_MESSAGE_WARNING,
          TwsErrorText.orderMessageWarning(warning),
        );
      }
    }
    // The first engine event is the acceptance itself.
    for (const event of events.slice(1)) this.#replay(order, event);
    if (order.status === 'PreSubmitted') {
      order.status = 'Submitted';
      this.#emitPair(order, 'Submitted');
    }
  }

  #reject(order: TwsOrder, rejection: Rejection | undefined): void {
    order.status = 'Inactive';
    order.whyHeld = '';
    this.#emitPair(order, 'Inactive');
    this.#error(
      order.clientId,
      order.orderId,
      TwsErrorCode.ORDER_REJECTED,
      TwsErrorText.orderRejected(this.#rejectReason(order, rejection)),
    );
    this.#cancelChildren(order, false);
    this.#retire(order);
  }

  #rejectReason(order: TwsOrder, rejection: Rejection | undefined): string {
    if (rejection === undefined) return 'Rejected by the venue';
    if (rejection.code !== 'INSUFFICIENT_FUNDS') return rejection.reason;
    const balance = this.#simulator.balance(order.account);
    return TwsErrorText.insufficientMargin(
      balance.equity,
      balance.initialMargin + (rejection.required ?? 0),
      rejection.currency ?? balance.currency,
    );
  }

  #whatIf(clientId: number, message: PlaceOrderMessage, prepared: PreparedOrder): void {
    let impact: ReturnType<ExchangeSimulator['marginImpact']>;
    try {
      impact = this.#simulator.marginImpact(prepared.account, prepared.input);
    } catch (error) {
      const twsError = this.#twsErrorOf(error);
      this.#error(clientId, message.orderId, twsError.code, twsError.message);
      return;
    }
    const view = {
      orderId: message.orderId,
      contract: prepared.contract,
      order: message.order,
      account: prepared.account,
      clientId,
      permId: this.#nextPermId++,
      parentId: message.order.parentId ?? 0,
    };
    if (this.#faults.twoStageWhatIf) {
      // ib_insync #380: a first answer with unset figures and a warning, then the real one.
      this.#sink.toClient(
        clientId,
        encodeOpenOrder({
          ...view,
          state: {
            status: 'PreSubmitted',
            warningText: PRELIMINARY_WHAT_IF_WARNING,
            unknownCommissionAsMax: true,
          },
        }),
      );
    }
    const state: OrderStateView = {
      status: 'PreSubmitted',
      initMarginBefore: impact.before.initialMargin,
      maintMarginBefore: impact.before.maintenanceMargin,
      equityWithLoanBefore: impact.before.equityWithLoan,
      initMarginChange: impact.change.initialMargin,
      maintMarginChange: impact.change.maintenanceMargin,
      equityWithLoanChange: impact.change.equityWithLoan,
      initMarginAfter: impact.after.initialMargin,
      maintMarginAfter: impact.after.maintenanceMargin,
      equityWithLoanAfter: impact.after.equityWithLoan,
      commission: impact.commission,
      commissionCurrency: impact.commissionCurrency,
      warningText: impact.warnings.join(' '),
      unknownCommissionAsMax: true,
    };
    this.#sink.toClient(clientId, encodeOpenOrder({ ...view, state }));
  }

  // ---- trailing stops -----------------------------------------------------------------------

  /** Holds a TRAIL order: PreSubmitted, whyHeld `trigger`, its stop following the price. */
  #armTrail(order: TwsOrder): void {
    const price = this.#simulator.price(order.instrument);
    const trail: TrailingStopState = {
      amount: positiveOrUndefined(order.fields.auxPrice),
      percent: positiveOrUndefined(order.fields.trailingPercent),
      extreme: price,
      stop: 0,
      triggered: false,
    };
    order.trail = trail;
    trail.stop = positiveOrUndefined(order.fields.trailStopPrice) ?? this.#trailStop(order, price);
    order.fields = { ...order.fields, trailStopPrice: trail.stop };
    order.status = 'PreSubmitted';
    order.whyHeld = 'trigger';
    let armed = this.#trailing.get(order.instrument);
    if (armed === undefined) {
      armed = new Set();
      this.#trailing.set(order.instrument, armed);
    }
    armed.add(order);
    this.#watch.acquire(order.instrument);
    this.#emitPair(order, 'PreSubmitted');
    this.#checkTrail(order, price);
  }

  /** The stop a trailing order has at `extreme`: below the high for a sell, above the low for a buy. */
  #trailStop(order: TwsOrder, extreme: number): number {
    const trail = order.trail!;
    const distance = trail.amount ?? (extreme * (trail.percent ?? 0)) / 100;
    const raw = order.input.side === 'SELL' ? extreme - distance : extreme + distance;
    return roundToStep(raw, order.instrument.tickSize, order.instrument.priceDecimals);
  }

  #onPrice(instrument: Instrument, price: number): void {
    const armed = this.#trailing.get(instrument);
    if (armed === undefined) return;
    for (const order of [...armed]) this.#checkTrail(order, price);
  }

  /** Moves the stop with a better price; at the stop, TWS sends the order on as a market order. */
  #checkTrail(order: TwsOrder, price: number): void {
    const trail = order.trail;
    if (
      trail === undefined ||
      trail.triggered ||
      FINAL_STATUSES.has(order.status) ||
      order.status === 'PendingCancel'
    )
      return;
    const selling = order.input.side === 'SELL';
    if (selling ? price > trail.extreme : price < trail.extreme) {
      trail.extreme = price;
      const stop = this.#trailStop(order, price);
      if (selling ? stop > trail.stop : stop < trail.stop) trail.stop = stop;
    }
    if (selling ? price > trail.stop : price < trail.stop) return;
    trail.triggered = true;
    this.#disarmTrail(order);
    order.whyHeld = '';
    order.status = 'Submitted';
    order.fields = { ...order.fields, trailStopPrice: trail.stop };
    this.#emitPair(order, 'Submitted');
    this.#submit(order, true);
  }

  #disarmTrail(order: TwsOrder): void {
    const armed = this.#trailing.get(order.instrument);
    if (armed === undefined || !armed.delete(order)) return;
    if (armed.size === 0) this.#trailing.delete(order.instrument);
    this.#watch.release(order.instrument);
  }

  // ---- cancelling ---------------------------------------------------------------------------

  #cancelOrder(order: TwsOrder): void {
    if (order.engineOrderId === undefined) {
      // Staged or held under its parent: nothing reached the engine.
      order.staged = false;
      order.cancelRequested = true;
      this.#finishCancelled(order, true);
      return;
    }
    order.cancelRequested = true;
    const outcome = this.#simulator.cancelOrder(order.account, order.engineOrderId);
    if (outcome === 'pending') {
      order.status = 'PendingCancel';
      this.#sink.toClient(order.clientId, this.#statusFields(order, 'PendingCancel'));
    } else if (outcome === 'already-final' || outcome === 'not-found') {
      this.#error(
        order.clientId,
        order.orderId,
        TwsErrorCode.CANCEL_ORDER_NOT_CANCELLABLE,
        TwsErrorText.cancelOrderNotCancellable(order.orderId, order.status),
      );
    }
    // 'cancelled': the engine's CANCELLED event has already been handled.
  }

  /** ORDER_STATUS Cancelled (+ ERR 202 for API cancels); held children go with their parent. */
  #finishCancelled(order: TwsOrder, byApi: boolean): void {
    order.status = 'Cancelled';
    order.whyHeld = '';
    this.#sink.toClient(order.clientId, this.#statusFields(order, 'Cancelled'));
    if (byApi)
      this.#error(order.clientId, order.orderId, TwsErrorCode.ORDER_CANCELLED, TwsErrorText.orderCancelled());
    this.#cancelChildren(order, byApi);
    this.#retire(order);
  }

  #cancelChildren(parent: TwsOrder, byApi: boolean): void {
    for (const child of this.#childrenOf(parent)) {
      if (FINAL_STATUSES.has(child.status)) continue;
      if (child.engineOrderId === undefined) {
        child.staged = false;
        this.#finishCancelled(child, byApi);
      }
    }
  }

  /** A bracket child or OCA member filled: TWS cancels the others of its group. */
  #cancelSiblings(order: TwsOrder): void {
    if (order.parentId === 0 && order.fields.ocaGroup === '') return;
    const siblings = new Set<TwsOrder>();
    if (order.parentId !== 0) {
      for (const child of this.#children.get(orderKey(order.clientId, order.parentId)) ?? NO_ORDERS)
        siblings.add(child);
    }
    if (order.fields.ocaGroup !== '') {
      for (const member of this.#ocaGroups.get(ocaKey(order.account, order.fields.ocaGroup)) ?? NO_ORDERS)
        siblings.add(member);
    }
    for (const other of siblings) {
      if (other === order || FINAL_STATUSES.has(other.status) || other.status === 'PendingCancel') continue;
      other.ocaCancel = true;
      if (other.engineOrderId === undefined) this.#finishCancelled(other, false);
      else {
        other.cancelRequested = true;
        this.#simulator.cancelOrder(other.account, other.engineOrderId);
      }
    }
  }

  // ---- engine events ------------------------------------------------------------------------

  /** Runs `action`, collecting the engine events of `order` it causes instead of handling them. */
  #buffered<T>(order: TwsOrder, action: () => T): { result: T; events: EngineEvent[] } {
    const events: EngineEvent[] = [];
    this.#buffers.set(order, events);
    try {
      return { result: action(), events };
    } finally {
      this.#buffers.delete(order);
    }
  }

  #onEngineOrder(simOrder: SimOrder, previous: SimOrder['status'] | undefined): void {
    const order = this.#byEngineId.get(simOrder.orderId);
    if (order === undefined) return;
    const event: EngineEvent = { kind: 'order', status: simOrder.status, previous };
    const buffer = this.#buffers.get(order);
    if (buffer !== undefined) buffer.push(event);
    else this.#replay(order, event);
  }

  #onEngineExecution(execution: Execution): void {
    const order = this.#byEngineId.get(execution.orderId);
    if (order === undefined) return;
    const event: EngineEvent = { kind: 'execution', execution };
    const buffer = this.#buffers.get(order);
    if (buffer !== undefined) buffer.push(event);
    else this.#replay(order, event);
  }

  #onCancelRejected(simOrder: SimOrder): void {
    const order = this.#byEngineId.get(simOrder.orderId);
    if (order === undefined || order.ocaCancel) return;
    // The fill won the race against the cancel.
    this.#error(
      order.clientId,
      order.orderId,
      TwsErrorCode.NOT_CANCELLABLE,
      TwsErrorText.notCancellable(order.permId),
    );
  }

  #replay(order: TwsOrder, event: EngineEvent): void {
    if (event.kind === 'execution') {
      this.#applyExecution(order, event.execution);
      return;
    }
    if (order.awaitingFill) {
      order.awaitingFill = false;
      const filled = event.status === 'FILLED';
      order.status = filled ? 'Filled' : order.status === 'PendingCancel' ? 'PendingCancel' : 'Submitted';
      this.#emitPair(order, order.status);
      this.#flushCommissions(order);
      if (filled) {
        this.#retire(order);
        for (const child of this.#childrenOf(order)) {
          if (child.status === 'PreSubmitted' && child.engineOrderId === undefined) this.#submit(child, true);
        }
        this.#cancelSiblings(order);
      }
      return;
    }
    if (event.status === 'CANCELLED' && !FINAL_STATUSES.has(order.status)) {
      if (order.cancelRequested && !order.ocaCancel) this.#finishCancelled(order, true);
      else if (!order.cancelRequested && (order.input.tif === 'IOC' || order.input.tif === 'FOK')) {
        order.status = 'PendingCancel';
        this.#sink.toClient(order.clientId, this.#statusFields(order, 'PendingCancel'));
        this.#finishCancelled(order, false);
      } else this.#finishCancelled(order, false);
    } else if (event.status === 'REJECTED' && !FINAL_STATUSES.has(order.status)) {
      this.#reject(order, undefined);
    }
    // Same status without an execution: a modification, acknowledged by `#modify`.
  }

  #applyExecution(order: TwsOrder, execution: Execution): void {
    order.filled = execution.cumulativeQuantity;
    order.avgFillPrice = execution.averagePrice;
    order.lastFillPrice = execution.price;
    order.commission += execution.commission;
    order.awaitingFill = true;
    this.#sink.toClient(order.clientId, encodeExecutionData(-1, this.#executionView(order, execution)));
    order.pendingCommissions.push(this.#commissionView(execution));
  }

  #flushCommissions(order: TwsOrder): void {
    for (const report of order.pendingCommissions)
      this.#sink.toClient(order.clientId, encodeCommissionReport(report));
    order.pendingCommissions.length = 0;
    this.#onFill?.(order.account, order.instrument);
  }

  // ---- message building ---------------------------------------------------------------------

  #executionView(order: TwsOrder | undefined, execution: Execution): ExecutionView {
    const venue = this.#catalogue.executionVenueOf(execution.instrument);
    const contract = this.#catalogue.toWireContract(execution.instrument);
    return {
      orderId: order?.orderId ?? 0,
      contract: { ...contract, exchange: venue },
      execId: execIdOf(execution),
      time: formatExecutionTime(execution.time),
      account: execution.accountId,
      exchange: venue,
      side: execution.side === 'BUY' ? 'BOT' : 'SLD',
      shares: execution.quantity,
      price: execution.price,
      permId: order?.permId ?? 0,
      clientId: order?.clientId ?? 0,
      cumQty: execution.cumulativeQuantity,
      avgPrice: execution.averagePrice,
      orderRef: order?.fields.orderRef ?? execution.clientOrderId ?? '',
      lastLiquidity: execution.liquidity === 'added' ? 1 : 2,
    };
  }

  #commissionView(execution: Execution): CommissionReportView {
    return {
      execId: execIdOf(execution),
      commission: execution.commission,
      currency: execution.commissionCurrency,
      // Real TWS writes Double.MAX_VALUE when the execution opened a position.
      realizedPnl: execution.realizedPnl === 0 ? undefined : execution.realizedPnl,
    };
  }

  #openOrderFields(order: TwsOrder, status: TwsOrderStatus): string[] {
    return encodeOpenOrder({
      orderId: order.orderId,
      contract: order.contract,
      order: order.fields,
      account: order.account,
      clientId: order.clientId,
      permId: order.permId,
      parentId: order.parentId,
      state: { status },
    });
  }

  #statusFields(order: TwsOrder, status: TwsOrderStatus): string[] {
    const total = order.input.quantity ?? order.filled;
    return encodeOrderStatus({
      orderId: order.orderId,
      status,
      filled: order.filled,
      remaining: status === 'Cancelled' || status === 'Inactive' ? 0 : Math.max(0, total - order.filled),
      avgFillPrice: order.avgFillPrice,
      permId: order.permId,
      parentId: order.parentId,
      lastFillPrice: order.lastFillPrice,
      clientId: order.clientId,
      whyHeld: order.whyHeld,
      mktCapPrice: 0,
    });
  }

  /** OPEN_ORDER then ORDER_STATUS, repeated when the duplicate-pairs fault is armed. */
  #emitPair(order: TwsOrder, status: TwsOrderStatus): void {
    const openOrder = this.#openOrderFields(order, status);
    const orderStatus = this.#statusFields(order, status);
    for (let copy = 0; copy <= this.#faults.duplicatePairs; copy++) {
      this.#sink.toClient(order.clientId, openOrder);
      this.#sink.toClient(order.clientId, orderStatus);
    }
  }

  #error(clientId: number, id: number, code: number, message: string): void {
    this.#sink.toClient(clientId, encodeErrorMessage(id, code, message));
  }

  /** Drops an order that never came to exist (validation failed on its way to the engine). */
  #forget(order: TwsOrder): void {
    const key = orderKey(order.clientId, order.orderId);
    if (this.#orders.get(key) === order) this.#orders.delete(key);
    this.#live.delete(order);
    this.#disarmTrail(order);
    const siblings =
      order.parentId === 0 ? undefined : this.#children.get(orderKey(order.clientId, order.parentId));
    const index = siblings?.indexOf(order) ?? -1;
    if (index >= 0) siblings!.splice(index, 1);
    const group =
      order.fields.ocaGroup === ''
        ? undefined
        : this.#ocaGroups.get(ocaKey(order.account, order.fields.ocaGroup));
    group?.delete(order);
  }

  /** Remembers a final order for a while (answers to re-cancels), forgetting the oldest beyond the limit. */
  #retire(order: TwsOrder): void {
    if (this.#retired.has(order)) return;
    this.#retired.add(order);
    this.#live.delete(order);
    this.#disarmTrail(order);
    order.whyHeld = '';
    if (order.fields.ocaGroup !== '') {
      const groupKey = ocaKey(order.account, order.fields.ocaGroup);
      const group = this.#ocaGroups.get(groupKey);
      group?.delete(order);
      if (group?.size === 0) this.#ocaGroups.delete(groupKey);
    }
    this.#closed.push(order);
    while (this.#closed.length - this.#closedHead > this.#retainClosed) {
      const oldest = this.#closed[this.#closedHead++]!;
      const key = orderKey(oldest.clientId, oldest.orderId);
      if (this.#orders.get(key) === oldest) this.#orders.delete(key);
      this.#children.delete(key);
      if (oldest.engineOrderId !== undefined && this.#byEngineId.get(oldest.engineOrderId) === oldest) {
        this.#byEngineId.delete(oldest.engineOrderId);
      }
    }
    if (this.#closedHead > 4096 && this.#closedHead * 2 > this.#closed.length) {
      this.#closed.splice(0, this.#closedHead);
      this.#closedHead = 0;
    }
  }
}
