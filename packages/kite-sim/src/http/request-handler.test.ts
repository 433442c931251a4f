import { Agent, get as httpGet } from 'node:http';
import { connect as connectTcp } from 'node:net';
import type { Connect as KiteConnect } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import {
  kiteFor,
  rejectionOf,
  startTestSim,
  startWithClient,
  TEST_ACCESS_TOKEN,
} from '../test-support/start-test-sim.js';

const TOO_MANY = {
  status: 'error',
  message: 'Too many requests',
  data: null,
  error_type: 'NetworkException',
};

const LIMIT_ORDER = {
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  transaction_type: 'BUY',
  quantity: 1,
  product: 'CNC',
  order_type: 'LIMIT',
  price: 1700,
} as const;

function placeLimit(kite: KiteConnect, tag?: string) {
  return kite.placeOrder('regular', { ...LIMIT_ORDER, ...(tag === undefined ? {} : { tag }) });
}

describe('rate limits', () => {
  it('allows one quote request per second and answers the second with 429 NetworkException', async () => {
    const { sim, kite } = await startWithClient({ rateLimits: true });
    await kite.getLTP(['NSE:INFY']);
    const error = await rejectionOf(kite.getQuote(['NSE:INFY']));
    expect(error).toEqual(TOO_MANY);
    const raw = await fetch(`${sim.root}/quote/ohlc?i=NSE:INFY`, {
      headers: { Authorization: `token ${sim.apiKey}:${TEST_ACCESS_TOKEN}` },
    });
    expect(raw.status).toBe(429);
    sim.control.advanceClock(1_000);
    await expect(kite.getOHLC(['NSE:INFY'])).resolves.toHaveProperty('NSE:INFY');
  });

  it('allows three historical requests per second', async () => {
    const { sim, kite } = await startWithClient({ rateLimits: true });
    const token = sim.control.instrument('NSE:INFY').instrumentToken;
    const fetchDay = () => kite.getHistoricalData(token, 'day', '2024-11-01', '2024-11-08');
    for (let index = 0; index < 3; index++) await fetchDay();
    expect(await rejectionOf(fetchDay())).toEqual(TOO_MANY);
  });

  it('counts place, modify and cancel against 10 order requests per second', async () => {
    const { sim, kite } = await startWithClient({ rateLimits: true });
    const ids: string[] = [];
    for (let index = 0; index < 8; index++) ids.push((await placeLimit(kite)).order_id);
    await kite.modifyOrder('regular', ids[0]!, { price: 1701 });
    await kite.cancelOrder('regular', ids[1]!);
    expect(await rejectionOf(placeLimit(kite))).toEqual(TOO_MANY);
    // Reads draw from their own budget.
    await expect(kite.getOrders()).resolves.toHaveLength(8);
    sim.control.advanceClock(1_000);
    await expect(placeLimit(kite)).resolves.toHaveProperty('order_id');
  });

  it('allows 400 order requests per minute', async () => {
    const { sim, kite } = await startWithClient({ rateLimits: true, cash: 100_000_000 });
    for (let second = 0; second < 40; second++) {
      await Promise.all(Array.from({ length: 10 }, () => placeLimit(kite)));
      sim.control.advanceClock(1_000);
    }
    expect(await rejectionOf(placeLimit(kite))).toEqual(TOO_MANY);
    sim.control.advanceClock(20_000);
    await expect(placeLimit(kite)).resolves.toHaveProperty('order_id');
  }, 20_000);

  it('caps order requests per day (refused ones count) with its own message', async () => {
    const { sim, kite } = await startWithClient({ rateLimits: { ordersPerDay: 12 }, tokenExpiryTime: false });
    for (let index = 0; index < 10; index++) await placeLimit(kite);
    sim.control.advanceClock(1_000);
    await rejectionOf(kite.placeOrder('regular', { ...LIMIT_ORDER, quantity: '1.5' as unknown as number }));
    await placeLimit(kite);
    expect(await rejectionOf(placeLimit(kite))).toEqual({
      ...TOO_MANY,
      message: 'Maximum allowed order requests exceeded',
    });
    sim.control.advanceClock(86_400_000);
    await expect(placeLimit(kite)).resolves.toHaveProperty('order_id');
  });

  it('allows 10 other requests per second', async () => {
    const { kite } = await startWithClient({ rateLimits: true });
    await Promise.all(Array.from({ length: 10 }, () => kite.getProfile()));
    expect(await rejectionOf(kite.getMargins())).toEqual(TOO_MANY);
  });

  it('can be switched off', async () => {
    const { sim, kite } = await startWithClient({ rateLimits: true });
    sim.control.setRateLimits(false);
    await Promise.all(Array.from({ length: 30 }, () => kite.getLTP(['NSE:INFY'])));
  });
});

describe('injected faults', () => {
  it('answers the next request with 503 NetworkException, then recovers', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.failNextRequest();
    expect(await rejectionOf(kite.getProfile())).toEqual({
      status: 'error',
      message: 'Service unavailable',
      data: null,
      error_type: 'NetworkException',
    });
    await expect(kite.getProfile()).resolves.toBeDefined();
  });

  it('fails only matching requests, with the status and type asked for', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.failNextRequest({
      path: '/orders',
      method: 'POST',
      status: 500,
      errorType: 'GeneralException',
      message: 'boom',
    });
    await expect(kite.getOrders()).resolves.toEqual([]);
    expect(await rejectionOf(placeLimit(kite))).toMatchObject({
      error_type: 'GeneralException',
      message: 'boom',
    });
    expect(await kite.getOrders()).toEqual([]);
  });

  it('answers with a gateway HTML page, which kiteconnect reports by status text', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.failNextRequest({ status: 502, html: true });
    expect(await rejectionOf(kite.getProfile())).toEqual({
      message: 'Bad Gateway',
      error_type: 'NetworkException',
      data: null,
    });
  });

  it('times out a request without processing it', async () => {
    const sim = await startTestSim();
    const kite = kiteFor(sim, { timeout: 150 });
    sim.control.timeoutNextRequest({ method: 'POST' });
    expect(await rejectionOf(placeLimit(kite))).toEqual({
      message: 'No response from server with error code: ECONNABORTED',
      error_type: 'NetworkException',
      data: null,
    });
    expect(await kite.getOrders()).toEqual([]);
  });

  it('resets the connection of a dropped request without processing it', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.dropNextRequest({ method: 'POST' });
    const error = await rejectionOf(placeLimit(kite));
    expect(error).toMatchObject({
      error_type: 'NetworkException',
      message: 'No response from server with error code: ECONNRESET',
    });
    expect(await kite.getOrders()).toEqual([]);
  });

  it('loses the response of a processed order: the order is found by its tag afterwards', async () => {
    const sim = await startTestSim();
    const kite = kiteFor(sim, { timeout: 150 });
    sim.control.loseNextResponse({ method: 'POST', path: '/orders' });
    expect((await rejectionOf(placeLimit(kite, 'lost-1'))).message).toBe(
      'No response from server with error code: ECONNABORTED',
    );
    const orders = await kite.getOrders();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ tag: 'lost-1', status: 'OPEN' });

    sim.control.loseNextResponse({ method: 'POST', mode: 'reset' });
    expect((await rejectionOf(placeLimit(kite, 'lost-2'))).message).toBe(
      'No response from server with error code: ECONNRESET',
    );
    expect((await kite.getOrders()).map((order) => order.tag)).toEqual(['lost-1', 'lost-2']);
  });

  it('delays responses (request faults and the engine ack delay)', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.delayNextRequest(120);
    let started = Date.now();
    await kite.getProfile();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    sim.control.simulator.faults.setDelay('ack', 80);
    started = Date.now();
    await kite.getProfile();
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
  });

  it("swallows a request on the engine's stall fault", async () => {
    const sim = await startTestSim();
    sim.control.simulator.faults.stallNextRequest();
    expect((await rejectionOf(kiteFor(sim, { timeout: 100 }).getProfile())).message).toContain(
      'ECONNABORTED',
    );
    await expect(kiteFor(sim).getProfile()).resolves.toBeDefined();
  });

  it('clears armed faults', async () => {
    const { sim, kite } = await startWithClient();
    sim.control.failNextRequest({ count: 5 });
    sim.control.clearFaults();
    await expect(kite.getProfile()).resolves.toBeDefined();
  });
});

describe('malformed requests get Kite error envelopes, never a crash', () => {
  async function raw(sim: { root: string; apiKey: string }, path: string, init: RequestInit = {}) {
    const response = await fetch(`${sim.root}${path}`, {
      ...init,
      headers: {
        Authorization: `token ${sim.apiKey}:${TEST_ACCESS_TOKEN}`,
        ...(init.headers as Record<string, string>),
      },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    const sim = await startTestSim();
    expect(await raw(sim, '/nothing/here')).toEqual({
      status: 404,
      type: 'application/json',
      body: { status: 'error', message: 'Route not found', data: null, error_type: 'GeneralException' },
    });
    expect((await raw(sim, '/user/profile', { method: 'POST' })).status).toBe(405);
  });

  it('rejects bodies that do not decode with 400 InputException', async () => {
    const sim = await startTestSim();
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const garbage = await raw(sim, '/orders/regular', {
      method: 'POST',
      headers: form,
      body: '%zz%%&&==quantity=ten',
    });
    expect(garbage).toMatchObject({ status: 400, body: { status: 'error', error_type: 'InputException' } });
    const json = await raw(sim, '/orders/regular', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"quantity":1}',
    });
    expect(json).toMatchObject({ status: 400, body: { error_type: 'InputException' } });
    const badJson = await raw(sim, '/margins/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '[{',
    });
    expect(badJson).toMatchObject({
      status: 400,
      body: { error_type: 'InputException', message: 'Invalid request body: not valid JSON.' },
    });
    const unknownVariety = await raw(sim, '/orders/bo', {
      method: 'POST',
      headers: form,
      body: 'quantity=1',
    });
    expect(unknownVariety).toMatchObject({ status: 400, body: { message: 'Invalid `variety`.' } });
  });

  it('refuses a body over 1 MB with 413', async () => {
    const sim = await startTestSim();
    const response = await raw(sim, '/orders/regular', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `tag=${'x'.repeat((1 << 20) + 1)}`,
    });
    expect(response).toMatchObject({ status: 413, body: { status: 'error' } });
  });

  it('survives bytes that are not HTTP', async () => {
    const sim = await startTestSim();
    const socket = connectTcp(sim.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const reply = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
    });
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]));
    expect(await reply).toMatch(/^HTTP\/1\.1 400/);
    await expect(kiteFor(sim).getProfile()).resolves.toBeDefined();
  });

  it('closes keep-alive connections on dropConnections and serves new ones', async () => {
    const { sim, kite } = await startWithClient();
    const agent = new Agent({ keepAlive: true });
    const { closed } = await new Promise<{ closed: Promise<void> }>((resolve, reject) => {
      const request = httpGet(
        `${sim.root}/user/profile`,
        { agent, headers: { Authorization: `token ${sim.apiKey}:${TEST_ACCESS_TOKEN}` } },
        (response) => {
          response.resume();
          response.on('end', () =>
            resolve({ closed: new Promise<void>((done) => request.socket!.once('close', () => done())) }),
          );
        },
      );
      request.on('error', reject);
    });
    sim.control.dropConnections();
    await closed;
    agent.destroy();
    await expect(kite.getProfile()).resolves.toBeDefined();
  });
});
