import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeError, writeSuccess } from '../http/envelope.js';
import { KiteApiError } from '../http/kite-api-error.js';
import type { SessionStore } from './session-store.js';

/**
 * `GET /connect/login?api_key=…&v=3`: the simulated login. There is no form: the user is logged
 * in at once and gets a request token, by a 302 to `redirectUrl?action=login&type=login&status=success&request_token=…`
 * when a redirect URL is configured (as Kite redirects), otherwise as JSON `{"status":"success","data":{"request_token":…}}`.
 * (kiteconnect's `getLoginURL()` always points at kite.zerodha.com; open this URL instead.)
 */
export function createLoginHandler(sessions: SessionStore, redirectUrl: string | undefined) {
  return (
    request: IncomingMessage,
    response: ServerResponse,
    _pathname: string,
    query: URLSearchParams,
  ): void => {
    request.resume();
    if (request.method !== 'GET') {
      writeError(response, new KiteApiError(405, 'GeneralException', 'Method not allowed'));
      return;
    }
    if (query.get('api_key') !== sessions.apiKey) {
      writeError(response, new KiteApiError(400, 'InputException', 'Invalid `api_key`.'));
      return;
    }
    const requestToken = sessions.issueRequestToken();
    if (redirectUrl === undefined) {
      writeSuccess(response, { request_token: requestToken });
      return;
    }
    const target = new URL(redirectUrl);
    target.searchParams.set('action', 'login');
    target.searchParams.set('type', 'login');
    target.searchParams.set('status', 'success');
    target.searchParams.set('request_token', requestToken);
    response.writeHead(302, { Location: target.toString(), 'Content-Length': 0 });
    response.end();
  };
}
