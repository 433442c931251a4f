import { describe, expect, it } from 'vitest';
import { kiteFor, rejectionOf, startTestSim } from '../test-support/start-test-sim.js';
import { isLoopback } from './admin-endpoint.js';

async function admin(root: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${root}/__kite-sim/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { status: string; data?: unknown; message?: string },
  };
}

describe('admin endpoint', () => {
  it('drives prices, time, tokens, rejections and faults over HTTP', async () => {
    const sim = await startTestSim({ tokenExpiryTime: false });
    const kite = kiteFor(sim);
    expect(await admin(sim.root, 'POST', 'price', { instrument: 'NSE:INFY', price: 1500 })).toEqual({
      status: 200,
      body: { status: 'success', data: { instrument: 'NSE:INFY', last_price: 1500 } },
    });
    expect((await kite.getLTP(['NSE:INFY']))['NSE:INFY']!.last_price).toBe(1500);

    const before = sim.control.clock.now();
    await admin(sim.root, 'POST', 'clock/advance', { ms: 60_000 });
    expect(sim.control.clock.now()).toBe(before + 60_000);

    await admin(sim.root, 'POST', 'orders/reject-next', { reason: 'Blocked by admin' });
    await kite.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 1500,
    });
    expect((await admin(sim.root, 'GET', 'orders')).body.data).toMatchObject([
      { status: 'REJECTED', status_message: 'Blocked by admin' },
    ]);

    await admin(sim.root, 'POST', 'faults', { kind: 'error', status: 504 });
    expect(await rejectionOf(kite.getProfile())).toMatchObject({
      error_type: 'NetworkException',
      message: 'Gateway timeout',
    });

    await admin(sim.root, 'POST', 'rate-limits', { enabled: true, quotePerSecond: 1 });
    await kite.getLTP(['NSE:INFY']);
    expect((await rejectionOf(kite.getLTP(['NSE:INFY']))).message).toBe('Too many requests');
    await admin(sim.root, 'POST', 'rate-limits', { enabled: false });

    const { body } = await admin(sim.root, 'POST', 'request-token');
    expect((body.data as { request_token: string }).request_token).toMatch(/^[0-9a-f]{32}$/);

    expect((await admin(sim.root, 'POST', 'tokens/expire')).body.data).toEqual({ expired: 1 });
    expect((await rejectionOf(kite.getProfile())).error_type).toBe('TokenException');
  });

  it('answers bad commands with error envelopes', async () => {
    const sim = await startTestSim();
    expect((await admin(sim.root, 'POST', 'price', { instrument: 'NSE:INFY' })).status).toBe(400);
    expect((await admin(sim.root, 'POST', 'faults', { kind: 'explode' })).status).toBe(400);
    expect((await admin(sim.root, 'POST', 'nothing')).status).toBe(404);
    const notJson = await fetch(`${sim.root}/__kite-sim/price`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect(
      (await admin(sim.root, 'POST', 'price', { instrument: 'NSE:NOSUCH', price: 1 })).body,
    ).toMatchObject({ status: 'error' });
  });

  it('serves loopback peers only', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.7')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });

  it('can be turned off', async () => {
    const sim = await startTestSim({ admin: false });
    expect((await admin(sim.root, 'GET', 'health')).status).toBe(404);
  });
});
