import type { ExchangeSimulator, Execution, OrderInput, Rejection, SimOrder } from '@brokerkit/exchange-sim';
import { hashString, isMultipleOf } from '@brokerkit/exchange-sim';
import { inputError, invalidParameter, KiteApiError } from '../http/kite-api-error.js';
import type { InstrumentTable } from '../instruments/instrument-table.js';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import type { MarketData } from '../market/market-data.js';
import { isFinalKiteStatus, KITE_ORDER_STATUS, type KiteOrderStatus } from '../order-statuses.js';
import { istDatePrefix, istDayNumber, istTimeOfDayMs, nextIstTimeOfDay } from '../time/ist-time.js';
import {
  copyOrderJson,
  type KiteOrderJson,
  type KiteOrderRecord,
  type KiteTradeJson,
  orderJson,
  tradeJson,
} from './kite-order.js';
import {
  ENGINE_ORDER_TYPE,
  ENGINE_TIME_IN_FORCE,
  engineProduct,
  KITE_ORDER_TYPE,
  type KiteOrderType,
  type KiteProduct,
  productsFor,
} from './kite-order-types.js';
import {
  insufficientFundsMessage,
  insufficientFundsRaw,
  insufficientHoldingsMessage,
  lotSizeMessage,
  MARKET_PROTECTION_REQUIRED,
  MAX_MODIFICATIONS_EXCEEDED,
  marginExceptionMessage,
  ORDER_NOT_FOUND,
  orderFinalMessage,
  PRICE_OUTSIDE_CIRCUIT,
  productNotAllowedMessage,
  tickSizeMessage,
} from './order-messages.js';
import type { ModifyOrderRequest, PlaceOrderRequest } from './order-params.js';

/** How a placement the account cannot afford is answered. */
export type MarginRejectionPolicy =
  /** HTTP 200 with an order id; the order goes REJECTED with Kite's status_message (the usual real behaviour). */
  | 'order'
  /** HTTP 400 MarginException / HoldingException before any order exists (Kite's "mini RMS" path). */
  | 'http';

/** Options of an `OrderService`. */
export interface OrderServiceOptions {
  simulator: ExchangeSimulator;
  table: InstrumentTable;
  market: MarketData;
  /** The engine account of the Kite user. */
  accountId: string;
  userId: string;
  requireMarketProtection: boolean;
  marginRejection: MarginRejectionPolicy;
  /** Modifications allowed per order. Default 25. */
  maxModifications: number;
  /** IST time at which AMO orders reach the exchange. Default `09:15`. */
  marketOpenTime: string;
  /**
   * Called for every status change an order-update frame reports (OPEN, UPDATE, COMPLETE...).
   * `order` is the history entry itself: read it, do not change it.
   */
  onOrderUpdate: (order: KiteOrderJson, status: string) => void;
}

interface ModificationInProgress {
  record: KiteOrderRecord;
  /** Writes the requested changes into the record. */
  apply: () => void;
  committed: boolean;
}

interface TradeEntry {
  time: number;
  json: KiteTradeJson;
}

/** Statuses that order-update frames report. */
const NOTIFIED: ReadonlySet<string> = new Set([
  KITE_ORDER_STATUS.OPEN,
  KITE_ORDER_STATUS.TRIGGER_PENDING,
  KITE_ORDER_STATUS.AMO_REQ_RECEIVED,
  KITE_ORDER_STATUS.COMPLETE,
  KITE_ORDER_STATUS.CANCELLED,
  KITE_ORDER_STATUS.REJECTED,
]);

/**
 * Kite's order book on top of the engine: places, modifies and cancels engine orders and keeps
 * each order's Kite record, its status history and its trades, driven by the engine's events.
 *
 * Orders placed on the engine account directly (not through HTTP) are adopted as `regular`
 * orders, so order updates cover them too, as Kite's do for orders placed anywhere.
 */
export class OrderService {
  readonly #options: OrderServiceOptions;
  readonly #simulator: ExchangeSimulator;
  readonly #records = new Map<string, KiteOrderRecord>();
  readonly #trades: TradeEntry[] = [];
  readonly #tradesByOrder = new Map<string, KiteTradeJson[]>();
  readonly #triggerPending = new Set<KiteOrderRecord>();
  readonly #marketOpenMs: number;
  #sequence = 0;
  #tradeSequence = 0;
  #modifying: ModificationInProgress | undefined;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: OrderServiceOptions) {
    this.#options = options;
    this.#simulator = options.simulator;
    this.#marketOpenMs = istTimeOfDayMs(options.marketOpenTime, 'marketOpenTime');
    this.#unsubscribe.push(
      options.simulator.on('order', (order, previous) => this.#onOrder(order, previous)),
      options.simulator.on('execution', (execution, order) => this.#onExecution(execution, order)),
      options.simulator.on('price', () => this.#checkTriggers()),
    );
  }

  /** Stops listening to the engine and clears timers. */
  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const record of this.#records.values()) this.#clearTimer(record);
  }

  // ---- reads --------------------------------------------------------------------------------

  /** GET /orders: today's orders and any still working, oldest first. */
  list(): KiteOrderJson[] {
    this.#checkTriggers();
    const today = istDayNumber(this.#simulator.clock.now());
    const result: KiteOrderJson[] = [];
    for (const record of this.#records.values()) {
      if (istDayNumber(record.orderTimestamp) === today || !isFinalKiteStatus(record.status))
        result.push(orderJson(record));
    }
    return result;
  }

  /** GET /orders/:order_id: the order's states, oldest first. */
  history(orderId: string): KiteOrderJson[] {
    this.#checkTriggers();
    return this.#record(orderId).history.map(copyOrderJson);
  }

  /** GET /trades: today's trades. */
  trades(): KiteTradeJson[] {
    const today = istDayNumber(this.#simulator.clock.now());
    const result: KiteTradeJson[] = [];
    for (const trade of this.#trades) if (istDayNumber(trade.time) === today) result.push({ ...trade.json });
    return result;
  }

  /** GET /orders/:order_id/trades. */
  orderTrades(orderId: string): KiteTradeJson[] {
    this.#record(orderId);
    return (this.#tradesByOrder.get(orderId) ?? []).map((trade) => ({ ...trade }));
  }

  /** The record of an order (for the control API); `undefined` when unknown. */
  find(orderId: string): KiteOrderRecord | undefined {
    return this.#records.get(orderId);
  }

  /** Every record, oldest first. */
  records(): KiteOrderRecord[] {
    return [...this.#records.values()];
  }

  /** Quantity of open delivery (CNC/MTF) sell orders on an instrument that are not filled yet. */
  pendingDeliverySells(row: KiteInstrument): number {
    let quantity = 0;
    for (const record of this.#records.values()) {
      if (record.instrumentToken !== row.instrumentToken || record.transactionType !== 'SELL') continue;
      if ((record.product !== 'CNC' && record.product !== 'MTF') || isFinalKiteStatus(record.status))
        continue;
      quantity += record.quantity - record.filledQuantity;
    }
    return quantity;
  }

  // ---- place --------------------------------------------------------------------------------

  /** POST /orders/:variety. Returns `{ order_id }`; pre-trade failures throw the 400 Kite answers with. */
  place(request: PlaceOrderRequest): { order_id: string } {
    const row = this.#instrument(request.exchange, request.tradingsymbol);
    this.#checkProduct(request.product, row);
    this.#checkQuantity(request.quantity, row);
    this.#checkPrices(request.orderType, request.price, request.triggerPrice, row);
    if (request.variety === 'auction') throw invalidParameter('auction_number');
    if (
      this.#options.requireMarketProtection &&
      (request.orderType === 'MARKET' || request.orderType === 'SL-M') &&
      request.marketProtection === 0
    ) {
      throw inputError(MARKET_PROTECTION_REQUIRED);
    }
    if (this.#options.marginRejection === 'http' && request.variety !== 'amo')
      this.#preTradeCheck(request, row);

    const now = this.#simulator.clock.now();
    const orderId = this.#newOrderId(now);
    const record: KiteOrderRecord = {
      orderId,
      exchangeOrderId: null,
      parentOrderId: null,
      placedBy: this.#options.userId,
      status: KITE_ORDER_STATUS.PUT_ORDER_REQ_RECEIVED,
      statusMessage: null,
      statusMessageRaw: null,
      orderTimestamp: now,
      exchangeTimestamp: null,
      exchangeUpdateTimestamp: null,
      variety: request.variety,
      modified: false,
      modifications: 0,
      exchange: row.exchange,
      tradingsymbol: row.tradingsymbol,
      instrumentToken: row.instrumentToken,
      orderType: request.orderType,
      transactionType: request.transactionType,
      validity: request.validity,
      validityTtl: request.validityTtl,
      product: request.product,
      quantity: request.quantity,
      disclosedQuantity: request.disclosedQuantity,
      price: request.price,
      triggerPrice: request.triggerPrice,
      averagePrice: 0,
      filledQuantity: 0,
      cancelledQuantity: 0,
      marketProtection: request.marketProtection,
      meta:
        request.variety === 'iceberg'
          ? { iceberg: this.#icebergMeta(request.icebergLegs, request.icebergQuantity, request.quantity, 0) }
          : {},
      tag: request.tag ?? null,
      tags: request.tag === undefined ? [] : [request.tag],
      guid: guidOf(orderId),
      auctionNumber: request.auctionNumber ?? null,
      history: [],
      engineOrderId: undefined,
      cancelRequested: false,
      timer: undefined,
    };
    this.#records.set(orderId, record);
    this.#snapshot(record);

    if (request.variety === 'amo') {
      this.#transition(record, KITE_ORDER_STATUS.AMO_REQ_RECEIVED);
      const release = nextIstTimeOfDay(now, this.#marketOpenMs);
      record.timer = this.#simulator.clock.setTimer(
        release - now,
        (target) => this.#releaseAmo(target),
        record,
        true,
      );
      return { order_id: orderId };
    }
    this.#transition(record, KITE_ORDER_STATUS.VALIDATION_PENDING);
    this.#sendToEngine(record, row);
    return { order_id: orderId };
  }

  #sendToEngine(record: KiteOrderRecord, row: KiteInstrument): void {
    const instrument = row.instrument;
    const input: OrderInput = {
      symbol: instrument.symbol,
      exchange: instrument.exchange,
      secType: instrument.secType,
      side: record.transactionType,
      orderType: ENGINE_ORDER_TYPE[record.orderType],
      quantity: record.quantity,
      limitPrice: record.orderType === 'LIMIT' || record.orderType === 'SL' ? record.price : undefined,
      stopPrice: record.orderType === 'SL' || record.orderType === 'SL-M' ? record.triggerPrice : undefined,
      tif: ENGINE_TIME_IN_FORCE[record.validity],
      product: engineProduct(record.product),
      clientOrderId: record.tag ?? undefined,
      orderId: record.orderId,
    };
    record.engineOrderId = record.orderId;
    try {
      this.#simulator.placeOrder(this.#options.accountId, input);
    } catch (error) {
      // The checks above mirror the engine's, so this is a mismatch: reject like the RMS would.
      record.engineOrderId = undefined;
      const message = error instanceof Error ? error.message : String(error);
      record.statusMessage = message;
      record.statusMessageRaw = message;
      this.#transition(record, KITE_ORDER_STATUS.REJECTED);
    }
  }

  #releaseAmo(record: KiteOrderRecord): void {
    record.timer = undefined;
    if (record.status !== KITE_ORDER_STATUS.AMO_REQ_RECEIVED) return;
    const row = this.#options.table.byToken(record.instrumentToken);
    if (row === undefined) return;
    this.#transition(record, KITE_ORDER_STATUS.VALIDATION_PENDING);
    this.#sendToEngine(record, row);
  }

  // ---- modify -------------------------------------------------------------------------------

  /** PUT /orders/:variety/:order_id. */
  modify(orderId: string, request: ModifyOrderRequest): { order_id: string } {
    const record = this.#record(orderId);
    this.#checkTriggers();
    if (isFinalKiteStatus(record.status)) throw inputError(orderFinalMessage('modified', record.status));
    if (record.modifications >= this.#options.maxModifications) {
      throw new KiteApiError(400, 'NetworkException', MAX_MODIFICATIONS_EXCEEDED);
    }
    const row = this.#options.table.byToken(record.instrumentToken)!;
    const orderType: KiteOrderType = request.orderType ?? record.orderType;
    const quantity = request.quantity ?? record.quantity;
    const usesPrice = orderType === 'LIMIT' || orderType === 'SL';
    const usesTrigger = orderType === 'SL' || orderType === 'SL-M';
    const price = usesPrice ? (request.price ?? record.price) : 0;
    const triggerPrice = usesTrigger ? (request.triggerPrice ?? record.triggerPrice) : 0;
    if (usesPrice && !(price > 0)) throw invalidParameter('price');
    if (usesTrigger && !(triggerPrice > 0)) throw invalidParameter('trigger_price');
    this.#checkQuantity(quantity, row);
    if (quantity <= record.filledQuantity) throw invalidParameter('quantity');
    this.#checkPrices(orderType, price, triggerPrice, row);
    const marketProtection = request.marketProtection ?? record.marketProtection;
    if (
      this.#options.requireMarketProtection &&
      (orderType === 'MARKET' || orderType === 'SL-M') &&
      marketProtection === 0
    ) {
      throw inputError(MARKET_PROTECTION_REQUIRED);
    }
    const validity = request.validity ?? record.validity;
    if (validity === 'TTL' && record.validity !== 'TTL') throw invalidParameter('validity');

    const apply = () => {
      record.orderType = orderType;
      record.quantity = quantity;
      record.price = price;
      record.triggerPrice = triggerPrice;
      record.validity = validity;
      record.marketProtection = marketProtection;
      if (request.disclosedQuantity !== undefined) record.disclosedQuantity = request.disclosedQuantity;
      record.modified = true;
      record.modifications++;
    };

    if (record.engineOrderId === undefined) {
      // An AMO order still waiting for the session: only the record changes.
      apply();
      this.#snapshot(record, KITE_ORDER_STATUS.MODIFY_VALIDATION_PENDING);
      this.#snapshot(record, KITE_ORDER_STATUS.MODIFIED);
      this.#transition(record, KITE_ORDER_STATUS.AMO_REQ_RECEIVED, KITE_ORDER_STATUS.UPDATE);
      return { order_id: orderId };
    }

    const progress: ModificationInProgress = { record, apply, committed: false };
    this.#modifying = progress;
    let outcome: ReturnType<ExchangeSimulator['modifyOrder']>;
    try {
      outcome = this.#simulator.modifyOrder(this.#options.accountId, record.engineOrderId, {
        orderType: ENGINE_ORDER_TYPE[orderType],
        quantity,
        limitPrice: usesPrice ? price : undefined,
        stopPrice: usesTrigger ? triggerPrice : undefined,
        tif: ENGINE_TIME_IN_FORCE[validity],
      });
    } catch (error) {
      throw inputError(error instanceof Error ? error.message : String(error));
    } finally {
      this.#modifying = undefined;
    }
    switch (outcome.status) {
      case 'modified':
        if (!progress.committed) this.#commitModification(progress);
        return { order_id: orderId };
      case 'rejected': {
        const rejection = outcome.rejection;
        if (rejection.code === 'INSUFFICIENT_FUNDS') {
          throw new KiteApiError(
            400,
            'MarginException',
            marginExceptionMessage(rejection.required ?? 0, rejection.available ?? 0),
          );
        }
        throw new KiteApiError(
          400,
          'OrderException',
          'Order cannot be modified as it is being processed. Try later.',
        );
      }
      case 'final':
        this.#checkTriggers();
        throw inputError(orderFinalMessage('modified', record.status));
      default:
        throw new KiteApiError(400, 'GeneralException', ORDER_NOT_FOUND);
    }
  }

  /**
   * The engine accepted a change (its `order` event for the modification comes before any fill
   * the change causes): record MODIFY VALIDATION PENDING -> MODIFY PENDING -> MODIFIED -> resting status.
   */
  #commitModification(progress: ModificationInProgress): void {
    progress.committed = true;
    const record = progress.record;
    progress.apply();
    record.exchangeUpdateTimestamp = this.#simulator.clock.now();
    this.#snapshot(record, KITE_ORDER_STATUS.MODIFY_VALIDATION_PENDING);
    this.#snapshot(record, KITE_ORDER_STATUS.MODIFY_PENDING);
    this.#snapshot(record, KITE_ORDER_STATUS.MODIFIED);
    this.#transition(record, this.#restingStatus(record), KITE_ORDER_STATUS.UPDATE);
  }

  // ---- cancel -------------------------------------------------------------------------------

  /** DELETE /orders/:variety/:order_id. */
  cancel(orderId: string): { order_id: string } {
    const record = this.#record(orderId);
    this.#checkTriggers();
    if (isFinalKiteStatus(record.status)) throw inputError(orderFinalMessage('cancelled', record.status));
    if (record.variety === 'co' && record.parentOrderId !== null && record.engineOrderId !== undefined) {
      this.#exitCoverLeg(record);
      return { order_id: orderId };
    }
    record.cancelRequested = true;
    if (record.engineOrderId === undefined) {
      this.#clearTimer(record);
      record.cancelledQuantity = record.quantity - record.filledQuantity;
      this.#transition(record, KITE_ORDER_STATUS.CANCELLED);
      return { order_id: orderId };
    }
    if (record.status !== KITE_ORDER_STATUS.CANCEL_PENDING)
      this.#snapshot(record, KITE_ORDER_STATUS.CANCEL_PENDING);
    const outcome = this.#simulator.cancelOrder(this.#options.accountId, record.engineOrderId);
    if (outcome === 'already-final' && !isFinalKiteStatus(record.status)) {
      this.#syncFinal(record);
    }
    return { order_id: orderId };
  }

  // ---- cover orders -------------------------------------------------------------------------

  /** A cover order's main leg filled: place its stop-loss leg (SL-M, opposite side, `parent_order_id` = main). */
  #placeCoverLeg(main: KiteOrderRecord): void {
    const row = this.#options.table.byToken(main.instrumentToken);
    if (row === undefined) return;
    const now = this.#simulator.clock.now();
    const orderId = this.#newOrderId(now);
    const leg: KiteOrderRecord = {
      ...main,
      orderId,
      exchangeOrderId: null,
      parentOrderId: main.orderId,
      status: KITE_ORDER_STATUS.PUT_ORDER_REQ_RECEIVED,
      statusMessage: null,
      statusMessageRaw: null,
      orderTimestamp: now,
      exchangeTimestamp: null,
      exchangeUpdateTimestamp: null,
      modified: false,
      modifications: 0,
      orderType: 'SL-M',
      transactionType: main.transactionType === 'BUY' ? 'SELL' : 'BUY',
      quantity: main.quantity,
      price: 0,
      averagePrice: 0,
      filledQuantity: 0,
      cancelledQuantity: 0,
      meta: {},
      tags: [...main.tags],
      guid: guidOf(orderId),
      history: [],
      engineOrderId: undefined,
      cancelRequested: false,
      timer: undefined,
    };
    this.#records.set(orderId, leg);
    this.#snapshot(leg);
    this.#transition(leg, KITE_ORDER_STATUS.VALIDATION_PENDING);
    this.#sendToEngine(leg, row);
  }

  /** Exiting a cover order's stop-loss leg squares the position off at market (the leg becomes a MARKET order). */
  #exitCoverLeg(leg: KiteOrderRecord): void {
    leg.orderType = 'MARKET';
    leg.triggerPrice = 0;
    this.#triggerPending.delete(leg);
    const outcome = this.#simulator.modifyOrder(this.#options.accountId, leg.engineOrderId!, {
      orderType: 'MARKET',
      stopPrice: undefined,
    });
    if (outcome.status === 'final') this.#syncFinal(leg);
  }

  // ---- engine events ------------------------------------------------------------------------

  #onOrder(order: SimOrder, previous: SimOrder['status'] | undefined): void {
    if (order.accountId !== this.#options.accountId) return;
    let record = this.#records.get(order.orderId);
    if (record === undefined) {
      record = this.#adopt(order);
      if (record === undefined) return;
    }
    const now = this.#simulator.clock.now();
    if (previous === undefined) {
      if (order.status === 'REJECTED') {
        this.#reject(record, order.rejection);
        return;
      }
      record.exchangeOrderId = this.#exchangeOrderId(record);
      record.exchangeTimestamp = now;
      record.exchangeUpdateTimestamp = now;
      this.#snapshot(record, KITE_ORDER_STATUS.OPEN_PENDING);
      this.#transition(record, this.#restingStatus(record, order));
      if (record.validity === 'TTL' && record.validityTtl > 0) {
        record.timer = this.#simulator.clock.setTimer(
          record.validityTtl * 60_000,
          (target) => this.#expireTtl(target),
          record,
          true,
        );
      }
      return;
    }
    record.exchangeUpdateTimestamp = now;
    switch (order.status) {
      case 'FILLED':
        this.#clearTimer(record);
        this.#triggerPending.delete(record);
        this.#transition(record, KITE_ORDER_STATUS.COMPLETE);
        if (record.variety === 'co' && record.parentOrderId === null) this.#placeCoverLeg(record);
        return;
      case 'PARTIALLY_FILLED':
      case 'SUBMITTED': {
        const progress = this.#modifying;
        if (progress !== undefined && progress.record === record && !progress.committed) {
          this.#commitModification(progress);
          return;
        }
        this.#transition(record, this.#restingStatus(record, order), KITE_ORDER_STATUS.UPDATE);
        return;
      }
      case 'CANCELLED':
        this.#clearTimer(record);
        this.#triggerPending.delete(record);
        record.cancelledQuantity = Math.max(0, record.quantity - record.filledQuantity);
        if (!record.cancelRequested) {
          record.statusMessage = order.statusMessage ?? null;
          record.statusMessageRaw = order.statusMessage ?? null;
        }
        this.#transition(record, KITE_ORDER_STATUS.CANCELLED);
        return;
      case 'REJECTED':
        this.#reject(record, order.rejection);
        return;
    }
  }

  #onExecution(execution: Execution, order: SimOrder): void {
    if (order.accountId !== this.#options.accountId) return;
    let record = this.#records.get(order.orderId);
    if (record === undefined) {
      record = this.#adopt(order);
      if (record === undefined) return;
    }
    record.filledQuantity = order.filledQuantity;
    record.averagePrice = Number(order.averageFillPrice.toFixed(4));
    if (record.meta.iceberg !== undefined) {
      const iceberg = record.meta.iceberg as { legs: number; leg_quantity: number };
      record.meta = {
        iceberg: this.#icebergMeta(
          iceberg.legs,
          iceberg.leg_quantity,
          record.quantity,
          record.filledQuantity,
        ),
      };
    }
    this.#tradeSequence++;
    const trade = tradeJson(
      record,
      String(10_000_000 + this.#tradeSequence),
      execution.quantity,
      execution.price,
      execution.time,
    );
    this.#trades.push({ time: execution.time, json: trade });
    const list = this.#tradesByOrder.get(record.orderId);
    if (list === undefined) this.#tradesByOrder.set(record.orderId, [trade]);
    else list.push(trade);
  }

  #reject(record: KiteOrderRecord, rejection: Rejection | undefined): void {
    this.#clearTimer(record);
    this.#triggerPending.delete(record);
    const userId = this.#options.userId;
    if (rejection?.code === 'INSUFFICIENT_FUNDS') {
      record.statusMessage = insufficientFundsMessage(rejection.required ?? 0, rejection.available ?? 0);
      record.statusMessageRaw = insufficientFundsRaw(
        rejection.required ?? 0,
        rejection.available ?? 0,
        userId,
      );
    } else if (rejection?.code === 'INSUFFICIENT_HOLDINGS') {
      const row = this.#options.table.byToken(record.instrumentToken);
      const sellable = row === undefined ? 0 : this.#sellable(row);
      record.statusMessage = insufficientHoldingsMessage(record.tradingsymbol, sellable);
      record.statusMessageRaw = `RMS:Rule: Check holding quantity, sellable quantity ${sellable} for entity account-${userId}`;
    } else {
      record.statusMessage = rejection?.reason ?? 'Order rejected';
      record.statusMessageRaw = rejection?.reason ?? 'Order rejected';
    }
    this.#transition(record, KITE_ORDER_STATUS.REJECTED);
  }

  /** An engine order placed without kite-sim (control API, shared simulator): record it as a regular order. */
  #adopt(order: SimOrder): KiteOrderRecord | undefined {
    const row = this.#options.table.byInstrument(order.instrument);
    if (row === undefined || row.isIndex) return undefined;
    const product: KiteProduct =
      order.product ?? (row.exchange === 'NSE' || row.exchange === 'BSE' ? 'CNC' : 'NRML');
    const orderType = KITE_ORDER_TYPE[order.orderType];
    const record: KiteOrderRecord = {
      orderId: order.orderId,
      exchangeOrderId: null,
      parentOrderId: null,
      placedBy: this.#options.userId,
      status: KITE_ORDER_STATUS.PUT_ORDER_REQ_RECEIVED,
      statusMessage: null,
      statusMessageRaw: null,
      orderTimestamp: order.createdAt,
      exchangeTimestamp: null,
      exchangeUpdateTimestamp: null,
      variety: 'regular',
      modified: false,
      modifications: 0,
      exchange: row.exchange,
      tradingsymbol: row.tradingsymbol,
      instrumentToken: row.instrumentToken,
      orderType,
      transactionType: order.side,
      validity: order.tif === 'IOC' ? 'IOC' : 'DAY',
      validityTtl: 0,
      product,
      quantity: order.quantity ?? 0,
      disclosedQuantity: 0,
      price: order.limitPrice ?? 0,
      triggerPrice: order.stopPrice ?? 0,
      averagePrice: 0,
      filledQuantity: 0,
      cancelledQuantity: 0,
      marketProtection: 0,
      meta: {},
      tag: order.clientOrderId?.slice(0, 20) ?? null,
      tags: order.clientOrderId === undefined ? [] : [order.clientOrderId.slice(0, 20)],
      guid: guidOf(order.orderId),
      auctionNumber: null,
      history: [],
      engineOrderId: order.orderId,
      cancelRequested: false,
      timer: undefined,
    };
    this.#records.set(order.orderId, record);
    this.#snapshot(record);
    this.#snapshot(record, KITE_ORDER_STATUS.VALIDATION_PENDING);
    return record;
  }

  /** SL / SL-M orders whose trigger the price has reached move from TRIGGER PENDING to OPEN. */
  #checkTriggers(): void {
    if (this.#triggerPending.size === 0) return;
    for (const record of [...this.#triggerPending]) {
      if (record.engineOrderId === undefined) continue;
      const order = this.#simulator.getOrder(this.#options.accountId, record.engineOrderId);
      if (order === undefined || !order.triggered || record.status !== KITE_ORDER_STATUS.TRIGGER_PENDING)
        continue;
      this.#triggerPending.delete(record);
      if (order.status === 'SUBMITTED' || order.status === 'PARTIALLY_FILLED') {
        this.#transition(record, KITE_ORDER_STATUS.OPEN);
      }
    }
  }

  #syncFinal(record: KiteOrderRecord): void {
    if (record.engineOrderId === undefined) return;
    const order = this.#simulator.getOrder(this.#options.accountId, record.engineOrderId);
    if (order === undefined) return;
    if (order.status === 'FILLED') this.#transition(record, KITE_ORDER_STATUS.COMPLETE);
    else if (order.status === 'CANCELLED') this.#transition(record, KITE_ORDER_STATUS.CANCELLED);
  }

  #expireTtl(record: KiteOrderRecord): void {
    record.timer = undefined;
    if (isFinalKiteStatus(record.status) || record.engineOrderId === undefined) return;
    this.#simulator.cancelOrder(this.#options.accountId, record.engineOrderId);
  }

  // ---- checks -------------------------------------------------------------------------------

  #record(orderId: string): KiteOrderRecord {
    const record = this.#records.get(orderId);
    if (record === undefined) throw new KiteApiError(400, 'GeneralException', ORDER_NOT_FOUND);
    return record;
  }

  #instrument(exchange: string, tradingsymbol: string): KiteInstrument {
    const row = this.#options.table.bySymbol(exchange, tradingsymbol);
    if (row === undefined) {
      if (!['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'].includes(exchange))
        throw invalidParameter('exchange');
      throw invalidParameter('tradingsymbol');
    }
    if (row.isIndex) throw invalidParameter('tradingsymbol');
    return row;
  }

  #checkProduct(product: KiteProduct, row: KiteInstrument): void {
    if (!productsFor(row.exchange).includes(product))
      throw inputError(productNotAllowedMessage(product, row.exchange));
  }

  #checkQuantity(quantity: number, row: KiteInstrument): void {
    if (!isMultipleOf(quantity, row.lotSize)) throw inputError(lotSizeMessage(row.lotSize));
  }

  #checkPrices(orderType: KiteOrderType, price: number, triggerPrice: number, row: KiteInstrument): void {
    const usesPrice = orderType === 'LIMIT' || orderType === 'SL';
    const usesTrigger = orderType === 'SL' || orderType === 'SL-M';
    if (usesPrice && !isMultipleOf(price, row.tickSize))
      throw inputError(tickSizeMessage('Price', row.tickSize));
    if (usesTrigger && !isMultipleOf(triggerPrice, row.tickSize))
      throw inputError(tickSizeMessage('Trigger price', row.tickSize));
    if (usesPrice || usesTrigger) {
      const band = this.#options.market.circuitLimits(row);
      const outside = (value: number) => value < band.lower - 1e-9 || value > band.upper + 1e-9;
      if ((usesPrice && outside(price)) || (usesTrigger && outside(triggerPrice)))
        throw inputError(PRICE_OUTSIDE_CIRCUIT);
    }
  }

  /** The 'http' policy: refuse with 400 what the RMS would reject, before an order exists. */
  #preTradeCheck(request: PlaceOrderRequest, row: KiteInstrument): void {
    if (request.transactionType === 'SELL' && (request.product === 'CNC' || request.product === 'MTF')) {
      const sellable = this.#sellable(row);
      if (request.quantity > sellable) {
        throw new KiteApiError(
          400,
          'HoldingException',
          insufficientHoldingsMessage(row.tradingsymbol, sellable),
        );
      }
    }
    const instrument = row.instrument;
    const impact = this.#simulator.marginImpact(this.#options.accountId, {
      symbol: instrument.symbol,
      exchange: instrument.exchange,
      secType: instrument.secType,
      side: request.transactionType,
      orderType: ENGINE_ORDER_TYPE[request.orderType],
      quantity: request.quantity,
      limitPrice: request.orderType === 'LIMIT' || request.orderType === 'SL' ? request.price : undefined,
      stopPrice:
        request.orderType === 'SL' || request.orderType === 'SL-M' ? request.triggerPrice : undefined,
      tif: ENGINE_TIME_IN_FORCE[request.validity],
      product: engineProduct(request.product),
    });
    if (!impact.sufficient) {
      throw new KiteApiError(
        400,
        'MarginException',
        marginExceptionMessage(impact.required, impact.available),
      );
    }
  }

  #sellable(row: KiteInstrument): number {
    let held = 0;
    for (const position of this.#simulator.positions(this.#options.accountId)) {
      if (position.instrument === row.instrument && position.product === 'CNC') held += position.quantity;
    }
    return Math.max(0, held - this.pendingDeliverySells(row));
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** OPEN, or TRIGGER PENDING for a stop order whose trigger has not been reached. */
  #restingStatus(record: KiteOrderRecord, order?: SimOrder): KiteOrderStatus {
    const engine =
      order ??
      (record.engineOrderId === undefined
        ? undefined
        : this.#simulator.getOrder(this.#options.accountId, record.engineOrderId));
    if (
      (record.orderType === 'SL' || record.orderType === 'SL-M') &&
      engine !== undefined &&
      !engine.triggered
    ) {
      this.#triggerPending.add(record);
      return KITE_ORDER_STATUS.TRIGGER_PENDING;
    }
    this.#triggerPending.delete(record);
    return KITE_ORDER_STATUS.OPEN;
  }

  #icebergMeta(legs: number, legQuantity: number, total: number, filled: number): Record<string, number> {
    const leg = Math.min(legs, Math.floor(filled / Math.max(1, legQuantity)) + 1);
    return {
      leg,
      legs,
      leg_quantity: legQuantity,
      total_quantity: total,
      remaining_quantity: Math.max(0, total - leg * legQuantity),
    };
  }

  /** Records a history entry with `status` without changing the order's current status. */
  #snapshot(record: KiteOrderRecord, status?: KiteOrderStatus): void {
    if (status === undefined) {
      record.history.push(orderJson(record));
      return;
    }
    const current = record.status;
    record.status = status;
    record.history.push(orderJson(record));
    record.status = current;
  }

  /** Moves the order to `status`, records it and reports it (as `notifyAs` when given). */
  #transition(record: KiteOrderRecord, status: KiteOrderStatus, notifyAs?: string): void {
    record.status = status;
    const json = orderJson(record);
    record.history.push(json);
    const reported = notifyAs ?? status;
    if (notifyAs !== undefined || NOTIFIED.has(status)) this.#options.onOrderUpdate(json, reported);
  }

  #clearTimer(record: KiteOrderRecord): void {
    if (record.timer !== undefined) {
      this.#simulator.clock.clearTimer(record.timer);
      record.timer = undefined;
    }
  }

  #newOrderId(now: number): string {
    this.#sequence++;
    return `${istDatePrefix(now)}${String(this.#sequence).padStart(9, '0')}`;
  }

  #exchangeOrderId(record: KiteOrderRecord): string {
    const segment = record.instrumentToken & 0xff;
    return `${segment}${record.orderId.slice(-15).padStart(15, '0')}`;
  }
}

/** A stable request id per order (Kite's `guid`), 16 hex characters. */
function guidOf(orderId: string): string {
  return (
    hashString(`guid:${orderId}`).toString(16).padStart(8, '0') +
    hashString(`${orderId}:guid`).toString(16).padStart(8, '0')
  ).slice(0, 16);
}
