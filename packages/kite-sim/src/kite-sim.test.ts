import { ExchangeSimulator, VirtualClock } from '@brokerkit/exchange-sim';
import { KiteConnect, type UserMargin } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import { startKiteSim } from './kite-sim.js';
import { kiteFor, startTestSim, TEST_ACCESS_TOKEN } from './test-support/start-test-sim.js';

/** kiteconnect's types give getMargins(segment) the all-segments shape; the API returns one segment. */
async function equityOf(kite: {
  getMargins(segment?: 'equity' | 'commodity'): Promise<unknown>;
}): Promise<UserMargin> {
  return (await kite.getMargins('equity')) as UserMargin;
}

describe('startKiteSim', () => {
  it('listens on a free loopback port and closes cleanly (close is idempotent)', async () => {
    const sim = await startKiteSim({ accessToken: 'token', apiKey: 'key', heartbeatMs: 10_000 });
    expect(sim.host).toBe('127.0.0.1');
    expect(sim.port).toBeGreaterThan(0);
    expect(sim.root).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.tickerRoot).toBe(`ws://127.0.0.1:${sim.port}/`);
    const kite = new KiteConnect({ api_key: 'key', access_token: 'token', root: sim.root });
    await expect(kite.getProfile()).resolves.toMatchObject({ user_id: 'AB1234' });
    await Promise.all([sim.close(), sim.close()]);
    // Once the client has seen its pooled connection close, nothing listens any more.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const afterClose = new KiteConnect({ api_key: 'key', access_token: 'token', root: sim.root });
    expect((await afterClose.getProfile().catch((error: unknown) => error)) as object).toMatchObject({
      error_type: 'NetworkException',
      message: 'No response from server with error code: ECONNREFUSED',
    });
  });

  it('runs in front of a shared engine: orders placed elsewhere show up, prices are shared', async () => {
    const simulator = new ExchangeSimulator({ clock: new VirtualClock(), randomWalk: false });
    const sim = await startTestSim({ simulator, userId: 'ZX9999' });
    expect(simulator.hasAccount('ZX9999')).toBe(true);
    simulator.setPrice('INFY', 1750);
    await expect(kiteFor(sim).getLTP(['NSE:INFY'])).resolves.toEqual({
      'NSE:INFY': { instrument_token: 408065, last_price: 1750 },
    });
    expect((await kiteFor(sim).getProfile()).user_id).toBe('ZX9999');
    await sim.close();
    // The engine belongs to the caller and keeps working.
    expect(simulator.price('INFY')).toBe(1750);
    simulator.dispose();
  });

  it('fails to start on a port already in use, and leaves nothing running', async () => {
    const sim = await startTestSim();
    await expect(startKiteSim({ port: sim.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('refuses unknown seeded holdings', async () => {
    await expect(
      startKiteSim({ holdings: [{ tradingsymbol: 'NOSUCH', quantity: 1, averagePrice: 1 }] }),
    ).rejects.toThrow('NOSUCH');
  });
});

describe('control', () => {
  it('names instruments by EXCHANGE:SYMBOL or token, and refuses unknown ones', async () => {
    const sim = await startTestSim();
    expect(sim.control.instrument('NSE:INFY').instrumentToken).toBe(408065);
    expect(sim.control.instrument(256265).tradingsymbol).toBe('NIFTY 50');
    expect(() => sim.control.instrument('INFY')).toThrow(RangeError);
    expect(() => sim.control.setPrice('NSE:NOSUCH', 1)).toThrow(RangeError);
  });

  it('advances only a virtual clock', async () => {
    const sim = await startTestSim({ clock: 'real' });
    expect(() => sim.control.advanceClock(1_000)).toThrow(TypeError);
  });

  it('issues access tokens and deposits cash', async () => {
    const sim = await startTestSim();
    const token = sim.control.issueAccessToken();
    const kite = kiteFor(sim, { accessToken: token });
    const before = (await equityOf(kite)).net;
    sim.control.deposit(50_000);
    expect((await equityOf(kite)).net).toBe(before + 50_000);
    expect(JSON.stringify(sim.control)).not.toContain(TEST_ACCESS_TOKEN);
  });
});
