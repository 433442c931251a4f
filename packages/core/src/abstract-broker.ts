import { EventEmitter } from 'node:events';
import type {
  Broker,
  BrokerEventListener,
  BrokerEventName,
  BrokerHealth,
  ConnectionStateEvent,
} from './broker.js';
import type { BrokerCapabilities } from './capabilities.js';
import { generateClientOrderId } from './client-order-id.js';
import { type Deadline, DeadlineQueue, NO_DEADLINE } from './deadline-queue.js';
import { AuthenticationError } from './errors/authentication-error.js';
import { BrokerAPIError } from './errors/broker-api-error.js';
import { BrokerConnectionError } from './errors/broker-connection-error.js';
import { BrokerError } from './errors/broker-error.js';
import { BrokerTimeoutError } from './errors/broker-timeout-error.js';
import { InvalidConfigError } from './errors/invalid-config-error.js';
import { type InputIssue, InvalidOrderError } from './errors/invalid-order-error.js';
import { NotSupportedError } from './errors/not-supported-error.js';
import { OrderOutcomeUnknownError } from './errors/order-outcome-unknown-error.js';
import { type BrokerLogger, silentLogger } from './logger.js';
import { isFinalStatus } from './order-status-transitions.js';
import { OrderTracker, type TrackedOrder } from './order-tracker.js';
import type { AccountBalance, Position } from './schemas/account.js';
import type { ConnectionState, OrderStatus, OrderType, TimeInForce } from './schemas/enums.js';
import { fastParseOrderRequest } from './schemas/fast-order-request.js';
import type { MarginImpact } from './schemas/margin-impact.js';
import type { Fill, OrderRecord, PlaceOrderResult } from './schemas/order-record.js';
import type { OrderRequest } from './schemas/order-request.js';
import {
  clientOrderIdSchema,
  type NormalizedOrderRequest,
  orderRequestSchema,
} from './schemas/order-request.js';
import { type OrderUpdate, orderUpdateSchema } from './schemas/order-update.js';
import { toInputIssues } from './validation.js';

/** The public operations that take a timeout. */
export type BrokerOperation =
  | 'connect'
  | 'disconnect'
  | 'getAccountBalance'
  | 'getOpenPositions'
  | 'placeOrder'
  | 'getOrder'
  | 'getOpenOrders'
  | 'cancelOrder'
  | 'modifyOrder'
  | 'getOrderMarginImpact';

/** Default per-call timeouts in milliseconds. */
export const DEFAULT_TIMEOUTS: Readonly<Record<BrokerOperation, number>> = Object.freeze({
  connect: 15_000,
  disconnect: 5_000,
  getAccountBalance: 10_000,
  getOpenPositions: 10_000,
  placeOrder: 10_000,
  getOrder: 10_000,
  getOpenOrders: 10_000,
  cancelOrder: 10_000,
  modifyOrder: 10_000,
  getOrderMarginImpact: 10_000,
});

/** Options every broker takes, whichever plugin made it. */
export interface BrokerOptions {
  /** Per-call timeouts in ms; `0` or `Infinity` disables one. */
  timeouts?: Partial<Record<BrokerOperation, number>>;
  /** Refuse every order-changing call (place, cancel, modify) before anything is sent. */
  readonly?: boolean;
  logger?: BrokerLogger;
  /** How many final (filled, cancelled, rejected) orders to remember. Default 10,000. */
  retainClosedOrders?: number;
  /** Source of "now" in epoch ms; tests and simulators pass a virtual clock. */
  now?: () => number;
}

/** What a plugin's `doPlaceOrder` returns: the broker's id and what it said at acknowledgement. */
export interface PlaceOrderAck {
  orderId: string;
  /** Status at acknowledgement; SUBMITTED when omitted. */
  status?: OrderStatus;
  createdAt?: number;
  raw?: unknown;
}

/** How many execution ids `emitFill` remembers to drop duplicates. */
const SEEN_EXECUTIONS_LIMIT = 10_000;
const ORDER_REQUEST_KEYS = Object.keys(orderRequestSchema.shape);
const ORDER_UPDATE_KEYS = ['quantity', 'limitPrice', 'stopPrice', 'orderType', 'tif'];

/**
 * The base class of every broker. Public methods validate input with zod before anything leaves
 * the process, check the plugin's declared capabilities, generate client order ids, apply
 * timeouts, enforce the order status table and emit typed events; then they call the protected
 * `do*` methods a plugin implements. Plugins never repeat that work.
 *
 * @example
 * class MyBroker extends AbstractBroker {
 *   readonly id = 'my';
 *   readonly capabilities = myCapabilities;
 *   protected async doConnect() { await this.client.connect(); }
 *   // ... the other do* methods
 * }
 */
export abstract class AbstractBroker implements Broker {
  abstract readonly id: string;
  abstract readonly capabilities: BrokerCapabilities;

  protected readonly logger: BrokerLogger;
  protected readonly now: () => number;
  readonly #timeouts: Record<BrokerOperation, number>;
  /** One queue (and at most one timer) per operation with a timeout. */
  readonly #deadlines: Partial<Record<BrokerOperation, DeadlineQueue>> = {};
  readonly #readonly: boolean;
  readonly #events = new EventEmitter();
  /** Listeners per event, kept by the emitter's own add/remove notices (hasListeners reads it). */
  readonly #listening: Partial<Record<string, number>> = {};
  readonly #tracker: OrderTracker;
  /** Execution ids already reported, for de-duplication; bounded, oldest forgotten first. */
  readonly #seenExecutions = new Set<string>();
  readonly #seenExecutionOrder: string[] = [];
  #seenExecutionHead = 0;
  #state: ConnectionState = 'disconnected';
  #connecting: Promise<void> | undefined;
  #connectedSince: number | undefined;
  /** Why the connection last ended, when it did not end by `disconnect()`. */
  #disconnectReason: Error | undefined;
  #lastError: BrokerHealth['lastError'];
  /** A generated client order id made ready for the next placement that brings none. */
  #nextClientOrderId: string | undefined;
  /** The declared order types and their TIFs as lookups (built on first use from `capabilities`). */
  #allowedTifs: AllowedTifs | undefined;
  /**
   * The placement doPlaceOrder is sending right now (see #sendOrder): its request, the tracker's
   * record once an update reported during the send made one, and the broker id the plugin noted.
   * Saved and restored around each send, so a plugin that places orders from its send still works.
   */
  #sending: NormalizedOrderRequest | undefined;
  #sendingTracked: TrackedOrder | undefined;
  #sendingOrderId: string | undefined;

  constructor(options: BrokerOptions = {}) {
    validateBrokerOptions(options);
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    for (const [operation, ms] of Object.entries(this.#timeouts) as [BrokerOperation, number][]) {
      if (ms > 0 && ms !== Number.POSITIVE_INFINITY) this.#deadlines[operation] = new DeadlineQueue(ms);
    }
    this.#readonly = options.readonly ?? false;
    this.#tracker = new OrderTracker(options.retainClosedOrders ?? 10_000);
    this.#events.setMaxListeners(0);
    this.#events.on('newListener', (event: string) => {
      this.#listening[event] = (this.#listening[event] ?? 0) + 1;
    });
    this.#events.on('removeListener', (event: string) => {
      this.#listening[event] = (this.#listening[event] ?? 1) - 1;
    });
  }

  // ---- what plugins implement -------------------------------------------------------------

  /** Opens the connection and resolves once the broker is ready for requests. */
  protected abstract doConnect(): Promise<void>;
  /** Closes the connection and releases sockets and timers. */
  protected abstract doDisconnect(): Promise<void>;
  protected abstract doGetAccountBalance(): Promise<AccountBalance>;
  protected abstract doGetOpenPositions(): Promise<Position[]>;
  /**
   * Sends a validated order. Throw `BrokerConnectionError` only when nothing was sent, and
   * `OrderOutcomeUnknownError` when it may have been.
   */
  protected abstract doPlaceOrder(order: NormalizedOrderRequest): Promise<PlaceOrderAck>;
  /** The broker's record of an order; throw OrderNotFoundError when unknown. */
  protected abstract doGetOrder(orderId: string): Promise<OrderRecord>;
  protected abstract doGetOpenOrders(): Promise<OrderRecord[]>;
  /** Requests a cancel; resolve `false` if the broker says the order is already final. */
  protected abstract doCancelOrder(orderId: string): Promise<boolean>;
  /** Modifies a working order (only called when capabilities.modifyOrder is not `none`). */
  protected abstract doModifyOrder(orderId: string, updates: OrderUpdate): Promise<OrderRecord | undefined>;
  /** Margin impact (only called when capabilities.marginPreview is true). */
  protected abstract doGetOrderMarginImpact(order: NormalizedOrderRequest): Promise<MarginImpact>;

  /**
   * Finds an order by client order id at the broker. The default looks through open orders; plugins
   * whose broker can search finished orders too should override it.
   */
  protected async doFindOrderByClientOrderId(clientOrderId: string): Promise<OrderRecord | undefined> {
    const open = await this.doGetOpenOrders();
    return open.find((order) => order.clientOrderId === clientOrderId);
  }

  /** Text shown with connection errors (what to check). Plugins override it. */
  protected connectionHint(): string | undefined {
    return undefined;
  }

  // ---- what plugins call ------------------------------------------------------------------

  /** Reports a new order state pushed by the broker (stream, callback). */
  protected emitOrderUpdate(record: OrderRecord): void {
    // A plugin that reports the order while still sending it: the tracker records the order first,
    // so the update reads PENDING -> x as it would after the send.
    if (this.#sending !== undefined) this.#trackSending();
    const result = this.#tracker.apply(record);
    if (result.kind === 'illegal') {
      this.logger.warn('order update ignored: the status table does not allow it', {
        broker: this.id,
        orderId: record.orderId,
        from: result.from,
        to: result.to,
      });
      return;
    }
    if (result.kind === 'changed') {
      this.#events.emit('orderUpdate', { order: record, previousStatus: result.previousStatus });
    }
  }

  /**
   * Whether anyone listens for an event: a plugin may skip building a payload nobody receives
   * (the layer's state must come out the same either way).
   */
  protected hasListeners(event: BrokerEventName): boolean {
    return (this.#listening[event] ?? 0) > 0;
  }

  /**
   * For plugins whose client assigns the broker's order id before the broker answers (IB order
   * ids are the client's): call it from doPlaceOrder, during the send, with that id. The layer then
   * indexes the order by it while the order is on the wire instead of when the acknowledgement
   * arrives; the acknowledgement must carry the same id. Outside a send it does nothing.
   */
  protected noteOrderId(orderId: string): void {
    if (this.#sending !== undefined) this.#sendingOrderId = orderId;
  }

  /** Reports an execution; duplicates (same executionId) are dropped. */
  protected emitFill(fill: Fill): void {
    if (this.#seenExecutions.has(fill.executionId)) return;
    this.#seenExecutions.add(fill.executionId);
    this.#seenExecutionOrder.push(fill.executionId);
    // A FIFO with a head index: evicting through the Set's iterator is slow once V8 has many
    // deleted entries at its head.
    if (this.#seenExecutions.size > SEEN_EXECUTIONS_LIMIT) {
      this.#seenExecutions.delete(this.#seenExecutionOrder[this.#seenExecutionHead]!);
      this.#seenExecutionHead++;
      if (this.#seenExecutionHead >= SEEN_EXECUTIONS_LIMIT) {
        this.#seenExecutionOrder.splice(0, this.#seenExecutionHead);
        this.#seenExecutionHead = 0;
      }
    }
    this.#events.emit('fill', fill);
  }

  /** Reports a connection change the plugin noticed by itself (drop, reconnect). */
  protected setConnectionState(state: ConnectionState, error?: Error): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#connectedSince = state === 'connected' ? this.now() : undefined;
    this.#disconnectReason = state === 'connected' ? undefined : (error ?? this.#disconnectReason);
    if (error !== undefined) this.#recordError(error);
    const event: ConnectionStateEvent =
      error === undefined ? { state, previous } : { state, previous, error };
    this.#events.emit('connectionState', event);
  }

  /** Orders this layer knows are still working, for reconciliation after a reconnect. */
  protected trackedOrder(orderId: string): TrackedOrder | undefined {
    return this.#tracker.byOrderId(orderId);
  }

  // ---- the public contract ----------------------------------------------------------------

  get connectionState(): ConnectionState {
    return this.#state;
  }

  isConnected(): boolean {
    return this.#state === 'connected';
  }

  async connect(): Promise<void> {
    if (this.#state === 'connected') return;
    if (this.#connecting !== undefined) return this.#connecting;
    this.#connecting = this.#openConnection();
    try {
      await this.#connecting;
    } finally {
      this.#connecting = undefined;
    }
  }

  async #openConnection(): Promise<void> {
    this.setConnectionState('connecting');
    try {
      await this.#withTimeout(
        'connect',
        () => this.doConnect(),
        (ms) =>
          new BrokerConnectionError({
            message: `${this.id}: connect timed out after ${ms} ms`,
            hint: this.connectionHint(),
            broker: this.id,
          }),
      );
      this.setConnectionState('connected');
    } catch (error) {
      const failure = BrokerError.isBrokerError(error)
        ? error
        : new BrokerConnectionError({
            message: `${this.id}: connect failed: ${messageOf(error)}`,
            hint: this.connectionHint(),
            broker: this.id,
            cause: error,
          });
      await this.doDisconnect().catch(() => {});
      this.setConnectionState('disconnected', failure);
      throw failure;
    }
  }

  async disconnect(): Promise<void> {
    if (this.#connecting !== undefined) await this.#connecting.catch(() => {});
    if (this.#state === 'disconnected') return;
    try {
      await this.#withTimeout(
        'disconnect',
        () => this.doDisconnect(),
        (ms) =>
          new BrokerTimeoutError({
            message: `${this.id}: disconnect timed out`,
            operation: 'disconnect',
            timeoutMs: ms,
          }),
      );
    } finally {
      this.setConnectionState('disconnected');
      this.#disconnectReason = undefined;
    }
  }

  async getAccountBalance(): Promise<AccountBalance> {
    this.#ensureConnected('getAccountBalance');
    return this.#read('getAccountBalance', () => this.doGetAccountBalance());
  }

  async getOpenPositions(): Promise<Position[]> {
    this.#ensureConnected('getOpenPositions');
    return this.#read('getOpenPositions', () => this.doGetOpenPositions());
  }

  placeOrder(order: OrderRequest): Promise<PlaceOrderResult> {
    let request: NormalizedOrderRequest;
    try {
      // The cheap checks are inline on this path (each call costs on a cold CPU cache).
      if (this.#readonly) this.#ensureWritable('placeOrder');
      // #parseOrder's two steps, written out: one call fewer on every order.
      request = fastParseOrderRequest(order) ?? this.#parseWithSchema(order);
      this.#checkOrderCapabilities(request);
      if (request.clientOrderId === undefined) {
        // New by construction (process-unique), so there is no earlier placement to look for.
        // Made after the previous send (off the order's way) when there was one.
        request.clientOrderId = this.#nextClientOrderId ?? generateClientOrderId();
        this.#nextClientOrderId = undefined;
      } else {
        const known = this.#tracker.byClientOrderId(request.clientOrderId);
        if (known !== undefined) return this.#replayPlacement(known, request);
      }
      if (this.#state !== 'connected') this.#ensureConnected('placeOrder');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#sendOrder(request);
  }

  /**
   * Sends the order and settles with the acknowledgement. Written as one promise rather than
   * nested async functions: the caller hears the broker's answer one microtask after the plugin
   * does. The tracker records the order and the deadline is armed right after the send (before any
   * answer can be read: answers arrive in a later turn of the event loop), so neither is on the way
   * to the wire; an update the plugin reports during the send finds the order recorded.
   */
  #sendOrder(request: NormalizedOrderRequest): Promise<PlaceOrderResult> {
    const outerRequest = this.#sending;
    const outerTracked = this.#sendingTracked;
    const outerOrderId = this.#sendingOrderId;
    this.#sending = request;
    this.#sendingTracked = undefined;
    this.#sendingOrderId = undefined;
    let sent: Promise<PlaceOrderAck>;
    try {
      sent = this.doPlaceOrder(request);
    } catch (error) {
      sent = Promise.reject(error);
    }
    // The broker's id, when the plugin noted it during the send, is recorded with the order.
    const noted = this.#sendingOrderId;
    // Recorded during the send if the plugin reported an update then (#trackSending); the cast is
    // because TypeScript still reads the field as the undefined it was set to above.
    let tracked = this.#sendingTracked as TrackedOrder | undefined;
    if (tracked === undefined) tracked = this.#tracker.begin(request, noted);
    else if (noted !== undefined && tracked.orderId === undefined) this.#tracker.acknowledge(tracked, noted);
    this.#nextClientOrderId ??= generateClientOrderId();
    this.#sending = outerRequest;
    this.#sendingTracked = outerTracked;
    this.#sendingOrderId = outerOrderId;
    const placement = new Promise<PlaceOrderResult>((resolve, reject) => {
      const deadline = this.#armDeadline('placeOrder', (ms) => {
        tracked.inFlight = undefined;
        reject(
          this.#recordError(
            new OrderOutcomeUnknownError({
              message: `${this.id}: no acknowledgement for order ${request.clientOrderId} within ${ms} ms; it may or may not have been placed`,
              hint: 'do not re-send: look it up with findOrderByClientOrderId() once the broker answers',
              operation: 'placeOrder',
              clientOrderId: request.clientOrderId,
              broker: this.id,
            }),
          ),
        );
      });
      sent.then(
        (ack) => {
          // A late acknowledgement still tells the layer the order's id and status.
          const answered = deadline.settle();
          const result = this.#acknowledged(tracked, request, ack);
          if (!answered) return;
          tracked.inFlight = undefined;
          resolve(result);
        },
        (error: unknown) => {
          // After the deadline the caller was told "outcome unknown"; a late failure changes nothing.
          if (!deadline.settle()) return;
          tracked.inFlight = undefined;
          reject(this.#placementFailed(tracked, request, error));
        },
      );
    });
    tracked.inFlight = placement;
    return placement;
  }

  /** Records the order being sent, once (an update reported during the send needs it recorded). */
  #trackSending(): void {
    if (this.#sendingTracked === undefined && this.#sending !== undefined)
      this.#sendingTracked = this.#tracker.begin(this.#sending);
  }

  #acknowledged(
    tracked: TrackedOrder,
    request: NormalizedOrderRequest,
    ack: PlaceOrderAck,
  ): PlaceOrderResult {
    if (tracked.orderId === undefined) this.#tracker.acknowledge(tracked, ack.orderId);
    // Updates pushed while the send was under way are newer than the acknowledgement.
    if (tracked.status === 'PENDING') this.#tracker.setStatus(tracked, ack.status ?? 'SUBMITTED');
    tracked.createdAt = ack.createdAt ?? this.now();
    const result: PlaceOrderResult = {
      orderId: ack.orderId,
      clientOrderId: request.clientOrderId,
      status: tracked.status,
      createdAt: tracked.createdAt,
    };
    if (ack.raw !== undefined) result.raw = ack.raw;
    return result;
  }

  #placementFailed(tracked: TrackedOrder, request: NormalizedOrderRequest, error: unknown): unknown {
    if (OrderOutcomeUnknownError.isInstance(error)) return this.#recordError(error);
    if (BrokerError.isBrokerError(error)) {
      // A definitive answer: nothing works at the broker, so the client order id may be used again.
      this.#tracker.abandon(tracked);
      return this.#recordError(error);
    }
    return this.#recordError(
      new OrderOutcomeUnknownError({
        message: `${this.id}: placing order ${request.clientOrderId} failed unexpectedly: ${messageOf(error)}`,
        hint: 'do not re-send: look it up with findOrderByClientOrderId()',
        operation: 'placeOrder',
        clientOrderId: request.clientOrderId,
        broker: this.id,
        cause: error,
      }),
    );
  }

  async #replayPlacement(known: TrackedOrder, request: NormalizedOrderRequest): Promise<PlaceOrderResult> {
    if (known.request !== undefined && !sameRequest(known.request, request)) {
      throw new InvalidOrderError({
        issues: [
          {
            path: 'clientOrderId',
            message: `"${request.clientOrderId}" was already used for a different order; use a new clientOrderId`,
          },
        ],
      });
    }
    if (known.inFlight !== undefined) return known.inFlight;
    if (known.orderId === undefined) {
      throw new OrderOutcomeUnknownError({
        message: `${this.id}: order ${request.clientOrderId} was sent before but never acknowledged`,
        hint: 'look it up with findOrderByClientOrderId() instead of placing it again',
        operation: 'placeOrder',
        clientOrderId: request.clientOrderId,
        broker: this.id,
      });
    }
    return {
      orderId: known.orderId,
      clientOrderId: known.clientOrderId,
      status: known.status,
      createdAt: known.createdAt,
    };
  }

  async getOrder(orderId: string): Promise<OrderRecord> {
    const id = this.#validateOrderId(orderId);
    this.#ensureConnected('getOrder');
    const record = await this.#read('getOrder', () => this.doGetOrder(id));
    return this.#observe(record, 'getOrder');
  }

  async getOrderStatus(orderId: string): Promise<OrderStatus> {
    return (await this.getOrder(orderId)).status;
  }

  async getOpenOrders(): Promise<OrderRecord[]> {
    this.#ensureConnected('getOpenOrders');
    const records = await this.#read('getOpenOrders', () => this.doGetOpenOrders());
    for (const record of records) this.#observe(record, 'getOpenOrders');
    return records;
  }

  async findOrderByClientOrderId(clientOrderId: string): Promise<OrderRecord | undefined> {
    const parsed = clientOrderIdSchema.safeParse(clientOrderId);
    if (!parsed.success)
      throw new InvalidOrderError({ issues: toInputIssues(parsed.error, [], 'clientOrderId') });
    this.#ensureConnected('findOrderByClientOrderId');
    const known = this.#tracker.byClientOrderId(parsed.data);
    const record =
      known?.orderId !== undefined
        ? await this.#read('getOrder', () => this.doGetOrder(known.orderId!))
        : await this.#read('getOpenOrders', () => this.doFindOrderByClientOrderId(parsed.data));
    return record === undefined ? undefined : this.#observe(record, 'findOrderByClientOrderId');
  }

  async cancelOrder(orderId: string): Promise<boolean> {
    const id = this.#validateOrderId(orderId);
    this.#ensureWritable('cancelOrder');
    this.#ensureConnected('cancelOrder');
    const known = this.#tracker.byOrderId(id);
    if (known !== undefined && isFinalStatus(known.status)) return false;
    return this.#withTimeout(
      'cancelOrder',
      () => this.doCancelOrder(id),
      (ms) =>
        new OrderOutcomeUnknownError({
          message: `${this.id}: no answer to the cancel of order ${id} within ${ms} ms`,
          hint: 'check the order with getOrder() before acting on it',
          operation: 'cancelOrder',
          orderId: id,
          broker: this.id,
        }),
    ).catch((error: unknown) => {
      throw this.#recordError(error);
    });
  }

  async modifyOrder(orderId: string, updates: OrderUpdate): Promise<OrderRecord> {
    const id = this.#validateOrderId(orderId);
    this.#ensureWritable('modifyOrder');
    if (this.capabilities.modifyOrder === 'none') {
      throw new NotSupportedError({
        message: `${this.id} cannot modify orders; cancel and place a new one`,
        feature: 'modifyOrder',
        broker: this.id,
      });
    }
    const parsed = orderUpdateSchema.safeParse(updates);
    if (!parsed.success) {
      throw new InvalidOrderError({
        message: undefined,
        issues: toInputIssues(parsed.error, ORDER_UPDATE_KEYS, 'updates'),
      });
    }
    const update = parsed.data;
    const known = this.#tracker.byOrderId(id);
    // A new TIF alone is checked against the order's own type, when this layer placed it.
    const orderType = update.orderType ?? known?.request?.orderType;
    if (orderType !== undefined) this.#checkOrderType(orderType, update.tif);
    this.#ensureConnected('modifyOrder');
    if (known !== undefined && isFinalStatus(known.status)) {
      throw new InvalidOrderError({
        issues: [
          { path: 'orderId', message: `order ${id} is ${known.status}; only working orders can be modified` },
        ],
      });
    }
    const modified = await this.#withTimeout(
      'modifyOrder',
      () => this.doModifyOrder(id, update),
      (ms) =>
        new OrderOutcomeUnknownError({
          message: `${this.id}: no answer to the modification of order ${id} within ${ms} ms`,
          hint: 'check the order with getOrder() before acting on it',
          operation: 'modifyOrder',
          orderId: id,
          broker: this.id,
        }),
    ).catch((error: unknown) => {
      throw this.#recordError(error);
    });
    const record = modified ?? (await this.#read('getOrder', () => this.doGetOrder(id)));
    return this.#observe(record, 'modifyOrder');
  }

  async getOrderMarginImpact(order: OrderRequest): Promise<MarginImpact> {
    if (!this.capabilities.marginPreview) {
      throw new NotSupportedError({
        message: `${this.id} cannot compute margin impact before placing an order`,
        feature: 'getOrderMarginImpact',
        broker: this.id,
      });
    }
    const request = this.#validateOrder(order);
    this.#ensureConnected('getOrderMarginImpact');
    return this.#read('getOrderMarginImpact', () => this.doGetOrderMarginImpact(request));
  }

  health(): BrokerHealth {
    return {
      broker: this.id,
      state: this.#state,
      ...(this.#connectedSince === undefined ? {} : { connectedSince: this.#connectedSince }),
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
      openOrders: this.#tracker.openCount,
      trackedOrders: this.#tracker.size,
    };
  }

  on<E extends BrokerEventName>(event: E, listener: BrokerEventListener<E>): this {
    this.#events.on(event, listener);
    return this;
  }

  off<E extends BrokerEventName>(event: E, listener: BrokerEventListener<E>): this {
    this.#events.off(event, listener);
    return this;
  }

  once<E extends BrokerEventName>(event: E, listener: BrokerEventListener<E>): this {
    this.#events.once(event, listener);
    return this;
  }

  /** Hides internals (and anything a subclass holds, such as secrets) from `util.inspect`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.constructor.name} { id: '${this.id}', state: '${this.#state}' }`;
  }

  /** What `JSON.stringify(broker)` prints: no config, no secrets. */
  toJSON(): Record<string, unknown> {
    return { broker: this.id, state: this.#state };
  }

  // ---- internals --------------------------------------------------------------------------

  /** A validated order with a client order id (generated when the caller gave none). */
  #validateOrder(order: OrderRequest): NormalizedOrderRequest {
    const request = this.#parseOrder(order);
    if (request.clientOrderId === undefined) request.clientOrderId = generateClientOrderId();
    return request;
  }

  /** Validates an order and checks it against the capabilities; the client order id may be unset. */
  #parseOrder(order: OrderRequest): NormalizedOrderRequest {
    // The common case skips zod; anything unusual or invalid goes through the schema for its messages.
    const request = fastParseOrderRequest(order) ?? this.#parseWithSchema(order);
    this.#checkOrderCapabilities(request);
    return request;
  }

  /** The schema's parse, for orders the fast check leaves to it: its issues name what to fix. */
  #parseWithSchema(order: OrderRequest): NormalizedOrderRequest {
    const parsed = orderRequestSchema.safeParse(order);
    if (!parsed.success) {
      throw new InvalidOrderError({
        issues: toInputIssues(parsed.error, ORDER_REQUEST_KEYS),
        broker: this.id,
      });
    }
    return parsed.data as NormalizedOrderRequest;
  }

  #checkOrderCapabilities(order: NormalizedOrderRequest): void {
    const caps = this.capabilities;
    // The common pair (declared type with an allowed TIF) by two property reads; anything else
    // goes through #checkOrderType, which names what is not supported.
    let allowed = this.#allowedTifs;
    if (allowed === undefined) {
      allowed = allowedTifsOf(caps);
      this.#allowedTifs = allowed;
    }
    if (order.tif === undefined || allowed[order.orderType]?.[order.tif] !== true)
      this.#checkOrderType(order.orderType, order.tif as TimeInForce);
    if (order.secType !== undefined && !caps.assetClasses.includes(order.secType)) {
      this.#unsupported(
        `secType ${order.secType}`,
        `supported asset classes: ${caps.assetClasses.join(', ')}`,
      );
    }
    if (
      order.exchange !== undefined &&
      caps.exchanges.length > 0 &&
      !caps.exchanges.includes(order.exchange)
    ) {
      this.#unsupported(`exchange ${order.exchange}`, `supported exchanges: ${caps.exchanges.join(', ')}`);
    }
    if (order.cashQty !== undefined && !caps.cashQuantity.includes(order.secType ?? 'STK')) {
      const allowed = caps.cashQuantity.length > 0 ? caps.cashQuantity.join(', ') : 'none';
      this.#unsupported(`cashQty for ${order.secType ?? 'STK'}`, `cashQty is accepted for: ${allowed}`);
    }
    if (order.product !== undefined && !caps.products.includes(order.product)) {
      const allowed =
        caps.products.length > 0 ? caps.products.join(', ') : 'none (product is a Zerodha field)';
      this.#unsupported(`product ${order.product}`, `supported products: ${allowed}`);
    }
  }

  #checkOrderType(orderType: OrderType, tif: TimeInForce | undefined): void {
    const caps = this.capabilities;
    if (!caps.orderTypes.includes(orderType)) {
      this.#unsupported(`orderType ${orderType}`, `supported order types: ${caps.orderTypes.join(', ')}`);
    }
    const allowed = caps.timeInForce[orderType] ?? [];
    if (tif !== undefined && !allowed.includes(tif)) {
      this.#unsupported(`tif ${tif} on ${orderType} orders`, `allowed: ${allowed.join(', ') || 'none'}`);
    }
  }

  #unsupported(feature: string, detail: string): never {
    throw new NotSupportedError({
      message: `${this.id} does not support ${feature} (${detail})`,
      feature,
      broker: this.id,
    });
  }

  #validateOrderId(orderId: string): string {
    if (typeof orderId !== 'string' || orderId.trim() === '') {
      throw new InvalidOrderError({ issues: [{ path: 'orderId', message: 'must be a non-empty string' }] });
    }
    return orderId;
  }

  #ensureConnected(operation: string): void {
    if (this.#state === 'connected') return;
    const reason = this.#disconnectReason;
    if (AuthenticationError.isInstance(reason)) {
      // The session ended (Kite's daily expiry): every later call says so, not just the first.
      throw new AuthenticationError({
        message: `${this.id}: not connected: ${reason.message}; ${operation} was not sent`,
        hint: reason.hint,
        sessionExpired: reason.sessionExpired,
        broker: this.id,
        cause: reason,
      });
    }
    const because = reason === undefined ? '' : ` (${reason.message})`;
    throw new BrokerConnectionError({
      message: `${this.id}: not connected (${this.#state})${because}; ${operation} was not sent`,
      hint:
        this.#state === 'reconnecting'
          ? 'the connection dropped and is being restored; try again shortly'
          : 'call connect() first',
      broker: this.id,
    });
  }

  #ensureWritable(operation: string): void {
    if (!this.#readonly) return;
    throw new NotSupportedError({
      message: `${this.id} is in readonly mode; ${operation} was refused and nothing was sent`,
      hint: 'create the broker without readonly to trade',
      feature: operation,
      broker: this.id,
    });
  }

  /** Applies a record the broker returned to a query; an illegal transition is a broker/plugin fault. */
  #observe(record: OrderRecord, operation: string): OrderRecord {
    const result = this.#tracker.apply(record);
    if (result.kind === 'illegal') {
      throw this.#recordError(
        new BrokerAPIError({
          message: `${this.id}: ${operation} reported order ${record.orderId} as ${result.to} after ${result.from}, which the status table does not allow`,
          hint: 'this is a broker or plugin inconsistency; check the order at the broker',
          broker: this.id,
          raw: record.raw,
        }),
      );
    }
    if (result.kind === 'changed') {
      this.#events.emit('orderUpdate', { order: record, previousStatus: result.previousStatus });
    }
    return record;
  }

  async #read<T>(operation: BrokerOperation, run: () => Promise<T>): Promise<T> {
    try {
      return await this.#withTimeout(
        operation,
        run,
        (ms) =>
          new BrokerTimeoutError({
            message: `${this.id}: ${operation} timed out after ${ms} ms`,
            operation,
            timeoutMs: ms,
            broker: this.id,
          }),
      );
    } catch (error) {
      throw this.#recordError(
        BrokerError.isBrokerError(error)
          ? error
          : new BrokerAPIError({
              message: `${this.id}: ${operation} failed: ${messageOf(error)}`,
              broker: this.id,
              cause: error,
            }),
      );
    }
  }

  /**
   * Runs a plugin call under the operation's timeout. The call starts first and the timer after,
   * so the timer is never on the way to the broker.
   */
  #withTimeout<T>(
    operation: BrokerOperation,
    run: () => Promise<T>,
    onTimeout: (ms: number) => Error,
  ): Promise<T> {
    const pending = callSafely(run);
    if (this.#deadlines[operation] === undefined) return pending;
    return new Promise<T>((resolve, reject) => {
      const deadline = this.#armDeadline(operation, (ms) => reject(onTimeout(ms)));
      pending.then(
        (value) => {
          if (deadline.settle()) resolve(value);
        },
        (error: unknown) => {
          if (deadline.settle()) reject(error);
        },
      );
    });
  }

  /** Starts the operation's deadline; `onExpire` runs if the call is not settled in time. */
  #armDeadline(operation: BrokerOperation, onExpire: (ms: number) => void): Deadline {
    const queue = this.#deadlines[operation];
    if (queue === undefined) return NO_DEADLINE;
    const ms = this.#timeouts[operation];
    return queue.add(() => onExpire(ms));
  }

  #recordError(error: unknown): unknown {
    if (BrokerError.isBrokerError(error)) {
      this.#lastError = { code: error.code, message: error.message, at: this.now() };
    }
    return error;
  }
}

type AllowedTifs = Readonly<Record<string, Readonly<Record<string, true>> | undefined>>;

/** orderType -> tif -> true for every pair the capabilities declare. */
function allowedTifsOf(caps: BrokerCapabilities): AllowedTifs {
  const table: Record<string, Record<string, true>> = {};
  for (const orderType of caps.orderTypes) {
    const tifs: Record<string, true> = {};
    for (const tif of caps.timeInForce[orderType] ?? []) tifs[tif] = true;
    table[orderType] = tifs;
  }
  return table;
}

/** Calls a plugin method; a synchronous throw becomes a rejected promise like any other failure. */
function callSafely<T>(run: () => Promise<T>): Promise<T> {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

function sameRequest(a: NormalizedOrderRequest, b: NormalizedOrderRequest): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/** Refuses options that would silently misbehave (a negative timeout, a fractional retention). */
function validateBrokerOptions(options: BrokerOptions): void {
  const issues: InputIssue[] = [];
  for (const [operation, ms] of Object.entries(options.timeouts ?? {})) {
    if (!(operation in DEFAULT_TIMEOUTS))
      issues.push({ path: `timeouts.${operation}`, message: 'unknown operation' });
    else if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
      issues.push({
        path: `timeouts.${operation}`,
        message: 'must be a number of milliseconds >= 0 (0 disables it)',
      });
    }
  }
  const retain = options.retainClosedOrders;
  if (retain !== undefined && (!Number.isInteger(retain) || retain < 0)) {
    issues.push({ path: 'retainClosedOrders', message: 'must be a whole number >= 0' });
  }
  if (issues.length > 0) throw new InvalidConfigError({ issues });
}
