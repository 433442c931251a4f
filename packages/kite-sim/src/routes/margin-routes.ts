import { contractNote } from '../charges/contract-note.js';
import { parseMarginOrders } from '../margins/margin-order-input.js';
import { basketMargins, orderMargins } from '../margins/order-margins.js';
import type { KiteRoute } from './route-context.js';

/** Order margins, basket margins and the virtual contract note (JSON bodies). */
export const MARGIN_ROUTES: KiteRoute[] = [
  {
    method: 'POST',
    pattern: '/margins/orders',
    rateClass: 'other',
    authenticated: true,
    body: 'json',
    handler: ({ params, body, services }) =>
      orderMargins(
        parseMarginOrders(body, services.table),
        services.market,
        params.get('mode') === 'compact',
      ),
  },
  {
    method: 'POST',
    pattern: '/margins/basket',
    rateClass: 'other',
    authenticated: true,
    body: 'json',
    handler: ({ params, body, services }) =>
      basketMargins(
        parseMarginOrders(body, services.table),
        services.market,
        services.simulator,
        services.accountId,
        params.get('consider_positions') !== 'false',
        params.get('mode') === 'compact',
      ),
  },
  {
    method: 'POST',
    pattern: '/charges/orders',
    rateClass: 'other',
    authenticated: true,
    body: 'json',
    handler: ({ body, services }) => contractNote(parseMarginOrders(body, services.table)),
  },
];
