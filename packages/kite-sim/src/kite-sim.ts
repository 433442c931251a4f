import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Clock,
  ExchangeSimulator,
  type ExchangeSimulatorOptions,
  formatKiteFuture,
  formatKiteOption,
  hashString,
  lastThursday,
  RealClock,
  VirtualClock,
} from '@brokerkit/exchange-sim';
import { ADMIN_PREFIX, createAdminHandler } from './admin/admin-endpoint.js';
import { createLoginHandler } from './auth/login-page.js';
import { SessionStore } from './auth/session-store.js';
import { KiteSimControl } from './control.js';
import { RequestFaults } from './http/request-faults.js';
import { KiteRequestHandler, type SideHandler } from './http/request-handler.js';
import { Router } from './http/router.js';
import { instrumentCsv } from './instruments/instrument-csv.js';
import { DEFAULT_INDICES, type IndexDefinition, InstrumentTable } from './instruments/instrument-table.js';
import { MarketData } from './market/market-data.js';
import { orderUpdateJson } from './orders/kite-order.js';
import { type MarginRejectionPolicy, OrderService } from './orders/order-service.js';
import { DayTrades } from './portfolio/day-trades.js';
import { RateLimiter, type RateLimits } from './rate-limit/rate-limiter.js';
import { MARGIN_ROUTES } from './routes/margin-routes.js';
import { MARKET_ROUTES } from './routes/market-routes.js';
import { ORDER_ROUTES } from './routes/order-routes.js';
import { PORTFOLIO_ROUTES } from './routes/portfolio-routes.js';
import type { KiteServices, RouteHandler, UserProfile } from './routes/route-context.js';
import { SESSION_ROUTES } from './routes/session-routes.js';
import { TickerServer } from './ticker/ticker-server.js';
import { formatIstDate } from './time/ist-time.js';

/** A delivery holding the account starts with. */
export interface HoldingSeed {
  exchange?: 'NSE' | 'BSE';
  tradingsymbol: string;
  quantity: number;
  averagePrice: number;
}

/** Options of `startKiteSim`. Every field has a default. */
export interface KiteSimOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** The app's api_key. Default `kite_sim_api_key`. */
  apiKey?: string;
  /** The app's api_secret (checksums). Default `kite_sim_api_secret`. Never logged. */
  apiSecret?: string;
  /** An access token accepted from the start (with `apiKey`), besides the request-token login. */
  accessToken?: string;
  /** The Kite user id (also the engine account id). Default `AB1234`. */
  userId?: string;
  userName?: string;
  email?: string;
  /**
   * Time source: `real` (default, wall clock), `virtual` (stands still until `control.advanceClock`),
   * or a Clock. Ignored when `simulator` is given (its clock is used).
   */
  clock?: 'real' | 'virtual' | Clock;
  /** An engine to put the API in front of (shared with other transports); default: a new one. */
  simulator?: ExchangeSimulator;
  /** Options of the engine kite-sim creates (seed, fill delays, price steps...). */
  simulatorOptions?: Omit<ExchangeSimulatorOptions, 'clock'>;
  /** Starting cash in rupees. Default 1,000,000. */
  cash?: number;
  /** Delivery holdings the account starts with. */
  holdings?: HoldingSeed[];
  /** Rate limiting: true (default, Kite's limits), false (off), or other budgets. */
  rateLimits?: boolean | Partial<RateLimits>;
  /** IST time at which access tokens expire every day (`"06:00"`), or false. Default `"06:00"`. */
  tokenExpiryTime?: string | false;
  /** Reject MARKET / SL-M orders without `market_protection` (Kite's API rule since April 2026). Default true. */
  requireMarketProtection?: boolean;
  /** Unaffordable orders: `order` (default) -> 200 then REJECTED with status_message; `http` -> 400 MarginException. */
  marginRejection?: MarginRejectionPolicy;
  /** Modifications allowed per order. Default 25. */
  maxModifications?: number;
  /** IST time at which AMO orders go to the exchange. Default `"09:15"`. */
  marketOpenTime?: string;
  /** Ticker heartbeat period in ms. Default 1,000. */
  heartbeatMs?: number;
  /** Serve the loopback-only admin endpoint under `/__kite-sim/`. Default true. */
  admin?: boolean;
  /** Where `/connect/login` redirects with `request_token` (default: answer JSON). */
  redirectUrl?: string;
  /** List near-month NIFTY / BANKNIFTY / FINNIFTY futures and options in the dump at start. Default true. */
  listDerivatives?: boolean;
  /** Indices to quote (segment INDICES). Default NIFTY 50, NIFTY BANK, NIFTY FIN SERVICE. */
  indices?: IndexDefinition[];
  /** Unexpected internal errors (bugs). Default: printed to stderr without request data. */
  onError?: (error: unknown) => void;
}

/** A running simulator. */
export interface KiteSim {
  port: number;
  host: string;
  /** Base URL of the HTTP API: pass it as kiteconnect's `root`. */
  root: string;
  /** URL of the ticker: pass it as KiteTicker's `root`. */
  tickerRoot: string;
  apiKey: string;
  /** The preconfigured access token, if one was given. */
  accessToken: string | undefined;
  control: KiteSimControl;
  /** Stops the server, closes every connection and the engine's timers (when kite-sim created the engine). */
  close(): Promise<void>;
}

const DEFAULTS = {
  apiKey: 'kite_sim_api_key',
  apiSecret: 'kite_sim_api_secret',
  userId: 'AB1234',
  userName: 'Kite Simulator',
  email: 'kite-sim@example.com',
  cash: 1_000_000,
} as const;

function resolveClock(clock: KiteSimOptions['clock']): Clock {
  if (clock === undefined || clock === 'real') return new RealClock();
  if (clock === 'virtual') return new VirtualClock();
  return clock;
}

/** Lists the near-month contracts of the built-in Kite families so that the dump shows a realistic chain. */
function listNearContracts(simulator: ExchangeSimulator): void {
  const now = new Date(simulator.clock.now());
  const today = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}${String(now.getUTCDate()).padStart(2, '0')}`;
  const months: string[] = [];
  for (let offset = 0; months.length < 2 && offset < 4; offset++) {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    if (lastThursday(year, month) >= today) months.push(`${year}${String(month).padStart(2, '0')}`);
  }
  for (const family of simulator.instruments.families()) {
    if (family.naming !== 'kite') continue;
    for (const month of months) {
      try {
        if (family.secType === 'FUT') {
          simulator.resolveInstrument({
            symbol: formatKiteFuture(family.root, month),
            exchange: family.exchange,
          });
          continue;
        }
        const step = family.strikeStep ?? 50;
        const atm = Math.round(family.referencePrice / step) * step;
        const expiry = lastThursday(Number(month.slice(0, 4)), Number(month.slice(4, 6)));
        for (let index = -5; index <= 5; index++) {
          for (const right of ['C', 'P'] as const) {
            simulator.resolveInstrument({
              symbol: formatKiteOption(family.root, expiry, atm + index * step, right),
              exchange: family.exchange,
            });
          }
        }
      } catch {
        // A family that cannot list these contracts is left as it is.
      }
    }
  }
}

/** Buys the seeded holdings at their average price without changing the account's cash. */
function seedHoldings(
  simulator: ExchangeSimulator,
  accountId: string,
  table: InstrumentTable,
  holdings: readonly HoldingSeed[],
): void {
  for (const holding of holdings) {
    const exchange = holding.exchange ?? 'NSE';
    const row = table.bySymbol(exchange, holding.tradingsymbol);
    if (row === undefined || row.instrumentType !== 'EQ' || row.isIndex) {
      throw new RangeError(`holdings: unknown equity ${exchange}:${holding.tradingsymbol}`);
    }
    if (!Number.isInteger(holding.quantity) || holding.quantity <= 0)
      throw new RangeError('holdings: quantity must be a whole number > 0');
    if (!(holding.averagePrice > 0)) throw new RangeError('holdings: averagePrice must be > 0');
    const instrument = row.instrument;
    const before = simulator.price(instrument);
    simulator.setPrice(instrument, holding.averagePrice);
    const fillPrice = simulator.price(instrument);
    simulator.deposit(accountId, holding.quantity * fillPrice);
    const order = simulator.placeOrder(accountId, {
      symbol: instrument.symbol,
      exchange: instrument.exchange,
      secType: instrument.secType,
      side: 'BUY',
      orderType: 'MARKET',
      quantity: holding.quantity,
      product: 'CNC',
    });
    simulator.setPrice(instrument, before);
    if (order.status !== 'FILLED') {
      simulator.cancelOrder(accountId, order.orderId);
      throw new RangeError('holdings: the engine must fill at once to seed holdings (use fillDelayMs: 0)');
    }
  }
}

/**
 * Starts a Kite Connect v3 simulator: the HTTP API and the ticker WebSocket on one loopback
 * port, in front of an exchange-sim engine. Point the unmodified kiteconnect client at it with
 * `root` (and KiteTicker with `root: tickerRoot`).
 *
 * @example
 * import { KiteConnect, KiteTicker } from 'kiteconnect';
 * import { startKiteSim } from '@brokerkit/kite-sim';
 *
 * const sim = await startKiteSim({ apiKey: 'key', accessToken: 'token', rateLimits: false });
 * const kite = new KiteConnect({ api_key: 'key', access_token: 'token', root: sim.root });
 * const { order_id } = await kite.placeOrder('regular', {
 *   exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1,
 *   product: 'CNC', order_type: 'LIMIT', price: 1800,
 * });
 * await sim.close();
 */
export async function startKiteSim(options: KiteSimOptions = {}): Promise<KiteSim> {
  const apiKey = options.apiKey ?? DEFAULTS.apiKey;
  const apiSecret = options.apiSecret ?? DEFAULTS.apiSecret;
  const userId = options.userId ?? DEFAULTS.userId;
  const onError =
    options.onError ??
    ((error: unknown) => {
      process.stderr.write(
        `kite-sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    });
  const ownsSimulator = options.simulator === undefined;
  // A failing listener of ours must not take the process down: report it instead of rethrowing.
  const simulator =
    options.simulator ??
    new ExchangeSimulator({
      name: 'kite-sim',
      seed: 1,
      onListenerError: onError,
      ...options.simulatorOptions,
      clock: resolveClock(options.clock),
    });
  const accountId = userId;
  if (!simulator.hasAccount(accountId))
    simulator.createAccount({ id: accountId, currency: 'INR', cash: options.cash ?? DEFAULTS.cash });

  let table: InstrumentTable;
  try {
    table = new InstrumentTable(simulator, options.indices ?? DEFAULT_INDICES);
    if (options.listDerivatives ?? true) listNearContracts(simulator);
    table.refresh();
    seedHoldings(simulator, accountId, table, options.holdings ?? []);
  } catch (error) {
    if (ownsSimulator) simulator.dispose();
    throw error;
  }

  const now = () => simulator.clock.now();
  const sessions = new SessionStore({
    apiKey,
    apiSecret,
    userId,
    accessToken: options.accessToken,
    tokenExpiryTime: options.tokenExpiryTime,
    now,
  });
  const market = new MarketData(simulator, table);
  const dayTrades = new DayTrades(simulator, accountId);
  const appId = hashString(apiKey) % 100_000;
  let ticker: TickerServer | undefined;
  const orders = new OrderService({
    simulator,
    table,
    market,
    accountId,
    userId,
    requireMarketProtection: options.requireMarketProtection ?? true,
    marginRejection: options.marginRejection ?? 'order',
    maxModifications: options.maxModifications ?? 25,
    marketOpenTime: options.marketOpenTime ?? '09:15',
    onOrderUpdate: (order, status) => {
      if (ticker !== undefined && ticker.connections > 0) {
        ticker.sendOrderUpdate(userId, orderUpdateJson(order, status, appId, apiSecret));
      }
    },
  });
  const watched = new Set<number>();
  ticker = new TickerServer({
    sessions,
    table,
    market,
    heartbeatMs: options.heartbeatMs,
    watch: (row) => {
      watched.add(row.instrumentToken);
      simulator.watch(row.instrument);
    },
    unwatch: (row) => {
      watched.delete(row.instrumentToken);
      simulator.unwatch(row.instrument);
    },
    takeConnectFailure: () => simulator.faults.takeConnectFailure(),
    onError,
  });
  const tickerServer = ticker;
  const unsubscribe = [
    simulator.on('price', (instrument, price) => {
      market.onPrice(instrument, price);
      const row = table.byInstrument(instrument);
      if (row !== undefined) tickerServer.markChanged(row.instrumentToken);
    }),
    simulator.on('execution', (execution) => {
      market.onExecution(execution);
      const row = table.byInstrument(execution.instrument);
      if (row !== undefined) tickerServer.markChanged(row.instrumentToken);
    }),
  ];

  const rateLimits = options.rateLimits ?? true;
  const rateLimiter = new RateLimiter(typeof rateLimits === 'object' ? rateLimits : {}, rateLimits !== false);
  const faults = new RequestFaults();
  const csvCache = new Map<string, { version: string; csv: string }>();
  const profile: UserProfile = {
    userId,
    userName: options.userName ?? DEFAULTS.userName,
    userShortname: (options.userName ?? DEFAULTS.userName).split(' ')[0] ?? userId,
    email: options.email ?? DEFAULTS.email,
  };
  const services: KiteServices = {
    simulator,
    accountId,
    sessions,
    table,
    market,
    orders,
    dayTrades,
    profile,
    instrumentCsv: (exchange) => {
      // The dump of the IST day: contracts that expired before today are gone from it.
      const today = formatIstDate(now());
      const key = exchange ?? '*';
      const version = `${table.version}|${today}`;
      const cached = csvCache.get(key);
      if (cached !== undefined && cached.version === version) return cached.csv;
      const rows = table.list(exchange).filter((row) => row.expiry === '' || row.expiry >= today);
      const csv = instrumentCsv(rows, (row) => market.close(row));
      csvCache.set(key, { version, csv });
      return csv;
    },
  };

  let server: Server | undefined;
  const dropConnections = () => {
    tickerServer.dropConnections();
    server?.closeAllConnections();
  };
  const control = new KiteSimControl({
    simulator,
    sessions,
    table,
    orders,
    faults,
    rateLimiter,
    accountId,
    dropConnections,
    tickerConnections: () => tickerServer.connections,
  });
  const unsubscribeDrop = simulator.faults.onDrop(() => dropConnections());

  const sideHandlers = new Map<string, SideHandler>();
  sideHandlers.set('/connect/login', createLoginHandler(sessions, options.redirectUrl));
  if (options.admin ?? true) sideHandlers.set(ADMIN_PREFIX, createAdminHandler(control));
  const handler = new KiteRequestHandler({
    router: new Router<RouteHandler>([
      ...SESSION_ROUTES,
      ...PORTFOLIO_ROUTES,
      ...ORDER_ROUTES,
      ...MARGIN_ROUTES,
      ...MARKET_ROUTES,
    ]),
    services,
    sessions,
    rateLimiter,
    faults,
    engineFaults: simulator.faults,
    now,
    sideHandlers,
    onError,
  });

  const host = options.host ?? '127.0.0.1';
  server = createServer({ keepAlive: true }, (request, response) => handler.handle(request, response));
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (request, socket, head) => tickerServer.handleUpgrade(request, socket, head));
  const listening = server;
  try {
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port ?? 0, host, () => {
        listening.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // The port is taken or the address is not ours: undo everything started so far.
    tickerServer.close();
    for (const stop of unsubscribe) stop();
    unsubscribeDrop();
    orders.dispose();
    dayTrades.dispose();
    if (ownsSimulator) simulator.dispose();
    throw error;
  }
  const port = (listening.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    port,
    host,
    root: `http://${urlHost}:${port}`,
    tickerRoot: `ws://${urlHost}:${port}/`,
    apiKey,
    accessToken: options.accessToken,
    control,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        tickerServer.close();
        handler.close();
        listening.close(() => resolve());
        listening.closeAllConnections();
        for (const stop of unsubscribe) stop();
        unsubscribeDrop();
        orders.dispose();
        dayTrades.dispose();
        for (const token of watched) {
          const row = table.byToken(token);
          if (row !== undefined) simulator.unwatch(row.instrument);
        }
        if (ownsSimulator) simulator.dispose();
      });
      return closed;
    },
  };
}
