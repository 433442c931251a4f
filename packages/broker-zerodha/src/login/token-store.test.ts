import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { AuthenticationError, InvalidConfigError, Secret } from '@brokerkit/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseTokenKey } from './token-key.js';
import { TokenStore } from './token-store.js';

const TOKEN = 'k1t3AccessTokenSecretValue0123456789';
const key = randomBytes(32);
let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-store-'));
  path = join(dir, 'nested', 'session.json');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const at = (iso: string) => () => Date.parse(iso);

describe('TokenStore', () => {
  test("round-trips the day's token; the file never holds it in plain text", async () => {
    const store = new TokenStore({ path, key, now: at('2026-01-15T04:00:00Z') });
    const saved = await store.save({
      accessToken: TOKEN,
      userId: 'AB1234',
      apiKey: 'key1',
      loginTime: Date.parse('2026-01-15T03:50:00Z'),
    });
    const text = await readFile(path, 'utf8');
    for (const form of [
      TOKEN,
      Buffer.from(TOKEN).toString('base64'),
      Buffer.from(TOKEN).toString('hex'),
      'key1',
    ]) {
      expect(text).not.toContain(form);
    }
    expect(JSON.parse(text)).toMatchObject({ format: 'brokerkit-kite-session', userId: 'AB1234' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // Expires at the next 06:00 IST (00:30 UTC) after the login.
    expect(new Date(saved.expiresAt).toISOString()).toBe('2026-01-16T00:30:00.000Z');
    const loaded = await store.load({ apiKey: 'key1' });
    expect(loaded?.accessToken.reveal()).toBe(TOKEN);
    expect(inspect(loaded)).not.toContain(TOKEN);
    expect(JSON.stringify(loaded)).not.toContain(TOKEN);
    expect(await store.load({ apiKey: 'another-app' })).toBeUndefined();
    expect(await store.status()).toMatchObject({ state: 'valid', userId: 'AB1234' });
  });

  test('after the daily boundary the token is gone (configurable boundary)', async () => {
    await new TokenStore({ path, key, now: at('2026-01-15T04:00:00Z') }).save({
      accessToken: TOKEN,
      userId: 'AB1234',
      apiKey: 'k',
    });
    expect(await new TokenStore({ path, key, now: at('2026-01-16T00:29:00Z') }).load()).toBeDefined();
    const late = new TokenStore({ path, key, now: at('2026-01-16T00:31:00Z') });
    expect(await late.load()).toBeUndefined();
    expect((await late.status()).state).toBe('expired');
    const laterBoundary = new TokenStore({ path, key, expiryTime: '08:00', now: at('2026-01-15T04:00:00Z') });
    const saved = await laterBoundary.save({ accessToken: TOKEN, userId: 'AB1234', apiKey: 'k' });
    expect(new Date(saved.expiresAt).toISOString()).toBe('2026-01-16T02:30:00.000Z');
  });

  test('tampering with the ciphertext or the authenticated header is detected', async () => {
    const store = new TokenStore({ path, key, now: at('2026-01-15T04:00:00Z') });
    await store.save({ accessToken: TOKEN, userId: 'AB1234', apiKey: 'k' });
    const original = JSON.parse(await readFile(path, 'utf8'));
    const flipped = Buffer.from(original.ciphertext, 'base64');
    flipped[0] = flipped[0]! ^ 0xff;
    for (const changed of [
      { ...original, ciphertext: flipped.toString('base64') },
      { ...original, expiresAt: original.expiresAt + 86_400_000 },
      { ...original, userId: 'ZZ9999' },
    ]) {
      await writeFile(path, JSON.stringify(changed));
      const error = await store.load().catch((caught: unknown) => caught);
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/integrity check failed/);
      expect((error as AuthenticationError).hint).toMatch(/log in again/);
    }
    await writeFile(path, 'not json');
    expect(AuthenticationError.isInstance(await store.load().catch((caught: unknown) => caught))).toBe(true);
  });

  test('the wrong key cannot read it', async () => {
    await new TokenStore({ path, key, now: at('2026-01-15T04:00:00Z') }).save({
      accessToken: TOKEN,
      userId: 'AB1234',
      apiKey: 'k',
    });
    const other = new TokenStore({ path, key: randomBytes(32), now: at('2026-01-15T04:00:00Z') });
    const error = await other.load().catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/BROKERKIT_TOKEN_KEY/);
  });

  test('the key comes from BROKERKIT_TOKEN_KEY: a missing or malformed key is a clear error that never echoes it', async () => {
    const missing = new TokenStore({ path, env: {} });
    const error = await missing
      .save({ accessToken: TOKEN, userId: 'A', apiKey: 'k' })
      .catch((caught: unknown) => caught);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect((error as InvalidConfigError).issues[0]).toMatchObject({ path: 'BROKERKIT_TOKEN_KEY' });
    expect((error as Error).message).toMatch(/is not set/);
    const bad = 'abc123-not-a-key-value';
    const malformed = await new TokenStore({ path, env: { BROKERKIT_TOKEN_KEY: bad } })
      .load()
      .catch(() => 'no file');
    expect(malformed).toBeUndefined(); // nothing stored yet: the key is only needed to decrypt
    await new TokenStore({ path, key }).save({ accessToken: TOKEN, userId: 'A', apiKey: 'k' });
    const refused = await new TokenStore({ path, env: { BROKERKIT_TOKEN_KEY: bad } })
      .load()
      .catch((caught: unknown) => caught);
    expect(InvalidConfigError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/64 hex characters or base64/);
    expect((refused as Error).message).not.toContain(bad);
    const hex = key.toString('hex');
    expect(parseTokenKey(hex)).toEqual(key);
    expect(parseTokenKey(key.toString('base64'))).toEqual(key);
    expect(parseTokenKey(key.toString('base64url'))).toEqual(key);
    expect(parseTokenKey(new Secret(hex))).toEqual(key);
    await expect(new TokenStore({ path, env: { BROKERKIT_TOKEN_KEY: hex } }).load()).resolves.toBeDefined();
  });

  test('clear() removes it', async () => {
    const store = new TokenStore({ path, key });
    await store.save({ accessToken: TOKEN, userId: 'A', apiKey: 'k' });
    await store.clear();
    expect(await store.status()).toEqual({ state: 'missing' });
  });
});
