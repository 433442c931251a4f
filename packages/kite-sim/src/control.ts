import type { Clock, ExchangeSimulator } from '@brokerkit/exchange-sim';
import { VirtualClock } from '@brokerkit/exchange-sim';
import type { SessionStore } from './auth/session-store.js';
import type { RequestFault, RequestFaults } from './http/request-faults.js';
import type { InstrumentTable } from './instruments/instrument-table.js';
import type { KiteInstrument } from './instruments/kite-instrument.js';
import type { KiteOrderJson } from './orders/kite-order.js';
import { orderJson } from './orders/kite-order.js';
import type { OrderService } from './orders/order-service.js';
import type { RateLimiter, RateLimits } from './rate-limit/rate-limiter.js';

/** Which requests a fault applies to, and how many. */
export interface FaultTarget {
  /** Only this method (`POST`). */
  method?: string;
  /** Only paths starting with this (`/orders`) or matching this expression. */
  path?: string | RegExp;
  /** Number of matching requests. Default 1. */
  count?: number;
}

/**
 * The simulator's control surface, for tests and the admin endpoint: prices, time, tokens,
 * rejections, request faults, dropped connections and rate limits.
 *
 * @example
 * const sim = await startKiteSim({ clock: 'virtual' });
 * sim.control.setPrice('NSE:INFY', 1500);
 * sim.control.rejectNextOrder('Order price is out of the daily range');
 * sim.control.failNextRequest({ status: 503, path: '/orders' });
 * sim.control.loseNextResponse({ method: 'POST', path: '/orders' });
 * sim.control.expireTokens();
 * sim.control.advanceClock(60_000);
 */
export class KiteSimControl {
  readonly #simulator: ExchangeSimulator;
  readonly #sessions: SessionStore;
  readonly #table: InstrumentTable;
  readonly #orders: OrderService;
  readonly #faults: RequestFaults;
  readonly #rateLimiter: RateLimiter;
  readonly #accountId: string;
  readonly #dropConnections: () => void;
  readonly #tickerConnections: () => number;

  /** @internal Built by `startKiteSim`. */
  constructor(parts: {
    simulator: ExchangeSimulator;
    sessions: SessionStore;
    table: InstrumentTable;
    orders: OrderService;
    faults: RequestFaults;
    rateLimiter: RateLimiter;
    accountId: string;
    dropConnections: () => void;
    tickerConnections: () => number;
  }) {
    this.#simulator = parts.simulator;
    this.#sessions = parts.sessions;
    this.#table = parts.table;
    this.#orders = parts.orders;
    this.#faults = parts.faults;
    this.#rateLimiter = parts.rateLimiter;
    this.#accountId = parts.accountId;
    this.#dropConnections = parts.dropConnections;
    this.#tickerConnections = parts.tickerConnections;
  }

  /** The engine underneath (instruments, accounts, faults, events). */
  get simulator(): ExchangeSimulator {
    return this.#simulator;
  }

  /** The simulator's clock. */
  get clock(): Clock {
    return this.#simulator.clock;
  }

  /** The engine account of the Kite user. */
  get accountId(): string {
    return this.#accountId;
  }

  get apiKey(): string {
    return this.#sessions.apiKey;
  }

  get userId(): string {
    return this.#sessions.userId;
  }

  /** Open ticker WebSocket connections. */
  get tickerConnections(): number {
    return this.#tickerConnections();
  }

  /**
   * An instrument of the dump by `EXCHANGE:TRADINGSYMBOL` (`NSE:INFY`, `NFO:NIFTY24NOVFUT`,
   * `NSE:NIFTY 50`) or instrument token. Throws RangeError when unknown.
   */
  instrument(target: string | number): KiteInstrument {
    let row: KiteInstrument | undefined;
    if (typeof target === 'number') row = this.#table.byToken(target);
    else {
      const colon = target.indexOf(':');
      row = colon > 0 ? this.#table.bySymbol(target.slice(0, colon), target.slice(colon + 1)) : undefined;
    }
    if (row === undefined)
      throw new RangeError(
        `unknown instrument ${String(target)}: use EXCHANGE:TRADINGSYMBOL or an instrument token`,
      );
    return row;
  }

  /** Sets an instrument's last price (rounded to the tick); resting orders it crosses fill, subscribers get a tick. */
  setPrice(target: string | number, price: number): void {
    this.#simulator.setPrice(this.instrument(target).instrument, price);
  }

  /** The last price of an instrument now. */
  price(target: string | number): number {
    return this.#simulator.price(this.instrument(target).instrument);
  }

  /**
   * Moves a virtual clock forward (fills, triggers, TTL and AMO timers, price steps, token
   * expiry). Throws when the simulator runs on real time.
   */
  advanceClock(ms: number): void {
    const clock = this.#simulator.clock;
    if (!(clock instanceof VirtualClock))
      throw new TypeError('advanceClock() needs a virtual clock: start the simulator with clock: "virtual"');
    clock.advance(ms);
  }

  /** A fresh request token for `POST /session/token` (what the login redirect would carry). */
  createRequestToken(): string {
    return this.#sessions.issueRequestToken();
  }

  /** Issues an access token directly (no login), valid until the daily expiry. */
  issueAccessToken(accessToken?: string): string {
    return this.#sessions.issueAccessToken(accessToken).accessToken;
  }

  /** Expires every access token now: the next API call gets 403 TokenException, the ticker 403. Returns how many. */
  expireTokens(): number {
    return this.#sessions.expireAll();
  }

  /** Logs one access token out. */
  expireAccessToken(accessToken: string): boolean {
    return this.#sessions.invalidate(accessToken);
  }

  /** The next `count` orders are accepted (200 + order_id) and then go REJECTED with `reason` as status_message. */
  rejectNextOrder(reason = 'Order rejected by the exchange (kite-sim injected rejection)', count = 1): void {
    this.#simulator.faults.rejectNextOrder(reason, count);
  }

  /** Arms any request fault (see `RequestFault`). */
  injectFault(fault: RequestFault): void {
    this.#faults.inject(fault);
  }

  /** Next matching request(s) get an error status: default 503 NetworkException; `html: true` for a gateway page. */
  failNextRequest(
    options: FaultTarget & { status?: number; errorType?: string; message?: string; html?: boolean } = {},
  ): void {
    this.#faults.inject({ kind: 'error', ...options });
  }

  /** Next matching request(s) are neither processed nor answered: the client times out. */
  timeoutNextRequest(options: FaultTarget = {}): void {
    this.#faults.inject({ kind: 'timeout', ...options });
  }

  /** Next matching request(s) have their connection reset before processing. */
  dropNextRequest(options: FaultTarget = {}): void {
    this.#faults.inject({ kind: 'drop', ...options });
  }

  /** Next matching request(s) are processed and answered after `delayMs` (real time). */
  delayNextRequest(delayMs: number, options: FaultTarget = {}): void {
    this.#faults.inject({ kind: 'delay', delayMs, ...options });
  }

  /**
   * Next matching request(s) are processed (an order is placed) but the answer is never sent:
   * `hang` (default) leaves the connection open until the client times out, `reset` closes it.
   */
  loseNextResponse(options: FaultTarget & { mode?: 'hang' | 'reset' } = {}): void {
    const { mode, ...target } = options;
    this.#faults.inject({ kind: 'lose', lose: mode ?? 'hang', ...target });
  }

  /** Disarms request faults and the engine's faults (rejections, delays, stalls). */
  clearFaults(): void {
    this.#faults.clear();
    this.#simulator.faults.reset();
  }

  /** Cuts every ticker WebSocket and HTTP connection now, as a network failure would. */
  dropConnections(): void {
    this.#dropConnections();
  }

  /** Turns rate limiting on or off, optionally with other budgets. */
  setRateLimits(enabled: boolean, limits?: Partial<RateLimits>): void {
    this.#rateLimiter.configure(enabled, limits);
  }

  /** Adds (or, negative, withdraws) rupees to the account's cash. */
  deposit(amount: number): void {
    this.#simulator.deposit(this.#accountId, amount);
  }

  /** Every order the simulator holds, of any day, oldest first. */
  orders(): KiteOrderJson[] {
    return this.#orders.records().map((record) => orderJson(record));
  }

  /** The current JSON of one order, or `undefined`. */
  order(orderId: string): KiteOrderJson | undefined {
    const record = this.#orders.find(orderId);
    return record === undefined ? undefined : orderJson(record);
  }

  /** A short description; secrets and state are not printed. */
  toJSON(): Record<string, unknown> {
    return { apiKey: this.apiKey, userId: this.userId, accountId: this.#accountId };
  }
}
