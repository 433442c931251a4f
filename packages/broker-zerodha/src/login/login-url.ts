import { InvalidConfigError } from '@brokerkit/core';

/** Kite's login page (kiteconnect's `getLoginURL()` base). */
export const KITE_LOGIN_URL = 'https://kite.zerodha.com/connect/login';

/** Options of `createLoginUrl`. */
export interface LoginUrlOptions {
  apiKey: string;
  /** Extra query parameters Kite passes back to your redirect URL (Kite's `redirect_params`). */
  redirectParams?: Record<string, string>;
  /** Another login page (kite-sim serves `/connect/login`). Default Kite's. */
  loginUrl?: string;
}

/**
 * The URL where the user logs in to Kite each day; Kite then redirects to your app's registered
 * redirect URL with `?request_token=...&action=login&status=success`.
 *
 * @example
 * createLoginUrl({ apiKey: 'abc' }); // https://kite.zerodha.com/connect/login?v=3&api_key=abc
 */
export function createLoginUrl(options: LoginUrlOptions): string {
  if (options.apiKey.trim() === '') {
    throw new InvalidConfigError({
      issues: [{ path: 'apiKey', message: 'must not be empty' }],
      broker: 'zerodha',
    });
  }
  const url = new URL(options.loginUrl ?? KITE_LOGIN_URL);
  url.searchParams.set('v', '3');
  url.searchParams.set('api_key', options.apiKey.trim());
  if (options.redirectParams !== undefined && Object.keys(options.redirectParams).length > 0) {
    url.searchParams.set('redirect_params', new URLSearchParams(options.redirectParams).toString());
  }
  return url.toString();
}

/**
 * The request token from what the user pastes: the whole redirect URL, its query string, or the
 * bare token. Throws InvalidConfigError when the redirect says the login failed or has no token.
 */
export function parseRequestToken(input: string): string {
  const text = input.trim();
  if (/^[A-Za-z0-9]+$/.test(text)) return text;
  let params: URLSearchParams;
  try {
    params = new URL(text).searchParams;
  } catch {
    params = new URLSearchParams(text.startsWith('?') ? text.slice(1) : text);
  }
  const status = params.get('status');
  if (status !== null && status !== 'success') {
    throw invalidRedirect(`the login did not succeed (status=${status}); log in again`);
  }
  const token = params.get('request_token');
  if (token === null || !/^[A-Za-z0-9]+$/.test(token)) {
    throw invalidRedirect('no request_token in it: paste the whole URL Kite redirected to after the login');
  }
  return token;
}

function invalidRedirect(message: string): InvalidConfigError {
  return new InvalidConfigError({ issues: [{ path: 'requestToken', message }], broker: 'zerodha' });
}
