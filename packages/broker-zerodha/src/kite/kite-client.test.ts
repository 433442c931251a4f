import { afterEach, describe, expect, test } from 'vitest';
import { KITE_RATE_LIMITS } from '../rate-limit/kite-rate-limits.js';
import { KiteRateScheduler } from '../rate-limit/kite-rate-scheduler.js';
import { FakeKiteServer } from '../test-support/fake-kite-server.js';
import { KiteCallError, KiteClient } from './kite-client.js';

let server: FakeKiteServer;
afterEach(async () => server?.close());

async function clientFor(fake: FakeKiteServer, timeoutMs = 2_000) {
  const root = await fake.start();
  return new KiteClient({
    apiKey: 'key',
    accessToken: 'token-abc',
    root,
    timeoutMs,
    scheduler: await KiteRateScheduler.create(KITE_RATE_LIMITS),
    maxWaitMs: { placeOrder: 5_000, modifyOrder: 5_000, cancelOrder: 5_000, read: 5_000 },
  });
}

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(KiteCallError);
  return (error as KiteCallError).failure;
}

describe('KiteClient', () => {
  test('sends the auth header and returns the envelope data', async () => {
    server = new FakeKiteServer().on('GET /user/profile', () => ({ data: { user_id: 'AB1234' } }));
    const client = await clientFor(server);
    expect(await client.getProfile()).toEqual({ user_id: 'AB1234' });
    expect(server.requests[0]!.headers.authorization).toBe('token key:token-abc');
  });

  test('error bodies keep their HTTP status, which kiteconnect itself drops', async () => {
    server = new FakeKiteServer().on('POST /orders/regular', () => ({
      error: 'Maximum allowed order modifications exceeded.',
      errorType: 'NetworkException',
      status: 400,
    }));
    const client = await clientFor(server);
    const failure = await failureOf(
      client.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'BUY',
        quantity: 1,
        product: 'CNC',
        order_type: 'LIMIT',
        validity: 'DAY',
        price: 1500,
      }),
    );
    expect(failure).toMatchObject({ errorType: 'NetworkException', httpStatus: 400 });
    expect(JSON.stringify(failure.payload)).not.toContain('httpStatus');
  });

  test('a CSV download, which brings its own response transformers, keeps the HTTP status of its error too', async () => {
    server = new FakeKiteServer().on('GET /instruments/NSE', () => ({
      error: 'Service unavailable',
      errorType: 'NetworkException',
      status: 503,
    }));
    const client = await clientFor(server);
    const failure = await failureOf(client.getInstruments('NSE'));
    expect(failure).toMatchObject({ errorType: 'NetworkException', httpStatus: 503 });
  });

  test('a JSON error under HTTP 200 is a failure, not data', async () => {
    server = new FakeKiteServer().on('GET /user/margins', () => ({
      raw: JSON.stringify({ status: 'error', message: 'Too many requests', error_type: 'NetworkException' }),
      status: 200,
      contentType: 'application/json',
    }));
    const client = await clientFor(server);
    const failure = await failureOf(client.getMargins());
    expect(failure.message).toBe('Too many requests');
    // A read is retried with backoff: three attempts in all.
    expect(server.requests).toHaveLength(3);
  });

  test('reads retry a 429 and succeed when it clears', async () => {
    let calls = 0;
    server = new FakeKiteServer().on('GET /portfolio/positions', () =>
      ++calls === 1
        ? { error: 'Too many requests', errorType: 'NetworkException', status: 429 }
        : { data: { net: [], day: [] } },
    );
    const client = await clientFor(server);
    expect(await client.getPositions()).toEqual({ net: [], day: [] });
    expect(calls).toBe(2);
  });

  test('order requests are never retried', async () => {
    server = new FakeKiteServer().on('DELETE /orders/regular/:id', () => ({
      error: 'Too many requests',
      errorType: 'NetworkException',
      status: 429,
    }));
    const client = await clientFor(server);
    const failure = await failureOf(client.cancelOrder('regular', '42'));
    expect(failure.httpStatus).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  test('an HTML 502 becomes a NetworkException with the status text', async () => {
    server = new FakeKiteServer().on('GET /orders', () => ({
      raw: '<html>bad gateway</html>',
      status: 502,
      statusText: 'Bad Gateway',
      contentType: 'text/html',
    }));
    const client = await clientFor(server);
    const failure = await failureOf(client.getOrders());
    expect(failure).toMatchObject({ errorType: 'NetworkException', message: 'Bad Gateway' });
  });

  test('no answer within the timeout is a NetworkException with ECONNABORTED', async () => {
    server = new FakeKiteServer().on('GET /orders', () => ({ hang: true }));
    const client = await clientFor(server, 300);
    const failure = await failureOf(client.getOrders());
    expect(failure.networkCode).toBe('ECONNABORTED');
    expect(JSON.stringify(failure)).not.toContain('token-abc');
  });

  test('a refused connection is ECONNREFUSED', async () => {
    server = new FakeKiteServer();
    const root = await server.start();
    await server.close();
    const client = new KiteClient({
      apiKey: 'key',
      accessToken: 'token-abc',
      root,
      timeoutMs: 1_000,
      scheduler: await KiteRateScheduler.create(KITE_RATE_LIMITS),
      maxWaitMs: { placeOrder: 1_000, modifyOrder: 1_000, cancelOrder: 1_000, read: 1_000 },
    });
    const failure = await failureOf(client.getProfile());
    expect(failure.networkCode).toBe('ECONNREFUSED');
  });
});
