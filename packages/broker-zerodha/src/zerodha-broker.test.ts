import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  AuthenticationError,
  type ConnectionStateEvent,
  InvalidOrderError,
  InvalidSymbolError,
  NotSupportedError,
  OrderOutcomeUnknownError,
  RateLimitError,
} from '@brokerkit/core';
import type { KiteSim } from '@brokerkit/kite-sim';
import { KiteConnect } from 'kiteconnect';
import { afterEach, describe, expect, test } from 'vitest';
import { TokenStore } from './login/token-store.js';
import { capturingLogger } from './test-support/capturing-logger.js';
import {
  ACCESS_TOKEN,
  API_KEY,
  API_SECRET,
  brokerFor,
  startTestSim,
} from './test-support/kite-sim-harness.js';
import type { ZerodhaBroker } from './zerodha-broker.js';

let sim: KiteSim | undefined;
let broker: ZerodhaBroker | undefined;
afterEach(async () => {
  await broker?.disconnect().catch(() => {});
  await sim?.close();
  broker = undefined;
  sim = undefined;
});

async function connected(
  config: Parameters<typeof brokerFor>[1] = {},
  options: Parameters<typeof brokerFor>[2] = {},
) {
  sim ??= await startTestSim();
  broker = brokerFor(sim, config, options);
  await broker.connect();
  return { sim, broker };
}

/** A NIFTY future from the simulator's dump, with its lot size (never hard-coded). */
async function niftyFuture(sim: KiteSim): Promise<{ symbol: string; lotSize: number; price: number }> {
  const csv = await (
    await fetch(`${sim.root}/instruments/NFO`, {
      headers: { 'X-Kite-Version': '3', Authorization: `token ${API_KEY}:${ACCESS_TOKEN}` },
    })
  ).text();
  const row = csv
    .split('\n')
    .map((line) => line.split(','))
    .find((cells) => cells[3] === 'NIFTY' && cells[9] === 'FUT');
  if (row === undefined) throw new Error('no NIFTY future in the dump');
  const symbol = row[2]!;
  return { symbol, lotSize: Number(row[8]), price: sim.control.price(`NFO:${symbol}`) };
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('orders are checked against the instrument dump before anything is sent', () => {
  test('a quantity that is not a whole number of lots names NIFTY and its lot size from the dump', async () => {
    const { sim, broker } = await connected();
    const future = await niftyFuture(sim);
    const odd = future.lotSize - 15;
    const error = (await errorOf(
      broker.placeOrder({
        symbol: future.symbol,
        exchange: 'NFO',
        product: 'NRML',
        side: 'BUY',
        quantity: odd,
        orderType: 'MARKET',
      }),
    )) as InvalidOrderError;
    expect(InvalidOrderError.isInstance(error)).toBe(true);
    expect(error.issues[0]).toMatchObject({ path: 'quantity' });
    expect(error.issues[0]?.message).toContain(
      `quantity ${odd} is not a multiple of NIFTY's lot size ${future.lotSize}`,
    );
    expect(sim.control.orders()).toHaveLength(0);
    const ack = await broker.placeOrder({
      symbol: future.symbol,
      exchange: 'NFO',
      product: 'NRML',
      side: 'BUY',
      quantity: future.lotSize * 2,
      orderType: 'LIMIT',
      limitPrice: Math.round(future.price * 0.9),
    });
    const record = await broker.getOrder(ack.orderId);
    expect(record).toMatchObject({
      status: 'SUBMITTED',
      secType: 'FUT',
      product: 'NRML',
      quantity: future.lotSize * 2,
    });
    expect(record.lastTradeDateOrContractMonth).toMatch(/^\d{8}$/);
  });

  test('prices off the tick, fractional quantities, F&O without a product, indices and unknown symbols are refused unsent', async () => {
    const { sim, broker } = await connected();
    const tick = (await errorOf(
      broker.placeOrder({
        symbol: 'INFY',
        exchange: 'NSE',
        side: 'BUY',
        quantity: 1,
        orderType: 'LIMIT',
        limitPrice: 1500.03,
      }),
    )) as InvalidOrderError;
    expect(tick.issues).toEqual([
      {
        path: 'limitPrice',
        message: expect.stringMatching(/^limitPrice 1500.03 is not a multiple of INFY's tick size 0.05/),
      },
    ]);
    const fractional = (await errorOf(
      broker.placeOrder({ symbol: 'INFY', exchange: 'NSE', side: 'BUY', quantity: 1.5, orderType: 'MARKET' }),
    )) as InvalidOrderError;
    expect(fractional.issues[0]?.path).toBe('quantity');
    const future = await niftyFuture(sim);
    const product = (await errorOf(
      broker.placeOrder({
        symbol: future.symbol,
        exchange: 'NFO',
        side: 'BUY',
        quantity: future.lotSize,
        orderType: 'MARKET',
      }),
    )) as InvalidOrderError;
    expect(product.issues[0]).toMatchObject({
      path: 'product',
      message: expect.stringMatching(/NRML .* or MIS/),
    });
    const index = await errorOf(
      broker.placeOrder({
        symbol: 'NIFTY 50',
        exchange: 'NSE',
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
      }),
    );
    expect(InvalidSymbolError.isInstance(index)).toBe(true);
    expect(index.message).toMatch(/index/);
    const unknown = await errorOf(
      broker.placeOrder({
        symbol: 'INFY',
        exchange: 'NFO',
        product: 'NRML',
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
      }),
    );
    expect(InvalidSymbolError.isInstance(unknown)).toBe(true);
    expect((unknown as InvalidSymbolError).hint).toMatch(/listed on NSE/);
    const longTag = await errorOf(
      broker.placeOrder({
        symbol: 'INFY',
        exchange: 'NSE',
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
        clientOrderId: 'a-client-order-id-of-30-chars',
      }),
    );
    expect((longTag as InvalidOrderError).issues[0]?.path).toBe('clientOrderId');
    expect(sim.control.orders()).toHaveLength(0);
  });

  test('market and SL-M orders carry market protection, equities default to CNC, and the client order id is the tag', async () => {
    const { sim, broker } = await connected({ marketProtection: 2 });
    const market = await broker.placeOrder({
      symbol: 'INFY',
      exchange: 'NSE',
      side: 'BUY',
      quantity: 3,
      orderType: 'MARKET',
      clientOrderId: 'mkt-1',
    });
    const limit = await broker.placeOrder({
      symbol: 'INFY',
      exchange: 'NSE',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice: 1620,
    });
    const placedMarket = sim.control.order(market.orderId)!;
    expect(placedMarket).toMatchObject({
      tag: 'mkt-1',
      product: 'CNC',
      market_protection: 2,
      quantity: 3,
      order_type: 'MARKET',
    });
    expect(sim.control.order(limit.orderId)).toMatchObject({
      tag: limit.clientOrderId,
      order_type: 'LIMIT',
      price: 1620,
    });
    expect(sim.control.order(limit.orderId)?.market_protection).not.toBe(2);
  });
});

describe('the session', () => {
  test('a token that expires mid-session is one AuthenticationError with the daily-login hint; nothing keeps asking', async () => {
    const { sim, broker } = await connected();
    const events: ConnectionStateEvent[] = [];
    broker.on('connectionState', (event) => events.push(event));
    await broker.placeOrder({
      symbol: 'INFY',
      exchange: 'NSE',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice: 1620,
    });
    sim.control.expireTokens();
    const results = await Promise.allSettled([
      broker.getAccountBalance(),
      broker.getOpenPositions(),
      broker.getOpenOrders(),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as AuthenticationError;
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect(error.sessionExpired).toBe(true);
      expect(error.hint).toMatch(/access tokens expire daily; log in again/);
      expect(inspect(error)).not.toContain(ACCESS_TOKEN);
    }
    expect(events.map((event) => event.state)).toEqual(['disconnected']);
    expect(AuthenticationError.isInstance(events[0]?.error)).toBe(true);
    expect(broker.health().lastError?.code).toBe('AUTHENTICATION');
    // Later calls fail fast without asking Kite, still saying why and what to do; the stream has stopped.
    const later = (await errorOf(broker.getAccountBalance())) as AuthenticationError;
    expect(AuthenticationError.isInstance(later)).toBe(true);
    expect(later.hint).toMatch(/access tokens expire daily; log in again/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sim.control.tickerConnections).toBe(0);
    expect(events).toHaveLength(1);
    // After the next login the same broker connects again with the new token.
    broker.useAccessToken(sim.control.issueAccessToken('tomorrows-token'));
    await broker.connect();
    expect((await broker.getAccountBalance()).equity).toBeGreaterThan(0);
  });

  test('connect with an expired token, or a token of another user, is an AuthenticationError', async () => {
    sim = await startTestSim();
    broker = brokerFor(sim, { accessToken: 'not-a-valid-token' });
    const expired = (await errorOf(broker.connect())) as AuthenticationError;
    expect(AuthenticationError.isInstance(expired)).toBe(true);
    expect(expired.hint).toMatch(/expire daily/);
    expect(broker.isConnected()).toBe(false);
    broker = brokerFor(sim, { userId: 'ZZ9999' });
    expect((await errorOf(broker.connect())).message).toMatch(/belongs to user AB1234, not ZZ9999/);
  });

  test("without accessToken the login helper's stored token is used, and its absence says how to log in", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zerodha-token-'));
    const key = randomBytes(32).toString('hex');
    const previous = process.env.BROKERKIT_TOKEN_KEY;
    process.env.BROKERKIT_TOKEN_KEY = key;
    try {
      sim = await startTestSim();
      const tokenFile = join(dir, 'session.json');
      broker = brokerFor(sim, { accessToken: undefined, tokenFile });
      const missing = (await errorOf(broker.connect())) as AuthenticationError;
      expect(AuthenticationError.isInstance(missing)).toBe(true);
      expect(missing.message).toContain(tokenFile);
      expect(missing.hint).toMatch(/brokerkit zerodha login/);
      await new TokenStore({ path: tokenFile }).save({
        accessToken: ACCESS_TOKEN,
        userId: 'AB1234',
        apiKey: API_KEY,
      });
      await broker.connect();
      expect(broker.isConnected()).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.BROKERKIT_TOKEN_KEY;
      else process.env.BROKERKIT_TOKEN_KEY = previous;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("Kite's rate limits", () => {
  test('a burst of 25 orders and 25 reads at once sees no 429: requests are paced within 10/s', async () => {
    const { sim, broker } = await connected();
    const started = Date.now();
    const orders = Array.from({ length: 25 }, (_, index) =>
      broker.placeOrder({
        symbol: 'INFY',
        exchange: 'NSE',
        side: 'BUY',
        quantity: 1,
        orderType: 'LIMIT',
        limitPrice: 1620 + index * 0.05,
      }),
    );
    const reads = Array.from({ length: 25 }, () => broker.getOpenPositions());
    const results = await Promise.allSettled([...orders, ...reads]);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(sim.control.orders()).toHaveLength(25);
    // 25 of each at 10/s: the third batch goes out two seconds after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  test('a 429 that still comes is retried with backoff for reads, and never for orders', async () => {
    const { sim, broker } = await connected();
    sim.control.failNextRequest({
      status: 429,
      errorType: 'NetworkException',
      message: 'Too many requests',
      path: '/user/margins',
    });
    expect((await broker.getAccountBalance()).currency).toBe('INR');
    sim.control.failNextRequest({
      status: 429,
      errorType: 'NetworkException',
      message: 'Too many requests',
      method: 'POST',
      path: '/orders',
    });
    const error = (await errorOf(
      broker.placeOrder({
        symbol: 'INFY',
        exchange: 'NSE',
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
        clientOrderId: 'rate-1',
      }),
    )) as RateLimitError;
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(sim.control.orders()).toHaveLength(0);
    // Nothing was placed, so the same client order id may be used again.
    await broker.placeOrder({
      symbol: 'INFY',
      exchange: 'NSE',
      side: 'BUY',
      quantity: 1,
      orderType: 'MARKET',
      clientOrderId: 'rate-1',
    });
    expect(sim.control.orders()).toHaveLength(1);
  });
});

describe('lost responses', () => {
  test('a placement whose answer is lost is found by its tag: one order, acknowledged', async () => {
    const { sim, broker } = await connected({ requestTimeoutMs: 400 });
    sim.control.loseNextResponse({ method: 'POST', path: '/orders' });
    const ack = await broker.placeOrder({
      symbol: 'INFY',
      exchange: 'NSE',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice: 1620,
      clientOrderId: 'lost-1',
    });
    expect(sim.control.orders()).toHaveLength(1);
    expect(ack.orderId).toBe(sim.control.orders()[0]?.order_id);
    expect((await broker.getOrder(ack.orderId)).clientOrderId).toBe('lost-1');
  });

  test('a request reset before the server saw it is an unknown outcome: never re-sent, and not found by its tag', async () => {
    const { sim, broker } = await connected({ requestTimeoutMs: 400 });
    sim.control.dropNextRequest({ method: 'POST', path: '/orders' });
    const request = {
      symbol: 'INFY',
      exchange: 'NSE',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice: 1620,
      clientOrderId: 'reset-1',
    } as const;
    const error = (await errorOf(broker.placeOrder(request))) as OrderOutcomeUnknownError;
    expect(OrderOutcomeUnknownError.isInstance(error)).toBe(true);
    expect(error.clientOrderId).toBe('reset-1');
    expect(error.hint).toMatch(/findOrderByClientOrderId/);
    expect(await broker.findOrderByClientOrderId('reset-1')).toBeUndefined();
    expect(OrderOutcomeUnknownError.isInstance(await errorOf(broker.placeOrder(request)))).toBe(true);
    expect(sim.control.orders()).toHaveLength(0);
  });

  test('a 503 on placement is not taken as a refusal: the order book decides', async () => {
    const { sim, broker } = await connected();
    sim.control.failNextRequest({ status: 503, method: 'POST', path: '/orders', html: true });
    const error = await errorOf(
      broker.placeOrder({
        symbol: 'INFY',
        exchange: 'NSE',
        side: 'BUY',
        quantity: 1,
        orderType: 'MARKET',
        clientOrderId: 'gw-1',
      }),
    );
    expect(OrderOutcomeUnknownError.isInstance(error)).toBe(true);
    expect(sim.control.orders()).toHaveLength(0);
  });
});

describe('modify, cancel, margin and positions', () => {
  test('modifications are checked like placements, and GTC is refused unsent', async () => {
    const { sim, broker } = await connected();
    const future = await niftyFuture(sim);
    const limitPrice = Math.round(future.price * 0.9);
    const ack = await broker.placeOrder({
      symbol: future.symbol,
      exchange: 'NFO',
      product: 'NRML',
      side: 'BUY',
      quantity: future.lotSize,
      orderType: 'LIMIT',
      limitPrice,
    });
    const offTick = (await errorOf(
      broker.modifyOrder(ack.orderId, { limitPrice: limitPrice + 0.02 }),
    )) as InvalidOrderError;
    expect(offTick.issues[0]?.path).toBe('limitPrice');
    const offLot = (await errorOf(
      broker.modifyOrder(ack.orderId, { quantity: future.lotSize + 1 }),
    )) as InvalidOrderError;
    expect(offLot.issues[0]?.message).toContain(`not a multiple of NIFTY's lot size ${future.lotSize}`);
    expect(NotSupportedError.isInstance(await errorOf(broker.modifyOrder(ack.orderId, { tif: 'GTC' })))).toBe(
      true,
    );
    expect(sim.control.order(ack.orderId)).toMatchObject({ price: limitPrice, quantity: future.lotSize });
    const moved = await broker.modifyOrder(ack.orderId, {
      limitPrice: limitPrice - 10,
      quantity: future.lotSize * 2,
    });
    expect(moved).toMatchObject({
      orderId: ack.orderId,
      limitPrice: limitPrice - 10,
      quantity: future.lotSize * 2,
    });
  });

  test('a cancel whose answer is lost is resolved by reading the order', async () => {
    const { sim, broker } = await connected({ requestTimeoutMs: 400 });
    const ack = await broker.placeOrder({
      symbol: 'INFY',
      exchange: 'NSE',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice: 1620,
    });
    sim.control.loseNextResponse({ method: 'DELETE', path: '/orders' });
    expect(await broker.cancelOrder(ack.orderId)).toBe(true);
    expect(sim.control.order(ack.orderId)?.status).toBe('CANCELLED');
    expect(await broker.cancelOrder(ack.orderId)).toBe(false);
  });

  test('cancelling an order that already filled (placed elsewhere, unknown to this broker) resolves false', async () => {
    const { sim, broker } = await connected();
    const kite = new KiteConnect({ api_key: API_KEY, access_token: ACCESS_TOKEN, root: sim.root });
    const { order_id } = (await kite.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 1620,
    })) as { order_id: string };
    sim.control.setPrice('NSE:INFY', 1600);
    expect(sim.control.order(order_id)?.status).toBe('COMPLETE');
    expect(await broker.cancelOrder(order_id)).toBe(false);
  });

  test('margin preview of a future has its SPAN as maintenance and the charges as commission', async () => {
    const { sim, broker } = await connected();
    const future = await niftyFuture(sim);
    const impact = await broker.getOrderMarginImpact({
      symbol: future.symbol,
      exchange: 'NFO',
      product: 'NRML',
      side: 'BUY',
      quantity: future.lotSize,
      orderType: 'MARKET',
    });
    expect(impact.currency).toBe('INR');
    expect(impact.breakdown?.span).toBeGreaterThan(0);
    expect(impact.maintenanceMargin).toBe(impact.breakdown?.span);
    expect(impact.initialMargin).toBeGreaterThan(impact.maintenanceMargin);
    expect(impact.commission).toBeGreaterThan(0);
    expect(sim.control.orders()).toHaveLength(0);
  });

  test('positions are net positions, with holdings when asked', async () => {
    sim = await startTestSim({ holdings: [{ tradingsymbol: 'INFY', quantity: 5, averagePrice: 1500 }] });
    const { broker } = await connected({ includeHoldings: true });
    const ack = await broker.placeOrder({
      symbol: 'INFY',
      exchange: 'NSE',
      product: 'MIS',
      side: 'BUY',
      quantity: 2,
      orderType: 'MARKET',
    });
    expect((await broker.getOrder(ack.orderId)).status).toBe('FILLED');
    const positions = await broker.getOpenPositions();
    expect(
      positions
        .filter((position) => position.symbol === 'INFY')
        .map((position) => [position.product, position.quantity]),
    ).toEqual(
      expect.arrayContaining([
        ['CNC', 5],
        ['MIS', 2],
      ]),
    );
    const balance = await broker.getAccountBalance();
    expect(balance.equity).toBeGreaterThan(0);
    expect(balance.marginUsed).toBeGreaterThan(0);
  });
});

describe('secrets', () => {
  test('the API secret and access token never reach logs, errors, or the broker printed', async () => {
    const logger = capturingLogger();
    const { sim, broker } = await connected({}, { logger });
    sim.control.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 600));
    sim.control.expireTokens();
    const error = await errorOf(broker.getAccountBalance());
    for (const text of [
      logger.text(),
      inspect(error, { depth: 10 }),
      JSON.stringify(error),
      inspect(broker, { depth: 10 }),
      JSON.stringify(broker),
    ]) {
      expect(text).not.toContain(ACCESS_TOKEN);
      expect(text).not.toContain(API_SECRET);
    }
    expect(logger.lines.length).toBeGreaterThan(0);
  });
});
