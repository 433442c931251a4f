import { describe, expect, it } from 'vitest';
import { Router } from './router.js';

const route = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', pattern: string) => ({
  method,
  pattern,
  rateClass: 'other' as const,
  authenticated: true,
  body: 'none' as const,
  handler: `${method} ${pattern}`,
});

describe('router', () => {
  const router = new Router([
    route('GET', '/orders'),
    route('GET', '/orders/:order_id'),
    route('POST', '/orders/:variety'),
    route('PUT', '/orders/:variety/:order_id'),
    route('GET', '/orders/:order_id/trades'),
    route('GET', '/instruments/:exchange'),
    route('GET', '/instruments/historical/:instrument_token/:interval'),
  ]);

  it('matches literal segments before parameters and decodes parameters', () => {
    const found = router.lookup('GET', '/orders/24111800001/trades');
    expect(found).toMatchObject({
      kind: 'match',
      match: { route: { handler: 'GET /orders/:order_id/trades' }, params: { order_id: '24111800001' } },
    });
    expect(router.lookup('GET', '/instruments/historical/408065/day')).toMatchObject({
      match: { params: { instrument_token: '408065', interval: 'day' } },
    });
    expect(router.lookup('PUT', '/orders/regular/1')).toMatchObject({
      match: { params: { variety: 'regular', order_id: '1' } },
    });
    expect(router.lookup('GET', '/instruments/NSE%20X')).toMatchObject({
      match: { params: { exchange: 'NSE X' } },
    });
  });

  it('tells a wrong method (405) from an unknown path (404)', () => {
    expect(router.lookup('DELETE', '/orders').kind).toBe('method-not-allowed');
    expect(router.lookup('GET', '/nope').kind).toBe('not-found');
    expect(router.lookup('GET', '/orders//trades').kind).toBe('not-found');
    expect(router.lookup('GET', '/orders/%E0%A4%A').kind).toBe('match');
  });
});
