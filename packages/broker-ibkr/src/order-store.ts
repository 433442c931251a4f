import type { Fill, OrderRecord, OrderSide } from '@brokerkit/core';
import type { CommissionReport, Contract, Execution, Order, OrderState } from '@stoqey/ib';
import { parseExecutionTime } from './execution-time.js';
import { isFinalIbStatus, toCoreStatus } from './ibkr-status-map.js';
import { IB_UNSET_DOUBLE, ibDouble } from './margin-preview.js';
import type { IbOrderTerms } from './order-builder.js';
import { fromIbOrderType, fromIbTif, TIF_TO_IB } from './order-type-map.js';
import type { OrderWaiter } from './order-waiter.js';
import type { PublishedState } from './published-state.js';

/** One execution of an order, with its commission once TWS reported it. */
export interface ExecutionEntry {
  executionId: string;
  side: OrderSide;
  quantity: number;
  price: number;
  time: number;
  commission: number | undefined;
  commissionCurrency: string | undefined;
  raw: Execution;
}

/** What the plugin knows about one IB order. */
export interface OrderEntry {
  orderId: number;
  /** The client order id (IB `orderRef`); `undefined` for orders placed without one. */
  clientOrderId: string | undefined;
  permId: number | undefined;
  contract: Contract;
  side: OrderSide;
  terms: IbOrderTerms;
  /** False when the order type and TIF were never reported (known only from executions). */
  termsKnown: boolean;
  ibOrderType: string | undefined;
  /** The last status TWS reported (or reconciliation concluded). */
  ibStatus: string | undefined;
  filled: number;
  remaining: number | undefined;
  avgFillPrice: number | undefined;
  whyHeld: string | undefined;
  /** By execution id; the shared empty NO_EXECUTIONS until the first one (most orders get none). */
  executions: ReadonlyMap<string, ExecutionEntry>;
  /** TWS sent a reject code for it. */
  rejected: boolean;
  statusMessage: string | undefined;
  /** TWS has reported this order (OPEN_ORDER, ORDER_STATUS or an execution). */
  acknowledged: boolean;
  /** Placed by this process (not learned from TWS). */
  placedHere: boolean;
  /**
   * When TWS first reported the order (its acknowledgement, for one placed here), or when the
   * layer first saw it. UNSTAMPED for an order sent and not reported yet, until a record of it is
   * needed (see OrderStore.stamped).
   */
  createdAt: number;
  /**
   * When the layer last saw the order change: its status, fills, terms or message (stamped by the
   * plugin as it reports the change). TWS's repeats and IB-only steps that leave the status as it
   * was (PreSubmitted -> Submitted) leave it unchanged. UNSTAMPED like createdAt.
   */
  updatedAt: number;
  /** What was last reported of it to the layer (undefined: nothing yet), to skip TWS's repeats. */
  published: PublishedState | undefined;
  /** The connection serial it was written on, until TWS acknowledges it (for lost-ack checks). */
  sentOnSession: number | undefined;
  /** The placement waiting for TWS's acknowledgement of the order, until it settles. */
  placement: OrderWaiter | undefined;
}

const RETAIN_FINAL = 10_000;

/** The times of an order sent and not reported yet: no clock is read on an order's way out. */
const UNSTAMPED = -1;

/** The executions of every entry that has none: shared, never written (see applyExecution). */
const NO_EXECUTIONS: ReadonlyMap<string, ExecutionEntry> = new Map();

function sideOf(action: string | undefined): OrderSide {
  const upper = (action ?? '').toUpperCase();
  return upper === 'SELL' || upper === 'SSHORT' || upper === 'SLD' ? 'SELL' : 'BUY';
}

function positive(value: unknown): number | undefined {
  // Decoded messages carry numbers: checked here without a call (unset reads as IB's max double).
  if (typeof value === 'number') return value > 0 && value < IB_UNSET_DOUBLE / 2 ? value : undefined;
  const number = ibDouble(value);
  return number !== undefined && number > 0 ? number : undefined;
}

/** The brokerkit status of an entry (the `status` of its record). */
export function statusOf(entry: OrderEntry): OrderRecord['status'] {
  // Most orders have no execution: ORDER_STATUS's count, without a call on an order's answer.
  return recordStatus(entry, entry.executions.size === 0 ? entry.filled : filledOf(entry));
}

/** Filled so far: ORDER_STATUS's count, or the executions' sum when they are ahead of it. */
function filledOf(entry: OrderEntry): number {
  // Most orders have no execution: no sum, no Math.max.
  if (entry.executions.size === 0) return entry.filled;
  return Math.max(entry.filled, executedQuantity(entry));
}

function recordStatus(entry: OrderEntry, filled: number): OrderRecord['status'] {
  const mappedStatus =
    entry.ibStatus === undefined
      ? filled > 0
        ? 'PARTIALLY_FILLED'
        : entry.acknowledged
          ? 'SUBMITTED'
          : 'PENDING'
      : (toCoreStatus(entry.ibStatus, { filled, tif: entry.terms.tif, rejected: entry.rejected }) ??
        (entry.acknowledged ? 'SUBMITTED' : 'PENDING'));
  const quantity = entry.terms.quantity;
  // Executions can be ahead of ORDER_STATUS (or the only news after a reconnect).
  return quantity !== undefined && quantity > 0 && filled >= quantity - 1e-9 ? 'FILLED' : mappedStatus;
}

/** The brokerkit record of an entry. */
export function toOrderRecord(entry: OrderEntry): OrderRecord {
  const filled = filledOf(entry);
  const status = recordStatus(entry, filled);
  const quantity = entry.terms.quantity;
  const record: OrderRecord = {
    orderId: String(entry.orderId),
    clientOrderId: entry.clientOrderId ?? `ib-${entry.permId ?? entry.orderId}`,
    symbol: entry.contract.symbol ?? '?',
    side: entry.side,
    orderType: entry.terms.orderType,
    tif: entry.terms.tif,
    status,
    filledQuantity: filled,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    raw: {
      ibOrderId: entry.orderId,
      permId: entry.permId,
      ibStatus: entry.ibStatus,
      ibOrderType: entry.ibOrderType,
      whyHeld: entry.whyHeld,
      termsKnown: entry.termsKnown,
    },
  };
  if (quantity !== undefined) {
    record.quantity = quantity;
    const final = status === 'FILLED' || status === 'CANCELLED' || status === 'REJECTED';
    record.remainingQuantity = final ? 0 : Math.max(0, quantity - filled);
  }
  if (entry.terms.cashQty !== undefined) record.cashQty = entry.terms.cashQty;
  const average = entry.avgFillPrice ?? averageExecutionPrice(entry);
  if (average !== undefined && filled > 0) record.averageFillPrice = average;
  if (entry.terms.limitPrice !== undefined) record.limitPrice = entry.terms.limitPrice;
  if (entry.terms.stopPrice !== undefined) record.stopPrice = entry.terms.stopPrice;
  const contract = entry.contract;
  if (contract.secType !== undefined) record.secType = contract.secType as OrderRecord['secType'];
  if (contract.exchange) record.exchange = contract.exchange;
  if (contract.currency) record.currency = contract.currency;
  if (contract.lastTradeDateOrContractMonth)
    record.lastTradeDateOrContractMonth = contract.lastTradeDateOrContractMonth;
  if (contract.strike !== undefined && contract.strike > 0) record.strike = contract.strike;
  if (contract.right === 'C' || contract.right === 'P') record.right = contract.right;
  if (entry.statusMessage !== undefined) record.statusMessage = entry.statusMessage;
  return record;
}

/** The brokerkit fill of an execution. */
export function toFill(entry: OrderEntry, execution: ExecutionEntry): Fill {
  const fill: Fill = {
    orderId: String(entry.orderId),
    clientOrderId: entry.clientOrderId ?? `ib-${entry.permId ?? entry.orderId}`,
    executionId: execution.executionId,
    symbol: entry.contract.symbol ?? '?',
    side: execution.side,
    quantity: execution.quantity,
    price: execution.price,
    time: execution.time,
    raw: execution.raw,
  };
  if (execution.commission !== undefined) fill.commission = execution.commission;
  if (execution.commissionCurrency !== undefined) fill.commissionCurrency = execution.commissionCurrency;
  return fill;
}

/** Sum of the shares of an entry's executions. */
export function executedQuantity(entry: OrderEntry): number {
  // Most orders have no execution: skip the iterator.
  if (entry.executions.size === 0) return 0;
  let total = 0;
  for (const execution of entry.executions.values()) total += execution.quantity;
  return total;
}

function averageExecutionPrice(entry: OrderEntry): number | undefined {
  if (entry.executions.size === 0) return undefined;
  let quantity = 0;
  let notional = 0;
  for (const execution of entry.executions.values()) {
    quantity += execution.quantity;
    notional += execution.quantity * execution.price;
  }
  return quantity > 0 ? notional / quantity : undefined;
}

/** True when the order no longer works at TWS. */
export function isFinalEntry(entry: OrderEntry): boolean {
  if (entry.ibStatus !== undefined && isFinalIbStatus(entry.ibStatus)) return true;
  const quantity = entry.terms.quantity;
  // Most orders have no execution: no call then.
  return (
    quantity !== undefined &&
    quantity > 0 &&
    entry.executions.size !== 0 &&
    executedQuantity(entry) >= quantity
  );
}

/**
 * The orders this plugin knows, by IB order id, client order id (`orderRef`), permId and
 * execution id, updated from TWS's OPEN_ORDER, ORDER_STATUS, EXECUTION_DATA and COMMISSION_REPORT
 * messages. Working orders are always kept; the last 10,000 final ones too.
 */
export class OrderStore {
  readonly #byOrderId = new Map<number, OrderEntry>();
  readonly #byClientOrderId = new Map<string, number>();
  readonly #byPermId = new Map<number, number>();
  readonly #orderIdByExecution = new Map<string, number>();
  /** Final orders in the order they ended, oldest first: the ones forgotten past the limit. */
  readonly #final = new Set<number>();

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.#byOrderId.size;
  }

  get(orderId: number): OrderEntry | undefined {
    return this.#byOrderId.get(orderId);
  }

  byClientOrderId(clientOrderId: string): OrderEntry | undefined {
    const orderId = this.#byClientOrderId.get(clientOrderId);
    return orderId === undefined ? undefined : this.#byOrderId.get(orderId);
  }

  byPermId(permId: number): OrderEntry | undefined {
    const orderId = this.#byPermId.get(permId);
    return orderId === undefined ? undefined : this.#byOrderId.get(orderId);
  }

  /** Every entry (working and retained final ones). */
  entries(): IterableIterator<OrderEntry> {
    return this.#byOrderId.values();
  }

  /** Records an order this plugin is about to send, before TWS has said anything about it. */
  beginPlacement(
    orderId: number,
    clientOrderId: string,
    contract: Contract,
    side: OrderSide,
    terms: IbOrderTerms,
    ibOrderType: string,
  ): OrderEntry {
    const entry: OrderEntry = {
      orderId,
      clientOrderId,
      permId: undefined,
      contract,
      side,
      terms,
      termsKnown: true,
      ibOrderType,
      ibStatus: undefined,
      filled: 0,
      remaining: terms.quantity,
      avgFillPrice: undefined,
      whyHeld: undefined,
      executions: NO_EXECUTIONS,
      rejected: false,
      statusMessage: undefined,
      acknowledged: false,
      placedHere: true,
      createdAt: UNSTAMPED,
      updatedAt: UNSTAMPED,
      published: undefined,
      sentOnSession: undefined,
      placement: undefined,
    };
    this.#byOrderId.set(orderId, entry);
    this.#byClientOrderId.set(clientOrderId, orderId);
    return entry;
  }

  /** Records that the order changed now (and, at its first report, that it was created now). */
  touch(entry: OrderEntry): void {
    const now = this.now();
    if (entry.createdAt === UNSTAMPED) entry.createdAt = now;
    entry.updatedAt = now;
  }

  /** The entry, with times from now if it has none yet (a record of it is about to be made). */
  stamped(entry: OrderEntry): OrderEntry {
    if (entry.createdAt === UNSTAMPED) this.touch(entry);
    return entry;
  }

  /** Forgets an order that was never sent. */
  discard(orderId: number): void {
    const entry = this.#byOrderId.get(orderId);
    if (entry === undefined) return;
    this.#byOrderId.delete(orderId);
    if (entry.clientOrderId !== undefined && this.#byClientOrderId.get(entry.clientOrderId) === orderId) {
      this.#byClientOrderId.delete(entry.clientOrderId);
    }
  }

  /**
   * Applies an OPEN_ORDER (or COMPLETED_ORDER) message; `undefined` when it only repeats what the
   * entry holds (TWS sends each order's OPEN_ORDER twice or more).
   */
  applyOpenOrder(
    orderId: number,
    contract: Contract,
    order: Order,
    state: OrderState | undefined,
  ): OrderEntry | undefined {
    let entry = this.#byOrderId.get(orderId);
    if (entry?.acknowledged && repeatsEntry(entry, order, state)) return undefined;
    if (entry === undefined && order.permId !== undefined && order.permId > 0)
      entry = this.byPermId(order.permId);
    if (entry === undefined && order.orderRef) entry = this.byClientOrderId(order.orderRef);
    // An echo of the terms the entry holds (an order placed here, as it was sent) keeps that object.
    const terms = entry !== undefined && echoesTerms(entry, order) ? entry.terms : echoedTerms(order, entry);
    if (entry === undefined) {
      const now = this.now();
      entry = {
        orderId,
        clientOrderId: undefined,
        permId: undefined,
        contract: { ...contract },
        side: sideOf(order.action),
        terms,
        termsKnown: true,
        ibOrderType: order.orderType,
        ibStatus: undefined,
        filled: 0,
        remaining: undefined,
        avgFillPrice: undefined,
        whyHeld: undefined,
        executions: NO_EXECUTIONS,
        rejected: false,
        statusMessage: undefined,
        acknowledged: true,
        placedHere: false,
        createdAt: now,
        updatedAt: now,
        published: undefined,
        sentOnSession: undefined,
        placement: undefined,
      };
      this.#byOrderId.set(orderId, entry);
    } else {
      if (entry.orderId !== orderId && orderId > 0) this.#rekey(entry, orderId);
      // Keep what the lookup resolved (conId, SMART routing) and fill in what TWS adds.
      if (!entry.placedHere) entry.contract = { ...contract, ...stripEmpty(entry.contract) };
      entry.terms = terms;
      entry.termsKnown = true;
      entry.ibOrderType = order.orderType;
      entry.acknowledged = true;
    }
    // Guarded here as well as inside: on an order's answer, every call skipped is time saved.
    if (order.orderRef && order.orderRef !== entry.clientOrderId)
      this.#setClientOrderId(entry, order.orderRef);
    if (order.permId !== undefined && order.permId > 0 && order.permId !== entry.permId)
      this.#setPermId(entry, order.permId);
    const status = state?.status;
    const current = entry.ibStatus;
    // A final status is never undone by a working one (written out: no call on an order's answer).
    if (
      status !== undefined &&
      status !== 'Unknown' &&
      (current === undefined || !isFinalIbStatus(current) || isFinalIbStatus(status))
    )
      entry.ibStatus = status;
    const filled = positive(order.filledQuantity);
    if (filled !== undefined && filled > entry.filled) entry.filled = filled;
    if (isFinalEntry(entry)) this.#retire(entry);
    return entry;
  }

  /**
   * Applies an ORDER_STATUS message; `undefined` when the order is unknown (OPEN_ORDER comes first)
   * or when the message only repeats what the entry holds (TWS sends each status twice or more).
   */
  applyStatus(
    orderId: number,
    status: string,
    filled: number | undefined,
    remaining: number | undefined,
    avgFillPrice: number | undefined,
    permId: number | undefined,
    whyHeld: string | undefined,
  ): OrderEntry | undefined {
    const entry = this.#byOrderId.get(orderId) ?? (permId ? this.byPermId(permId) : undefined);
    if (entry === undefined) return undefined;
    if (
      entry.acknowledged &&
      entry.ibStatus === status &&
      (filled === undefined || !(filled > entry.filled)) &&
      (remaining === entry.remaining || remaining === undefined || !Number.isFinite(remaining)) &&
      (avgFillPrice === undefined ||
        positive(avgFillPrice) === undefined ||
        avgFillPrice === entry.avgFillPrice) &&
      (permId === undefined || !(permId > 0) || permId === entry.permId) &&
      (whyHeld || undefined) === entry.whyHeld
    )
      return undefined;
    const current = entry.ibStatus;
    // A final status is never undone by a working one.
    if (
      status !== 'Unknown' &&
      (current === undefined || !isFinalIbStatus(current) || isFinalIbStatus(status))
    )
      entry.ibStatus = status;
    if (filled !== undefined && Number.isFinite(filled)) entry.filled = Math.max(entry.filled, filled);
    if (remaining !== undefined && Number.isFinite(remaining)) entry.remaining = remaining;
    const average = positive(avgFillPrice);
    if (average !== undefined) entry.avgFillPrice = average;
    if (permId !== undefined && permId > 0) this.#setPermId(entry, permId);
    entry.whyHeld = whyHeld || undefined;
    entry.acknowledged = true;
    if (isFinalEntry(entry)) this.#retire(entry);
    return entry;
  }

  /**
   * Applies an EXECUTION_DATA message. Returns the entry and the execution when it is new (a
   * repeated execution id, as in a reconciliation, returns `isNew: false`).
   */
  applyExecution(
    contract: Contract,
    execution: Execution,
  ): { entry: OrderEntry; execution: ExecutionEntry; isNew: boolean } | undefined {
    const executionId = execution.execId;
    const orderId = execution.orderId;
    const quantity = positive(execution.shares);
    const price = positive(execution.price);
    if (!executionId || orderId === undefined || quantity === undefined || price === undefined)
      return undefined;
    let entry = this.#byOrderId.get(orderId);
    if (entry === undefined && execution.permId) entry = this.byPermId(execution.permId);
    if (entry === undefined && execution.orderRef) entry = this.byClientOrderId(execution.orderRef);
    if (entry === undefined) {
      const now = this.now();
      entry = {
        orderId,
        clientOrderId: undefined,
        permId: undefined,
        contract: { ...contract },
        side: sideOf(execution.side),
        terms: {
          orderType: 'MARKET',
          tif: 'DAY',
          quantity: undefined,
          cashQty: undefined,
          limitPrice: undefined,
          stopPrice: undefined,
        },
        termsKnown: false,
        ibOrderType: undefined,
        ibStatus: undefined,
        filled: 0,
        remaining: undefined,
        avgFillPrice: undefined,
        whyHeld: undefined,
        executions: NO_EXECUTIONS,
        rejected: false,
        statusMessage: undefined,
        acknowledged: true,
        placedHere: false,
        createdAt: parseExecutionTime(execution.time) ?? now,
        updatedAt: now,
        published: undefined,
        sentOnSession: undefined,
        placement: undefined,
      };
      this.#byOrderId.set(orderId, entry);
      if (execution.orderRef) this.#setClientOrderId(entry, execution.orderRef);
    }
    if (execution.permId) this.#setPermId(entry, execution.permId);
    const known = entry.executions.get(executionId);
    if (known !== undefined) return { entry, execution: known, isNew: false };
    const record: ExecutionEntry = {
      executionId,
      side: sideOf(execution.side),
      quantity,
      price,
      time: parseExecutionTime(execution.time) ?? this.now(),
      commission: undefined,
      commissionCurrency: undefined,
      raw: { ...execution },
    };
    // The first execution of an order gets the entry its own map.
    const executions =
      entry.executions === NO_EXECUTIONS
        ? new Map<string, ExecutionEntry>()
        : (entry.executions as Map<string, ExecutionEntry>);
    executions.set(executionId, record);
    entry.executions = executions;
    this.#orderIdByExecution.set(executionId, entry.orderId);
    entry.acknowledged = true;
    if (isFinalEntry(entry)) this.#retire(entry);
    return { entry, execution: record, isNew: true };
  }

  /** Applies a COMMISSION_REPORT; returns the execution it belongs to, if known. */
  applyCommission(report: CommissionReport): { entry: OrderEntry; execution: ExecutionEntry } | undefined {
    if (!report.execId) return undefined;
    const orderId = this.#orderIdByExecution.get(report.execId);
    const entry = orderId === undefined ? undefined : this.#byOrderId.get(orderId);
    const execution = entry?.executions.get(report.execId);
    if (entry === undefined || execution === undefined) return undefined;
    const commission = ibDouble(report.commission);
    if (commission !== undefined) execution.commission = commission;
    if (report.currency) execution.commissionCurrency = report.currency;
    return { entry, execution };
  }

  /** Marks the entry as refused by TWS (201, ...) with the reason. */
  markRejected(entry: OrderEntry, reason: string, final: boolean): void {
    entry.rejected = true;
    entry.statusMessage = reason;
    if (final && (entry.ibStatus === undefined || !isFinalIbStatus(entry.ibStatus)))
      entry.ibStatus = 'Inactive';
    if (isFinalEntry(entry)) this.#retire(entry);
  }

  /** Sets a status that reconciliation concluded (the order is gone from TWS's open orders). */
  conclude(
    entry: OrderEntry,
    ibStatus: 'Filled' | 'Cancelled' | 'Inactive',
    message: string | undefined,
  ): void {
    entry.ibStatus = ibStatus;
    if (message !== undefined) entry.statusMessage = message;
    if (ibStatus === 'Inactive') entry.rejected = true;
    if (isFinalEntry(entry)) this.#retire(entry);
  }

  #setClientOrderId(entry: OrderEntry, clientOrderId: string): void {
    // Every OPEN_ORDER repeats it: only a change touches the index. New entries start without one,
    // so they are indexed here; of two orders that carry the same orderRef (placed elsewhere), the
    // index keeps the one that took it last.
    if (entry.clientOrderId === clientOrderId) return;
    if (entry.clientOrderId !== undefined && entry.clientOrderId !== clientOrderId) {
      if (this.#byClientOrderId.get(entry.clientOrderId) === entry.orderId)
        this.#byClientOrderId.delete(entry.clientOrderId);
    }
    entry.clientOrderId = clientOrderId;
    this.#byClientOrderId.set(clientOrderId, entry.orderId);
  }

  #setPermId(entry: OrderEntry, permId: number): void {
    if (entry.permId === permId) return;
    entry.permId = permId;
    this.#byPermId.set(permId, entry.orderId);
  }

  #rekey(entry: OrderEntry, orderId: number): void {
    this.#byOrderId.delete(entry.orderId);
    this.#final.delete(entry.orderId);
    entry.orderId = orderId;
    this.#byOrderId.set(orderId, entry);
    if (entry.clientOrderId !== undefined) this.#byClientOrderId.set(entry.clientOrderId, orderId);
    if (entry.permId !== undefined) this.#byPermId.set(entry.permId, orderId);
    for (const executionId of entry.executions.keys()) this.#orderIdByExecution.set(executionId, orderId);
  }

  /** Counts a final entry among the final ones kept (once), forgetting the oldest past the limit. */
  #retire(entry: OrderEntry): void {
    if (this.#final.has(entry.orderId)) return;
    this.#final.add(entry.orderId);
    if (this.#final.size <= RETAIN_FINAL) return;
    for (const orderId of this.#final) {
      if (this.#final.size <= RETAIN_FINAL) break;
      if (orderId === entry.orderId) continue;
      this.#final.delete(orderId);
      const old = this.#byOrderId.get(orderId);
      if (old !== undefined) this.#forget(old);
    }
  }

  #forget(entry: OrderEntry): void {
    this.#byOrderId.delete(entry.orderId);
    if (
      entry.clientOrderId !== undefined &&
      this.#byClientOrderId.get(entry.clientOrderId) === entry.orderId
    ) {
      this.#byClientOrderId.delete(entry.clientOrderId);
    }
    if (entry.permId !== undefined && this.#byPermId.get(entry.permId) === entry.orderId)
      this.#byPermId.delete(entry.permId);
    for (const executionId of entry.executions.keys()) this.#orderIdByExecution.delete(executionId);
  }
}

/**
 * True when an OPEN_ORDER carries the terms the entry holds: TWS's echo of an order as it was sent
 * (or last changed), and its repeats. Strict: anything it cannot match reads as a change.
 */
function echoesTerms(entry: OrderEntry, order: Order): boolean {
  const terms = entry.terms;
  if (!entry.termsKnown || order.orderType !== entry.ibOrderType || order.tif !== TIF_TO_IB[terms.tif])
    return false;
  const quantity = positive(order.totalQuantity);
  const cashQty = positive(order.cashQty);
  // A cash-quantity order comes back without a total quantity: the sizes held stand then.
  if (
    (quantity !== undefined || cashQty !== undefined) &&
    (quantity !== terms.quantity || cashQty !== terms.cashQty)
  )
    return false;
  return positive(order.lmtPrice) === terms.limitPrice && positive(order.auxPrice) === terms.stopPrice;
}

/** The terms an OPEN_ORDER reports, with what the entry (if any) already knows filled in. */
function echoedTerms(order: Order, entry: OrderEntry | undefined): IbOrderTerms {
  const lmtPrice = positive(order.lmtPrice);
  // TWS echoes the type and TIF of an order placed here as they were sent: what they mapped to
  // is reused rather than looked up again (the sent type is always one the table knows).
  const placed = entry?.placedHere === true && entry.termsKnown ? entry : undefined;
  const orderType =
    placed !== undefined && order.orderType === placed.ibOrderType
      ? placed.terms.orderType
      : fromIbOrderType(order.orderType, lmtPrice !== undefined);
  const quantity = positive(order.totalQuantity);
  const cashQty = positive(order.cashQty);
  // A cash-quantity order comes back with an empty total quantity; keep the sizes we sent then.
  const sized = entry === undefined || quantity !== undefined || cashQty !== undefined;
  return {
    orderType,
    tif:
      placed !== undefined && order.tif === TIF_TO_IB[placed.terms.tif]
        ? placed.terms.tif
        : fromIbTif(order.tif),
    quantity: sized ? quantity : entry.terms.quantity,
    cashQty: sized ? cashQty : entry.terms.cashQty,
    limitPrice: orderType === 'LIMIT' || orderType === 'STOP_LIMIT' ? lmtPrice : undefined,
    stopPrice: orderType === 'STOP' || orderType === 'STOP_LIMIT' ? positive(order.auxPrice) : undefined,
  };
}

/** True when an OPEN_ORDER of an order TWS already reported only repeats what the entry holds. */
function repeatsEntry(entry: OrderEntry, order: Order, state: OrderState | undefined): boolean {
  if (!echoesTerms(entry, order)) return false;
  const status = state?.status;
  if (status !== undefined && status !== 'Unknown' && status !== entry.ibStatus) return false;
  if (order.orderRef && order.orderRef !== entry.clientOrderId) return false;
  if (order.permId !== undefined && order.permId > 0 && order.permId !== entry.permId) return false;
  const filled = positive(order.filledQuantity);
  return filled === undefined || !(filled > entry.filled);
}

function stripEmpty(contract: Contract): Contract {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(contract)) {
    if (value !== undefined && value !== '' && value !== 0) out[key] = value;
  }
  return out as Contract;
}
