import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AccessSession, SessionStore } from '../auth/session-store.js';
import type { InstrumentTable } from '../instruments/instrument-table.js';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import type { MarketData } from '../market/market-data.js';
import { encodeTickMessage, HEARTBEAT_FRAME, type TickInMode } from './packet-encoder.js';
import type { TickerMode } from './tick-snapshot.js';

/** Instruments one connection may subscribe to (Kite's documented limit). */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 3000;
/** Most bytes a client frame may have; bigger frames close that connection (1009). */
const MAX_CLIENT_FRAME_BYTES = 1 << 20;
const MODES: ReadonlySet<string> = new Set(['ltp', 'quote', 'full']);

/** Options of a `TickerServer`. */
export interface TickerServerOptions {
  sessions: SessionStore;
  table: InstrumentTable;
  market: MarketData;
  /** Starts / stops the engine stepping an instrument's price while someone subscribes to it. */
  watch: (row: KiteInstrument) => void;
  unwatch: (row: KiteInstrument) => void;
  /** Milliseconds between heartbeats. Default 1,000. */
  heartbeatMs?: number;
  /** A reason to refuse the next handshake (engine connect faults), consumed per attempt. */
  takeConnectFailure?: () => string | undefined;
  /** Unexpected internal errors (bugs); the connection that caused one is closed, the server keeps running. */
  onError?: (error: unknown) => void;
}

interface TickerClient {
  socket: WebSocket;
  session: AccessSession;
  subscriptions: Map<number, TickerMode>;
}

/**
 * The Kite ticker WebSocket: token-checked handshake (HTTP 403 on a bad api_key / access_token),
 * JSON `subscribe` / `unsubscribe` / `mode` commands, binary tick messages in Kite's layouts,
 * a one-byte heartbeat every second and `{"type":"order","data":…}` order-update text frames.
 *
 * A malformed frame closes at most its own connection (the ws library checks framing, JSON is
 * parsed in a try); the server keeps running.
 */
export class TickerServer {
  readonly #options: TickerServerOptions;
  readonly #wss: WebSocketServer;
  readonly #clients = new Set<TickerClient>();
  readonly #subscribers = new Map<number, number>();
  readonly #dirty = new Set<number>();
  #flushScheduled = false;
  readonly #heartbeat: NodeJS.Timeout;
  #closed = false;

  constructor(options: TickerServerOptions) {
    this.#options = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_CLIENT_FRAME_BYTES,
      clientTracking: false,
    });
    this.#heartbeat = setInterval(() => this.#sendHeartbeats(), options.heartbeatMs ?? 1_000);
    this.#heartbeat.unref();
  }

  /** Open ticker connections. */
  get connections(): number {
    return this.#clients.size;
  }

  /** Handles an HTTP upgrade request (any path): authenticates, then completes the WebSocket handshake. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.#closed) {
      rejectHandshake(socket, 503, 'Service Unavailable');
      return;
    }
    const failure = this.#options.takeConnectFailure?.();
    if (failure !== undefined) {
      rejectHandshake(socket, 503, 'Service Unavailable');
      return;
    }
    const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
    const session = this.#options.sessions.find(
      query.get('api_key') ?? undefined,
      query.get('access_token') ?? undefined,
    );
    if (session === undefined) {
      rejectHandshake(socket, 403, 'Forbidden');
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, session));
  }

  /** Marks an instrument's tick as changed; subscribers get it on the next flush. */
  markChanged(instrumentToken: number): void {
    if (!this.#subscribers.has(instrumentToken)) return;
    this.#dirty.add(instrumentToken);
    this.#scheduleFlush();
  }

  /** Sends an order update to every connection of the order's user. */
  sendOrderUpdate(userId: string, payload: unknown): void {
    if (this.#clients.size === 0) return;
    const frame = JSON.stringify({ type: 'order', data: payload });
    for (const client of this.#clients) {
      if (client.session.userId === userId && client.socket.readyState === client.socket.OPEN)
        client.socket.send(frame);
    }
  }

  /** Cuts every connection without a close frame, as a network failure would (clients see 1006). */
  dropConnections(): void {
    for (const client of [...this.#clients]) client.socket.terminate();
  }

  /** Cuts every connection and stops the heartbeat; later handshakes get 503. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const client of [...this.#clients]) client.socket.terminate();
    this.#clients.clear();
    this.#wss.close();
  }

  #accept(socket: WebSocket, session: AccessSession): void {
    const client: TickerClient = { socket, session, subscriptions: new Map() };
    this.#clients.add(client);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        this.#onCommand(client, data.toString());
      } catch (error) {
        this.#options.onError?.(error);
        socket.terminate();
      }
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => this.#remove(client));
  }

  #remove(client: TickerClient): void {
    if (!this.#clients.delete(client)) return;
    for (const token of client.subscriptions.keys()) this.#release(token);
    client.subscriptions.clear();
  }

  #onCommand(client: TickerClient, text: string): void {
    let command: unknown;
    try {
      command = JSON.parse(text);
    } catch {
      this.#sendError(client, 'Invalid message: not JSON');
      return;
    }
    if (typeof command !== 'object' || command === null) {
      this.#sendError(client, 'Invalid message');
      return;
    }
    const { a: action, v: value } = command as { a?: unknown; v?: unknown };
    switch (action) {
      case 'subscribe':
        this.#subscribe(client, tokensOf(value), undefined);
        return;
      case 'unsubscribe':
        for (const token of tokensOf(value)) {
          if (client.subscriptions.delete(token)) this.#release(token);
        }
        return;
      case 'mode': {
        if (!Array.isArray(value) || typeof value[0] !== 'string' || !MODES.has(value[0])) {
          this.#sendError(client, 'Invalid mode');
          return;
        }
        this.#subscribe(client, tokensOf(value[1]), value[0] as TickerMode);
        return;
      }
      default:
        this.#sendError(client, 'Invalid message: unknown action');
    }
  }

  #subscribe(client: TickerClient, tokens: number[], mode: TickerMode | undefined): void {
    const changed: TickInMode[] = [];
    for (const token of tokens) {
      const row = this.#options.table.byToken(token);
      if (row === undefined) continue;
      const current = client.subscriptions.get(token);
      if (current === undefined) {
        if (client.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          this.#sendError(
            client,
            `Subscription limit of ${MAX_SUBSCRIPTIONS_PER_CONNECTION} instruments exceeded`,
          );
          break;
        }
        client.subscriptions.set(token, mode ?? 'quote');
        this.#retain(row);
      } else if (mode !== undefined) {
        client.subscriptions.set(token, mode);
      }
      changed.push({ tick: this.#options.market.snapshot(row), mode: client.subscriptions.get(token)! });
    }
    // Like Kite, a (re)subscription gets the instrument's current tick at once.
    this.#sendTicks(client, changed);
  }

  #retain(row: KiteInstrument): void {
    const count = this.#subscribers.get(row.instrumentToken) ?? 0;
    this.#subscribers.set(row.instrumentToken, count + 1);
    if (count === 0) this.#options.watch(row);
  }

  #release(token: number): void {
    const count = this.#subscribers.get(token) ?? 0;
    if (count <= 1) {
      this.#subscribers.delete(token);
      this.#dirty.delete(token);
      const row = this.#options.table.byToken(token);
      if (row !== undefined) this.#options.unwatch(row);
    } else {
      this.#subscribers.set(token, count - 1);
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      try {
        this.#flush();
      } catch (error) {
        this.#options.onError?.(error);
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#dirty.size === 0 || this.#closed) return;
    const snapshots = new Map<number, ReturnType<MarketData['snapshot']>>();
    for (const token of this.#dirty) {
      const row = this.#options.table.byToken(token);
      if (row !== undefined) snapshots.set(token, this.#options.market.snapshot(row));
    }
    this.#dirty.clear();
    for (const client of this.#clients) {
      const ticks: TickInMode[] = [];
      for (const [token, tick] of snapshots) {
        const mode = client.subscriptions.get(token);
        if (mode !== undefined) ticks.push({ tick, mode });
      }
      this.#sendTicks(client, ticks);
    }
  }

  #sendTicks(client: TickerClient, ticks: TickInMode[]): void {
    if (ticks.length === 0 || client.socket.readyState !== client.socket.OPEN) return;
    for (let start = 0; start < ticks.length; start += 32_767) {
      client.socket.send(encodeTickMessage(ticks.slice(start, start + 32_767)), { binary: true });
    }
  }

  #sendHeartbeats(): void {
    for (const client of this.#clients) {
      if (client.socket.readyState === client.socket.OPEN)
        client.socket.send(HEARTBEAT_FRAME, { binary: true });
    }
  }

  #sendError(client: TickerClient, message: string): void {
    if (client.socket.readyState === client.socket.OPEN)
      client.socket.send(JSON.stringify({ type: 'error', data: message }));
  }
}

function tokensOf(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  const tokens: number[] = [];
  for (const item of value) {
    const token =
      typeof item === 'number'
        ? item
        : typeof item === 'string' && /^\d+$/.test(item)
          ? Number(item)
          : Number.NaN;
    if (Number.isSafeInteger(token) && token > 0) tokens.push(token);
  }
  return tokens;
}

function rejectHandshake(socket: Duplex, status: number, statusText: string): void {
  const body = `${status} ${statusText}`;
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
