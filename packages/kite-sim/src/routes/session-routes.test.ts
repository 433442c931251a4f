import { KiteConnect } from 'kiteconnect';
import { describe, expect, it, vi } from 'vitest';
import {
  INCORRECT_TOKEN_MESSAGE,
  INVALID_CHECKSUM_MESSAGE,
  STALE_REQUEST_TOKEN_MESSAGE,
} from '../auth/session-store.js';
import { keysOf, PROFILE_FIELDS, SESSION_FIELDS, sorted } from '../test-support/kite-fields.js';
import {
  kiteFor,
  rejectionOf,
  startTestSim,
  TEST_ACCESS_TOKEN,
  TEST_API_KEY,
  TEST_API_SECRET,
} from '../test-support/start-test-sim.js';

describe('session and authentication through kiteconnect', () => {
  it('exchanges a request token for an access token with the checksum, and the client uses it', async () => {
    const sim = await startTestSim({ accessToken: undefined });
    const kite = new KiteConnect({ api_key: TEST_API_KEY, root: sim.root });
    const session = await kite.generateSession(sim.control.createRequestToken(), TEST_API_SECRET);
    expect(keysOf(session)).toEqual(sorted(SESSION_FIELDS));
    expect(session.user_id).toBe('AB1234');
    expect(session.api_key).toBe(TEST_API_KEY);
    expect(session.login_time).toBeInstanceOf(Date);
    expect(session.access_token).toMatch(/^[0-9a-f]{32}$/);
    // generateSession sets the token on the client itself.
    const profile = await kite.getProfile();
    expect(keysOf(profile)).toEqual(sorted(PROFILE_FIELDS));
    expect(profile).toMatchObject({ user_id: 'AB1234', broker: 'ZERODHA', user_type: 'individual' });
  });

  it('serves a browserless login: /connect/login returns a request token', async () => {
    const sim = await startTestSim();
    const response = await fetch(`${sim.root}/connect/login?api_key=${TEST_API_KEY}&v=3`);
    const body = (await response.json()) as { status: string; data: { request_token: string } };
    expect(body.status).toBe('success');
    const kite = new KiteConnect({ api_key: TEST_API_KEY, root: sim.root });
    await expect(kite.generateSession(body.data.request_token, TEST_API_SECRET)).resolves.toHaveProperty(
      'access_token',
    );
  });

  it('redirects the login to the redirect URL with request_token when one is configured', async () => {
    const sim = await startTestSim({ redirectUrl: 'http://127.0.0.1:9/callback' });
    const response = await fetch(`${sim.root}/connect/login?api_key=${TEST_API_KEY}&v=3`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.pathname).toBe('/callback');
    expect(location.searchParams.get('status')).toBe('success');
    expect(location.searchParams.get('request_token')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('rejects a wrong checksum and a reused request token with TokenException', async () => {
    const sim = await startTestSim({ accessToken: undefined });
    const kite = new KiteConnect({ api_key: TEST_API_KEY, root: sim.root });
    const requestToken = sim.control.createRequestToken();
    const wrong = await rejectionOf(kite.generateSession(requestToken, 'not-the-secret'));
    expect(wrong).toMatchObject({
      error_type: 'TokenException',
      message: INVALID_CHECKSUM_MESSAGE,
      data: null,
    });
    await kite.generateSession(requestToken, TEST_API_SECRET);
    const reused = await rejectionOf(
      new KiteConnect({ api_key: TEST_API_KEY, root: sim.root }).generateSession(
        requestToken,
        TEST_API_SECRET,
      ),
    );
    expect(reused).toMatchObject({ error_type: 'TokenException', message: STALE_REQUEST_TOKEN_MESSAGE });
  });

  it('expires request tokens after five minutes', async () => {
    const sim = await startTestSim({ accessToken: undefined });
    const requestToken = sim.control.createRequestToken();
    sim.control.advanceClock(5 * 60_000 + 1);
    const kite = new KiteConnect({ api_key: TEST_API_KEY, root: sim.root });
    const error = await rejectionOf(kite.generateSession(requestToken, TEST_API_SECRET));
    expect(error).toMatchObject({ error_type: 'TokenException', message: STALE_REQUEST_TOKEN_MESSAGE });
  });

  it('accepts the preconfigured api_key:access_token pair at once', async () => {
    const sim = await startTestSim();
    await expect(kiteFor(sim).getProfile()).resolves.toMatchObject({ user_id: 'AB1234' });
  });

  it('answers a wrong token with 403 TokenException and calls the session-expiry hook', async () => {
    const sim = await startTestSim();
    const kite = kiteFor(sim, { accessToken: 'wrong' });
    const hook = vi.fn();
    kite.setSessionExpiryHook(hook);
    const error = await rejectionOf(kite.getProfile());
    expect(error).toEqual({
      status: 'error',
      message: INCORRECT_TOKEN_MESSAGE,
      data: null,
      error_type: 'TokenException',
    });
    expect(hook).toHaveBeenCalledTimes(1);
    const raw = await fetch(`${sim.root}/user/profile`, {
      headers: { Authorization: `token ${TEST_API_KEY}:wrong` },
    });
    expect(raw.status).toBe(403);
  });

  it('refuses requests without the Authorization header', async () => {
    const sim = await startTestSim();
    const error = await rejectionOf(kiteFor(sim, { accessToken: null }).getMargins());
    expect(error.error_type).toBe('TokenException');
  });

  it('expires tokens at the configured daily IST time', async () => {
    // The virtual clock starts at 2024-11-18 20:00 IST; 06:00 IST comes 10 hours later.
    const sim = await startTestSim({ tokenExpiryTime: '06:00' });
    const kite = kiteFor(sim);
    const hook = vi.fn();
    kite.setSessionExpiryHook(hook);
    sim.control.advanceClock(10 * 3_600_000 - 1_000);
    await expect(kite.getProfile()).resolves.toBeDefined();
    sim.control.advanceClock(1_000);
    expect(await rejectionOf(kite.getProfile())).toMatchObject({
      error_type: 'TokenException',
      message: INCORRECT_TOKEN_MESSAGE,
    });
    expect(hook).toHaveBeenCalledTimes(1);
  });

  it('keeps tokens past the daily time when expiry is off, until expireTokens()', async () => {
    const sim = await startTestSim({ tokenExpiryTime: false });
    const kite = kiteFor(sim);
    sim.control.advanceClock(3 * 86_400_000);
    await expect(kite.getProfile()).resolves.toBeDefined();
    sim.control.expireTokens();
    expect((await rejectionOf(kite.getProfile())).error_type).toBe('TokenException');
  });

  it('refuses token renewal: refresh tokens are not issued (refresh_token is empty)', async () => {
    const sim = await startTestSim();
    const error = await rejectionOf(kiteFor(sim).renewAccessToken('anything', TEST_API_SECRET));
    expect(error).toMatchObject({ error_type: 'TokenException', message: STALE_REQUEST_TOKEN_MESSAGE });
  });

  it('logs out with invalidateAccessToken (data true), after which the token is refused', async () => {
    const sim = await startTestSim();
    const kite = kiteFor(sim);
    await expect(kite.invalidateAccessToken()).resolves.toBe(true);
    expect((await rejectionOf(kite.getProfile())).error_type).toBe('TokenException');
    expect(
      (await rejectionOf(kiteFor(sim, { accessToken: TEST_ACCESS_TOKEN }).getProfile())).error_type,
    ).toBe('TokenException');
  });
});
