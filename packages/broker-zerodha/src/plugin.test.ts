import { inspect } from 'node:util';
import {
  BrokerFactory,
  BrokerRegistry,
  createBroker,
  InvalidConfigError,
  isBrokerPlugin,
  Secret,
} from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import defaultExport, { plugin, ZerodhaBroker } from './index.js';

const SECRET = 'api-secret-value-42';
const TOKEN = 'access-token-value-42';

describe('the Zerodha plugin', () => {
  test('is a brokerkit plugin found by id and by its aliases, case-insensitively', async () => {
    expect(defaultExport).toBe(plugin);
    expect(isBrokerPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({
      id: 'zerodha',
      displayName: 'Zerodha (Kite Connect)',
      envPrefix: 'ZERODHA_',
    });
    const registry = new BrokerRegistry().register(plugin);
    for (const name of ['zerodha', 'Zerodha', 'KITE', 'kiteconnect']) {
      const broker = await createBroker({ broker: name, apiKey: 'k', accessToken: TOKEN }, { registry });
      expect(broker).toBeInstanceOf(ZerodhaBroker);
      expect(broker.isConnected()).toBe(false);
    }
  });

  test('declares what Kite offers: no GTC or FOK, stops DAY only, Kite rate limits', () => {
    const caps = plugin.capabilities;
    expect(caps.exchanges).toEqual(['NSE', 'BSE', 'NFO', 'BFO', 'MCX', 'CDS']);
    expect(caps.products).toEqual(['CNC', 'MIS', 'NRML']);
    expect(caps.timeInForce).toEqual({
      MARKET: ['DAY', 'IOC'],
      LIMIT: ['DAY', 'IOC'],
      STOP: ['DAY'],
      STOP_LIMIT: ['DAY'],
    });
    expect(caps).toMatchObject({
      modifyOrder: 'native',
      marginPreview: true,
      streamingOrderUpdates: true,
      reconnect: true,
    });
    expect(caps.rateLimits).toContainEqual({ scope: 'orders', limit: 10, intervalMs: 1_000 });
    expect(caps.rateLimits).toContainEqual({ scope: 'orders', limit: 400, intervalMs: 60_000 });
    expect(caps.rateLimits).toContainEqual({ scope: 'orders', limit: 5_000, intervalMs: 86_400_000 });
    expect(caps.rateLimits).toContainEqual({ scope: 'quotes', limit: 1, intervalMs: 1_000 });
  });

  test('the config is strict, secrets become Secrets, and mistakes name the field', async () => {
    const parsed = plugin.configSchema.parse({
      apiKey: 'k',
      apiSecret: SECRET,
      accessToken: TOKEN,
      userId: 'AB1234',
    });
    expect(Secret.isSecret(parsed.apiSecret)).toBe(true);
    expect(Secret.isSecret(parsed.accessToken)).toBe(true);
    const registry = new BrokerRegistry().register(plugin);
    const error = await createBroker(
      { broker: 'zerodha', api_key: 'k', root: 'ftp://x', marketProtection: 0, tokenFile: '' },
      { registry },
    ).catch((caught: unknown) => caught);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    const paths = (error as InvalidConfigError).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['apiKey', 'api_key', 'marketProtection', 'root', 'tokenFile']);
    expect((error as InvalidConfigError).issues.find((issue) => issue.path === 'api_key')?.message).toMatch(
      /did you mean "apiKey"/,
    );
  });

  test('reads ZERODHA_* variables', async () => {
    const env = {
      ZERODHA_API_KEY: 'k',
      ZERODHA_API_SECRET: SECRET,
      ZERODHA_ACCESS_TOKEN: TOKEN,
      ZERODHA_USER_ID: 'AB1234',
      ZERODHA_ROOT: 'http://127.0.0.1:9',
      ZERODHA_TOKEN_FILE: '',
    };
    expect(plugin.configFromEnv?.(env)).toEqual({
      apiKey: 'k',
      apiSecret: SECRET,
      accessToken: TOKEN,
      userId: 'AB1234',
      root: 'http://127.0.0.1:9',
    });
    const registry = new BrokerRegistry().register(plugin);
    const broker = await BrokerFactory.fromEnv({ env, registry });
    expect(broker.id).toBe('zerodha');
  });

  test('secrets never show in util.inspect or JSON.stringify of the config or the broker', async () => {
    const config = plugin.configSchema.parse({ apiKey: 'k', apiSecret: SECRET, accessToken: TOKEN });
    const broker = plugin.create(config, {});
    for (const text of [
      inspect(config, { depth: 10 }),
      JSON.stringify(config),
      inspect(broker, { depth: 10 }),
      JSON.stringify(broker),
      String(broker),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
  });
});
