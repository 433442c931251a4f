import type { ExchangeSimulator } from '@brokerkit/exchange-sim';
import type { AccessSession, SessionStore } from '../auth/session-store.js';
import type { RequestParams } from '../http/form-body.js';
import type { RouteDefinition } from '../http/router.js';
import type { InstrumentTable } from '../instruments/instrument-table.js';
import type { MarketData } from '../market/market-data.js';
import type { OrderService } from '../orders/order-service.js';
import type { DayTrades } from '../portfolio/day-trades.js';

/** The user's profile fields (profile.json). */
export interface UserProfile {
  userId: string;
  userName: string;
  userShortname: string;
  email: string;
}

/** Everything route handlers work with. */
export interface KiteServices {
  simulator: ExchangeSimulator;
  accountId: string;
  sessions: SessionStore;
  table: InstrumentTable;
  market: MarketData;
  orders: OrderService;
  dayTrades: DayTrades;
  profile: UserProfile;
  /** The instrument dump (all exchanges, or one), cached until instruments are added. */
  instrumentCsv: (exchange: string | undefined) => string;
}

/** One request as a handler sees it. */
export interface RouteContext {
  params: RequestParams;
  /** The parsed JSON body of JSON routes. */
  body: unknown;
  /** The authenticated session (undefined on the session endpoints). */
  session: AccessSession | undefined;
  services: KiteServices;
}

/** A CSV answer (instrument dumps), written with `Content-Type: text/csv`. */
export class CsvResponse {
  constructor(readonly body: string) {}
}

/** A route handler: returns the envelope's `data` (or a CsvResponse); throws KiteApiError for errors. */
export type RouteHandler = (context: RouteContext) => unknown;

/** A route of the simulated API. */
export type KiteRoute = RouteDefinition<RouteHandler>;
