import type { Socket } from 'node:net';
import type { ExchangeSimulator, TimerHandle } from '@brokerkit/exchange-sim';
import { accountSummaryRows, accountUpdateMessages, positionMessages } from './account-reports.js';
import type { ContractCatalogue } from './contracts/contract-catalogue.js';
import { TwsErrorCode, TwsErrorText } from './error-codes.js';
import type { EndMarker, FaultState } from './fault-state.js';
import type { MarketDataFeed, MarketDataSubscriber } from './market-data-feed.js';
import type { AccountSummaryRequestMessage } from './messages/incoming/account-summary.js';
import {
  type ClientMessage,
  parseClientMessage,
  UnknownMessageError,
} from './messages/incoming/parse-client-message.js';
import { encodeAccountSummary, encodeAccountSummaryEnd } from './messages/outgoing/account-summary.js';
import { encodeContractData, encodeContractDataEnd } from './messages/outgoing/contract-data.js';
import { encodeErrorMessage, NO_REQUEST_ID } from './messages/outgoing/error-message.js';
import { encodeExecutionDataEnd } from './messages/outgoing/execution-data.js';
import { encodeTickSnapshotEnd } from './messages/outgoing/market-data.js';
import { encodeOpenOrderEnd } from './messages/outgoing/open-order.js';
import { encodePositionEnd } from './messages/outgoing/position.js';
import {
  encodeCurrentTime,
  encodeManagedAccounts,
  encodeNextValidId,
} from './messages/outgoing/session-messages.js';
import type { OrderIdRegistry } from './order-ids.js';
import type { OrderLifecycle } from './order-lifecycle.js';
import { PacingMeter } from './pacing.js';
import { FieldFormatError, MessageUnderrunError } from './wire/fields.js';
import { FrameDecoder, FrameWriter } from './wire/framing.js';
import {
  formatConnectionTime,
  negotiateVersion,
  parseVersionRange,
  SERVER_VERSION,
} from './wire/handshake.js';

/** Account-summary refresh period of real TWS (protocol doc 3.2). */
const ACCOUNT_SUMMARY_REFRESH_MS = 180_000;
/** Concurrent account-summary subscriptions TWS allows. */
const MAX_ACCOUNT_SUMMARY_SUBSCRIPTIONS = 2;

/** Pacing settings of a session. */
export interface PacingOptions {
  /** Client messages allowed in any one-second window; `false` turns pacing off. Default 50. */
  maxMessagesPerSecond: number | false;
  /** Close the connection after a violation, as TWS may. Default false. */
  disconnectOnViolation: boolean;
}

/** What a session needs from the server it belongs to. */
export interface SessionContext {
  readonly simulator: ExchangeSimulator;
  readonly catalogue: ContractCatalogue;
  readonly lifecycle: OrderLifecycle;
  readonly feed: MarketDataFeed;
  readonly ids: OrderIdRegistry;
  readonly faults: FaultState;
  readonly accounts: readonly string[];
  readonly pacing: PacingOptions;
  readonly replayOpenOrdersOnConnect: boolean;
  /** Claims a client id for the session; false when another live session holds it or the server is full. */
  claimClientId(session: ClientSession, clientId: number): 'ok' | 'in-use' | 'full';
  /** Called once when the socket is gone. */
  onSessionClosed(session: ClientSession): void;
  /** Reports an unexpected error (a bug) without stopping the server. */
  onInternalError(error: unknown, session: ClientSession): void;
}

/** Where a connection is in the TWS start-up. */
export type SessionState = 'handshake' | 'awaiting-start-api' | 'ready' | 'closed';

interface AccountSummarySubscription {
  request: AccountSummaryRequestMessage;
  timer: TimerHandle | undefined;
}

/**
 * One client connection: the handshake and START_API state machine, pacing, parsing, and the
 * answers to every request. Order requests go to the shared {@link OrderLifecycle}; market data
 * to the {@link MarketDataFeed}. A bad frame, an unknown message id or a malformed field gets the
 * error TWS sends (320) or, when the byte stream cannot be trusted, a closed socket; nothing a
 * client sends can throw out of the session.
 */
export class ClientSession implements MarketDataSubscriber {
  readonly #socket: Socket;
  readonly #context: SessionContext;
  readonly #decoder = new FrameDecoder();
  readonly #pacing: PacingMeter | undefined;
  #state: SessionState = 'handshake';
  #clientId: number | undefined;
  readonly #output = new FrameWriter();
  #flushScheduled = false;
  #positionsSubscribed = false;
  #accountUpdates: string | undefined;
  readonly #accountSummaries = new Map<number, AccountSummarySubscription>();
  #marketDataType = 1;
  /** Messages received (after pacing), for the control API and tests. */
  messagesReceived = 0;
  /** Unique id of the connection. */
  readonly connectionId: number;
  /** Epoch ms (simulator clock) of the connection. */
  readonly connectedAt: number;

  constructor(socket: Socket, context: SessionContext, connectionId: number) {
    this.#socket = socket;
    this.#context = context;
    this.connectionId = connectionId;
    this.connectedAt = context.simulator.clock.now();
    const limit = context.pacing.maxMessagesPerSecond;
    this.#pacing = limit === false ? undefined : new PacingMeter(limit);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => {
      // The close event follows; a reset by the peer is not the server's problem.
    });
    socket.on('close', () => this.#onClose());
  }

  /** Where the connection is in the start-up. */
  get state(): SessionState {
    return this.#state;
  }

  /** The client id given in START_API, once accepted. */
  get clientId(): number | undefined {
    return this.#clientId;
  }

  /** The type the client asked for with REQ_MARKET_DATA_TYPE. */
  get requestedMarketDataType(): number {
    return this.#marketDataType;
  }

  /** True while the client has a positions subscription. */
  get subscribedToPositions(): boolean {
    return this.#positionsSubscribed;
  }

  /** The account of the client's account-updates subscription, if any. */
  get accountUpdatesAccount(): string | undefined {
    return this.#accountUpdates;
  }

  /** Sends one message (one frame). Frames sent in the same tick go out in one socket write. */
  send(fields: string[]): void {
    if (this.#state === 'closed' || this.#socket.destroyed) return;
    this.#output.append(fields);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const frames = this.#output.take();
    if (frames !== undefined && !this.#socket.destroyed) this.#socket.write(frames);
  };

  /** Sends ERR_MSG id -1 (a connection-level notice: 1100, 1101, 1102, 2110, ...). */
  sendNotice(code: number, message: string): void {
    this.send(encodeErrorMessage(NO_REQUEST_ID, code, message));
  }

  /** Closes the connection at once, as a dropped network link would. */
  drop(): void {
    this.#socket.destroy();
  }

  /** Sends what is queued, then closes (TWS's way after 326). */
  end(): void {
    this.#flush();
    this.#socket.end();
  }

  /** A fill changed a position: update the positions and account-updates subscribers. */
  onPositionChanged(
    account: string,
    fields: { position: string[]; portfolio: string[]; values: string[][] },
  ): void {
    if (this.#state !== 'ready') return;
    if (this.#positionsSubscribed && this.#context.accounts.includes(account)) this.send(fields.position);
    if (this.#accountUpdates === account) {
      for (const value of fields.values) this.send(value);
      this.send(fields.portfolio);
    }
  }

  /** Forgets market data (1101 "data lost"). */
  forgetMarketData(): void {
    this.#context.feed.dropSubscriber(this);
  }

  // ---- input --------------------------------------------------------------------------------

  #onData(chunk: Buffer): void {
    let entries: ReturnType<FrameDecoder['push']>;
    try {
      entries = this.#decoder.push(chunk);
    } catch (error) {
      this.#context.onInternalError(error, this);
      this.drop();
      return;
    }
    for (const entry of entries) {
      if (this.#state === 'closed') return;
      if (entry.kind === 'fatal') {
        this.drop();
        return;
      }
      try {
        if (entry.kind === 'handshake') this.#onHandshake(entry.versionText);
        else this.#onMessage(entry.fields);
      } catch (error) {
        this.#context.onInternalError(error, this);
      }
    }
  }

  #onHandshake(versionText: string): void {
    const range = parseVersionRange(versionText);
    const version = range === undefined ? undefined : negotiateVersion(range);
    if (version === undefined) {
      this.drop();
      return;
    }
    this.#state = 'awaiting-start-api';
    this.send([String(SERVER_VERSION), formatConnectionTime(this.#context.simulator.clock.now())]);
  }

  #onMessage(fields: string[]): void {
    if (this.#state === 'ready' && this.#pacing !== undefined && !this.#pacing.admit(performance.now())) {
      this.sendNotice(TwsErrorCode.MAX_RATE_EXCEEDED, TwsErrorText.maxRateExceeded());
      if (this.#context.pacing.disconnectOnViolation) this.end();
      return;
    }
    let message: ClientMessage;
    try {
      message = parseClientMessage(fields);
    } catch (error) {
      this.#onUnreadable(fields, error);
      return;
    }
    this.messagesReceived++;
    if (this.#state === 'awaiting-start-api') {
      // TWS expects START_API first; anything else means the client does not speak the protocol.
      if (message.type === 'START_API') this.#onStartApi(message.clientId);
      else this.drop();
      return;
    }
    const faults = this.#context.simulator.faults;
    if (faults.requestFaultsArmed) {
      if (faults.takeStall()) return;
      const delay = faults.delayOf('ack');
      if (delay > 0) {
        this.#context.simulator.clock.setTimer(
          delay,
          (delayed: ClientMessage) => this.#handleSafely(delayed),
          message,
        );
        return;
      }
    }
    this.#handle(message);
  }

  #onUnreadable(fields: string[], error: unknown): void {
    const id = fields[0] ?? '';
    if (this.#state !== 'ready') {
      this.drop();
      return;
    }
    if (error instanceof UnknownMessageError) {
      this.sendNotice(TwsErrorCode.ERROR_READING_REQUEST, TwsErrorText.unknownMessageId(id));
    } else if (error instanceof FieldFormatError) {
      this.sendNotice(
        TwsErrorCode.ERROR_READING_REQUEST,
        TwsErrorText.errorReadingRequest(id, `java.lang.NumberFormatException: ${error.message}`),
      );
    } else if (error instanceof MessageUnderrunError) {
      this.sendNotice(
        TwsErrorCode.ERROR_READING_REQUEST,
        TwsErrorText.errorReadingRequest(id, 'java.io.EOFException'),
      );
    } else throw error;
  }

  #handleSafely(message: ClientMessage): void {
    if (this.#state !== 'ready') return;
    try {
      this.#handle(message);
    } catch (error) {
      this.#context.onInternalError(error, this);
    }
  }

  #onStartApi(clientId: number): void {
    const claim = this.#context.claimClientId(this, clientId);
    if (claim === 'in-use') {
      this.sendNotice(TwsErrorCode.CLIENT_ID_IN_USE, TwsErrorText.clientIdInUse());
      this.end();
      return;
    }
    if (claim === 'full') {
      this.drop();
      return;
    }
    this.#clientId = clientId;
    this.#state = 'ready';
    const { accounts, ids, lifecycle } = this.#context;
    this.send(encodeManagedAccounts(accounts));
    this.send(encodeNextValidId(ids.idAtConnect(clientId)));
    this.sendNotice(TwsErrorCode.MARKET_DATA_FARM_OK, TwsErrorText.marketDataFarmOk('usfarm'));
    this.sendNotice(TwsErrorCode.HMDS_FARM_OK, TwsErrorText.hmdsFarmOk('ushmds'));
    this.sendNotice(TwsErrorCode.SEC_DEF_FARM_OK, TwsErrorText.secDefFarmOk('secdefnj'));
    if (this.#context.replayOpenOrdersOnConnect) {
      const messages = lifecycle.openOrderMessages(clientId);
      if (messages.length > 0) {
        for (const message of messages) this.send(message);
        this.send(encodeOpenOrderEnd());
      }
    }
  }

  // ---- requests -----------------------------------------------------------------------------

  #handle(message: ClientMessage): void {
    const clientId = this.#clientId!;
    const { lifecycle, simulator, catalogue, accounts } = this.#context;
    switch (message.type) {
      case 'START_API':
        // A second START_API on a live connection is ignored.
        return;
      case 'REQ_IDS':
        this.send(encodeNextValidId(this.#context.ids.idOnRequest(clientId)));
        return;
      case 'PLACE_ORDER':
        lifecycle.place(clientId, message);
        return;
      case 'CANCEL_ORDER':
        lifecycle.cancel(clientId, message.orderId);
        return;
      case 'REQ_GLOBAL_CANCEL':
        lifecycle.globalCancel();
        return;
      case 'REQ_OPEN_ORDERS':
        for (const fields of lifecycle.openOrderMessages(clientId)) this.send(fields);
        this.#sendEnd('OPEN_ORDER_END', encodeOpenOrderEnd());
        return;
      case 'REQ_ALL_OPEN_ORDERS':
        for (const fields of lifecycle.openOrderMessages(undefined)) this.send(fields);
        this.#sendEnd('OPEN_ORDER_END', encodeOpenOrderEnd());
        return;
      case 'REQ_AUTO_OPEN_ORDERS':
        if (clientId !== 0) {
          this.sendNotice(TwsErrorCode.AUTO_BIND_CLIENT_ZERO_ONLY, TwsErrorText.autoBindClientZeroOnly());
          return;
        }
        for (const fields of lifecycle.openOrderMessages(undefined)) this.send(fields);
        this.#sendEnd('OPEN_ORDER_END', encodeOpenOrderEnd());
        return;
      case 'REQ_POSITIONS':
        this.#positionsSubscribed = true;
        for (const fields of positionMessages(simulator, catalogue, accounts)) this.send(fields);
        this.#sendEnd('POSITION_END', encodePositionEnd());
        return;
      case 'CANCEL_POSITIONS':
        this.#positionsSubscribed = false;
        return;
      case 'REQ_ACCOUNT_SUMMARY':
        this.#onAccountSummary(message);
        return;
      case 'CANCEL_ACCOUNT_SUMMARY':
        this.#cancelAccountSummary(message.reqId);
        return;
      case 'REQ_ACCOUNT_DATA':
        this.#onAccountUpdates(message.subscribe, message.accountCode);
        return;
      case 'REQ_CONTRACT_DATA': {
        const rows = catalogue.contractDetailsRows(message.contract);
        if (rows.length === 0) {
          // Real TWS: 200 with the reqId and no CONTRACT_DATA_END.
          this.send(
            encodeErrorMessage(
              message.reqId,
              TwsErrorCode.NO_SECURITY_DEFINITION,
              TwsErrorText.noSecurityDefinition(),
            ),
          );
          return;
        }
        for (const instrument of rows)
          this.send(encodeContractData(message.reqId, catalogue.contractDetails(instrument)));
        this.#sendEnd('CONTRACT_DATA_END', encodeContractDataEnd(message.reqId));
        return;
      }
      case 'REQ_EXECUTIONS':
        for (const fields of lifecycle.executionMessages(message.reqId, message.filter)) this.send(fields);
        this.#sendEnd('EXECUTION_DATA_END', encodeExecutionDataEnd(message.reqId));
        return;
      case 'REQ_CURRENT_TIME':
        this.send(encodeCurrentTime(simulator.clock.now() / 1000));
        return;
      case 'REQ_MANAGED_ACCTS':
        this.send(encodeManagedAccounts(accounts));
        return;
      case 'REQ_MKT_DATA': {
        const resolution = catalogue.resolve(message.contract);
        if (resolution.kind !== 'unique') {
          this.send(
            encodeErrorMessage(
              message.reqId,
              TwsErrorCode.NO_SECURITY_DEFINITION,
              TwsErrorText.noSecurityDefinition(),
            ),
          );
          return;
        }
        this.#context.feed.subscribe(
          this,
          message.reqId,
          resolution.instrument,
          message.snapshot || message.regulatorySnapshot,
        );
        if (message.snapshot || message.regulatorySnapshot)
          this.#sendEnd('TICK_SNAPSHOT_END', encodeTickSnapshotEnd(message.reqId));
        return;
      }
      case 'CANCEL_MKT_DATA':
        this.#context.feed.cancel(this, message.reqId);
        return;
      case 'REQ_MARKET_DATA_TYPE':
        this.#marketDataType = message.marketDataType;
        return;
      case 'SET_SERVER_LOGLEVEL':
      case 'CANCEL_HISTORICAL_DATA':
        return;
      default: {
        const unhandled: never = message;
        throw new Error(`no handler for ${(unhandled as { type: string }).type}`);
      }
    }
  }

  #onAccountSummary(request: AccountSummaryRequestMessage): void {
    if (
      !this.#accountSummaries.has(request.reqId) &&
      this.#accountSummaries.size >= MAX_ACCOUNT_SUMMARY_SUBSCRIPTIONS
    ) {
      this.send(
        encodeErrorMessage(
          request.reqId,
          TwsErrorCode.ERROR_PROCESSING_REQUEST,
          TwsErrorText.tooManyAccountSummaryRequests(),
        ),
      );
      return;
    }
    this.#cancelAccountSummary(request.reqId);
    const subscription: AccountSummarySubscription = { request, timer: undefined };
    this.#accountSummaries.set(request.reqId, subscription);
    this.#sendAccountSummary(subscription);
  }

  #sendAccountSummary(subscription: AccountSummarySubscription): void {
    if (this.#state !== 'ready' || this.#accountSummaries.get(subscription.request.reqId) !== subscription)
      return;
    const { request } = subscription;
    const accounts = request.group === 'All' || request.group === '' ? this.#context.accounts : [];
    for (const row of accountSummaryRows(this.#context.simulator, accounts, request.tags)) {
      this.send(encodeAccountSummary(request.reqId, row.account, row.tag, row.value, row.currency));
    }
    this.#sendEnd('ACCOUNT_SUMMARY_END', encodeAccountSummaryEnd(request.reqId));
    // TWS refreshes a summary subscription about every three minutes until it is cancelled.
    subscription.timer = this.#context.simulator.clock.setTimer(
      ACCOUNT_SUMMARY_REFRESH_MS,
      (refreshed: AccountSummarySubscription) => this.#refreshAccountSummary(refreshed),
      subscription,
      true,
    );
  }

  #refreshAccountSummary(subscription: AccountSummarySubscription): void {
    subscription.timer = undefined;
    try {
      this.#sendAccountSummary(subscription);
    } catch (error) {
      this.#context.onInternalError(error, this);
    }
  }

  #cancelAccountSummary(reqId: number): void {
    const subscription = this.#accountSummaries.get(reqId);
    if (subscription === undefined) return;
    if (subscription.timer !== undefined) this.#context.simulator.clock.clearTimer(subscription.timer);
    this.#accountSummaries.delete(reqId);
  }

  #onAccountUpdates(subscribe: boolean, accountCode: string): void {
    const account = accountCode === '' ? this.#context.accounts[0]! : accountCode;
    if (!subscribe) {
      if (this.#accountUpdates === account || accountCode === '') this.#accountUpdates = undefined;
      return;
    }
    if (!this.#context.accounts.includes(account)) return;
    this.#accountUpdates = account;
    const { body, end } = accountUpdateMessages(this.#context.simulator, this.#context.catalogue, account);
    for (const fields of body) this.send(fields);
    this.#sendEnd('ACCT_DOWNLOAD_END', end);
  }

  /** Sends an END marker, unless a fault delays or withholds it. */
  #sendEnd(marker: EndMarker, fields: string[]): void {
    const policy = this.#context.faults.endMarkerPolicy(marker);
    if (policy.mode === 'withhold') return;
    if (policy.mode === 'normal') {
      this.send(fields);
      return;
    }
    this.#context.simulator.clock.setTimer(policy.delayMs, (delayed: string[]) => this.send(delayed), fields);
  }

  #onClose(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    for (const reqId of [...this.#accountSummaries.keys()]) this.#cancelAccountSummary(reqId);
    this.#context.feed.dropSubscriber(this);
    this.#context.onSessionClosed(this);
  }
}
