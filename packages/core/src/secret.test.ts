import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { redactDeep, Secret } from './secret.js';
import { secretSchema } from './secret-schema.js';

describe('Secret', () => {
  const secret = new Secret('hunter2-api-secret');

  test('never prints its value through String, templates, JSON or util.inspect', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ apiSecret: secret })).toBe('{"apiSecret":"[redacted]"}');
    expect(inspect({ apiSecret: secret }, { depth: 10, showHidden: true })).not.toContain('hunter2');
    expect(inspect(secret)).toBe('Secret([redacted])');
  });

  test('reveal() returns the value for the broker client', () => {
    expect(secret.reveal()).toBe('hunter2-api-secret');
    expect(Secret.isSecret(secret)).toBe(true);
    expect(Secret.isSecret('hunter2')).toBe(false);
  });

  test('secretSchema turns config strings into Secrets and refuses empty ones', () => {
    const parsed = secretSchema.parse('tok');
    expect(Secret.isSecret(parsed)).toBe(true);
    expect(parsed.reveal()).toBe('tok');
    expect(secretSchema.safeParse('').success).toBe(false);
  });

  test('redactDeep hides credential-looking keys but keeps useful ones such as instrument_token', () => {
    const redacted = redactDeep({
      access_token: 'a',
      api_key: 'k',
      password: 'p',
      totp_secret: 't',
      checksum: 'c',
      instrument_token: 408065,
      nested: [{ request_token: 'r', tradingsymbol: 'INFY' }],
    });
    expect(redacted).toEqual({
      access_token: '[redacted]',
      api_key: '[redacted]',
      password: '[redacted]',
      totp_secret: '[redacted]',
      checksum: '[redacted]',
      instrument_token: 408065,
      nested: [{ request_token: '[redacted]', tradingsymbol: 'INFY' }],
    });
  });
});
