import {
  AbstractBroker,
  type AccountBalance,
  AuthenticationError,
  BrokerAPIError,
  type BrokerCapabilities,
  BrokerConnectionError,
  BrokerError,
  type BrokerOperation,
  type BrokerOptions,
  BrokerTimeoutError,
  DEFAULT_TIMEOUTS,
  InvalidConfigError,
  InvalidOrderError,
  InvalidSymbolError,
  type MarginImpact,
  type NormalizedOrderRequest,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  type OrderRecord,
  type OrderStatus,
  type OrderUpdate,
  type PlaceOrderAck,
  type Position,
} from '@brokerkit/core';
import {
  type CommissionReport,
  type Contract,
  type ContractDetails,
  EventName,
  type Execution,
  type ExecutionFilter,
  type Order,
  type OrderState,
} from '@stoqey/ib';
import { ibkrCapabilities } from './capabilities.js';
import type { IbkrConfig } from './config.js';
import {
  buildContract,
  type ContractRequest,
  contractKey,
  describeCandidate,
  describeContract,
  qualifiedContract,
  requestContractKey,
  sameContractRequest,
} from './contract-builder.js';
import { type IbApiFactory, IbSession, SessionOpenError } from './ib-session.js';
import {
  classifyIbCode,
  type IbErrorContext,
  isFundsReason,
  rejectReason,
  toBrokerError,
} from './ibkr-error-map.js';
import { isFinalWhatIf, toMarginImpact, warningsOf } from './margin-preview.js';
import { MessagePacer } from './message-pacer.js';
import {
  applyUpdate,
  buildIbOrder,
  type IbOrderTerms,
  ibOrderFromTerms,
  termsOfRequest,
} from './order-builder.js';
import {
  executedQuantity,
  isFinalEntry,
  type OrderEntry,
  OrderStore,
  statusOf,
  toFill,
  toOrderRecord,
} from './order-store.js';
import { toIbOrderType } from './order-type-map.js';
import type { OrderWaiter } from './order-waiter.js';
import { PendingRequest, REQUEST_ID_BASE } from './pending-request.js';
import { acknowledgesPlacement, Placement, type PlacementHost } from './placement.js';
import { publishedStateOf, recordPublished, sameApartFromIbState, samePublished } from './published-state.js';

/** Hooks for tests and tools; applications never need them. */
export interface IbkrBrokerInternals {
  /** Creates the @stoqey/ib client of each connection (a fake in unit tests). */
  createApi?: IbApiFactory;
}

/** Account-summary tags read by `getAccountBalance` (ibkr-tws-protocol.md 3.2). */
export const ACCOUNT_SUMMARY_TAGS = [
  'NetLiquidation',
  'TotalCashValue',
  'BuyingPower',
  'InitMarginReq',
  'MaintMarginReq',
  'AvailableFunds',
  'ExcessLiquidity',
  'EquityWithLoanValue',
] as const;

const RESOLVED: Promise<void> = Promise.resolve();

/** How long a fill waits for its COMMISSION_REPORT (sent right after the execution) before it is emitted without. */
const COMMISSION_WAIT_MS = 150;

const CONNECTION_HINT =
  'is TWS or IB Gateway running and logged in? Check the port (IB Gateway: 4002 paper, 4001 live; TWS: 7497 paper, 7496 live) and that the API is enabled (TWS: Configure > API > Settings > Enable ActiveX and Socket Clients, with this host among the trusted IPs)';

const ACCOUNT_HINT =
  'verify the account number is correct, that the account is active, and that it has trading permissions; TWS lists the accounts of the login in MANAGED_ACCTS';

interface AccountRow {
  account: string;
  tag: string;
  value: string;
  currency: string;
}

interface PositionRow {
  account: string;
  contract: Contract;
  position: number;
  averageCost: number | undefined;
}

/**
 * The Interactive Brokers broker: TWS / IB Gateway through `@stoqey/ib`'s `IBApi`, one instance
 * per connection, with request/response correlation, pacing, reconnection and reconciliation
 * done here. Create it with `createBroker({ broker: 'ibkr', ... })` or `plugin.create()`.
 *
 * @example
 * const broker = await createBroker({ broker: 'IBKR', port: 4002, accountId: 'DU123456' });
 * await broker.connect();
 * const ack = await broker.placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' });
 */
export class IbkrBroker extends AbstractBroker {
  readonly id = 'ibkr';
  readonly capabilities: BrokerCapabilities = ibkrCapabilities;

  readonly #config: IbkrConfig;
  readonly #readonly: boolean;
  readonly #timeouts: Partial<Record<BrokerOperation, number>>;
  readonly #createApi: IbApiFactory | undefined;
  readonly #pacer: MessagePacer;
  readonly #store: OrderStore;
  readonly #contracts = new Map<string, Contract>();
  readonly #contractLookups = new Map<string, Promise<Contract>>();
  /** The contract fields of the last order placed and their cached contract: repeat orders skip the key. */
  #lastContract: { request: ContractRequest; contract: Contract } | undefined;
  readonly #requests = new Map<number, PendingRequest<unknown, unknown>>();
  /**
   * Who waits on each order besides its placement (cancels, modifies, what-if previews; a
   * placement waits on its entry). Copy-on-write: adding or removing a waiter replaces the array,
   * so a message walks the array it found without copying it, and a waiter added meanwhile is not
   * called.
   */
  readonly #waiters = new Map<number, readonly OrderWaiter[]>();
  readonly #pendingFills = new Map<string, ReturnType<typeof setTimeout>>();
  #openOrdersRequest: PendingRequest<number, Set<number>> | undefined;
  #positionsRequest: PendingRequest<PositionRow> | undefined;
  #balanceInFlight: Promise<AccountBalance> | undefined;
  #session: IbSession | undefined;
  #clientId: number | undefined;
  #accountId: string | undefined;
  #baseCurrency: string | undefined;
  #nextOrderId = 0;
  #nextRequestId = REQUEST_ID_BASE;
  #reconnectAbort: AbortController | undefined;
  #connectivityLost = false;
  #droppedAt: number | undefined;
  #sessionSerial = 0;
  /** The order being written to the socket, and errors the client raised for it meanwhile. */
  #writingOrderId: number | undefined;
  #writeErrors: [code: number, message: string][] | undefined;
  /** What placements call back into while they wait (one for all of them). */
  readonly #placementHost: PlacementHost = {
    id: this.id,
    rejectOrder: (entry, reason) => {
      this.#store.markRejected(entry, reason, true);
      this.#publish(entry);
    },
    refreshOrderIds: () => {
      const session = this.#session;
      if (session?.ready) this.#refreshOrderIds(session);
    },
  };

  constructor(config: IbkrConfig, options: BrokerOptions = {}, internals: IbkrBrokerInternals = {}) {
    super({ ...options, readonly: config.readonly || options.readonly === true });
    this.#config = config;
    this.#readonly = config.readonly || options.readonly === true;
    this.#timeouts = { ...options.timeouts };
    this.#createApi = internals.createApi;
    this.#pacer = new MessagePacer(config.maxMessagesPerSecond);
    this.#store = new OrderStore(this.now);
    this.#accountId = config.accountId;
  }

  /** The client id of the current connection (it may differ from `config.clientId` after a 326 retry). */
  get clientId(): number | undefined {
    return this.#clientId;
  }

  /** The account orders go to: `config.accountId`, or the only account the login manages. */
  get accountId(): string | undefined {
    return this.#accountId;
  }

  protected override connectionHint(): string {
    return `${CONNECTION_HINT} (connecting to ${this.#config.host}:${this.#config.port})`;
  }

  // ---- connection ---------------------------------------------------------------------------

  protected async doConnect(): Promise<void> {
    this.#stopReconnecting();
    this.#closeSession(new BrokerConnectionError({ message: 'ibkr: reconnecting', broker: this.id }));
    void loadRetry().catch(() => {});
    const ids = this.#candidateClientIds();
    const session = await this.#openSession(ids);
    this.#clientId = session.clientId;
  }

  protected async doDisconnect(): Promise<void> {
    this.#stopReconnecting();
    this.#closeSession(
      new BrokerConnectionError({ message: 'ibkr: disconnected by the application', broker: this.id }),
    );
    this.#connectivityLost = false;
  }

  #candidateClientIds(): number[] {
    const configured = this.#config.clientId;
    if (!this.#config.clientIdRetry) return [configured];
    return [configured, ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((id) => id !== configured)];
  }

  /** Opens a session on the first client id not in use; checks the account; makes it current. */
  async #openSession(clientIds: number[]): Promise<IbSession> {
    const inUse: number[] = [];
    for (const clientId of clientIds) {
      const session = new IbSession(this.#config.host, this.#config.port, clientId, this.#createApi);
      this.#session = session;
      this.#attach(session);
      try {
        await session.open(this.#config.connectTimeoutMs);
      } catch (error) {
        if (this.#session === session) this.#session = undefined;
        session.close();
        if (error instanceof SessionOpenError && error.kind === 'client-id-in-use') {
          inUse.push(clientId);
          this.logger.warn('ibkr: client id in use, trying the next one', { clientId });
          continue;
        }
        throw this.#connectError(error);
      }
      try {
        await this.#checkAccount(session);
      } catch (error) {
        if (this.#session === session) this.#session = undefined;
        session.close();
        throw error;
      }
      this.#sessionSerial++;
      this.#nextOrderId = Math.max(this.#nextOrderId, session.nextValidId ?? 0);
      this.logger.info('ibkr: connected', {
        host: this.#config.host,
        port: this.#config.port,
        clientId,
        account: this.#accountId,
      });
      return session;
    }
    throw new BrokerConnectionError({
      message: `ibkr: client id${inUse.length > 1 ? 's' : ''} ${formatIds(inUse)} ${inUse.length > 1 ? 'are' : 'is'} already in use at ${this.#config.host}:${this.#config.port} (IB 326)`,
      hint:
        inUse.length > 1
          ? 'another program (or a session TWS has not released yet) holds each of these ids: close it, wait a few seconds, or set clientId to a free id above 10'
          : 'another program (or a session TWS has not released yet) uses this client id: close it, wait a few seconds, or choose another clientId',
      brokerCode: 326,
      broker: this.id,
    });
  }

  #connectError(error: unknown): BrokerError {
    if (BrokerError.isBrokerError(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    const kind = error instanceof SessionOpenError ? error.kind : undefined;
    const where = `${this.#config.host}:${this.#config.port}`;
    const text =
      kind === 'unreachable'
        ? `ibkr: cannot reach TWS / IB Gateway at ${where}: ${message}`
        : kind === 'timeout'
          ? `ibkr: TWS at ${where} did not accept the API session in time (${message})`
          : kind === 'version'
            ? `ibkr: TWS at ${where} speaks an API version @stoqey/ib does not support: ${message}`
            : `ibkr: connection to ${where} failed: ${message}`;
    return new BrokerConnectionError({
      message: text,
      hint: kind === 'version' ? 'update TWS / IB Gateway' : CONNECTION_HINT,
      brokerCode: error instanceof SessionOpenError ? error.ibCode : undefined,
      broker: this.id,
      cause: error,
    });
  }

  async #checkAccount(session: IbSession): Promise<void> {
    if (session.managedAccounts.length === 0) {
      // MANAGED_ACCTS normally precedes NEXT_VALID_ID; ask once if it did not.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(2_000, this.#config.connectTimeoutMs));
        timer.unref?.();
        session.api.once(EventName.managedAccounts, () => {
          clearTimeout(timer);
          resolve();
        });
        this.#send(session, () => session.api.reqManagedAccts()).catch(() => resolve());
      });
    }
    const accounts = session.managedAccounts;
    const wanted = this.#config.accountId;
    if (wanted !== undefined) {
      if (!accounts.includes(wanted)) {
        throw new AuthenticationError({
          message: `ibkr: Account not available: ${wanted} is not among the accounts this TWS login manages (${accounts.join(', ') || 'none reported'})`,
          hint: ACCOUNT_HINT,
          broker: this.id,
        });
      }
      this.#accountId = wanted;
      return;
    }
    if (accounts.length === 1) {
      this.#accountId = accounts[0];
      return;
    }
    throw new InvalidConfigError({
      issues: [
        {
          path: 'accountId',
          message:
            accounts.length === 0
              ? 'TWS reported no managed accounts; set accountId'
              : `this login manages several accounts (${accounts.join(', ')}); set accountId to the one to trade`,
        },
      ],
      broker: this.id,
    });
  }

  /** Routes a session's events here; events of a session that is no longer current are ignored. */
  #attach(session: IbSession): void {
    // IBApi types `on` per event; this one generic listener covers all of them.
    const api = session.api as unknown as { on(event: string, listener: (...args: unknown[]) => void): void };
    // Fixed parameters (no rest array, no spread): this runs for every message TWS sends.
    type Handler = (
      a: unknown,
      b: unknown,
      c: unknown,
      d: unknown,
      e: unknown,
      f: unknown,
      g: unknown,
      h: unknown,
      i: unknown,
      j: unknown,
    ) => void;
    const on = <A extends unknown[]>(event: EventName, handler: (...args: A) => void) => {
      const run = handler as unknown as Handler;
      api.on(
        event,
        (
          a?: unknown,
          b?: unknown,
          c?: unknown,
          d?: unknown,
          e?: unknown,
          f?: unknown,
          g?: unknown,
          h?: unknown,
          i?: unknown,
          j?: unknown,
        ) => {
          if (this.#session !== session) return;
          try {
            run(a, b, c, d, e, f, g, h, i, j);
          } catch (error) {
            this.#handlerFailed(event, error);
          }
        },
      );
    };
    on(EventName.nextValidId, (orderId: number) => {
      this.#nextOrderId = Math.max(this.#nextOrderId, orderId);
    });
    // The two messages of every order answer: registered directly (one call less per message).
    api.on(EventName.openOrder, (orderId, contract, order, state) => {
      if (this.#session !== session) return;
      try {
        this.#onOpenOrder(orderId as number, contract as Contract, order as Order, state as OrderState);
      } catch (error) {
        this.#handlerFailed(EventName.openOrder, error);
      }
    });
    on(EventName.openOrderEnd, () => this.#openOrdersRequest?.resolve(new Set(this.#openOrdersRequest.rows)));
    api.on(
      EventName.orderStatus,
      (
        orderId,
        status,
        filled,
        remaining,
        avgFillPrice,
        permId,
        _parentId,
        _lastFillPrice,
        _clientId,
        whyHeld,
      ) => {
        if (this.#session !== session) return;
        try {
          this.#onOrderStatus(
            orderId as number,
            status as string,
            filled as number,
            remaining as number,
            avgFillPrice as number,
            permId as number | undefined,
            whyHeld as string | undefined,
          );
        } catch (error) {
          this.#handlerFailed(EventName.orderStatus, error);
        }
      },
    );
    on(EventName.execDetails, (reqId: number, contract: Contract, execution: Execution) =>
      this.#onExecution(reqId, contract, execution),
    );
    on(EventName.execDetailsEnd, (reqId: number) => {
      const request = this.#requests.get(reqId);
      request?.resolve(request.rows);
    });
    on(EventName.commissionReport, (report: CommissionReport) => this.#onCommission(report));
    on(EventName.contractDetails, (reqId: number, details: ContractDetails) => {
      this.#requests.get(reqId)?.rows.push(details);
    });
    on(EventName.contractDetailsEnd, (reqId: number) => {
      const request = this.#requests.get(reqId);
      request?.resolve(request.rows);
    });
    on(
      EventName.accountSummary,
      (reqId: number, account: string, tag: string, value: string, currency: string) => {
        this.#requests.get(reqId)?.rows.push({ account, tag, value, currency } satisfies AccountRow);
      },
    );
    on(EventName.accountSummaryEnd, (reqId: number) => {
      const request = this.#requests.get(reqId);
      request?.resolve(request.rows);
    });
    on(EventName.position, (account: string, contract: Contract, position: number, averageCost?: number) => {
      this.#positionsRequest?.rows.push({ account, contract, position, averageCost });
    });
    on(EventName.positionEnd, () => this.#positionsRequest?.resolve(this.#positionsRequest.rows));
    on(EventName.error, (error: Error, code: number, id: number) =>
      this.#onError(error?.message ?? '', code, id),
    );
    on(EventName.info, (message: string, code: number) => this.#onInfo(message, code));
    on(EventName.disconnected, () => this.#onSocketClosed(session));
  }

  #handlerFailed(event: EventName, error: unknown): void {
    // An exception here would escape @stoqey/ib's socket handler and kill the process.
    this.logger.error('ibkr: event handler failed', { event, error: String(error) });
  }

  #onSocketClosed(session: IbSession): void {
    const wasReady = session.ready;
    session.markClosed();
    if (!wasReady) return; // open() reports a session that never became ready
    const error = new BrokerConnectionError({
      message: 'ibkr: the connection to TWS was lost',
      hint: CONNECTION_HINT,
      broker: this.id,
    });
    this.#closeSession(error);
    this.#droppedAt ??= this.now();
    this.logger.warn('ibkr: connection lost', { clientId: session.clientId });
    if (this.connectionState === 'disconnected' || this.connectionState === 'connecting') return;
    this.setConnectionState('reconnecting', error);
    this.#startReconnecting();
  }

  /** Makes the current session unusable and fails everything that waited on it. */
  #closeSession(reason: BrokerConnectionError): void {
    const session = this.#session;
    this.#session = undefined;
    session?.close();
    for (const request of [...this.#requests.values()]) request.reject(reason);
    this.#requests.clear();
    this.#openOrdersRequest?.reject(reason);
    this.#positionsRequest?.reject(reason);
    // A placement settling changes its entry, not the store: no copy needed to walk it.
    for (const entry of this.#store.entries()) entry.placement?.onConnectionLost();
    for (const waiters of [...this.#waiters.values()]) {
      for (const waiter of waiters) waiter.onConnectionLost();
    }
    this.#waiters.clear();
    this.#contractLookups.clear();
    this.#flushFills();
  }

  #startReconnecting(): void {
    if (!this.#config.reconnect.enabled) {
      this.setConnectionState(
        'disconnected',
        new BrokerConnectionError({
          message: 'ibkr: the connection to TWS was lost and reconnect is disabled',
          hint: 'call connect() again',
          broker: this.id,
        }),
      );
      return;
    }
    if (this.#reconnectAbort !== undefined) return;
    const abort = new AbortController();
    this.#reconnectAbort = abort;
    void this.#reconnect(abort.signal).finally(() => {
      if (this.#reconnectAbort === abort) this.#reconnectAbort = undefined;
    });
  }

  #stopReconnecting(): void {
    this.#reconnectAbort?.abort(
      new BrokerConnectionError({ message: 'ibkr: reconnect stopped', broker: this.id }),
    );
    this.#reconnectAbort = undefined;
  }

  async #reconnect(signal: AbortSignal): Promise<void> {
    const { reconnect } = this.#config;
    const clientId = this.#clientId ?? this.#config.clientId;
    try {
      const pRetry = await loadRetry();
      await pRetry(
        async () => {
          if (signal.aborted) throw signal.reason;
          let session = this.#session;
          if (session === undefined || !session.ready) {
            // The same client id only: TWS binds orders to it, and another id could not cancel them.
            session = await this.#openSession([clientId]);
          }
          if (signal.aborted) throw signal.reason;
          await this.#reconcile(session);
          if (signal.aborted) throw signal.reason;
        },
        {
          retries:
            reconnect.maxAttempts === 0 ? Number.POSITIVE_INFINITY : Math.max(0, reconnect.maxAttempts - 1),
          minTimeout: reconnect.initialDelayMs,
          maxTimeout: reconnect.maxDelayMs,
          factor: 2,
          randomize: true,
          unref: true,
          signal,
          shouldRetry: ({ error }) =>
            !AuthenticationError.isInstance(error) && !InvalidConfigError.isInstance(error),
          onFailedAttempt: ({ error, attemptNumber }) => {
            this.logger.warn('ibkr: reconnect attempt failed', {
              attempt: attemptNumber,
              error: error.message,
            });
          },
        },
      );
      if (signal.aborted) return;
      this.#droppedAt = undefined;
      this.#connectivityLost = false;
      this.setConnectionState('connected');
      this.logger.info('ibkr: reconnected and reconciled', { clientId });
    } catch (error) {
      if (signal.aborted) return;
      const failure = BrokerError.isBrokerError(error)
        ? error
        : new BrokerConnectionError({
            message: `ibkr: could not reconnect: ${error instanceof Error ? error.message : String(error)}`,
            hint: CONNECTION_HINT,
            broker: this.id,
            cause: error,
          });
      this.#closeSession(new BrokerConnectionError({ message: failure.message, broker: this.id }));
      this.setConnectionState('disconnected', failure);
    }
  }

  #onInfo(message: string, code: number): void {
    const { kind } = classifyIbCode(code);
    if (kind === 'connection-lost') {
      this.logger.warn('ibkr: TWS lost its connection to IB', { code, message });
      if (this.connectionState === 'connected') {
        this.#connectivityLost = true;
        this.setConnectionState(
          'reconnecting',
          new BrokerConnectionError({
            message: `ibkr: ${message} (IB ${code})`,
            brokerCode: code,
            broker: this.id,
          }),
        );
      }
      return;
    }
    if (kind === 'connection-restored') {
      this.logger.info('ibkr: TWS connection to IB restored', { code, message });
      if (this.#connectivityLost && this.#reconnectAbort === undefined) {
        const session = this.#session;
        if (session === undefined) return;
        this.#connectivityLost = false;
        void this.#reconcile(session).then(
          () => {
            if (this.#session === session && this.connectionState === 'reconnecting')
              this.setConnectionState('connected');
          },
          (error: unknown) => {
            this.logger.warn('ibkr: reconciliation after restore failed; reconnecting', {
              error: String(error),
            });
            if (this.#session === session) this.#onSocketClosed(session);
          },
        );
      }
      return;
    }
    if (kind === 'informational') {
      this.logger.debug('ibkr: notice', { code, message });
      return;
    }
    if (kind === 'rate-limited') {
      this.logger.error('ibkr: TWS reports the message rate was exceeded', { code, message });
      return;
    }
    this.logger.info('ibkr: TWS message', { code, message });
  }

  // ---- event handling -----------------------------------------------------------------------

  #onOpenOrder(orderId: number, contract: Contract, order: Order, state: OrderState): void {
    if (order.whatIf === true) {
      for (const waiter of this.#waitersOf(orderId)) waiter.onWhatIf?.(state);
      return;
    }
    const entry = this.#store.applyOpenOrder(orderId, contract, order, state);
    if (entry === undefined) {
      // A repeat: nothing new to report, but a modify may be looking for these terms (one to
      // the terms the order already has).
      this.#openOrdersRequest?.rows.push(orderId);
      const repeated = this.#waiters.size === 0 ? undefined : this.#store.get(orderId);
      if (repeated !== undefined) this.#notifyOtherWaiters(repeated, undefined);
      return;
    }
    this.#openOrdersRequest?.rows.push(entry.orderId);
    this.#publish(entry);
  }

  #onOrderStatus(
    orderId: number,
    status: string,
    filled: number,
    remaining: number,
    avgFillPrice: number,
    permId: number | undefined,
    whyHeld: string | undefined,
  ): void {
    const entry = this.#store.applyStatus(orderId, status, filled, remaining, avgFillPrice, permId, whyHeld);
    if (entry !== undefined) this.#publish(entry);
  }

  #onExecution(reqId: number, contract: Contract, execution: Execution): void {
    const applied = this.#store.applyExecution(contract, execution);
    if (reqId !== -1) this.#requests.get(reqId)?.rows.push(execution);
    if (applied === undefined) return;
    this.#publish(applied.entry);
    if (!applied.isNew) return;
    // Executions re-read after a reconnect are today's of this client id: report as fills only
    // those of orders this process placed (the others are history, not news).
    if (reqId !== -1 && !applied.entry.placedHere) return;
    const executionId = applied.execution.executionId;
    if (applied.execution.commission !== undefined) {
      this.emitFill(toFill(applied.entry, applied.execution));
      return;
    }
    const timer = setTimeout(() => this.#emitPendingFill(executionId), COMMISSION_WAIT_MS);
    timer.unref?.();
    this.#pendingFills.set(executionId, timer);
  }

  #onCommission(report: CommissionReport): void {
    const applied = this.#store.applyCommission(report);
    if (applied === undefined || report.execId === undefined) return;
    if (this.#pendingFills.has(report.execId)) this.#emitPendingFill(report.execId);
  }

  #emitPendingFill(executionId: string): void {
    const timer = this.#pendingFills.get(executionId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#pendingFills.delete(executionId);
    for (const entry of this.#store.entries()) {
      const execution = entry.executions.get(executionId);
      if (execution !== undefined) {
        this.emitFill(toFill(entry, execution));
        return;
      }
    }
  }

  #flushFills(): void {
    for (const executionId of [...this.#pendingFills.keys()]) this.#emitPendingFill(executionId);
  }

  #onError(message: string, code: number, id: number): void {
    if (this.#writingOrderId === id) {
      // Raised by the client while it encodes the order (before the waiter is in place): held.
      if (this.#writeErrors === undefined) this.#writeErrors = [];
      this.#writeErrors.push([code, message]);
      return;
    }
    if (id === -1 || id === undefined) {
      const { kind } = classifyIbCode(code);
      if (kind === 'informational' || kind === 'warning')
        this.logger.debug('ibkr: notice', { code, message });
      else this.logger.warn('ibkr: client error', { code, message });
      return;
    }
    const request = this.#requests.get(id);
    if (request !== undefined) {
      const { kind } = classifyIbCode(code);
      if (kind === 'informational' || kind === 'warning') return;
      request.reject(
        toBrokerError(code, message, {
          broker: this.id,
          operation: request.operation,
          symbol: request.symbol,
        }),
      );
      return;
    }
    const entry = this.#store.get(id);
    const placement = entry?.placement;
    const waiters = this.#waitersOf(id);
    placement?.onError(code, message);
    for (const waiter of waiters) waiter.onError(code, message);
    const waited = placement !== undefined || waiters.length > 0;
    if (entry === undefined) {
      if (!waited) this.logger.debug('ibkr: message for an unknown id', { id, code, message });
      return;
    }
    const { kind } = classifyIbCode(code);
    if (kind === 'warning') {
      // TWS's order messages (399: "will not be placed until the open", ...) are the order's news.
      this.logger.warn('ibkr: order message', { orderId: id, code, message });
      if (!entry.rejected) {
        entry.statusMessage = message.trim();
        this.#publish(entry);
      }
      return;
    }
    if (kind === 'rejected' && !waited) {
      // A reject that arrives on its own (after a modify, or from the venue later): keep the reason;
      // the status that follows (Inactive/Cancelled) says whether the order stopped working.
      entry.rejected = true;
      entry.statusMessage = rejectReason(message);
      this.#publish(entry);
    }
  }

  #waitersOf(orderId: number): readonly OrderWaiter[] {
    return this.#waiters.get(orderId) ?? NO_WAITERS;
  }

  #addWaiter(orderId: number, waiter: OrderWaiter): () => void {
    const current = this.#waiters.get(orderId);
    this.#waiters.set(orderId, current === undefined ? [waiter] : [...current, waiter]);
    return () => this.#removeWaiter(orderId, waiter);
  }

  #removeWaiter(orderId: number, waiter: OrderWaiter): void {
    const current = this.#waiters.get(orderId);
    if (current === undefined) return;
    // The usual case, one waiter per order, without a search.
    if (current.length === 1) {
      if (current[0] === waiter) this.#waiters.delete(orderId);
      return;
    }
    if (!current.includes(waiter)) return;
    this.#waiters.set(
      orderId,
      current.filter((other) => other !== waiter),
    );
  }

  /** Reports an entry's new state to the layer, then to whoever waits on the order. */
  #publish(entry: OrderEntry): void {
    if (entry.acknowledged) entry.sentOnSession = undefined;
    // TWS repeats itself (OPEN_ORDER then ORDER_STATUS with the same news, duplicate pairs):
    // only a change is worth a record. The last report lives on the entry (no lookup of its own).
    const published = entry.published;
    let status: OrderStatus | undefined;
    if (published === undefined) {
      status = statusOf(entry);
      entry.published = publishedStateOf(entry, status);
      this.#store.touch(entry);
      if (!this.#acknowledgementSays(entry, status)) this.emitOrderUpdate(toOrderRecord(entry));
    } else if (!samePublished(published, entry)) {
      // PreSubmitted -> Submitted and the like change nothing the layer reports: no record, and
      // no clock read for updatedAt (it costs microseconds on a cold CPU, on an order's way).
      const ibStateOnly = sameApartFromIbState(published, entry);
      const previousStatus = published.coreStatus;
      recordPublished(published, entry);
      status = ibStateOnly ? statusOf(entry) : undefined;
      if (status === undefined || status !== previousStatus) {
        this.#store.touch(entry);
        const record = toOrderRecord(entry);
        status = record.status;
        this.emitOrderUpdate(record);
      }
      published.coreStatus = status;
    }
    // The placement first, without a call in between (every acknowledgement passes here).
    entry.placement?.onEntry?.(entry, status);
    if (this.#waiters.size !== 0) this.#notifyOtherWaiters(entry, status);
  }

  /** Tells the order's other waiters (cancels, modifies); `status` as for a placement's onEntry. */
  #notifyOtherWaiters(entry: OrderEntry, status: OrderStatus | undefined): void {
    const waiters = this.#waiters.get(entry.orderId);
    if (waiters !== undefined) for (const waiter of waiters) waiter.onEntry?.(entry, status);
  }

  /**
   * True when an order's first report says nothing the placement's acknowledgement will not:
   * placed here, acknowledging it (acknowledgesPlacement) as SUBMITTED, no fill, no message, and its placement waits to
   * be acknowledged by it. The acknowledgement then moves the layer's tracker from PENDING to
   * SUBMITTED with the same fields, so the record is only worth building for orderUpdate listeners.
   */
  #acknowledgementSays(entry: OrderEntry, status: OrderStatus): boolean {
    if (status !== 'SUBMITTED' || !entry.placedHere || entry.rejected || !acknowledgesPlacement(entry))
      return false;
    if (entry.filled !== 0 || entry.executions.size !== 0 || entry.statusMessage !== undefined) return false;
    return entry.placement !== undefined && !this.hasListeners('orderUpdate');
  }

  // ---- sending ------------------------------------------------------------------------------

  #liveSession(operation: string): IbSession {
    const session = this.#session;
    if (session === undefined || !session.ready) {
      throw new BrokerConnectionError({
        message: `ibkr: not connected to TWS; ${operation} was not sent`,
        hint:
          this.connectionState === 'reconnecting'
            ? 'the connection is being restored; try again shortly'
            : 'call connect() first',
        broker: this.id,
      });
    }
    return session;
  }

  /**
   * Sends one message through the pacer; throws when it could not be sent: BrokerConnectionError
   * if the connection went away meanwhile, BrokerTimeoutError if the caller's deadline passed
   * (the layer has already answered "timed out", so a late send would surprise it).
   */
  #send(
    session: IbSession,
    write: () => void,
    operation = 'request',
    deadline = Number.POSITIVE_INFINITY,
  ): Promise<void> {
    let late = false;
    const stillValid = () => {
      late = deadline !== Number.POSITIVE_INFINITY && performance.now() >= deadline;
      return !late && this.#session === session && session.ready;
    };
    const outcome = this.#pacer.send(write, stillValid);
    if (outcome === true) return RESOLVED;
    if (outcome === false) return Promise.reject(this.#notSent(operation, late));
    return outcome.then((sent) => {
      if (!sent) throw this.#notSent(operation, late);
    });
  }

  #notSent(operation: string, late: boolean): BrokerError {
    if (late) {
      return new BrokerTimeoutError({
        message: `ibkr: ${operation} was not sent: its time ran out while it waited (nothing was sent)`,
        operation,
        timeoutMs: this.#operationTimeout(operation as BrokerOperation),
        broker: this.id,
      });
    }
    return new BrokerConnectionError({
      message: `ibkr: the connection to TWS was lost before ${operation} was sent; nothing was sent`,
      hint: 'try again once the broker is connected',
      broker: this.id,
    });
  }

  #operationTimeout(operation: BrokerOperation): number {
    return this.#timeouts[operation] ?? DEFAULT_TIMEOUTS[operation] ?? Number.POSITIVE_INFINITY;
  }

  /** When the layer gives up on an order-changing call started now (see AbstractBroker's timeouts). */
  #deadlineOf(operation: BrokerOperation): number {
    const ms = this.#operationTimeout(operation);
    // Keep a margin so a send never races the layer's own timer.
    return ms > 0 && Number.isFinite(ms) ? performance.now() + ms * 0.9 : Number.POSITIVE_INFINITY;
  }

  #newRequestId(): number {
    const id = this.#nextRequestId++;
    if (this.#nextRequestId >= 2_147_000_000) this.#nextRequestId = REQUEST_ID_BASE;
    return id;
  }

  /** A reqId-keyed request: registered before it is sent, so no answer can be missed. */
  async #request<Row>(
    session: IbSession,
    operation: string,
    send: (reqId: number) => void,
    extra: { symbol?: string; onTimeout?: 'reject' | 'resolve' } = {},
  ): Promise<Row[]> {
    const reqId = this.#newRequestId();
    const request = new PendingRequest<Row>(
      operation,
      this.#config.requestTimeoutMs,
      (pending) => {
        if (extra.onTimeout === 'resolve') {
          this.logger.warn(`ibkr: ${operation}: no end marker from TWS; using what arrived`, { reqId });
          pending.resolve(pending.rows);
        } else pending.reject(this.#timeout(operation));
      },
      () => this.#requests.delete(reqId),
    );
    request.symbol = extra.symbol;
    this.#requests.set(reqId, request as PendingRequest<unknown, unknown>);
    try {
      await this.#send(session, () => send(reqId), operation);
    } catch (error) {
      request.reject(error as Error);
    }
    return request.promise;
  }

  #timeout(operation: string): BrokerTimeoutError {
    return new BrokerTimeoutError({
      message: `ibkr: TWS did not answer ${operation} within ${this.#config.requestTimeoutMs} ms`,
      operation,
      timeoutMs: this.#config.requestTimeoutMs,
      broker: this.id,
    });
  }

  // ---- contracts ----------------------------------------------------------------------------

  /** The order's contract, qualified through contract details once and cached. */
  async #qualify(session: IbSession, request: NormalizedOrderRequest): Promise<Contract> {
    const contract = buildContract(request);
    const key = contractKey(contract);
    const cached = this.#contracts.get(key);
    if (cached !== undefined) return cached;
    let lookup = this.#contractLookups.get(key);
    if (lookup === undefined) {
      lookup = this.#lookupContract(session, contract).finally(() => this.#contractLookups.delete(key));
      this.#contractLookups.set(key, lookup);
    }
    const qualified = await lookup;
    this.#contracts.set(key, qualified);
    if (this.#contracts.size > 2_000) {
      const oldest = this.#contracts.keys().next().value;
      if (oldest !== undefined) this.#contracts.delete(oldest);
      this.#lastContract = undefined;
    }
    return qualified;
  }

  async #lookupContract(session: IbSession, contract: Contract): Promise<Contract> {
    const symbol = contract.symbol ?? '';
    const rows = await this.#request<ContractDetails>(
      session,
      'getContractDetails',
      (reqId) => session.api.reqContractDetails(reqId, contract),
      { symbol },
    );
    if (rows.length === 0) {
      throw new InvalidSymbolError({
        message: `ibkr: no contract matches ${describeContract(contract)}`,
        hint: 'check symbol, secType, exchange and currency',
        symbol,
        broker: this.id,
      });
    }
    if (rows.length > 1) {
      const candidates = rows.map(describeCandidate);
      throw new InvalidSymbolError({
        message: `ibkr: ${describeContract(contract)} is ambiguous: ${rows.length} contracts match (${candidates.join('; ')})`,
        hint: 'add exchange, currency, multiplier or (for futures and options) the full expiry to pick one',
        symbol,
        candidates,
        broker: this.id,
      });
    }
    return qualifiedContract(contract, rows[0]!);
  }

  // ---- orders -------------------------------------------------------------------------------

  protected doPlaceOrder(request: NormalizedOrderRequest): Promise<PlaceOrderAck> {
    // Not async: a known contract sends the order synchronously, without a promise hop.
    try {
      // The check #liveSession makes, without its call when connected (the usual case).
      let session = this.#session;
      if (session === undefined || !session.ready) session = this.#liveSession('placeOrder');
      // A known contract is used at once; only a first-time lookup waits for TWS. The contract of
      // the last order is checked here (repeat orders skip #cachedContract's call and key).
      const last = this.#lastContract;
      const cached =
        last !== undefined && sameContractRequest(last.request, request)
          ? last.contract
          : this.#cachedContract(request);
      // Sent now, so its deadline only matters if the pacer makes it wait: computed then.
      if (cached !== undefined) return this.#placeOrder(request, session, cached, undefined);
      const deadline = this.#deadlineOf('placeOrder');
      return this.#qualify(session, request).then((contract) => {
        if (this.#session !== session || !session.ready) this.#liveSession('placeOrder');
        return this.#placeOrder(request, session, contract, deadline);
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The qualified contract of an order's contract fields, by key, if already looked up; it is then
   * remembered as the last one (which doPlaceOrder checks first).
   */
  #cachedContract(request: NormalizedOrderRequest): Contract | undefined {
    const contract = this.#contracts.get(requestContractKey(request));
    if (contract !== undefined) {
      this.#lastContract = {
        request: {
          symbol: request.symbol,
          secType: request.secType,
          exchange: request.exchange,
          currency: request.currency,
          lastTradeDateOrContractMonth: request.lastTradeDateOrContractMonth,
          strike: request.strike,
          right: request.right,
          multiplier: request.multiplier,
        },
        contract,
      };
    }
    return contract;
  }

  /** Sends an order whose contract is known; `deadline` undefined: computed if it has to wait. */
  #placeOrder(
    request: NormalizedOrderRequest,
    session: IbSession,
    contract: Contract,
    deadline: number | undefined,
  ): Promise<PlaceOrderAck> {
    const orderId = this.#nextOrderId++;
    // One terms object for the IB order and the entry (buildIbOrder would make its own).
    const terms = termsOfRequest(request);
    const ibOrder = ibOrderFromTerms(terms, request.side, request.clientOrderId, {
      account: this.#accountId,
    });
    // A free pacer token (the common case) sends at once, before the bookkeeping below, which then
    // overlaps the round trip instead of delaying the order. The entry and the waiter are in place
    // before any answer can be read (answers arrive in a later turn of the event loop); errors the
    // client raises while encoding are held and handed over once they are. The session was checked
    // synchronously before this; the deadline needs a look after a contract lookup.
    const sendNow =
      (deadline === undefined || deadline === Number.POSITIVE_INFINITY || performance.now() < deadline) &&
      this.#pacer.tryTake();
    const writeErrors = sendNow ? this.#writeOrder(session, orderId, contract, ibOrder) : undefined;
    const entry = this.#store.beginPlacement(
      orderId,
      request.clientOrderId,
      contract,
      request.side,
      terms,
      ibOrder.orderType,
    );
    if (sendNow) entry.sentOnSession = this.#sessionSerial;
    const orderIdText = String(orderId);
    // IB's ids are ours: the layer can index the order by it while it is on the wire.
    this.noteOrderId(orderIdText);
    return new Promise<PlaceOrderAck>((resolve, reject) => {
      const placement = new Placement(
        entry,
        orderIdText,
        request,
        sendNow,
        this.#placementHost,
        resolve,
        reject,
      );
      // On the entry rather than among #waiters: its answers find it without a lookup.
      entry.placement = placement;
      if (sendNow) {
        if (writeErrors !== undefined) this.#deliverWriteErrors(orderId, writeErrors);
        // Tokens are charged once the order is on the wire (every few orders), not on an order's way.
        this.#pacer.written();
        return;
      }
      // No token: #send waits its turn and checks the session and the deadline first.
      const write = () => {
        placement.sent = true;
        entry.sentOnSession = this.#sessionSerial;
        const errors = this.#writeOrder(session, orderId, contract, ibOrder);
        if (errors !== undefined) this.#deliverWriteErrors(orderId, errors);
      };
      this.#send(session, write, 'placeOrder', deadline ?? this.#deadlineOf('placeOrder')).catch(
        (error: unknown) => {
          this.#store.discard(orderId);
          placement.fail(error as Error);
        },
      );
    });
  }

  /** Writes PLACE_ORDER; returns the errors the client raised for the order while encoding it. */
  #writeOrder(
    session: IbSession,
    orderId: number,
    contract: Contract,
    ibOrder: Order,
  ): [code: number, message: string][] | undefined {
    // Fields rather than an object per order: errors are rare, so their list is made on demand.
    this.#writingOrderId = orderId;
    this.#writeErrors = undefined;
    try {
      session.api.placeOrder(orderId, contract, ibOrder);
    } finally {
      this.#writingOrderId = undefined;
    }
    const errors = this.#writeErrors;
    this.#writeErrors = undefined;
    return errors;
  }

  #deliverWriteErrors(orderId: number, errors: [code: number, message: string][]): void {
    for (const [code, message] of errors) this.#onError(message, code, orderId);
  }

  #refreshOrderIds(session: IbSession): void {
    this.#send(session, () => session.api.reqIds()).catch(() => {});
  }

  protected async doGetOrder(orderId: string): Promise<OrderRecord> {
    const id = parseOrderId(orderId);
    const known = id === undefined ? undefined : this.#store.get(id);
    if (known !== undefined) return this.#recordOf(known);
    if (id !== undefined) {
      const session = this.#liveSession('getOrder');
      await this.#snapshotOpenOrders(session);
      const open = this.#store.get(id);
      if (open !== undefined) return this.#recordOf(open);
      await this.#fetchExecutions(session);
      const executed = this.#store.get(id);
      if (executed !== undefined) return this.#recordOf(executed);
    }
    throw new OrderNotFoundError({ message: `ibkr: no order ${orderId} at TWS`, orderId, broker: this.id });
  }

  protected async doGetOpenOrders(): Promise<OrderRecord[]> {
    const session = this.#liveSession('getOpenOrders');
    const ids = await this.#snapshotOpenOrders(session);
    const records: OrderRecord[] = [];
    for (const id of ids) {
      const entry = this.#store.get(id);
      if (entry === undefined || isFinalEntry(entry)) continue;
      records.push(this.#recordOf(entry));
    }
    return records;
  }

  protected override async doFindOrderByClientOrderId(
    clientOrderId: string,
  ): Promise<OrderRecord | undefined> {
    const session = this.#liveSession('findOrderByClientOrderId');
    const local = this.#store.byClientOrderId(clientOrderId);
    if (local?.acknowledged) return this.#recordOf(local);
    await this.#snapshotOpenOrders(session);
    let entry = this.#store.byClientOrderId(clientOrderId);
    if (entry?.acknowledged) return this.#recordOf(entry);
    await this.#fetchExecutions(session);
    entry = this.#store.byClientOrderId(clientOrderId);
    if (entry?.acknowledged) return this.#recordOf(entry);
    if (entry !== undefined) {
      const sentOn = entry.sentOnSession;
      if (sentOn !== undefined && sentOn !== this.#sessionSerial && !this.#hasWaiter(entry)) {
        // Sent on a connection that has since closed, and TWS lists it nowhere: it never arrived.
        this.#concludeLost(entry);
      }
      return this.#recordOf(entry);
    }
    return undefined;
  }

  /** The record of an entry, stamped first if TWS has not reported it yet. */
  #recordOf(entry: OrderEntry): OrderRecord {
    return toOrderRecord(this.#store.stamped(entry));
  }

  #hasWaiter(entry: OrderEntry): boolean {
    return entry.placement !== undefined || (this.#waiters.get(entry.orderId)?.length ?? 0) > 0;
  }

  #concludeLost(entry: OrderEntry): void {
    entry.sentOnSession = undefined;
    this.#store.conclude(
      entry,
      'Inactive',
      'not found at TWS after the connection dropped (no open order, no execution): it was not placed; nothing is working',
    );
    this.#publish(entry);
  }

  protected async doCancelOrder(orderId: string): Promise<boolean> {
    const id = parseOrderId(orderId);
    if (id === undefined) {
      throw new OrderNotFoundError({
        message: `ibkr: ${orderId} is not an IB order id`,
        orderId,
        broker: this.id,
      });
    }
    const entry = this.#store.get(id);
    if (entry !== undefined && isFinalEntry(entry)) return false;
    const deadline = this.#deadlineOf('cancelOrder');
    const session = this.#liveSession('cancelOrder');
    const context: IbErrorContext = { broker: this.id, operation: 'cancelOrder', orderId };
    return new Promise<boolean>((resolve, reject) => {
      const finish = settleOnce<boolean>(resolve, reject, () => remove());
      const waiter: OrderWaiter = {
        sent: false,
        onEntry: (current) => {
          const status = current.ibStatus;
          if (status === 'Cancelled' || status === 'ApiCancelled') finish(true);
          else if (status === 'Filled' || status === 'Inactive') finish(false);
        },
        onError: (code, message) => {
          const { kind } = classifyIbCode(code);
          if (kind === 'cancel-confirmed') finish(true);
          else if (kind === 'not-cancellable') {
            // "cannot be cancelled, state: PendingCancel" means a cancel is already under way.
            finish(/state:\s*PendingCancel/i.test(message));
          } else if (kind === 'order-not-found') finish(toBrokerError(code, message, context));
          else if (kind === 'rejected' || kind === 'invalid-order' || kind === 'rate-limited') {
            finish(toBrokerError(code, message, context));
          }
        },
        onConnectionLost: () => {
          finish(
            waiter.sent
              ? new OrderOutcomeUnknownError({
                  message: `ibkr: the connection to TWS dropped before the cancel of order ${orderId} was confirmed`,
                  hint: 'check the order with getOrder() once reconnected',
                  operation: 'cancelOrder',
                  orderId,
                  broker: this.id,
                })
              : new BrokerConnectionError({
                  message: 'ibkr: connection lost; the cancel was not sent',
                  broker: this.id,
                }),
          );
        },
      };
      const remove = this.#addWaiter(id, waiter);
      this.#send(
        session,
        () => {
          waiter.sent = true;
          session.api.cancelOrder(id);
        },
        'cancelOrder',
        deadline,
      ).catch((error: unknown) => finish(error as Error));
    });
  }

  protected async doModifyOrder(orderId: string, updates: OrderUpdate): Promise<OrderRecord> {
    const deadline = this.#deadlineOf('modifyOrder');
    const id = parseOrderId(orderId);
    let entry = id === undefined ? undefined : this.#store.get(id);
    const session = this.#liveSession('modifyOrder');
    if (entry === undefined && id !== undefined) {
      await this.#snapshotOpenOrders(session);
      entry = this.#store.get(id);
    }
    if (entry === undefined || id === undefined) {
      throw new OrderNotFoundError({
        message: `ibkr: no working order ${orderId} at TWS`,
        orderId,
        broker: this.id,
      });
    }
    if (isFinalEntry(entry)) {
      throw new InvalidOrderError({
        issues: [
          {
            path: 'orderId',
            message: `order ${orderId} is ${statusOf(entry)}; only working orders can be modified`,
          },
        ],
        broker: this.id,
      });
    }
    if (!entry.termsKnown || entry.clientOrderId === undefined) {
      throw new NotSupportedError({
        message: `ibkr: order ${orderId} was not placed through brokerkit; modify it where it was placed`,
        feature: 'modifyOrder',
        broker: this.id,
      });
    }
    const terms = applyUpdate(entry.terms, updates);
    const missing = missingPrices(terms);
    if (missing.length > 0) {
      throw new InvalidOrderError({
        issues: missing.map((path) => ({
          path: `updates.${path}`,
          message: `required for ${terms.orderType} orders`,
        })),
        broker: this.id,
      });
    }
    const ibOrder = ibOrderFromTerms(terms, entry.side, entry.clientOrderId, { account: this.#accountId });
    if (entry.permId !== undefined) ibOrder.permId = entry.permId;
    const target = entry;
    const context: IbErrorContext = {
      broker: this.id,
      operation: 'modifyOrder',
      orderId,
      clientOrderId: target.clientOrderId,
    };
    return new Promise<OrderRecord>((resolve, reject) => {
      const finish = settleOnce<OrderRecord>(resolve, reject, () => remove());
      const waiter: OrderWaiter = {
        sent: false,
        onEntry: (current) => {
          if (!waiter.sent) return;
          if (sameTerms(current.terms, terms)) finish(this.#recordOf(current));
          else if (isFinalEntry(current)) {
            finish(
              new InvalidOrderError({
                issues: [
                  {
                    path: 'orderId',
                    message: `order ${orderId} became ${statusOf(current)} before the change applied`,
                  },
                ],
                broker: this.id,
              }),
            );
          }
        },
        onError: (code, message) => {
          const { kind } = classifyIbCode(code);
          if (kind === 'warning' || kind === 'informational') return;
          finish(toBrokerError(code, message, context));
        },
        onConnectionLost: () => {
          finish(
            waiter.sent
              ? new OrderOutcomeUnknownError({
                  message: `ibkr: the connection to TWS dropped before the change of order ${orderId} was confirmed`,
                  hint: 'check the order with getOrder() once reconnected',
                  operation: 'modifyOrder',
                  orderId,
                  clientOrderId: target.clientOrderId,
                  broker: this.id,
                })
              : new BrokerConnectionError({
                  message: 'ibkr: connection lost; the change was not sent',
                  broker: this.id,
                }),
          );
        },
      };
      const remove = this.#addWaiter(id, waiter);
      this.#send(
        session,
        () => {
          waiter.sent = true;
          session.api.placeOrder(id, target.contract, ibOrder);
        },
        'modifyOrder',
        deadline,
      ).catch((error: unknown) => finish(error as Error));
    });
  }

  protected async doGetOrderMarginImpact(request: NormalizedOrderRequest): Promise<MarginImpact> {
    if (this.#readonly) {
      throw new NotSupportedError({
        message:
          'ibkr is in readonly mode: a margin preview sends a what-if order message, so it was refused and nothing was sent',
        hint: 'create the broker without readonly to preview margin',
        feature: 'getOrderMarginImpact',
        broker: this.id,
      });
    }
    const session = this.#liveSession('getOrderMarginImpact');
    const contract = await this.#qualify(session, request);
    const currency = await this.#baseCurrencyOf(session);
    const orderId = this.#nextOrderId++;
    const ibOrder = buildIbOrder(request, { account: this.#accountId, whatIf: true });
    const context: IbErrorContext = {
      broker: this.id,
      operation: 'getOrderMarginImpact',
      orderId: String(orderId),
      clientOrderId: request.clientOrderId,
      symbol: request.symbol,
    };
    const warnings: string[] = [];
    return new Promise<MarginImpact>((resolve, reject) => {
      const finish = settleOnce<MarginImpact>(resolve, reject, () => remove());
      const waiter: OrderWaiter = {
        sent: false,
        onWhatIf: (state) => {
          warnings.push(...warningsOf(state.warningText));
          // A preliminary answer (only a warning, MAX everywhere) may precede the real one.
          if (isFinalWhatIf(state)) finish(toMarginImpact(state, warnings, currency));
        },
        onError: (code, message) => {
          const { kind } = classifyIbCode(code);
          if (kind === 'warning') {
            warnings.push(message.trim());
            return;
          }
          if (kind === 'informational') return;
          if (code === 201 && isFundsReason(message)) {
            finish(toBrokerError(code, message, context));
            return;
          }
          finish(toBrokerError(code, message, context));
        },
        onConnectionLost: () =>
          finish(
            new BrokerConnectionError({
              message: 'ibkr: connection lost during the margin preview',
              broker: this.id,
            }),
          ),
      };
      const remove = this.#addWaiter(orderId, waiter);
      this.#send(
        session,
        () => {
          waiter.sent = true;
          session.api.placeOrder(orderId, contract, ibOrder);
        },
        'getOrderMarginImpact',
      ).catch((error: unknown) => finish(error as Error));
    });
  }

  // ---- account ------------------------------------------------------------------------------

  protected async doGetAccountBalance(): Promise<AccountBalance> {
    const session = this.#liveSession('getAccountBalance');
    this.#balanceInFlight ??= this.#readBalance(session).finally(() => {
      this.#balanceInFlight = undefined;
    });
    return this.#balanceInFlight;
  }

  async #readAccountSummary(session: IbSession): Promise<AccountRow[]> {
    let requestId = 0;
    const rows = await this.#request<AccountRow>(session, 'getAccountBalance', (reqId) => {
      requestId = reqId;
      session.api.reqAccountSummary(reqId, 'All', ACCOUNT_SUMMARY_TAGS.join(','));
    }).finally(() => {
      // IB allows two account-summary subscriptions at a time: end this one.
      if (requestId !== 0 && this.#session === session && session.ready) {
        this.#send(session, () => session.api.cancelAccountSummary(requestId)).catch(() => {});
      }
    });
    const account = this.#accountId;
    const own = rows.filter((row) => account === undefined || row.account === account);
    const net = own.find((row) => row.tag === 'NetLiquidation');
    if (net?.currency) this.#baseCurrency = net.currency;
    return own;
  }

  async #readBalance(session: IbSession): Promise<AccountBalance> {
    const rows = await this.#readAccountSummary(session);
    const values: Record<string, number> = {};
    const currencies: Record<string, string> = {};
    for (const row of rows) {
      const value = Number(row.value);
      if (Number.isFinite(value)) values[row.tag] = value;
      currencies[row.tag] = row.currency;
    }
    const required = ['NetLiquidation', 'TotalCashValue', 'BuyingPower', 'InitMarginReq', 'AvailableFunds'];
    const missing = required.filter((tag) => values[tag] === undefined);
    if (missing.length > 0) {
      throw new BrokerAPIError({
        message: `ibkr: the account summary of ${this.#accountId ?? 'the account'} lacks ${missing.join(', ')}`,
        hint: 'TWS answered without these tags; check the account id',
        raw: rows,
        broker: this.id,
      });
    }
    const balance: AccountBalance = {
      currency: currencies.NetLiquidation || this.#baseCurrency || 'USD',
      equity: values.NetLiquidation!,
      cash: values.TotalCashValue!,
      buyingPower: values.BuyingPower!,
      marginUsed: values.InitMarginReq!,
      marginAvailable: values.AvailableFunds!,
      initialMargin: values.InitMarginReq!,
      raw: { account: this.#accountId, tags: values },
    };
    if (values.MaintMarginReq !== undefined) balance.maintenanceMargin = values.MaintMarginReq;
    return balance;
  }

  async #baseCurrencyOf(session: IbSession): Promise<string> {
    if (this.#baseCurrency !== undefined) return this.#baseCurrency;
    await this.#readAccountSummary(session);
    return this.#baseCurrency ?? 'USD';
  }

  protected async doGetOpenPositions(): Promise<Position[]> {
    const session = this.#liveSession('getOpenPositions');
    if (this.#positionsRequest === undefined) {
      const request = new PendingRequest<PositionRow>(
        'getOpenPositions',
        this.#config.requestTimeoutMs,
        (pending) => pending.reject(this.#timeout('getOpenPositions')),
        () => {
          if (this.#positionsRequest === request) this.#positionsRequest = undefined;
          if (this.#session === session && session.ready) {
            // Positions stream until cancelled.
            this.#send(session, () => session.api.cancelPositions()).catch(() => {});
          }
        },
      );
      this.#positionsRequest = request;
      this.#send(session, () => session.api.reqPositions(), 'getOpenPositions').catch((error: unknown) =>
        request.reject(error as Error),
      );
    }
    const rows = await this.#positionsRequest.promise;
    const account = this.#accountId;
    const latest = new Map<string, PositionRow>();
    for (const row of rows) {
      if (account !== undefined && row.account !== account) continue;
      latest.set(`${row.account}|${row.contract.conId ?? contractKey(row.contract)}`, row);
    }
    const positions: Position[] = [];
    for (const row of latest.values()) {
      if (!Number.isFinite(row.position) || row.position === 0) continue;
      positions.push(toPosition(row));
    }
    return positions;
  }

  // ---- snapshots and reconciliation ---------------------------------------------------------

  /** Asks TWS for this client's open orders; resolves with their ids at OPEN_ORDER_END. */
  #snapshotOpenOrders(session: IbSession): Promise<Set<number>> {
    if (this.#openOrdersRequest !== undefined) return this.#openOrdersRequest.promise;
    const request = new PendingRequest<number, Set<number>>(
      'getOpenOrders',
      this.#config.requestTimeoutMs,
      (pending) => pending.reject(this.#timeout('getOpenOrders')),
      () => {
        if (this.#openOrdersRequest === request) this.#openOrdersRequest = undefined;
      },
    );
    this.#openOrdersRequest = request;
    this.#send(session, () => session.api.reqOpenOrders(), 'getOpenOrders').catch((error: unknown) =>
      request.reject(error as Error),
    );
    return request.promise;
  }

  /**
   * Today's executions of this client id (with their commission reports). TWS does not always
   * send EXECUTION_DATA_END (ibkr-tws-protocol.md 6), so a missing end marker ends the wait with
   * what arrived instead of failing.
   */
  #fetchExecutions(session: IbSession): Promise<Execution[]> {
    const filter: ExecutionFilter = { clientId: String(session.clientId) };
    if (this.#accountId !== undefined) filter.acctCode = this.#accountId;
    return this.#request<Execution>(
      session,
      'getExecutions',
      (reqId) => session.api.reqExecutions(reqId, filter),
      {
        onTimeout: 'resolve',
      },
    );
  }

  /**
   * After a reconnect (or TWS's "connectivity restored"): re-reads open orders and executions so
   * that every order this layer knew is known with its true status and fills. An order TWS no
   * longer lists as open ended while the connection was down: FILLED if its executions cover it,
   * else CANCELLED; an order whose placement was never acknowledged and that TWS lists nowhere
   * never arrived (REJECTED, "not placed"). Every change is emitted as an orderUpdate (and new
   * executions as fills).
   */
  async #reconcile(session: IbSession): Promise<void> {
    const open = await this.#snapshotOpenOrders(session);
    await this.#fetchExecutions(session);
    this.#flushFills();
    for (const entry of [...this.#store.entries()]) {
      if (open.has(entry.orderId)) continue;
      if (entry.ibStatus !== undefined && isFinalEntry(entry) && entry.acknowledged) continue;
      if (this.#hasWaiter(entry)) continue;
      const executed = executedQuantity(entry);
      if (!entry.acknowledged && executed === 0) {
        this.#concludeLost(entry);
        continue;
      }
      if (isFinalEntry(entry)) continue;
      const quantity = entry.terms.quantity;
      const filled =
        (quantity !== undefined && executed >= quantity) ||
        (entry.terms.cashQty !== undefined && executed > 0);
      this.#store.conclude(
        entry,
        filled ? 'Filled' : 'Cancelled',
        filled
          ? undefined
          : `no longer open at TWS after the reconnect${executed > 0 ? ` (${executed} filled)` : ''}`,
      );
      this.#publish(entry);
    }
  }
}

const NO_WAITERS: readonly OrderWaiter[] = Object.freeze([]);

function sameTerms(a: IbOrderTerms, b: IbOrderTerms): boolean {
  const near = (x: number | undefined, y: number | undefined) =>
    x === y || (x !== undefined && y !== undefined && Math.abs(x - y) < 1e-9 * Math.max(1, Math.abs(y)));
  return (
    a.orderType === b.orderType &&
    a.tif === b.tif &&
    near(a.quantity, b.quantity) &&
    near(a.limitPrice, b.limitPrice) &&
    near(a.stopPrice, b.stopPrice)
  );
}

function missingPrices(terms: IbOrderTerms): string[] {
  const mapping = toIbOrderType(terms.orderType);
  const missing: string[] = [];
  if (mapping.lmtPrice !== undefined && terms.limitPrice === undefined) missing.push('limitPrice');
  if (mapping.auxPrice !== undefined && terms.stopPrice === undefined) missing.push('stopPrice');
  return missing;
}

function parseOrderId(orderId: string): number | undefined {
  if (!/^\d{1,10}$/.test(orderId)) return undefined;
  const id = Number(orderId);
  return Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? id : undefined;
}

function toPosition(row: PositionRow): Position {
  const contract = row.contract;
  const multiplier =
    (contract.secType === 'FUT' || contract.secType === 'OPT') &&
    contract.multiplier !== undefined &&
    contract.multiplier > 0
      ? contract.multiplier
      : 1;
  const position: Position = {
    symbol: contract.symbol ?? contract.localSymbol ?? '?',
    currency: contract.currency || 'USD',
    quantity: row.position,
    // IB's average cost of futures and options includes the multiplier.
    averagePrice: (row.averageCost ?? 0) / multiplier,
    raw: { account: row.account, contract, averageCost: row.averageCost },
  };
  const secType = contract.secType as string | undefined;
  if (
    secType === 'STK' ||
    secType === 'FUT' ||
    secType === 'OPT' ||
    secType === 'CASH' ||
    secType === 'CRYPTO'
  ) {
    position.secType = secType;
  }
  const exchange = contract.exchange || contract.primaryExch;
  if (exchange) position.exchange = exchange;
  return position;
}

function formatIds(ids: number[]): string {
  if (ids.length > 2 && ids.every((id, index) => index === 0 || id === ids[index - 1]! + 1)) {
    return `${ids[0]}-${ids[ids.length - 1]}`;
  }
  return ids.join(', ');
}

type PRetry = typeof import('p-retry').default;
let retryModule: Promise<PRetry> | undefined;

/**
 * p-retry is ESM-only; a dynamic import keeps this package's CommonJS build working on every
 * Node 20 release (require() of ESM needs 20.19+). Loaded at connect, used on reconnect.
 */
function loadRetry(): Promise<PRetry> {
  retryModule ??= import('p-retry').then((module) => module.default);
  return retryModule;
}

/**
 * A settle function for a promise that several events may try to end (an answer, an error, a
 * dropped connection): the first outcome wins, after `cleanup` (removing the order waiter).
 */
function settleOnce<T>(
  resolve: (value: T) => void,
  reject: (error: Error) => void,
  cleanup: () => void,
): (outcome: T | Error) => void {
  let done = false;
  return (outcome) => {
    if (done) return;
    done = true;
    cleanup();
    if (outcome instanceof Error) reject(outcome);
    else resolve(outcome);
  };
}
