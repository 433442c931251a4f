import { type AccessSession, STALE_REQUEST_TOKEN_MESSAGE } from '../auth/session-store.js';
import { KiteApiError } from '../http/kite-api-error.js';
import { formatIstDateTime } from '../time/ist-time.js';
import type { KiteRoute, UserProfile } from './route-context.js';

/** Exchanges, products and order types the simulated user has (profile.json). */
export const USER_EXCHANGES = ['NSE', 'NFO', 'BFO', 'CDS', 'BSE', 'MCX', 'BCD', 'MF'];
export const USER_PRODUCTS = ['CNC', 'NRML', 'MIS', 'BO', 'CO'];
export const USER_ORDER_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'];

/** GET /user/profile (profile.json). */
export function profileJson(profile: UserProfile): Record<string, unknown> {
  return {
    user_id: profile.userId,
    user_type: 'individual',
    email: profile.email,
    user_name: profile.userName,
    user_shortname: profile.userShortname,
    broker: 'ZERODHA',
    exchanges: [...USER_EXCHANGES],
    products: [...USER_PRODUCTS],
    order_types: [...USER_ORDER_TYPES],
    avatar_url: null,
    meta: { demat_consent: 'physical' },
  };
}

/** POST /session/token response (generate_session.json). */
export function sessionJson(profile: UserProfile, session: AccessSession): Record<string, unknown> {
  return {
    user_type: 'individual',
    email: profile.email,
    user_name: profile.userName,
    user_shortname: profile.userShortname,
    broker: 'ZERODHA',
    exchanges: [...USER_EXCHANGES],
    products: [...USER_PRODUCTS],
    order_types: [...USER_ORDER_TYPES],
    avatar_url: null,
    user_id: profile.userId,
    api_key: session.apiKey,
    access_token: session.accessToken,
    public_token: session.publicToken,
    enctoken: session.enctoken,
    refresh_token: '',
    silo: '',
    login_time: formatIstDateTime(session.loginTime),
    meta: { demat_consent: 'physical' },
  };
}

/** Session endpoints: they authenticate with api_key + checksum, not the Authorization header. */
export const SESSION_ROUTES: KiteRoute[] = [
  {
    method: 'POST',
    pattern: '/session/token',
    rateClass: 'other',
    authenticated: false,
    body: 'form',
    handler: ({ params, services }) => {
      const session = services.sessions.exchangeRequestToken(
        params.get('api_key'),
        params.get('request_token'),
        params.get('checksum'),
      );
      return sessionJson(services.profile, session);
    },
  },
  {
    method: 'DELETE',
    pattern: '/session/token',
    rateClass: 'other',
    authenticated: false,
    body: 'none',
    handler: ({ params, services }) => {
      const accessToken = params.get('access_token');
      if (params.get('api_key') === services.sessions.apiKey && accessToken !== undefined) {
        services.sessions.invalidate(accessToken);
      }
      return true;
    },
  },
  {
    // Refresh tokens are only issued to approved platforms; sessions here carry refresh_token "".
    method: 'POST',
    pattern: '/session/refresh_token',
    rateClass: 'other',
    authenticated: false,
    body: 'form',
    handler: () => {
      throw new KiteApiError(403, 'TokenException', STALE_REQUEST_TOKEN_MESSAGE);
    },
  },
  {
    method: 'GET',
    pattern: '/user/profile',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ services }) => profileJson(services.profile),
  },
];
