import { createHash, timingSafeEqual } from 'node:crypto';
import {
  AbstractBroker,
  type AccountBalance,
  AuthenticationError,
  BrokerError,
  type BrokerOptions,
  DEFAULT_TIMEOUTS,
  InvalidOrderError,
  InvalidSymbolError,
  type MarginImpact,
  type NormalizedOrderRequest,
  NotSupportedError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  type OrderRecord,
  type OrderUpdate,
  type PlaceOrderAck,
  type Position,
  type Product,
  Secret,
} from '@brokerkit/core';
import { zerodhaCapabilities } from './capabilities.js';
import { DEFAULT_KITE_ROOT, DEFAULT_KITE_TICKER_ROOT, type ZerodhaConfig } from './config.js';
import { InstrumentCache } from './instruments/instrument-cache.js';
import { isIndex, type KiteInstrument } from './instruments/kite-instrument.js';
import {
  checkAgainstInstrument,
  checkOrderBasics,
  kitePlaceParams,
  onTick,
} from './instruments/order-checks.js';
import { KiteCallError, KiteClient, type KiteModifyOrderParams } from './kite/kite-client.js';
import { TokenStore } from './login/token-store.js';
import {
  holdingsToPositions,
  toAccountBalance,
  toMarginImpact,
  toPositions,
} from './mapping/kite-account-map.js';
import { classifyKiteFailure, type KiteOperation, toBrokerError } from './mapping/kite-error-map.js';
import { isKiteOrder, type KiteOrderJson } from './mapping/kite-order-record.js';
import { KITE_ORDER_TYPE_MAP, KITE_VALIDITY_MAP, KITE_VARIETY } from './mapping/kite-order-type-map.js';
import { KiteOrderBook } from './orders/kite-order-book.js';
import { KITE_RATE_LIMITS, type KiteRateLimits } from './rate-limit/kite-rate-limits.js';
import { KiteRateScheduler } from './rate-limit/kite-rate-scheduler.js';
import { OrderPoller } from './stream/order-poller.js';
import { OrderUpdateStream } from './stream/order-update-stream.js';
import { parseIstTimeOfDay } from './time/ist-clock.js';

interface Session {
  client: KiteClient;
  accessToken: Secret;
  userId: string;
}

/** How long `connect()` waits for the order-update stream before relying on polling. */
const STREAM_START_WAIT_MS = 3_000;
/** Order-book lookups after a placement whose answer was lost, and the pause before each retry. */
const LOST_ANSWER_LOOKUPS = 3;
const LOST_ANSWER_PAUSE_MS = 250;
/** Kept between a queued request's deadline and the caller's timeout, so "not sent" is told apart. */
const QUEUE_DEADLINE_MARGIN_MS = 100;

/**
 * The Zerodha broker: Kite Connect v3 through the official `kiteconnect` client, behind the
 * brokerkit contract. Create it with `createBroker({ broker: 'zerodha', ... })` or
 * `plugin.create(config, options)`.
 *
 * - connect() checks the session (`GET /user/profile`) and opens the order-update stream;
 * - orders are checked against the day's instrument dump (lot size, tick size, contract) before
 *   they are sent, and carry the client order id as the Kite `tag`;
 * - every request is paced within Kite's rate limits;
 * - a placement whose answer is lost is looked up by its tag, never sent again.
 */
export class ZerodhaBroker extends AbstractBroker {
  readonly id = 'zerodha';
  readonly capabilities = zerodhaCapabilities;

  readonly #config: ZerodhaConfig;
  readonly #root: string;
  readonly #tickerUrl: string;
  readonly #requestTimeoutMs: number;
  readonly #limits: KiteRateLimits;
  readonly #maxWaitMs: { placeOrder: number; modifyOrder: number; cancelOrder: number; read: number };
  readonly #instruments: InstrumentCache;
  readonly #book = new KiteOrderBook();
  readonly #poller: OrderPoller;
  #scheduler: KiteRateScheduler | undefined;
  #session: Session | undefined;
  #stream: OrderUpdateStream | undefined;
  #tokenOverride: Secret | undefined;
  #sessionLost = false;
  #placing = 0;

  constructor(config: ZerodhaConfig, options: BrokerOptions = {}) {
    super(options);
    this.#config = config;
    this.#root = config.root ?? DEFAULT_KITE_ROOT;
    this.#tickerUrl = config.tickerRoot ?? tickerUrlFor(this.#root);
    this.#requestTimeoutMs = config.requestTimeoutMs ?? 7_000;
    this.#limits = { ...KITE_RATE_LIMITS, ...config.rateLimits };
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const deadline = (ms: number) =>
      ms > 0 && Number.isFinite(ms) ? Math.max(0, ms - QUEUE_DEADLINE_MARGIN_MS) : Number.POSITIVE_INFINITY;
    this.#maxWaitMs = {
      placeOrder: deadline(timeouts.placeOrder),
      modifyOrder: deadline(timeouts.modifyOrder),
      cancelOrder: deadline(timeouts.cancelOrder),
      read: Math.min(
        deadline(timeouts.getOrder),
        deadline(timeouts.getOpenOrders),
        deadline(timeouts.getAccountBalance),
        deadline(timeouts.getOpenPositions),
        deadline(timeouts.getOrderMarginImpact),
      ),
    };
    this.#instruments = new InstrumentCache({
      download: (exchange) =>
        this.#call({ operation: 'read', method: 'instruments' }, (client) => client.getInstruments(exchange)),
      refreshTimeOfDayMs: parseIstTimeOfDay(config.instrumentsRefreshTime ?? '08:30'),
      now: Date.now,
      ...(config.instrumentCacheDir === undefined ? {} : { cacheDir: config.instrumentCacheDir }),
      sourceId: `${this.#root}|${config.apiKey}`,
      logger: this.logger,
    });
    this.#poller = new OrderPoller({
      intervalMs: config.pollIntervalMs ?? 1_000,
      poll: () => this.#pollOrders(),
      wanted: () => this.#book.openCount > 0 || this.#placing > 0,
    });
  }

  /**
   * Uses another access token from the next `connect()` on (after the daily login, without
   * creating a new broker).
   */
  useAccessToken(accessToken: Secret | string): void {
    this.#tokenOverride = Secret.isSecret(accessToken) ? accessToken : new Secret(accessToken);
  }

  /** Whether order updates currently arrive over the WebSocket (false: polling). */
  get streaming(): boolean {
    return this.#stream?.isUp ?? false;
  }

  protected override connectionHint(): string {
    return `check that the Kite API is reachable at ${this.#root}; a 403 means the access token expired (they expire daily)`;
  }

  // ---- connection ---------------------------------------------------------------------------

  protected async doConnect(): Promise<void> {
    this.#sessionLost = false;
    const accessToken = await this.#accessToken();
    this.#scheduler ??= await KiteRateScheduler.create(this.#limits);
    const client = new KiteClient({
      apiKey: this.#config.apiKey,
      accessToken: accessToken.reveal(),
      root: this.#root,
      timeoutMs: this.#requestTimeoutMs,
      scheduler: this.#scheduler,
      maxWaitMs: this.#maxWaitMs,
    });
    let profile: unknown;
    try {
      profile = await client.getProfile();
    } catch (error) {
      throw this.#mapError(error, { operation: 'connect', method: 'connect' });
    }
    const userId = String((profile as { user_id?: unknown } | undefined)?.user_id ?? '');
    if (this.#config.userId !== undefined && userId !== this.#config.userId) {
      throw new AuthenticationError({
        message: `zerodha: the access token belongs to user ${userId || '(unknown)'}, not ${this.#config.userId}`,
        hint: 'log in with the account the config names, or fix userId (ZERODHA_USER_ID)',
        broker: this.id,
      });
    }
    this.#session = { client, accessToken, userId };
    // Orders that exist before this session are remembered without reporting their old fills.
    const orders = await this.#call({ operation: 'connect', method: 'connect' }, (kite) => kite.getOrders());
    this.#book.seed(kiteOrders(orders));
    await this.#startOrderUpdates(accessToken);
  }

  protected async doDisconnect(): Promise<void> {
    this.#stopOrderUpdates();
    this.#session = undefined;
  }

  async #accessToken(): Promise<Secret> {
    const token = this.#tokenOverride ?? this.#config.accessToken;
    if (token !== undefined) return token;
    const store = new TokenStore(
      this.#config.tokenFile === undefined ? {} : { path: this.#config.tokenFile },
    );
    const stored = await store.load({ apiKey: this.#config.apiKey });
    if (stored !== undefined) return stored.accessToken;
    const status = await store.status();
    throw new AuthenticationError({
      message:
        status.state === 'expired'
          ? `zerodha: the access token stored in ${store.path} has expired`
          : `zerodha: no access token: none in the config and none stored in ${store.path}`,
      hint: 'access tokens expire daily; log in again (brokerkit zerodha login), or set ZERODHA_ACCESS_TOKEN',
      sessionExpired: status.state === 'expired',
      broker: this.id,
    });
  }

  async #startOrderUpdates(accessToken: Secret): Promise<void> {
    if (this.#config.orderUpdates === 'poll') {
      this.#poller.start();
      return;
    }
    const stream = new OrderUpdateStream({
      apiKey: this.#config.apiKey,
      accessToken: () => accessToken.reveal(),
      url: this.#tickerUrl,
      logger: this.logger,
      handlers: {
        onOrderUpdate: (payload) => this.#onStreamUpdate(payload),
        onUp: (reconnected) => {
          this.#poller.stop();
          if (reconnected) {
            this.logger.info('zerodha: order-update stream back; catching up', { broker: this.id });
            void this.#poller.pollNow().catch((error: unknown) => this.#logPollError(error));
          }
        },
        onDown: (reason) => {
          this.logger.warn('zerodha: order-update stream down; polling until it is back', {
            broker: this.id,
            reason,
          });
          if (this.#session !== undefined) this.#poller.start();
        },
        onRefused: () => void this.#checkSession(),
      },
    });
    this.#stream = stream;
    const up = await stream.start(STREAM_START_WAIT_MS);
    if (!up && this.#stream === stream) this.#poller.start();
  }

  #stopOrderUpdates(): void {
    this.#stream?.stop();
    this.#stream = undefined;
    this.#poller.stop();
  }

  /** The ticker refused its handshake: a 403 usually means the session ended; ask the API. */
  async #checkSession(): Promise<void> {
    try {
      await this.#call({ operation: 'read', method: 'orderUpdates' }, (client) => client.getProfile());
    } catch {
      // An expired session is handled by #call; anything else: the stream keeps retrying.
    }
  }

  /** The session ended (token expired): report it once and stop everything that would ask again. */
  #sessionExpired(error: AuthenticationError): void {
    if (this.#sessionLost || this.#session === undefined) return;
    this.#sessionLost = true;
    this.#stopOrderUpdates();
    this.#session = undefined;
    this.logger.error('zerodha: the Kite session expired; log in again and connect()', { broker: this.id });
    this.setConnectionState('disconnected', error);
  }

  // ---- account ------------------------------------------------------------------------------

  protected async doGetAccountBalance(): Promise<AccountBalance> {
    const margins = await this.#call({ operation: 'read', method: 'getAccountBalance' }, (client) =>
      client.getMargins(),
    );
    return toAccountBalance(margins);
  }

  protected async doGetOpenPositions(): Promise<Position[]> {
    const context = { operation: 'read', method: 'getOpenPositions' } as const;
    const [positions, holdings] = await Promise.all([
      this.#call(context, (client) => client.getPositions()),
      this.#config.includeHoldings === true
        ? this.#call(context, (client) => client.getHoldings())
        : undefined,
    ]);
    const net = toPositions(positions, (exchange, symbol) => this.#instruments.peek(exchange, symbol));
    return holdings === undefined ? net : [...holdingsToPositions(holdings), ...net];
  }

  // ---- orders -------------------------------------------------------------------------------

  protected doPlaceOrder(order: NormalizedOrderRequest): Promise<PlaceOrderAck> {
    // Not async: with the instrument already known, the order is sent before this returns.
    try {
      const { exchange, product } = checkOrderBasics(order);
      const found = this.#instrumentFor(exchange, order.symbol);
      if (found instanceof Promise)
        return found.then((instrument) => this.#place(order, instrument, product));
      return this.#place(order, found, product);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #place(
    order: NormalizedOrderRequest,
    instrument: KiteInstrument,
    product: Product,
  ): Promise<PlaceOrderAck> {
    checkAgainstInstrument(order, instrument);
    const params = kitePlaceParams(order, instrument, product, this.#config.marketProtection ?? -1);
    const context = {
      operation: 'placeOrder',
      method: 'placeOrder',
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
    } as const;
    const client = this.#client(context);
    this.#placing++;
    let sent: Promise<unknown>;
    try {
      sent = client.placeOrder(KITE_VARIETY, params);
    } catch (error) {
      this.#placing--;
      throw error;
    }
    return sent.then(
      (response) => {
        this.#placing--;
        return this.#placed(order, response);
      },
      (error: unknown) =>
        this.#placementFailed(order, context, error).finally(() => {
          this.#placing--;
        }),
    );
  }

  /** The acknowledgement of an order Kite accepted. */
  #placed(order: NormalizedOrderRequest, response: unknown): PlaceOrderAck {
    const orderId = String((response as { order_id?: unknown } | undefined)?.order_id ?? '');
    if (orderId === '') {
      throw new OrderOutcomeUnknownError({
        message: 'zerodha: Kite accepted the order but its answer has no order_id',
        hint: 'look it up with findOrderByClientOrderId()',
        operation: 'placeOrder',
        clientOrderId: order.clientOrderId,
        broker: this.id,
        raw: response,
      });
    }
    this.#book.expect(orderId, order.clientOrderId);
    return { orderId, status: 'SUBMITTED', createdAt: this.now(), raw: response };
  }

  /** A placement that failed: a definite refusal is mapped; no definite answer is resolved by tag. */
  async #placementFailed(
    order: NormalizedOrderRequest,
    context: { operation: 'placeOrder'; method: string; clientOrderId: string; symbol: string },
    error: unknown,
  ): Promise<PlaceOrderAck> {
    if (!(error instanceof KiteCallError)) throw error;
    if (!isUnknownOutcome(error)) throw this.#mapError(error, context);
    // No definite answer: the order may exist. Find it by its tag; never send it again.
    const found = await this.#findPlaced(order.clientOrderId);
    if (found !== undefined)
      return { orderId: found.orderId, status: found.status, createdAt: found.createdAt, raw: found.raw };
    throw this.#mapError(error, context);
  }

  /**
   * After a placement without a definite answer: the order as the order book (or the stream)
   * shows it, found by its tag, or `undefined` when it is not there after a few looks.
   */
  async #findPlaced(clientOrderId: string): Promise<OrderRecord | undefined> {
    for (let attempt = 0; attempt < LOST_ANSWER_LOOKUPS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, LOST_ANSWER_PAUSE_MS * attempt));
      const seen = this.#book.orderIdForTag(clientOrderId);
      try {
        if (seen !== undefined) return await this.doGetOrder(seen);
        const found = await this.#findInOrderBook(clientOrderId);
        if (found !== undefined) return found;
      } catch (error) {
        if (AuthenticationError.isInstance(error)) throw error;
        // The order book could not be read either: look again.
      }
    }
    return undefined;
  }

  protected async doGetOrder(orderId: string): Promise<OrderRecord> {
    const history = await this.#call({ operation: 'read', method: 'getOrder', orderId }, (client) =>
      client.getOrderHistory(orderId),
    );
    const states = kiteOrders(history);
    const latest = states.at(-1);
    if (latest === undefined) {
      throw new OrderNotFoundError({ message: `zerodha: no order ${orderId}`, orderId, broker: this.id });
    }
    return this.#observe(latest, false);
  }

  protected async doGetOpenOrders(): Promise<OrderRecord[]> {
    const orders = await this.#call({ operation: 'read', method: 'getOpenOrders' }, (client) =>
      client.getOrders(),
    );
    return kiteOrders(orders)
      .map((order) => this.#observe(order, false))
      .filter(
        (record) =>
          record.status === 'SUBMITTED' ||
          record.status === 'PARTIALLY_FILLED' ||
          record.status === 'PENDING',
      );
  }

  /** Searches the whole day's order book (working and finished orders) by tag. */
  protected override async doFindOrderByClientOrderId(
    clientOrderId: string,
  ): Promise<OrderRecord | undefined> {
    const seen = this.#book.orderIdForTag(clientOrderId);
    if (seen !== undefined) {
      try {
        return await this.doGetOrder(seen);
      } catch (error) {
        if (!OrderNotFoundError.isInstance(error)) throw error;
      }
    }
    return this.#findInOrderBook(clientOrderId);
  }

  async #findInOrderBook(clientOrderId: string): Promise<OrderRecord | undefined> {
    const orders = await this.#call({ operation: 'read', method: 'findOrderByClientOrderId' }, (client) =>
      client.getOrders(),
    );
    const matching = kiteOrders(orders).filter((order) => order.tag === clientOrderId);
    if (matching.length > 1) {
      this.logger.warn('zerodha: several orders carry the same tag; reporting the latest', {
        broker: this.id,
        clientOrderId,
        orderIds: matching.map((order) => String(order.order_id)),
      });
    }
    const latest = matching.at(-1);
    return latest === undefined ? undefined : this.#observe(latest, false);
  }

  protected async doCancelOrder(orderId: string): Promise<boolean> {
    const context = { operation: 'cancelOrder', method: 'cancelOrder', orderId } as const;
    try {
      await this.#client(context).cancelOrder(this.#book.variety(orderId), orderId);
      return true;
    } catch (error) {
      if (!(error instanceof KiteCallError)) throw error;
      const mapped = this.#mapError(error, context);
      const kind = classifyKiteFailure(error.failure);
      if (kind === 'not-found' || kind === 'session' || kind === 'rate-limit' || kind === 'daily-cap')
        throw mapped;
      // Refused, or no definite answer: what the order is now decides.
      let now: OrderRecord;
      try {
        now = await this.doGetOrder(orderId);
      } catch {
        throw mapped;
      }
      const ambiguous = kind === 'no-answer' || kind === 'server';
      const kiteStatus = String((now.raw as { status?: unknown } | undefined)?.status ?? '');
      if (now.status === 'CANCELLED') return ambiguous;
      if (now.status === 'FILLED' || now.status === 'REJECTED') return false;
      if (ambiguous && kiteStatus === 'CANCEL PENDING') return true;
      throw mapped;
    }
  }

  protected async doModifyOrder(orderId: string, updates: OrderUpdate): Promise<OrderRecord | undefined> {
    const current = await this.doGetOrder(orderId);
    if (current.status === 'FILLED' || current.status === 'CANCELLED' || current.status === 'REJECTED') {
      throw new InvalidOrderError({
        issues: [
          {
            path: 'orderId',
            message: `order ${orderId} is ${current.status}; only working orders can be modified`,
          },
        ],
        broker: this.id,
      });
    }
    if (updates.tif !== undefined && KITE_VALIDITY_MAP[updates.tif] === undefined) {
      throw new NotSupportedError({
        message: `zerodha does not support tif ${updates.tif} (Kite offers DAY and IOC)`,
        feature: `tif ${updates.tif}`,
        broker: this.id,
      });
    }
    const orderType = updates.orderType ?? current.orderType;
    const rule = KITE_ORDER_TYPE_MAP[orderType];
    if (rule === undefined) {
      throw new NotSupportedError({
        message: `zerodha does not support orderType ${orderType}`,
        feature: orderType,
        broker: this.id,
      });
    }
    const limitPrice = rule.price ? (updates.limitPrice ?? current.limitPrice) : undefined;
    const stopPrice = rule.triggerPrice ? (updates.stopPrice ?? current.stopPrice) : undefined;
    const quantity = updates.quantity ?? current.quantity ?? 0;
    const issues = [];
    if (updates.limitPrice !== undefined && !rule.price)
      issues.push({ path: 'updates.limitPrice', message: `not allowed on ${orderType} orders` });
    if (updates.stopPrice !== undefined && !rule.triggerPrice)
      issues.push({ path: 'updates.stopPrice', message: `not allowed on ${orderType} orders` });
    if (rule.price && limitPrice === undefined)
      issues.push({ path: 'updates.limitPrice', message: `required for ${orderType} orders` });
    if (rule.triggerPrice && stopPrice === undefined)
      issues.push({ path: 'updates.stopPrice', message: `required for ${orderType} orders` });
    if (!Number.isInteger(quantity))
      issues.push({ path: 'updates.quantity', message: `${quantity} must be a whole number for Zerodha` });
    if (issues.length > 0) throw new InvalidOrderError({ issues, broker: this.id });
    const instrument = await this.#instrumentFor(current.exchange ?? '', current.symbol);
    checkAgainstInstrument({ quantity, limitPrice, stopPrice }, instrument);
    const params: KiteModifyOrderParams = {
      order_type: rule.orderType,
      quantity,
      validity: KITE_VALIDITY_MAP[(updates.tif ?? current.tif) as 'DAY' | 'IOC'] ?? 'DAY',
    };
    if (limitPrice !== undefined) params.price = onTick(limitPrice, instrument.tickSize);
    if (stopPrice !== undefined) params.trigger_price = onTick(stopPrice, instrument.tickSize);
    if (rule.marketProtection) params.market_protection = this.#config.marketProtection ?? -1;
    const context = {
      operation: 'modifyOrder',
      method: 'modifyOrder',
      orderId,
      symbol: current.symbol,
    } as const;
    await this.#call(context, (client) => client.modifyOrder(this.#book.variety(orderId), orderId, params));
    return undefined;
  }

  protected async doGetOrderMarginImpact(order: NormalizedOrderRequest): Promise<MarginImpact> {
    const { exchange, product } = checkOrderBasics(order);
    const instrument = await this.#instrumentFor(exchange, order.symbol);
    checkAgainstInstrument(order, instrument);
    const params = kitePlaceParams(order, instrument, product, this.#config.marketProtection ?? -1);
    const margins = await this.#call({ operation: 'read', method: 'getOrderMarginImpact' }, (client) =>
      client.orderMargins([
        {
          exchange: params.exchange,
          tradingsymbol: params.tradingsymbol,
          transaction_type: params.transaction_type,
          variety: KITE_VARIETY,
          product: params.product,
          order_type: params.order_type,
          quantity: params.quantity,
          price: params.price ?? 0,
          trigger_price: params.trigger_price ?? 0,
        },
      ]),
    );
    return toMarginImpact(margins);
  }

  // ---- order updates ------------------------------------------------------------------------

  #onStreamUpdate(payload: unknown): void {
    if (!isKiteOrder(payload)) return;
    const secret = this.#config.apiSecret;
    if (secret !== undefined && !checksumMatches(payload, secret)) {
      // Never act on an update that fails its checksum; read the order from the API instead.
      this.logger.warn('zerodha: an order update failed its checksum; reading the order from the API', {
        broker: this.id,
        orderId: String(payload.order_id),
      });
      void this.#call({ operation: 'read', method: 'orderUpdates' }, (client) =>
        client.getOrderHistory(String(payload.order_id)),
      )
        .then((history) => {
          const latest = kiteOrders(history).at(-1);
          if (latest !== undefined) this.#observe(latest, true);
        })
        .catch((error: unknown) => this.#logPollError(error));
      return;
    }
    this.#observe(payload, true);
  }

  async #pollOrders(): Promise<void> {
    if (this.#session === undefined) return;
    const orders = await this.#call({ operation: 'read', method: 'orderUpdates' }, (client) =>
      client.getOrders(),
    );
    for (const order of kiteOrders(orders)) this.#observe(order, true);
  }

  #logPollError(error: unknown): void {
    this.logger.warn('zerodha: reading order updates failed', {
      broker: this.id,
      reason: BrokerError.isBrokerError(error) ? error.message : String((error as Error)?.message ?? error),
    });
  }

  /**
   * Takes a fresh view of a Kite order: new fills are emitted, and (for pushed and polled views)
   * a changed order is emitted as an order update. Query results are emitted by the base class.
   */
  #observe(order: KiteOrderJson, pushed: boolean): OrderRecord {
    const instrument = this.#instruments.peek(order.exchange, order.tradingsymbol);
    const { record, changed, fills } = this.#book.observe(order, instrument, this.now());
    for (const fill of fills) this.emitFill(fill);
    if (pushed && changed) this.emitOrderUpdate(record);
    return record;
  }

  // ---- plumbing -----------------------------------------------------------------------------

  #instrumentFor(exchange: string, tradingsymbol: string): KiteInstrument | Promise<KiteInstrument> {
    const current = this.#instruments.current(exchange, tradingsymbol);
    if (current !== undefined && !isIndex(current)) return current;
    return this.#lookupInstrument(exchange, tradingsymbol);
  }

  async #lookupInstrument(exchange: string, tradingsymbol: string): Promise<KiteInstrument> {
    const instrument = await this.#instruments.lookup(exchange, tradingsymbol);
    if (instrument === undefined) {
      const elsewhere = this.#instruments.listedElsewhere(exchange, tradingsymbol);
      throw new InvalidSymbolError({
        message: `zerodha: ${tradingsymbol} is not in Kite's ${exchange} instrument list`,
        hint:
          elsewhere.length > 0
            ? `it is listed on ${elsewhere.join(', ')}`
            : 'use the exact Kite tradingsymbol (NIFTY26JANFUT, INFY); derivatives are named from the instrument dump',
        symbol: tradingsymbol,
        broker: this.id,
      });
    }
    if (isIndex(instrument)) {
      throw new InvalidSymbolError({
        message: `zerodha: ${exchange}:${tradingsymbol} is an index; it can be quoted but not traded`,
        hint: 'trade its futures or options (NFO) instead',
        symbol: tradingsymbol,
        broker: this.id,
      });
    }
    return instrument;
  }

  /** The session's client; an AuthenticationError when there is no session. */
  #client(context: { method: string }): KiteClient {
    const session = this.#session;
    if (session === undefined) {
      throw new AuthenticationError({
        message: `zerodha: ${context.method}: there is no Kite session`,
        hint: 'connect() first; if the session expired, log in again',
        broker: this.id,
      });
    }
    return session.client;
  }

  /** Runs a Kite call with the session's client and maps its failure for the operation. */
  async #call<T>(
    context: {
      operation: KiteOperation;
      method: string;
      orderId?: string;
      clientOrderId?: string;
      symbol?: string;
    },
    run: (client: KiteClient) => Promise<T>,
  ): Promise<T> {
    const client = this.#client(context);
    try {
      return await run(client);
    } catch (error) {
      throw this.#mapError(error, context);
    }
  }

  #mapError(
    error: unknown,
    context: {
      operation: KiteOperation;
      method: string;
      orderId?: string;
      clientOrderId?: string;
      symbol?: string;
    },
  ): unknown {
    if (!(error instanceof KiteCallError)) return error;
    const mapped = toBrokerError(error.failure, {
      ...context,
      broker: this.id,
      timeoutMs: this.#requestTimeoutMs,
      now: Date.now(),
      root: this.#root,
    });
    if (AuthenticationError.isInstance(mapped) && context.operation !== 'connect')
      this.#sessionExpired(mapped);
    return mapped;
  }
}

/** True when a failed request may have been carried out (no answer, or a server failure). */
function isUnknownOutcome(error: KiteCallError): boolean {
  const kind = classifyKiteFailure(error.failure);
  return kind === 'no-answer' || kind === 'server';
}

/** The Kite orders in an API answer (a list, or anything else as none). */
function kiteOrders(value: unknown): KiteOrderJson[] {
  return Array.isArray(value) ? value.filter(isKiteOrder) : [];
}

/** Kite's order-update checksum: SHA-256 of order_id + order_timestamp + api_secret. */
function checksumMatches(payload: KiteOrderJson, secret: Secret): boolean {
  const given = (payload as { checksum?: unknown }).checksum;
  if (typeof given !== 'string' || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = createHash('sha256')
    .update(`${payload.order_id}${String(payload.order_timestamp ?? '')}${secret.reveal()}`)
    .digest('hex');
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given.toLowerCase(), 'hex'));
}

/** The ticker URL of an API root: Kite's production ticker, or the same host over ws(s). */
export function tickerUrlFor(root: string): string {
  if (root.replace(/\/+$/, '') === DEFAULT_KITE_ROOT) return DEFAULT_KITE_TICKER_ROOT;
  const url = new URL(root);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = '/';
  url.search = '';
  return url.toString();
}
