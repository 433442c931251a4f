import { EventName, IBApi, type IBApiCreationOptions } from '@stoqey/ib';

/** Why a connection attempt did not become ready. */
export type SessionFailureKind =
  /** TWS answered 326: the client id is used by another connection. */
  | 'client-id-in-use'
  /** Nothing accepted the TCP connection, or the socket failed (`connect ECONNREFUSED`). */
  | 'unreachable'
  /** The socket closed before NEXT_VALID_ID. */
  | 'closed'
  /** No NEXT_VALID_ID in time. */
  | 'timeout'
  /** TWS speaks a protocol version @stoqey/ib does not (506), or is too old. */
  | 'version';

/** A connection attempt that did not become ready. */
export class SessionOpenError extends Error {
  constructor(
    readonly kind: SessionFailureKind,
    message: string,
    readonly ibCode: number | undefined,
  ) {
    super(message);
    this.name = 'SessionOpenError';
  }
}

/** Creates the @stoqey/ib client; tests pass a fake. */
export type IbApiFactory = (options: IBApiCreationOptions) => IBApi;

/**
 * @stoqey/ib's own limiter is set far above the plugin's pacer so it never holds a message back:
 * messages it queued would be written to the next socket after a reconnect.
 */
const LIBRARY_RATE_LIMIT = 500;

/**
 * One TCP connection to TWS / IB Gateway through its own `IBApi` instance. A new connection
 * gets a new instance: @stoqey/ib queues calls made while it is disconnected and sends them after
 * the next NEXT_VALID_ID (ibkr-tws-protocol.md 1.5 and 11.9), so an instance is never reused
 * after its socket closed, and nothing from a dead connection can be replayed.
 *
 * Ready means NEXT_VALID_ID received, not the socket or the server-version frame (@stoqey/ib says
 * "connected" before TWS has accepted the client id; 326 comes after that).
 */
export class IbSession {
  readonly api: IBApi;
  readonly clientId: number;
  managedAccounts: string[] = [];
  nextValidId: number | undefined;
  #state: 'idle' | 'opening' | 'ready' | 'closed' = 'idle';
  /**
   * True between NEXT_VALID_ID and the socket closing. A field rather than a getter (every call
   * reads it, and on an order's way a getter is one more call), set only by #enter with #state.
   */
  ready = false;

  constructor(
    readonly host: string,
    readonly port: number,
    clientId: number,
    factory: IbApiFactory = (options) => new IBApi(options),
  ) {
    this.clientId = clientId;
    this.api = factory({ host, port, maxReqPerSec: LIBRARY_RATE_LIMIT });
    this.api.on(EventName.managedAccounts, (list: string) => {
      this.managedAccounts = parseAccounts(list);
    });
  }

  #enter(state: 'opening' | 'ready' | 'closed'): void {
    this.#state = state;
    this.ready = state === 'ready';
  }

  /** True once closed (by either side); a closed session is never used again. */
  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** Connects and resolves at NEXT_VALID_ID; rejects with a SessionOpenError otherwise. */
  open(timeoutMs: number): Promise<void> {
    if (this.#state !== 'idle') return Promise.reject(new Error('an IbSession is opened once'));
    this.#enter('opening');
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: SessionOpenError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.api.off(EventName.nextValidId, onNextValidId);
        this.api.off(EventName.info, onInfo);
        this.api.off(EventName.error, onError);
        this.api.off(EventName.disconnected, onDisconnected);
        if (error === undefined) {
          this.#enter('ready');
          resolve();
        } else {
          this.close();
          reject(error);
        }
      };
      const onNextValidId = (orderId: number) => {
        this.nextValidId = orderId;
        finish();
      };
      const onInfo = (message: string, code: number) => {
        if (code === 326) finish(new SessionOpenError('client-id-in-use', message, 326));
      };
      const onError = (error: Error, code: number) => {
        if (code === 502) finish(new SessionOpenError('unreachable', error.message, 502));
        else if (code === 503 || code === 506) finish(new SessionOpenError('version', error.message, code));
      };
      const onDisconnected = () => {
        finish(new SessionOpenError('closed', 'TWS closed the connection before it was ready', undefined));
      };
      const timer = setTimeout(
        () => finish(new SessionOpenError('timeout', `no NEXT_VALID_ID within ${timeoutMs} ms`, undefined)),
        timeoutMs,
      );
      timer.unref?.();
      this.api.on(EventName.nextValidId, onNextValidId);
      this.api.on(EventName.info, onInfo);
      this.api.on(EventName.error, onError);
      this.api.on(EventName.disconnected, onDisconnected);
      try {
        this.api.connect(this.clientId);
      } catch (error) {
        finish(
          new SessionOpenError(
            'unreachable',
            error instanceof Error ? error.message : String(error),
            undefined,
          ),
        );
      }
    });
  }

  /** Marks the session dead (the socket closed). */
  markClosed(): void {
    this.#enter('closed');
  }

  /** Closes the socket and detaches every listener; idempotent. */
  close(): void {
    const wasOpen = this.#state !== 'closed' && this.#state !== 'idle';
    this.#enter('closed');
    this.api.removeAllListeners();
    // Swallow what the library may still emit while its socket winds down.
    this.api.on(EventName.error, () => {});
    if (wasOpen) {
      try {
        this.api.disconnect();
      } catch {
        // already gone
      }
    }
  }
}

/** `DU111,DU222,` -> `['DU111', 'DU222']`. */
export function parseAccounts(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((account) => account.trim())
    .filter((account) => account.length > 0);
}
