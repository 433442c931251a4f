import { createServer, type Server, type Socket } from 'node:net';
import type { ExchangeSimulator, Instrument, TimerHandle } from '@brokerkit/exchange-sim';
import { accountValueMessages, portfolioMessage, positionMessage, positionOf } from './account-reports.js';
import { ContractCatalogue } from './contracts/contract-catalogue.js';
import type { FaultState } from './fault-state.js';
import { InstrumentWatch } from './instrument-watch.js';
import { MarketDataFeed } from './market-data-feed.js';
import { OrderIdRegistry } from './order-ids.js';
import { OrderLifecycle } from './order-lifecycle.js';
import { ClientSession, type PacingOptions, type SessionContext } from './session.js';

/** Hosts the simulator may listen on: loopback only, as TWS's default "localhost only" setting. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

/** Options of a {@link TwsServer}. */
export interface TwsServerOptions {
  simulator: ExchangeSimulator;
  faults: FaultState;
  /** Managed accounts (MANAGED_ACCTS); each must exist in the simulator. */
  accounts: readonly string[];
  /** Loopback address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one (read it from `listen()`'s result). Default 0. */
  port?: number;
  /** NEXT_VALID_ID of a client id that never placed an order. Default 1000. */
  firstOrderId?: number;
  /** Simultaneous API clients. Default 32, as TWS. */
  maxClients?: number;
  /** Message-rate limit. Default 50 per second, no disconnect. */
  pacing?: Partial<PacingOptions>;
  /** Send a client's open orders (+ OPEN_ORDER_END) right after its start-up messages. Default false. */
  replayOpenOrdersOnConnect?: boolean;
  /** Keep a client id taken for this long after its connection closes (fast reconnects then get 326). Default 0. */
  clientIdHoldMs?: number;
  /** Final orders remembered per server. Default 10,000. */
  retainClosedOrders?: number;
  /** Unexpected internal errors (bugs) go here; the server keeps running. Default: `console.error`. */
  onInternalError?: (error: unknown) => void;
}

/**
 * The TCP side of the simulator: accepts connections on a loopback address, runs one
 * {@link ClientSession} per connection, enforces unique client ids (326) and the client limit,
 * and routes order events to the session of the client id that placed the order.
 */
export class TwsServer {
  readonly simulator: ExchangeSimulator;
  readonly catalogue: ContractCatalogue;
  readonly lifecycle: OrderLifecycle;
  readonly feed: MarketDataFeed;
  readonly ids: OrderIdRegistry;
  readonly faults: FaultState;
  readonly accounts: readonly string[];
  readonly host: string;
  #port: number;
  /** How long a client id stays taken after its connection closes. */
  clientIdHoldMs: number;
  readonly #maxClients: number;
  readonly #server: Server;
  readonly #sessions = new Set<ClientSession>();
  readonly #byClientId = new Map<number, ClientSession>();
  readonly #heldClientIds = new Map<number, TimerHandle>();
  readonly #context: SessionContext;
  readonly #watch: InstrumentWatch;
  readonly #onInternalError: (error: unknown) => void;
  readonly #unsubscribeDrop: () => void;
  #nextConnectionId = 1;
  #listening = false;

  constructor(options: TwsServerOptions) {
    const host = options.host ?? '127.0.0.1';
    if (!LOOPBACK_HOSTS.has(host))
      throw new RangeError(`tws-sim listens on loopback only (127.0.0.1, ::1, localhost), not ${host}`);
    if (options.accounts.length === 0) throw new RangeError('at least one account is needed');
    for (const account of options.accounts) {
      if (!options.simulator.hasAccount(account))
        throw new RangeError(`account ${account} does not exist in the simulator`);
    }
    this.simulator = options.simulator;
    this.faults = options.faults;
    this.accounts = [...options.accounts];
    this.host = host;
    this.#port = options.port ?? 0;
    this.#maxClients = options.maxClients ?? 32;
    this.clientIdHoldMs = options.clientIdHoldMs ?? 0;
    this.#onInternalError =
      options.onInternalError ?? ((error) => console.error('tws-sim internal error:', error));
    this.ids = new OrderIdRegistry(options.firstOrderId ?? 1000);
    this.catalogue = new ContractCatalogue(this.simulator);
    this.#watch = new InstrumentWatch(this.simulator);
    this.feed = new MarketDataFeed(this.simulator, this.#watch);
    this.lifecycle = new OrderLifecycle({
      simulator: this.simulator,
      catalogue: this.catalogue,
      ids: this.ids,
      faults: this.faults,
      accounts: this.accounts,
      watch: this.#watch,
      retainClosedOrders: options.retainClosedOrders,
      sink: { toClient: (clientId, fields) => this.#byClientId.get(clientId)?.send(fields) },
      onFill: (account, instrument) => this.#onFill(account, instrument),
      onInternalError: (error) => this.#onInternalError(error),
    });
    const pacing: PacingOptions = {
      maxMessagesPerSecond: options.pacing?.maxMessagesPerSecond ?? 50,
      disconnectOnViolation: options.pacing?.disconnectOnViolation ?? false,
    };
    this.#context = {
      simulator: this.simulator,
      catalogue: this.catalogue,
      lifecycle: this.lifecycle,
      feed: this.feed,
      ids: this.ids,
      faults: this.faults,
      accounts: this.accounts,
      pacing,
      replayOpenOrdersOnConnect: options.replayOpenOrdersOnConnect ?? false,
      claimClientId: (session, clientId) => this.#claim(session, clientId),
      onSessionClosed: (session) => this.#onSessionClosed(session),
      onInternalError: (error) => this.#onInternalError(error),
    };
    this.#server = createServer((socket) => this.#onConnection(socket));
    this.#unsubscribeDrop = this.simulator.faults.onDrop(() => this.dropConnections());
  }

  /** The port listened on (the chosen one when 0 was asked). */
  get port(): number {
    return this.#port;
  }

  /** Starts listening; resolves with the address once bound. */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#server.once('error', onError);
      this.#server.listen(this.#port, this.host, () => {
        this.#server.off('error', onError);
        this.#listening = true;
        const address = this.#server.address();
        if (address !== null && typeof address === 'object') this.#port = address.port;
        resolve({ host: this.host, port: this.#port });
      });
    });
  }

  /** Stops listening, closes every connection and stops listening to the engine. */
  async close(): Promise<void> {
    this.#unsubscribeDrop();
    for (const handle of this.#heldClientIds.values()) this.simulator.clock.clearTimer(handle);
    this.#heldClientIds.clear();
    for (const session of this.#sessions) session.drop();
    if (this.#listening) {
      this.#listening = false;
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    }
    this.lifecycle.dispose();
    this.feed.dispose();
    this.#watch.releaseAll();
  }

  /** Every open connection (including those still in the handshake). */
  sessions(): ClientSession[] {
    return [...this.#sessions];
  }

  /** The live session of a client id. */
  sessionOf(clientId: number): ClientSession | undefined {
    return this.#byClientId.get(clientId);
  }

  /** Closes connections at once: all, or those of one client id. */
  dropConnections(clientId?: number): number {
    let dropped = 0;
    for (const session of [...this.#sessions]) {
      if (clientId !== undefined && session.clientId !== clientId) continue;
      session.drop();
      dropped++;
    }
    return dropped;
  }

  /** Sends an id -1 notice (1100, 1101, 1102, 2110, ...) to ready sessions: all, or one client id's. */
  sendNotice(code: number, message: string, clientId?: number): number {
    let sent = 0;
    for (const session of this.#byClientId.values()) {
      if (clientId !== undefined && session.clientId !== clientId) continue;
      session.sendNotice(code, message);
      if (code === 1101) session.forgetMarketData();
      sent++;
    }
    return sent;
  }

  #onConnection(socket: Socket): void {
    const refusal = this.simulator.faults.takeConnectFailure();
    if (refusal !== undefined) {
      socket.destroy();
      return;
    }
    const session = new ClientSession(socket, this.#context, this.#nextConnectionId++);
    this.#sessions.add(session);
  }

  #claim(session: ClientSession, clientId: number): 'ok' | 'in-use' | 'full' {
    if (this.#byClientId.has(clientId) || this.#heldClientIds.has(clientId)) return 'in-use';
    if (this.#byClientId.size >= this.#maxClients) return 'full';
    this.#byClientId.set(clientId, session);
    return 'ok';
  }

  #onSessionClosed(session: ClientSession): void {
    this.#sessions.delete(session);
    const clientId = session.clientId;
    if (clientId === undefined || this.#byClientId.get(clientId) !== session) return;
    this.#byClientId.delete(clientId);
    if (this.clientIdHoldMs > 0 && this.#listening) {
      const handle = this.simulator.clock.setTimer(
        this.clientIdHoldMs,
        (held: number) => this.#heldClientIds.delete(held),
        clientId,
        true,
      );
      this.#heldClientIds.set(clientId, handle);
    }
  }

  #onFill(account: string, instrument: Instrument): void {
    let interested = false;
    for (const session of this.#byClientId.values()) {
      if (session.subscribedToPositions || session.accountUpdatesAccount === account) interested = true;
    }
    if (!interested) return;
    const position = positionOf(this.simulator, account, instrument);
    const update = {
      position: positionMessage(
        this.catalogue,
        account,
        instrument,
        position?.quantity ?? 0,
        position?.averagePrice ?? 0,
      ),
      portfolio: portfolioMessage(this.catalogue, account, instrument, position),
      values: accountValueMessages(this.simulator, account),
    };
    for (const session of this.#byClientId.values()) session.onPositionChanged(account, update);
  }
}
