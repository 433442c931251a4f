import { parseModifyOrder, parsePlaceOrder } from '../orders/order-params.js';
import type { KiteRoute } from './route-context.js';

/** Place, modify, cancel, the order book, order history and trades. */
export const ORDER_ROUTES: KiteRoute[] = [
  {
    method: 'GET',
    pattern: '/orders',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ services }) => services.orders.list(),
  },
  {
    method: 'GET',
    pattern: '/orders/:order_id',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) => services.orders.history(params.path('order_id')),
  },
  {
    method: 'GET',
    pattern: '/orders/:order_id/trades',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) => services.orders.orderTrades(params.path('order_id')),
  },
  {
    method: 'GET',
    pattern: '/trades',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ services }) => services.orders.trades(),
  },
  {
    method: 'POST',
    pattern: '/orders/:variety',
    rateClass: 'orders',
    authenticated: true,
    body: 'form',
    handler: ({ params, services }) => services.orders.place(parsePlaceOrder(params, params.path('variety'))),
  },
  {
    method: 'PUT',
    pattern: '/orders/:variety/:order_id',
    rateClass: 'orders',
    authenticated: true,
    body: 'form',
    handler: ({ params, services }) =>
      services.orders.modify(params.path('order_id'), parseModifyOrder(params)),
  },
  {
    method: 'DELETE',
    pattern: '/orders/:variety/:order_id',
    rateClass: 'orders',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) => services.orders.cancel(params.path('order_id')),
  },
];
