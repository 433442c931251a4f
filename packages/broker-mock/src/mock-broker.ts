import {
  AbstractBroker,
  type AccountBalance,
  type BrokerCapabilities,
  BrokerConnectionError,
  type BrokerOptions,
  InvalidConfigError,
  InvalidOrderError,
  InvalidSymbolError,
  type MarginImpact,
  type NormalizedOrderRequest,
  OrderNotFoundError,
  type OrderRecord,
  type OrderUpdate,
  type PlaceOrderAck,
  type Position,
  toInputIssues,
} from '@brokerkit/core';
import {
  type Clock,
  ExchangeSimulator,
  type Execution,
  type InstrumentDefinition,
  RealClock,
  type SimOrder,
  type TimerHandle,
  VirtualClock,
} from '@brokerkit/exchange-sim';
import { mockCapabilities } from './capabilities.js';
import { type MockBrokerConfig, type MockBrokerConfigInput, mockConfigSchema } from './config.js';
import {
  rejectionError,
  toAccountBalance,
  toFill,
  toMarginImpact,
  toOrderRecord,
  toPosition,
} from './contract-mapping.js';

const BROKER = 'mock';
const MAX_RECONNECT_DELAY_MS = 30_000;
/** Orders remembered as changed while the link is down; working orders are always re-reported. */
const MAX_MISSED_ORDERS = 10_000;

function parseConfig(config: MockBrokerConfigInput): MockBrokerConfig {
  const parsed = mockConfigSchema.safeParse(config ?? {});
  if (!parsed.success) {
    throw new InvalidConfigError({
      issues: toInputIssues(parsed.error, Object.keys(mockConfigSchema.shape)),
      broker: BROKER,
    });
  }
  return parsed.data;
}

function createSimulator(config: MockBrokerConfig, clock: Clock): ExchangeSimulator {
  try {
    const simulator = new ExchangeSimulator({
      clock,
      seed: config.seed,
      name: BROKER,
      instruments: config.instruments as InstrumentDefinition[],
      prices: config.prices,
      priceStepMs: config.priceStepMs,
      randomWalk: config.randomWalk,
      fillDelayMs: config.fillDelaySeconds * 1_000,
      cancelDelayMs: config.cancelDelaySeconds * 1_000,
      slippageTicks: config.slippageTicks,
      sessionCloseUtc: config.sessionCloseUtc,
      retainClosedOrders: config.retainClosedOrders,
      ...(config.maxFillQuantity === undefined ? {} : { maxFillQuantity: config.maxFillQuantity }),
    });
    simulator.faults.setRejectionRate(config.rejectionRate);
    if (config.unreachable)
      simulator.faults.refuseConnections('connection refused: the mock is configured as unreachable');
    simulator.createAccount({ id: config.accountId, currency: config.currency, cash: config.initialBalance });
    return simulator;
  } catch (error) {
    // What zod cannot judge alone: an instrument listed twice, a starting price for an unknown symbol.
    if (error instanceof RangeError) {
      throw new InvalidConfigError({
        issues: [{ path: '', message: error.message }],
        broker: BROKER,
        cause: error,
      });
    }
    if (InvalidSymbolError.isInstance(error)) {
      throw new InvalidConfigError({
        issues: [{ path: 'prices', message: error.message }],
        broker: BROKER,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The spec's Mock broker: a full brokerkit broker over an in-process `ExchangeSimulator`. Orders are
 * acknowledged SUBMITTED and fill `fillDelaySeconds` later at the simulated market price; balances,
 * positions, margin and commissions follow a documented model; rejections (random at
 * `rejectionRate`, or injected) and connection drops can be provoked. Nothing leaves the process.
 *
 * @example
 * import { MockBroker } from '@brokerkit/broker-mock';
 *
 * const broker = new MockBroker({ clock: 'virtual', seed: 7 });
 * await broker.connect();
 * const ack = await broker.placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' });
 * ack.status;                               // 'SUBMITTED'
 * await broker.advanceTime(1_000);          // virtual clock: the fill delay passes at once
 * await broker.getOrderStatus(ack.orderId); // 'FILLED'
 */
export class MockBroker extends AbstractBroker {
  readonly id = BROKER;
  readonly capabilities: BrokerCapabilities = mockCapabilities;
  readonly #simulator: ExchangeSimulator;
  readonly #accountId: string;
  readonly #reconnectDelayMs: number;
  /** The venue session is up: events are delivered as they happen. */
  #linked = false;
  /** Orders that changed while the session was down, to report on the next link. */
  readonly #missedOrders = new Set<string>();
  #lastDeliveredExecution = 0;
  #reconnectTimer: TimerHandle | undefined;
  #reconnectAttempt = 0;
  readonly #reconnect = () => this.#onReconnectTimer();

  /**
   * @param config the mock's settings; see `mockConfigSchema`. Invalid settings throw InvalidConfigError.
   * @param options brokerkit's broker options (timeouts, readonly, logger). `now` defaults to the mock's clock.
   */
  constructor(config: MockBrokerConfigInput = {}, options: BrokerOptions = {}) {
    const parsed = parseConfig(config);
    const clock: Clock = parsed.clock === 'virtual' ? new VirtualClock() : new RealClock();
    super({ ...options, now: options.now ?? (() => clock.now()) });
    this.#simulator = createSimulator(parsed, clock);
    this.#accountId = parsed.accountId;
    this.#reconnectDelayMs = parsed.reconnectDelaySeconds * 1_000;
    this.#simulator.on('order', (order) => this.#onOrder(order));
    this.#simulator.on('execution', (execution) => this.#onExecution(execution));
    this.#simulator.faults.onDrop((reason) => this.#onDrop(reason));
  }

  /**
   * The exchange simulator behind the mock: set prices, script paths, inject faults, inspect the
   * account. Meant for tests and demos.
   */
  get simulator(): ExchangeSimulator {
    return this.#simulator;
  }

  /** The simulated account's id. */
  get accountId(): string {
    return this.#accountId;
  }

  /**
   * Lets `ms` of market time pass: with `clock: 'virtual'` at once (running due fills, triggers,
   * expiries and reconnects in order), with the real clock by waiting. Then yields to the event
   * loop so that code awaiting the results sees them.
   */
  async advanceTime(ms: number): Promise<void> {
    const clock = this.#simulator.clock;
    if (clock instanceof VirtualClock) clock.advance(ms);
    else await new Promise((resolve) => setTimeout(resolve, ms));
    await new Promise((resolve) => setImmediate(resolve));
  }

  protected override connectionHint(): string | undefined {
    return 'the mock refuses connections when configured with unreachable: true or after simulator.faults.failNextConnect()';
  }

  // ---- the contract -------------------------------------------------------------------------

  protected async doConnect(): Promise<void> {
    const refusal = this.#simulator.faults.takeConnectFailure();
    if (refusal !== undefined) {
      throw new BrokerConnectionError({
        message: `mock: ${refusal}`,
        hint: this.connectionHint(),
        broker: BROKER,
      });
    }
    await this.#answer();
    this.#link();
  }

  protected async doDisconnect(): Promise<void> {
    this.#unlink();
    if (this.#reconnectTimer !== undefined) this.#simulator.clock.clearTimer(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  protected async doGetAccountBalance(): Promise<AccountBalance> {
    await this.#answer();
    return toAccountBalance(this.#simulator.balance(this.#accountId));
  }

  protected async doGetOpenPositions(): Promise<Position[]> {
    await this.#answer();
    return this.#simulator.positions(this.#accountId).map(toPosition);
  }

  protected async doPlaceOrder(order: NormalizedOrderRequest): Promise<PlaceOrderAck> {
    const delay = this.#answer();
    if (delay !== undefined) await delay;
    // Invalid input (unknown symbol, off-tick price, wrong lot) throws here, before the book.
    const placed = this.#simulator.placeOrder(this.#accountId, order);
    if (placed.status === 'REJECTED') throw rejectionError(placed);
    return { orderId: placed.orderId, status: placed.status, createdAt: placed.createdAt };
  }

  protected async doGetOrder(orderId: string): Promise<OrderRecord> {
    await this.#answer();
    return toOrderRecord(this.#order(orderId));
  }

  protected async doGetOpenOrders(): Promise<OrderRecord[]> {
    await this.#answer();
    return this.#simulator.openOrders(this.#accountId).map(toOrderRecord);
  }

  protected override async doFindOrderByClientOrderId(
    clientOrderId: string,
  ): Promise<OrderRecord | undefined> {
    await this.#answer();
    const order = this.#simulator.findOrderByClientOrderId(this.#accountId, clientOrderId);
    return order === undefined ? undefined : toOrderRecord(order);
  }

  protected async doCancelOrder(orderId: string): Promise<boolean> {
    await this.#answer();
    const outcome = this.#simulator.cancelOrder(this.#accountId, orderId);
    if (outcome === 'not-found') throw this.#notFound(orderId);
    return outcome !== 'already-final';
  }

  protected async doModifyOrder(orderId: string, updates: OrderUpdate): Promise<OrderRecord> {
    await this.#answer();
    const outcome = this.#simulator.modifyOrder(this.#accountId, orderId, updates);
    switch (outcome.status) {
      case 'modified':
        return toOrderRecord(outcome.order);
      case 'not-found':
        throw this.#notFound(orderId);
      case 'final':
        throw new InvalidOrderError({
          issues: [
            {
              path: 'orderId',
              message: `order ${orderId} is ${outcome.order.status}; only working orders can be modified`,
            },
          ],
          broker: BROKER,
        });
      case 'rejected':
        throw rejectionError({ ...outcome.order, rejection: outcome.rejection });
    }
  }

  protected async doGetOrderMarginImpact(order: NormalizedOrderRequest): Promise<MarginImpact> {
    await this.#answer();
    return toMarginImpact(this.#simulator.marginImpact(this.#accountId, order));
  }

  // ---- the simulated link -------------------------------------------------------------------

  /**
   * Request faults, as a remote broker would show them: a stalled request never gets an answer
   * (nor is it processed); an `ack` delay holds the answer for that long in market time. Returns
   * `undefined` when none is armed, so the usual path costs nothing.
   */
  #answer(): Promise<void> | undefined {
    const faults = this.#simulator.faults;
    if (!faults.requestFaultsArmed) return undefined;
    if (faults.takeStall()) return new Promise<void>(() => {});
    const delay = faults.delayOf('ack');
    if (delay <= 0) return undefined;
    return new Promise<void>((resolve) => this.#simulator.clock.setTimer(delay, resolve, undefined));
  }

  #order(orderId: string): SimOrder {
    const order = this.#simulator.getOrder(this.#accountId, orderId);
    if (order === undefined) throw this.#notFound(orderId);
    return order;
  }

  #notFound(orderId: string): OrderNotFoundError {
    return new OrderNotFoundError({
      message: `mock: no order ${orderId} in account ${this.#accountId}`,
      hint: 'the mock forgets the oldest final orders beyond retainClosedOrders',
      orderId,
      broker: BROKER,
    });
  }

  #onOrder(order: SimOrder): void {
    if (order.accountId !== this.#accountId) return;
    if (this.#linked) this.emitOrderUpdate(toOrderRecord(order));
    else if (this.#missedOrders.size < MAX_MISSED_ORDERS) this.#missedOrders.add(order.orderId);
  }

  #onExecution(execution: Execution): void {
    if (execution.accountId !== this.#accountId || !this.#linked) return;
    this.#lastDeliveredExecution = execution.sequence;
    this.emitFill(toFill(execution));
  }

  /** Starts delivering events, after reporting what happened while the link was down. */
  #link(): void {
    for (const execution of this.#simulator.executions(this.#accountId, this.#lastDeliveredExecution)) {
      this.#lastDeliveredExecution = execution.sequence;
      this.emitFill(toFill(execution));
    }
    for (const order of this.#simulator.openOrders(this.#accountId)) this.#missedOrders.add(order.orderId);
    for (const orderId of this.#missedOrders) {
      const order = this.#simulator.getOrder(this.#accountId, orderId);
      if (order !== undefined) this.emitOrderUpdate(toOrderRecord(order));
    }
    this.#missedOrders.clear();
    this.#linked = true;
    this.#reconnectAttempt = 0;
  }

  #unlink(): void {
    this.#linked = false;
  }

  /** The venue dropped the connection: go `reconnecting`, then reconnect after the delay. */
  #onDrop(reason: string): void {
    if (this.connectionState !== 'connected') return;
    this.#unlink();
    this.setConnectionState(
      'reconnecting',
      new BrokerConnectionError({ message: `mock: connection lost (${reason})`, broker: BROKER }),
    );
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const delay = Math.min(this.#reconnectDelayMs * 2 ** this.#reconnectAttempt, MAX_RECONNECT_DELAY_MS);
    this.#reconnectAttempt++;
    this.#reconnectTimer = this.#simulator.clock.setTimer(delay, this.#reconnect, undefined);
  }

  #onReconnectTimer(): void {
    this.#reconnectTimer = undefined;
    if (this.connectionState !== 'reconnecting') return;
    const refusal = this.#simulator.faults.takeConnectFailure();
    if (refusal !== undefined) {
      this.logger.warn('mock: reconnect refused; retrying', {
        reason: refusal,
        attempt: this.#reconnectAttempt,
      });
      this.#scheduleReconnect();
      return;
    }
    this.#link();
    this.setConnectionState('connected');
  }
}
