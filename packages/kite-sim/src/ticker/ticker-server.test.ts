import { connect as connectTcp } from 'node:net';
import type { Connect as KiteConnect } from 'kiteconnect';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { KiteSim } from '../kite-sim.js';
import { keysOf, POSTBACK_FIELDS, sorted } from '../test-support/kite-fields.js';
import {
  freshKiteTicker,
  kiteFor,
  startTestSim,
  TEST_ACCESS_TOKEN,
  TEST_API_KEY,
  TEST_API_SECRET,
  waitFor,
} from '../test-support/start-test-sim.js';

// biome-ignore lint/suspicious/noExplicitAny: kiteconnect's tick objects are untyped unions
type AnyTick = any;

interface TickerEvents {
  ticks: AnyTick[];
  orders: Record<string, unknown>[];
  heartbeats: number;
  errors: unknown[];
  closes: number;
}

const tickers: { disconnect(): void }[] = [];

afterEach(() => {
  for (const ticker of tickers.splice(0)) ticker.disconnect();
});

/** Connects an unmodified KiteTicker (fresh module state) to the simulator and records its events. */
async function connectTicker(sim: KiteSim, accessToken = TEST_ACCESS_TOKEN) {
  const KiteTicker = freshKiteTicker();
  const ticker = new KiteTicker({
    api_key: TEST_API_KEY,
    access_token: accessToken,
    root: sim.tickerRoot,
    reconnect: false,
  } as never);
  tickers.push(ticker);
  const events: TickerEvents = { ticks: [], orders: [], heartbeats: 0, errors: [], closes: 0 };
  ticker.on('ticks', (ticks: AnyTick[]) => events.ticks.push(...ticks));
  ticker.on('order_update', (order: Record<string, unknown>) => events.orders.push(order));
  ticker.on('message', (data: ArrayBuffer) => {
    if (data.byteLength === 1) events.heartbeats++;
  });
  ticker.on('error', (error: unknown) => events.errors.push(error));
  ticker.on('close', () => events.closes++);
  const outcome = new Promise<'connected' | 'failed'>((resolve) => {
    ticker.on('connect', () => resolve('connected'));
    ticker.on('error', () => resolve('failed'));
  });
  ticker.connect();
  return { ticker, events, outcome: await outcome };
}

function lastTickOf(events: TickerEvents, token: number, mode?: string): AnyTick | undefined {
  for (let index = events.ticks.length - 1; index >= 0; index--) {
    const tick = events.ticks[index];
    if (tick.instrument_token === token && (mode === undefined || tick.mode === mode)) return tick;
  }
  return undefined;
}

describe('ticker WebSocket through KiteTicker', () => {
  it('authenticates the handshake, then streams quote-mode ticks on subscribe', async () => {
    const sim = await startTestSim();
    const { ticker, events, outcome } = await connectTicker(sim);
    expect(outcome).toBe('connected');
    const token = sim.control.instrument('NSE:INFY').instrumentToken;
    ticker.subscribe([token]);
    const tick = await waitFor(() => lastTickOf(events, token), 3_000, 'a tick');
    expect(tick).toMatchObject({
      tradable: true,
      mode: 'quote',
      instrument_token: 408065,
      last_price: 1800,
      ohlc: { open: 1800, high: 1800, low: 1800, close: 1800 },
      change: 0,
    });
    expect(Object.keys(tick).sort()).toEqual(
      [
        'tradable',
        'mode',
        'instrument_token',
        'last_price',
        'last_traded_quantity',
        'average_traded_price',
        'volume_traded',
        'total_buy_quantity',
        'total_sell_quantity',
        'ohlc',
        'change',
      ].sort(),
    );
    sim.control.setPrice('NSE:INFY', 1836);
    const moved = await waitFor(() => {
      const latest = lastTickOf(events, token);
      return latest?.last_price === 1836 ? latest : undefined;
    });
    expect(moved.change).toBeCloseTo(2, 10);
    expect(moved.ohlc.high).toBe(1836);
  });

  it('switches modes: full packets carry depth, OI and timestamps; ltp packets only the price', async () => {
    const sim = await startTestSim();
    const { ticker, events } = await connectTicker(sim);
    const token = sim.control.instrument('NFO:NIFTY24NOVFUT').instrumentToken;
    ticker.subscribe([token]);
    ticker.setMode(ticker.modeFull, [token]);
    const full = await waitFor(() => lastTickOf(events, token, 'full'));
    expect(full.depth.buy).toHaveLength(5);
    expect(full.depth.sell).toHaveLength(5);
    expect(full.depth.buy[0]).toEqual({ quantity: 325, price: 24047.95, orders: 1 });
    expect(full.depth.sell[0]).toEqual({ quantity: 325, price: 24048.05, orders: 1 });
    expect(full.oi).toBeGreaterThan(0);
    expect(full.oi_day_high).toBeGreaterThan(full.oi);
    expect(full.exchange_timestamp).toEqual(new Date(Math.floor(sim.control.clock.now() / 1000) * 1000));
    expect(full.last_trade_time).toBeInstanceOf(Date);
    ticker.setMode(ticker.modeLTP, [token]);
    const ltp = await waitFor(() => lastTickOf(events, token, 'ltp'));
    expect(ltp).toEqual({ tradable: true, mode: 'ltp', instrument_token: token, last_price: 24048 });
  });

  it('sends index packets (28 and 32 bytes) for indices, marked not tradable', async () => {
    const sim = await startTestSim();
    const { ticker, events } = await connectTicker(sim);
    const nifty = 256265;
    ticker.subscribe([nifty]);
    const quote = await waitFor(() => lastTickOf(events, nifty, 'quote'));
    expect(quote).toEqual({
      tradable: false,
      mode: 'quote',
      instrument_token: nifty,
      last_price: 24000,
      ohlc: { high: 24000, low: 24000, open: 24000, close: 24000 },
      change: 0,
    });
    ticker.setMode('full', [nifty]);
    const full = await waitFor(() => lastTickOf(events, nifty, 'full'));
    expect(full.exchange_timestamp).toBeInstanceOf(Date);
    expect(full.tradable).toBe(false);
  });

  it('stops sending an instrument after unsubscribe', async () => {
    const sim = await startTestSim();
    const { ticker, events } = await connectTicker(sim);
    const token = sim.control.instrument('NSE:INFY').instrumentToken;
    ticker.subscribe([token]);
    await waitFor(() => lastTickOf(events, token));
    ticker.unsubscribe([token]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const count = events.ticks.length;
    sim.control.setPrice('NSE:INFY', 1900);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.ticks.length).toBe(count);
  });

  it('sends a one-byte heartbeat every heartbeat period', async () => {
    const sim = await startTestSim({ heartbeatMs: 40 });
    const { events } = await connectTicker(sim);
    await waitFor(() => (events.heartbeats >= 3 ? true : undefined), 2_000, 'three heartbeats');
    expect(events.ticks).toEqual([]);
  });

  it('pushes order updates as order_update events with the postback fields and a valid checksum', async () => {
    const sim = await startTestSim();
    const kite: KiteConnect = kiteFor(sim);
    const { events } = await connectTicker(sim);
    const { order_id } = await kite.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: 10,
      product: 'CNC',
      order_type: 'LIMIT',
      price: 1750,
      tag: 'ws-test',
    });
    await waitFor(() => (events.orders.length >= 1 ? true : undefined));
    sim.control.setPrice('NSE:INFY', 1750);
    const complete = await waitFor(() => events.orders.find((order) => order.status === 'COMPLETE'));
    expect(events.orders.map((order) => order.status)).toEqual(['OPEN', 'COMPLETE']);
    expect(keysOf(complete)).toEqual(sorted(POSTBACK_FIELDS));
    expect(complete).toMatchObject({
      order_id,
      user_id: 'AB1234',
      placed_by: 'AB1234',
      tag: 'ws-test',
      filled_quantity: 10,
      unfilled_quantity: 0,
      average_price: 1750,
    });
    // Timestamps stay strings in order updates (kiteconnect converts only HTTP responses).
    expect(complete.order_timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(kite.validatePostback(complete as never, TEST_API_SECRET)).toBe(true);
    expect(kite.validatePostback(complete as never, 'other-secret')).toBe(false);
  });

  it('reports modifications and partial fills as UPDATE', async () => {
    const sim = await startTestSim({ simulatorOptions: { seed: 7, randomWalk: false, maxFillQuantity: 65 } });
    const kite = kiteFor(sim);
    const { events } = await connectTicker(sim);
    const { order_id } = await kite.placeOrder('regular', {
      exchange: 'NFO',
      tradingsymbol: 'NIFTY24NOVFUT',
      transaction_type: 'BUY',
      quantity: 130,
      product: 'NRML',
      order_type: 'LIMIT',
      price: 24048,
    });
    await kite.modifyOrder('regular', order_id, { price: 24048.5 });
    sim.control.advanceClock(1_000);
    await waitFor(() => events.orders.find((order) => order.status === 'COMPLETE'));
    // Accepted, partly filled (65 of 130), modified, then the rest filled a second later.
    expect(events.orders.map((order) => [order.status, order.filled_quantity, order.price])).toEqual([
      ['OPEN', 0, 24048],
      ['UPDATE', 65, 24048],
      ['UPDATE', 65, 24048.5],
      ['COMPLETE', 130, 24048.5],
    ]);
  });

  it('refuses the handshake with HTTP 403 for a wrong or expired token', async () => {
    const sim = await startTestSim();
    const wrong = await connectTicker(sim, 'wrong-token');
    expect(wrong.outcome).toBe('failed');
    expect(String((wrong.events.errors[0] as Error).message)).toContain('403');

    sim.control.expireTokens();
    const expired = await connectTicker(sim);
    expect(expired.outcome).toBe('failed');

    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${sim.tickerRoot}?api_key=${TEST_API_KEY}&access_token=nope`);
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('error', () => undefined);
    });
    expect(status).toBe(403);
  });

  it('drops every connection on demand; KiteTicker sees the close', async () => {
    const sim = await startTestSim();
    const { events } = await connectTicker(sim);
    expect(sim.control.tickerConnections).toBe(1);
    sim.control.dropConnections();
    await waitFor(() => (events.closes > 0 ? true : undefined));
    await waitFor(() => (sim.control.tickerConnections === 0 ? true : undefined));
  });
});

describe('bad frames never take the ticker down', () => {
  async function openRaw(sim: KiteSim): Promise<WebSocket> {
    const socket = new WebSocket(
      `${sim.tickerRoot}?api_key=${TEST_API_KEY}&access_token=${TEST_ACCESS_TOKEN}`,
    );
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return socket;
  }

  it('answers junk with an error text frame and keeps the connection', async () => {
    const sim = await startTestSim();
    const socket = await openRaw(sim);
    const texts: string[] = [];
    socket.on('message', (data, isBinary) => {
      if (!isBinary) texts.push(data.toString());
    });
    socket.send('not json {');
    socket.send('42');
    socket.send(JSON.stringify({ a: 'dance', v: [1] }));
    socket.send(JSON.stringify({ a: 'mode', v: ['turbo', [408065]] }));
    socket.send(JSON.stringify({ a: 'subscribe', v: 'not a list' }));
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitFor(() => (texts.length >= 4 ? true : undefined));
    for (const text of texts) expect(JSON.parse(text)).toMatchObject({ type: 'error' });
    socket.send(JSON.stringify({ a: 'subscribe', v: [408065] }));
    const binary = await new Promise<Buffer>((resolve) =>
      socket.on('message', (data, isBinary) => isBinary && resolve(data as Buffer)),
    );
    expect(binary.readInt16BE(0)).toBe(1);
    socket.terminate();
  });

  it('closes only the connection that sends a malformed or oversized frame', async () => {
    const sim = await startTestSim();
    const healthy = await openRaw(sim);
    const oversized = await openRaw(sim);
    const oversizedClosed = new Promise<number>((resolve) => oversized.on('close', (code) => resolve(code)));
    oversized.send('x'.repeat((1 << 20) + 10));
    expect(await oversizedClosed).toBe(1009);

    // A raw socket that completes the handshake, then writes bytes that are not a valid frame.
    const raw = connectTcp(sim.port, '127.0.0.1');
    await new Promise((resolve) => raw.once('connect', resolve));
    raw.write(
      `GET /?api_key=${TEST_API_KEY}&access_token=${TEST_ACCESS_TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await new Promise((resolve) => raw.once('data', resolve));
    const rawClosed = new Promise((resolve) => raw.once('close', resolve));
    raw.write(Buffer.from([0x8f, 0x00, 0xff, 0xff, 0xff])); // unmasked frame with a reserved opcode
    await rawClosed;

    // The other connection and the HTTP API still work.
    const ticks = new Promise<Buffer>((resolve) =>
      healthy.on(
        'message',
        (data, isBinary) => isBinary && (data as Buffer).length > 2 && resolve(data as Buffer),
      ),
    );
    healthy.send(JSON.stringify({ a: 'subscribe', v: [408065] }));
    expect((await ticks).readInt16BE(0)).toBe(1);
    await expect(kiteFor(sim).getProfile()).resolves.toMatchObject({ user_id: 'AB1234' });
    healthy.terminate();
  });
});
