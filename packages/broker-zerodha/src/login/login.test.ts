import { inspect } from 'node:util';
import { AuthenticationError, InvalidConfigError } from '@brokerkit/core';
import type { KiteSim } from '@brokerkit/kite-sim';
import { afterEach, describe, expect, test } from 'vitest';
import { API_KEY, API_SECRET, brokerFor, startTestSim } from '../test-support/kite-sim-harness.js';
import { exchangeRequestToken } from './exchange-request-token.js';
import { createLoginUrl, parseRequestToken } from './login-url.js';

let sim: KiteSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('login URL and request token', () => {
  test("builds Kite's login URL with the API key and optional redirect params", () => {
    expect(createLoginUrl({ apiKey: 'abc123' })).toBe(
      'https://kite.zerodha.com/connect/login?v=3&api_key=abc123',
    );
    const url = new URL(createLoginUrl({ apiKey: 'abc', redirectParams: { next: '/orders' } }));
    expect(url.searchParams.get('redirect_params')).toBe('next=%2Forders');
  });

  test('reads the request token from the pasted redirect URL, its query, or the bare token', () => {
    expect(parseRequestToken('https://example.com/cb?action=login&status=success&request_token=Ab12Cd')).toBe(
      'Ab12Cd',
    );
    expect(parseRequestToken('?request_token=Ab12Cd&status=success')).toBe('Ab12Cd');
    expect(parseRequestToken(' Ab12Cd ')).toBe('Ab12Cd');
    expect(() => parseRequestToken('https://example.com/cb?status=cancelled')).toThrow(/did not succeed/);
    const error = (() => {
      try {
        parseRequestToken('https://example.com/cb?status=success');
      } catch (caught) {
        return caught;
      }
    })();
    expect(InvalidConfigError.isInstance(error)).toBe(true);
  });
});

describe('exchangeRequestToken against kite-sim', () => {
  test('exchanges a request token for a working access token, once', async () => {
    sim = await startTestSim();
    const requestToken = sim.control.createRequestToken();
    const session = await exchangeRequestToken({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      requestToken,
      root: sim.root,
    });
    expect(session.userId).toBe('AB1234');
    expect(inspect(session)).not.toContain(session.accessToken.reveal());
    expect(JSON.stringify(session)).not.toContain(session.accessToken.reveal());
    const broker = brokerFor(sim, { accessToken: session.accessToken });
    await broker.connect();
    expect(broker.isConnected()).toBe(true);
    await broker.disconnect();
    const reused = await exchangeRequestToken({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      requestToken,
      root: sim.root,
    }).catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(reused)).toBe(true);
    expect((reused as AuthenticationError).hint).toMatch(/valid for a few minutes and only once/);
    expect(inspect(reused)).not.toContain(requestToken);
    expect(inspect(reused)).not.toContain(API_SECRET);
  });

  test('a wrong API secret fails the checksum', async () => {
    sim = await startTestSim();
    const error = await exchangeRequestToken({
      apiKey: API_KEY,
      apiSecret: 'wrong-secret',
      requestToken: sim.control.createRequestToken(),
      root: sim.root,
    }).catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/checksum/i);
    expect(inspect(error)).not.toContain('wrong-secret');
  });
});
