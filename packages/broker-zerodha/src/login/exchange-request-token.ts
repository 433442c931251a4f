import { AuthenticationError, type BrokerError, redactDeep, Secret } from '@brokerkit/core';
import { KiteConnect } from 'kiteconnect';
import { DEFAULT_KITE_ROOT } from '../config.js';
import { toKiteFailure } from '../kite/kite-failure.js';
import { classifyKiteFailure, toBrokerError } from '../mapping/kite-error-map.js';
import { kiteTimestampToEpoch } from '../time/ist-clock.js';

/** Options of `exchangeRequestToken`. */
export interface ExchangeRequestTokenOptions {
  apiKey: string;
  apiSecret: Secret | string;
  /** The `request_token` of the login redirect (valid for a few minutes, once). */
  requestToken: Secret | string;
  /** API base URL. Default `https://api.kite.trade`. */
  root?: string;
  timeoutMs?: number;
}

/** A Kite session: what `POST /session/token` returned, with the credentials as Secrets. */
export interface KiteSession {
  accessToken: Secret;
  userId: string;
  apiKey: string;
  userName: string | undefined;
  /** Epoch ms of the login. */
  loginTime: number;
  /** The rest of Kite's answer with every token redacted. */
  raw: unknown;
}

const reveal = (value: Secret | string) => (Secret.isSecret(value) ? value.reveal() : value);

/**
 * Exchanges the login redirect's request token for the day's access token (kiteconnect's
 * `generateSession`: checksum = SHA-256 of api key + request token + api secret). Throws
 * AuthenticationError when Kite refuses (stale or reused request token, wrong secret).
 */
export async function exchangeRequestToken(options: ExchangeRequestTokenOptions): Promise<KiteSession> {
  const kite = new KiteConnect({
    api_key: options.apiKey,
    root: options.root ?? DEFAULT_KITE_ROOT,
    timeout: options.timeoutMs ?? 7_000,
  });
  let response: Record<string, unknown>;
  try {
    response = (await kite.generateSession(
      reveal(options.requestToken),
      reveal(options.apiSecret),
    )) as unknown as Record<string, unknown>;
  } catch (rejection) {
    throw loginError(rejection, options.root);
  }
  const accessToken = response.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw loginError(
      { error_type: 'DataException', message: 'Kite answered without an access token' },
      options.root,
    );
  }
  return {
    accessToken: new Secret(accessToken),
    userId: String(response.user_id ?? ''),
    apiKey: options.apiKey,
    userName: typeof response.user_name === 'string' ? response.user_name : undefined,
    loginTime: kiteTimestampToEpoch(response.login_time) ?? Date.now(),
    raw: redactDeep(response),
  };
}

function loginError(rejection: unknown, root: string | undefined): BrokerError {
  const failure = toKiteFailure(rejection);
  if (classifyKiteFailure(failure) === 'session') {
    // At login the usual cause is the request token, not the daily expiry.
    return new AuthenticationError({
      message: `zerodha: Kite refused the login: ${failure.message || failure.errorType}`,
      hint: "a request token is valid for a few minutes and only once, and the API secret must be your app's: log in again for a new one",
      brokerCode: failure.errorType,
      raw: failure.payload,
      broker: 'zerodha',
    });
  }
  return toBrokerError(failure, {
    operation: 'connect',
    method: 'exchangeRequestToken',
    broker: 'zerodha',
    ...(root === undefined ? {} : { root }),
  });
}
