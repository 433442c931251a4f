import { backOff } from 'exponential-backoff';
import { KiteConnect } from 'kiteconnect';
import { classifyKiteFailure } from '../mapping/kite-error-map.js';
import type { KiteRequestClass } from '../rate-limit/kite-rate-limits.js';
import type { KiteRateScheduler } from '../rate-limit/kite-rate-scheduler.js';
import { isKiteErrorShape, KITE_HTTP_STATUS, type KiteFailure, toKiteFailure } from './kite-failure.js';

/** Parameters of `POST /orders/regular` as this plugin sends them (kite-connect-api.md 2.2). */
export interface KitePlaceOrderParams {
  exchange: string;
  tradingsymbol: string;
  transaction_type: 'BUY' | 'SELL';
  quantity: number;
  product: string;
  order_type: string;
  validity: string;
  price?: number;
  trigger_price?: number;
  market_protection?: number;
  tag?: string;
}

/** Parameters of `PUT /orders/regular/:order_id`. */
export interface KiteModifyOrderParams {
  quantity?: number;
  price?: number;
  trigger_price?: number;
  order_type?: string;
  validity?: string;
  market_protection?: number;
}

/** One order of `POST /margins/orders`. */
export interface KiteMarginOrder {
  exchange: string;
  tradingsymbol: string;
  transaction_type: 'BUY' | 'SELL';
  variety: string;
  product: string;
  order_type: string;
  quantity: number;
  price: number;
  trigger_price: number;
}

/** The slice of kiteconnect's `KiteConnect` this plugin calls (its published types lack some fields). */
interface KiteConnectMethods {
  getProfile(): Promise<unknown>;
  getMargins(segment?: string): Promise<unknown>;
  getPositions(): Promise<unknown>;
  getHoldings(): Promise<unknown>;
  getOrders(): Promise<unknown>;
  getOrderHistory(orderId: string): Promise<unknown>;
  getInstruments(exchange?: string): Promise<unknown>;
  orderMargins(orders: KiteMarginOrder[], mode?: string): Promise<unknown>;
  placeOrder(variety: string, params: Record<string, unknown>): Promise<unknown>;
  modifyOrder(variety: string, orderId: string, params: Record<string, unknown>): Promise<unknown>;
  cancelOrder(variety: string, orderId: string, params?: Record<string, unknown>): Promise<unknown>;
}

/** The axios instance kiteconnect keeps (not in its types). */
interface AxiosLike {
  defaults?: AxiosConfigLike;
  interceptors?: {
    request?: {
      use(
        onFulfilled: (config: AxiosConfigLike) => AxiosConfigLike,
        onRejected?: undefined,
        options?: { synchronous?: boolean; runWhen?: (config: AxiosConfigLike) => boolean },
      ): unknown;
    };
  };
}
interface AxiosConfigLike {
  transformResponse?: unknown;
}

/** A failed call: the normalised failure travels to the broker, which maps it for the operation. */
export class KiteCallError extends Error {
  override readonly name = 'KiteCallError';
  constructor(readonly failure: KiteFailure) {
    super(`${failure.errorType}: ${failure.message}`);
  }
}

/** Options of a `KiteClient`. */
export interface KiteClientOptions {
  apiKey: string;
  accessToken: string;
  root: string;
  timeoutMs: number;
  scheduler: KiteRateScheduler;
  /**
   * How long each kind of request may wait for its rate-limit slot before it is refused unsent: just
   * under the caller's timeout for the operation, so that "not sent" is never mistaken for "sent".
   */
  maxWaitMs: { placeOrder: number; modifyOrder: number; cancelOrder: number; read: number };
}

/** Socket errors of a connection closed under the request (stale keep-alive socket, dropped link). */
const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Retries of an idempotent read that met a 429, a 5xx or a reset connection: three attempts, full
 * jitter, at most 1.5 s apart. Why exponential-backoff (coveooss, 3.1.x, no dependencies, plain
 * CommonJS with types): it takes a `retry(error)` predicate, so only retryable kinds go again, and it
 * loads from both of this package's builds on every Node 20. p-retry 7+ is ESM-only.
 */
const READ_RETRY = {
  numOfAttempts: 3,
  startingDelay: 200,
  timeMultiple: 2,
  maxDelay: 1_500,
  jitter: 'full',
} as const;

/**
 * kiteconnect behind Kite's rate limits. Every call goes through the scheduler; reads that meet a
 * 429, a server error or a reset connection are retried with backoff (they are idempotent); order
 * requests never are.
 * Failures are thrown as `KiteCallError` with the HTTP status attached.
 */
export class KiteClient {
  readonly #kite: KiteConnectMethods;
  readonly #scheduler: KiteRateScheduler;
  readonly #maxWaitMs: KiteClientOptions['maxWaitMs'];

  constructor(options: KiteClientOptions) {
    const kite = new KiteConnect({
      api_key: options.apiKey,
      access_token: options.accessToken,
      root: options.root,
      timeout: options.timeoutMs,
    });
    tagHttpStatus((kite as unknown as { requestInstance?: AxiosLike }).requestInstance);
    this.#kite = kite as unknown as KiteConnectMethods;
    this.#scheduler = options.scheduler;
    this.#maxWaitMs = options.maxWaitMs;
  }

  getProfile(): Promise<unknown> {
    return this.#read(() => this.#kite.getProfile());
  }

  getMargins(): Promise<unknown> {
    return this.#read(() => this.#kite.getMargins());
  }

  getPositions(): Promise<unknown> {
    return this.#read(() => this.#kite.getPositions());
  }

  getHoldings(): Promise<unknown> {
    return this.#read(() => this.#kite.getHoldings());
  }

  getOrders(): Promise<unknown> {
    return this.#read(() => this.#kite.getOrders());
  }

  getOrderHistory(orderId: string): Promise<unknown> {
    return this.#read(() => this.#kite.getOrderHistory(orderId));
  }

  getInstruments(exchange: string): Promise<unknown> {
    return this.#read(() => this.#kite.getInstruments(exchange));
  }

  /** Order margins in `full` mode (span, exposure, option premium, charges); `compact` has totals only. */
  orderMargins(orders: KiteMarginOrder[]): Promise<unknown> {
    return this.#read(() => this.#kite.orderMargins(orders, 'full'));
  }

  placeOrder(variety: string, params: KitePlaceOrderParams): Promise<unknown> {
    // kiteconnect writes `variety` into the object it is given: hand it a copy.
    return this.#send(
      'orders',
      () => this.#kite.placeOrder(variety, { ...params }),
      0,
      this.#maxWaitMs.placeOrder,
    );
  }

  modifyOrder(variety: string, orderId: string, params: KiteModifyOrderParams): Promise<unknown> {
    return this.#send(
      'orders',
      () => this.#kite.modifyOrder(variety, orderId, { ...params }),
      1,
      this.#maxWaitMs.modifyOrder,
    );
  }

  cancelOrder(variety: string, orderId: string): Promise<unknown> {
    return this.#send(
      'orders',
      () => this.#kite.cancelOrder(variety, orderId),
      2,
      this.#maxWaitMs.cancelOrder,
    );
  }

  async #read<T>(call: () => Promise<T>): Promise<T> {
    return backOff(() => this.#send('others', call, 0, this.#maxWaitMs.read), {
      ...READ_RETRY,
      retry: (error: unknown) => {
        if (!(error instanceof KiteCallError)) return false;
        const kind = classifyKiteFailure(error.failure);
        // A reset socket is usually a keep-alive connection the server had closed: reads are
        // idempotent, so they go again on a new one. Timeouts are not retried (the caller's
        // timeout is already running out).
        const reset = kind === 'no-answer' && RESET_CODES.has(error.failure.networkCode ?? '');
        return kind === 'rate-limit' || kind === 'server' || reset;
      },
    });
  }

  #send<T>(
    requestClass: KiteRequestClass,
    call: () => Promise<T>,
    priority: number,
    maxWaitMs: number,
  ): Promise<T> {
    return this.#scheduler.schedule(requestClass, call, {
      priority,
      maxWaitMs,
      onAnswer: checkResult,
      onFailure: rethrow,
    });
  }
}

/**
 * kiteconnect *resolves* with an error-shaped object when the content type is unknown, and a JSON
 * error body under HTTP 200 ("Too many requests", OpenAlgo) must not pass as data.
 */
function checkResult<T>(result: T): T {
  if (isKiteErrorShape(result)) throw new KiteCallError(toKiteFailure(result));
  return result;
}

function rethrow(rejection: unknown): never {
  throw new KiteCallError(toKiteFailure(rejection));
}

/**
 * Adds a response transformer to every request that records the HTTP status on error bodies, so
 * that the error table can tell a 400 NetworkException (a refusal) from a 503 one (outcome unknown).
 * kiteconnect's own interceptor then rejects with that same body object. Uses only public axios
 * API (instance defaults, request interceptors with `runWhen`, transformResponse, whose third
 * argument is the status). The transformer sits in the instance's defaults, so an ordinary request
 * costs nothing extra; the interceptor runs only for requests that bring their own transformers
 * (kiteconnect's CSV downloads) and adds it to those.
 */
function tagHttpStatus(instance: AxiosLike | undefined): void {
  const use = instance?.interceptors?.request?.use;
  if (typeof use !== 'function') return;
  const tag = (data: unknown, _headers: unknown, status: unknown) => {
    // Error statuses only: tagging every success would change the shape of each answer object.
    if (
      typeof status === 'number' &&
      status >= 300 &&
      typeof data === 'object' &&
      data !== null &&
      !(KITE_HTTP_STATUS in data)
    ) {
      Object.defineProperty(data, KITE_HTTP_STATUS, { value: status, enumerable: false });
    }
    return data;
  };
  const withTag = (current: unknown): unknown[] => {
    const list = Array.isArray(current) ? current : current === undefined ? [] : [current];
    return [...list, tag];
  };
  const hasTag = (current: unknown) => current === tag || (Array.isArray(current) && current.includes(tag));
  const defaults = instance!.defaults;
  if (defaults !== undefined) defaults.transformResponse = withTag(defaults.transformResponse);
  use.call(
    instance!.interceptors!.request,
    (config: AxiosConfigLike) => {
      config.transformResponse = withTag(config.transformResponse);
      return config;
    },
    undefined,
    { synchronous: true, runWhen: (config: AxiosConfigLike) => !hasTag(config.transformResponse) },
  );
}
