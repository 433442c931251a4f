import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sessionChecksum } from './checksum.js';
import { SessionStore } from './session-store.js';

function store(now: { value: number }, options: Partial<ConstructorParameters<typeof SessionStore>[0]> = {}) {
  return new SessionStore({
    apiKey: 'k',
    apiSecret: 'very-secret',
    userId: 'AB1234',
    now: () => now.value,
    ...options,
  });
}

describe('session store', () => {
  it('computes the checksum kiteconnect sends (sha256 of api_key + request_token + api_secret)', () => {
    expect(sessionChecksum('k', 'req', 'secret')).toMatch(/^39bd2662[0-9a-f]{52}5fec$/);
  });

  it('expires access tokens at the next daily IST time', () => {
    // 2024-11-18 05:00 IST: the token dies at 06:00 IST the same morning.
    const now = { value: Date.UTC(2024, 10, 17, 23, 30) };
    const sessions = store(now);
    const { accessToken, expiresAt } = sessions.issueAccessToken();
    expect(expiresAt - now.value).toBe(3_600_000);
    now.value = expiresAt - 1;
    expect(sessions.find('k', accessToken)).toBeDefined();
    now.value = expiresAt;
    expect(sessions.find('k', accessToken)).toBeUndefined();
  });

  it('parses the Authorization header strictly', () => {
    const sessions = store({ value: 0 }, { accessToken: 'tok' });
    expect(sessions.authenticate('token k:tok').userId).toBe('AB1234');
    for (const header of [
      undefined,
      'token k:wrong',
      'Bearer tok',
      'token k',
      'token :tok',
      'token other:tok',
    ]) {
      expect(() => sessions.authenticate(header)).toThrow('Incorrect `api_key` or `access_token`.');
    }
  });

  it('never prints the api_secret', () => {
    const sessions = store({ value: 0 }, { accessToken: 'tok' });
    expect(JSON.stringify(sessions)).not.toContain('very-secret');
    expect(inspect(sessions, { depth: 5 })).not.toContain('very-secret');
    expect(inspect(sessions, { depth: 5 })).not.toContain('tok"');
  });

  it('refuses an invalid expiry time', () => {
    expect(() => store({ value: 0 }, { tokenExpiryTime: '6am' })).toThrow(RangeError);
  });
});
