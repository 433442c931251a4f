import type { BrokerLogger } from '@brokerkit/core';
import { createIsolatedKiteTicker, type IsolatedKiteTicker } from './isolated-kite-ticker.js';

/** What the stream reports to its owner. */
export interface OrderUpdateStreamHandlers {
  /** An `order_update` payload (Kite's postback fields). */
  onOrderUpdate(payload: unknown): void;
  /** The socket is open (first time or after a reconnect). */
  onUp(reconnected: boolean): void;
  /** The socket closed or could not open; the stream keeps trying. */
  onDown(reason: string): void;
  /** The server refused the handshake (HTTP 403: bad or expired token). */
  onRefused(reason: string): void;
}

/** Options of an `OrderUpdateStream`. */
export interface OrderUpdateStreamOptions {
  apiKey: string;
  accessToken: () => string;
  /** WebSocket URL (`wss://ws.kite.trade/`, kite-sim's `tickerRoot`). */
  url: string;
  handlers: OrderUpdateStreamHandlers;
  logger: BrokerLogger;
  /** First reconnect delay in ms; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Kite order updates from the ticker WebSocket (KiteTicker's `order_update` event), with our own
 * reconnect: KiteTicker runs with `reconnect: false`, because its own reconnect ends the process
 * with `process.exit(1)` after `disconnect()` or after its last retry (kite-connect-api.md section
 * 8). Each connection is a fresh, isolated KiteTicker; reconnects back off exponentially with
 * jitter and never stop until `stop()`.
 */
export class OrderUpdateStream {
  readonly #options: OrderUpdateStreamOptions;
  #current: IsolatedKiteTicker | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #stopped = true;
  #everUp = false;
  #up = false;

  constructor(options: OrderUpdateStreamOptions) {
    this.#options = options;
  }

  /** True while the socket is open. */
  get isUp(): boolean {
    return this.#up;
  }

  /**
   * Opens the stream; resolves `true` once the socket is open, `false` if it is not open within
   * `waitMs` (it keeps trying in the background).
   */
  start(waitMs: number): Promise<boolean> {
    this.#stopped = false;
    this.#everUp = false;
    this.#attempt = 0;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (value: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => settle(false), waitMs);
      timer.unref?.();
      this.#open((up) => settle(up));
    });
  }

  /** Closes the socket and stops reconnecting. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const current = this.#current;
    this.#current = undefined;
    this.#up = false;
    current?.dispose();
  }

  #open(firstResult?: (up: boolean) => void): void {
    if (this.#stopped) return;
    const { apiKey, accessToken, url, handlers, logger } = this.#options;
    let instance: IsolatedKiteTicker;
    try {
      instance = createIsolatedKiteTicker({
        api_key: apiKey,
        access_token: accessToken(),
        root: url,
        reconnect: false,
      });
    } catch (error) {
      logger.error('zerodha: could not create the order-update ticker', { reason: (error as Error).message });
      firstResult?.(false);
      this.#scheduleReconnect();
      return;
    }
    this.#current = instance;
    let down = false;
    let lastError = '';
    const isCurrent = () => this.#current === instance && !this.#stopped;
    const goDown = (reason: string) => {
      if (down || !isCurrent()) return;
      down = true;
      logger.debug('zerodha: order-update socket closed', { reason, attempt: this.#attempt });
      const wasUp = this.#up;
      this.#up = false;
      this.#current = undefined;
      instance.dispose();
      firstResult?.(false);
      if (/\b403\b/.test(reason)) handlers.onRefused(reason);
      if (wasUp || this.#attempt === 0) handlers.onDown(reason);
      this.#scheduleReconnect();
    };
    const { ticker } = instance;
    ticker.on('connect', () => {
      if (!isCurrent()) return;
      const reconnected = this.#everUp;
      this.#everUp = true;
      this.#up = true;
      this.#attempt = 0;
      firstResult?.(true);
      handlers.onUp(reconnected);
    });
    ticker.on('order_update', (payload) => {
      if (isCurrent()) handlers.onOrderUpdate(payload);
    });
    // Only the message of socket errors is kept: the event's target is the WebSocket, whose URL
    // carries the access token.
    ticker.on('error', (event) => {
      lastError = messageOf(event);
    });
    ticker.on('close', () => goDown(lastError || 'the ticker connection closed'));
    ticker.on('disconnect', () => goDown(lastError || 'the ticker connection was lost'));
    logger.debug('zerodha: opening the order-update socket', { attempt: this.#attempt });
    try {
      ticker.connect();
    } catch (error) {
      goDown((error as Error).message);
    }
  }

  #scheduleReconnect(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    const initial = this.#options.initialDelayMs ?? 250;
    const max = this.#options.maxDelayMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** Math.min(this.#attempt, 20));
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.#attempt++;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#open();
    }, delay);
  }
}

function messageOf(event: unknown): string {
  if (typeof event === 'object' && event !== null && 'message' in event) {
    const message = (event as { message: unknown }).message;
    if (typeof message === 'string')
      return message.replace(/access_token=[^&\s]*/g, 'access_token=[redacted]');
  }
  return 'ticker socket error';
}
