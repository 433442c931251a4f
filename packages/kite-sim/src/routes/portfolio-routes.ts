import { invalidParameter } from '../http/kite-api-error.js';
import { buildHoldings } from '../portfolio/holdings.js';
import { buildPositions } from '../portfolio/positions.js';
import { commoditySegment, equitySegment } from '../portfolio/user-margins.js';
import type { KiteRoute } from './route-context.js';

/** Funds (margins), positions and holdings. */
export const PORTFOLIO_ROUTES: KiteRoute[] = [
  {
    method: 'GET',
    pattern: '/user/margins',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ services }) => ({
      equity: equitySegment(services.simulator, services.accountId),
      commodity: commoditySegment(),
    }),
  },
  {
    method: 'GET',
    pattern: '/user/margins/:segment',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) => {
      const segment = params.path('segment');
      if (segment === 'equity') return equitySegment(services.simulator, services.accountId);
      if (segment === 'commodity') return commoditySegment();
      throw invalidParameter('segment');
    },
  },
  {
    method: 'GET',
    pattern: '/portfolio/positions',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ services }) =>
      buildPositions(
        services.simulator,
        services.accountId,
        services.table,
        services.market,
        services.dayTrades,
      ),
  },
  {
    method: 'GET',
    pattern: '/portfolio/holdings',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ services }) =>
      buildHoldings(
        services.simulator,
        services.accountId,
        services.table,
        services.market,
        services.dayTrades,
      ),
  },
];
