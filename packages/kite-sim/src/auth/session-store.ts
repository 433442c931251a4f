import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { KiteApiError } from '../http/kite-api-error.js';
import { istTimeOfDayMs, nextIstTimeOfDay } from '../time/ist-time.js';
import { constantTimeEquals, sessionChecksum } from './checksum.js';

/** Kite's message for a wrong, missing, logged-out or expired access token (403 TokenException). */
export const INCORRECT_TOKEN_MESSAGE = 'Incorrect `api_key` or `access_token`.';
/** `/session/token` with a checksum that does not match (TokenException). */
export const INVALID_CHECKSUM_MESSAGE = 'Invalid `checksum`.';
/** A request token that is unknown, already used or older than its lifetime (TokenException). */
export const STALE_REQUEST_TOKEN_MESSAGE = 'Token is invalid or has expired.';

/** One logged-in session: what an access token stands for. */
export interface AccessSession {
  readonly apiKey: string;
  readonly userId: string;
  readonly accessToken: string;
  readonly publicToken: string;
  readonly enctoken: string;
  /** Epoch ms of the login. */
  readonly loginTime: number;
  /** Epoch ms at which the token stops working; `Infinity` when daily expiry is off. */
  expiresAt: number;
}

/** Options of a `SessionStore`. */
export interface SessionStoreOptions {
  apiKey: string;
  apiSecret: string;
  userId: string;
  /** An access token valid from the start (the bin's `--access-token`). */
  accessToken?: string | undefined;
  /**
   * IST time of day at which every access token expires (`"06:00"`, the documented regulatory
   * flush), or `false` to keep tokens until logout or `expireTokens()`.
   */
  tokenExpiryTime?: string | false | undefined;
  /** Lifetime of a request token, in ms. Default 5 minutes. */
  requestTokenTtlMs?: number | undefined;
  /** Time source (the simulator's clock). */
  now: () => number;
}

interface RequestTokenEntry {
  issuedAt: number;
  used: boolean;
}

const DEFAULT_REQUEST_TOKEN_TTL_MS = 5 * 60_000;

function newToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The app (api_key + api_secret), its user, request tokens and access tokens. Secrets are never
 * printed: `JSON.stringify` and `util.inspect` show only the api_key and counts.
 */
export class SessionStore {
  readonly apiKey: string;
  readonly userId: string;
  readonly #apiSecret: string;
  readonly #requestTokens = new Map<string, RequestTokenEntry>();
  readonly #accessTokens = new Map<string, AccessSession>();
  readonly #expiryTimeMs: number | undefined;
  readonly #requestTokenTtlMs: number;
  readonly #now: () => number;

  constructor(options: SessionStoreOptions) {
    if (options.apiKey === '' || options.apiSecret === '' || options.userId === '') {
      throw new RangeError('apiKey, apiSecret and userId must be non-empty strings');
    }
    this.apiKey = options.apiKey;
    this.userId = options.userId;
    this.#apiSecret = options.apiSecret;
    this.#now = options.now;
    const expiry = options.tokenExpiryTime ?? '06:00';
    this.#expiryTimeMs = expiry === false ? undefined : istTimeOfDayMs(expiry, 'tokenExpiryTime');
    this.#requestTokenTtlMs = options.requestTokenTtlMs ?? DEFAULT_REQUEST_TOKEN_TTL_MS;
    if (options.accessToken !== undefined) this.issueAccessToken(options.accessToken);
  }

  /** The app's secret, for checksums (postbacks). Never log it. */
  get apiSecret(): string {
    return this.#apiSecret;
  }

  /** Issues a request token, as the login redirect does (`?request_token=…`). Valid once, for 5 minutes. */
  issueRequestToken(): string {
    const token = newToken();
    this.#requestTokens.set(token, { issuedAt: this.#now(), used: false });
    return token;
  }

  /**
   * `POST /session/token`: checks the api_key, the request token (known, unused, fresh) and the
   * checksum, then issues an access token. Throws 403 TokenException with Kite's messages.
   */
  exchangeRequestToken(
    apiKey: string | undefined,
    requestToken: string | undefined,
    checksum: string | undefined,
  ): AccessSession {
    if (apiKey === undefined || apiKey !== this.apiKey)
      throw new KiteApiError(403, 'TokenException', INCORRECT_TOKEN_MESSAGE);
    if (requestToken === undefined) throw new KiteApiError(400, 'InputException', 'Invalid `request_token`.');
    if (checksum === undefined) throw new KiteApiError(400, 'InputException', 'Invalid `checksum`.');
    const entry = this.#requestTokens.get(requestToken);
    const now = this.#now();
    if (entry === undefined || entry.used || now - entry.issuedAt > this.#requestTokenTtlMs) {
      throw new KiteApiError(403, 'TokenException', STALE_REQUEST_TOKEN_MESSAGE);
    }
    if (!constantTimeEquals(checksum.toLowerCase(), sessionChecksum(apiKey, requestToken, this.#apiSecret))) {
      throw new KiteApiError(403, 'TokenException', INVALID_CHECKSUM_MESSAGE);
    }
    entry.used = true;
    return this.issueAccessToken();
  }

  /** Issues an access token (a given one, or a new random one) valid until the next daily expiry. */
  issueAccessToken(accessToken: string = newToken()): AccessSession {
    const now = this.#now();
    const session: AccessSession = {
      apiKey: this.apiKey,
      userId: this.userId,
      accessToken,
      publicToken: newToken(),
      enctoken: randomBytes(24).toString('base64'),
      loginTime: now,
      expiresAt:
        this.#expiryTimeMs === undefined
          ? Number.POSITIVE_INFINITY
          : nextIstTimeOfDay(now, this.#expiryTimeMs),
    };
    this.#accessTokens.set(accessToken, session);
    return session;
  }

  /**
   * Checks an `Authorization: token api_key:access_token` header. Throws 403 TokenException
   * "Incorrect `api_key` or `access_token`." when it is missing, malformed, unknown, logged out or expired.
   */
  authenticate(authorization: string | undefined): AccessSession {
    if (authorization?.startsWith('token ')) {
      const credentials = authorization.slice(6).trim();
      const colon = credentials.indexOf(':');
      if (colon > 0) {
        const session = this.find(credentials.slice(0, colon), credentials.slice(colon + 1));
        if (session !== undefined) return session;
      }
    }
    throw new KiteApiError(403, 'TokenException', INCORRECT_TOKEN_MESSAGE);
  }

  /** The live session of an api_key + access_token pair (ticker handshake), or `undefined`. */
  find(apiKey: string | undefined, accessToken: string | undefined): AccessSession | undefined {
    if (apiKey !== this.apiKey || accessToken === undefined) return undefined;
    const session = this.#accessTokens.get(accessToken);
    if (session === undefined) return undefined;
    if (this.#now() >= session.expiresAt) {
      this.#accessTokens.delete(accessToken);
      return undefined;
    }
    return session;
  }

  /** Logs a token out (`DELETE /session/token`). True when it was live. */
  invalidate(accessToken: string): boolean {
    return this.#accessTokens.delete(accessToken);
  }

  /** Expires every access token now (as the daily flush does). */
  expireAll(): number {
    const count = this.#accessTokens.size;
    this.#accessTokens.clear();
    return count;
  }

  /** Number of live access tokens. */
  get activeSessions(): number {
    const now = this.#now();
    let count = 0;
    for (const session of this.#accessTokens.values()) if (now < session.expiresAt) count++;
    return count;
  }

  toJSON(): Record<string, unknown> {
    return {
      apiKey: this.apiKey,
      userId: this.userId,
      apiSecret: '[redacted]',
      sessions: this.#accessTokens.size,
    };
  }

  [inspect.custom](): string {
    return `SessionStore ${JSON.stringify(this.toJSON())}`;
  }
}
