import {
  BrokerRegistry,
  configFromEnv,
  createBroker,
  InvalidConfigError,
  isBrokerPlugin,
  NotSupportedError,
} from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import plugin, { IbkrBroker, ibkrConfigFromEnv, ibkrConfigSchema, plugin as named } from './index.js';

describe('the IBKR plugin object', () => {
  test('is a brokerkit plugin found by id and aliases, any case', async () => {
    expect(isBrokerPlugin(plugin)).toBe(true);
    expect(named).toBe(plugin);
    const registry = new BrokerRegistry().register(plugin);
    for (const name of ['ibkr', 'IBKR', 'InteractiveBrokers', 'ib', 'Ib']) {
      expect((await registry.resolve(name)).id).toBe('ibkr');
    }
    expect(plugin.displayName).toBe('Interactive Brokers');
  });

  test('config defaults: 127.0.0.1:4002 (paper), client id 1, not readonly', () => {
    expect(ibkrConfigSchema.parse({})).toMatchObject({
      host: '127.0.0.1',
      port: 4002,
      clientId: 1,
      readonly: false,
      clientIdRetry: true,
      maxMessagesPerSecond: 45,
      reconnect: { enabled: true, initialDelayMs: 250, maxDelayMs: 10_000, maxAttempts: 0 },
    });
  });

  test('unknown and snake_case keys are refused with the camelCase name suggested', async () => {
    const registry = new BrokerRegistry().register(plugin);
    const error = await createBroker({ broker: 'IBKR', client_id: 3, port: 'x' }, { registry }).catch(
      (e: unknown) => e,
    );
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    const issues = (error as InvalidConfigError).issues.map((issue) => issue.path);
    expect(issues).toContain('client_id');
    expect(issues).toContain('port');
    expect((error as Error).message).toMatch(/clientId/);
    expect(ibkrConfigSchema.safeParse({ maxMessagesPerSecond: 60 }).success).toBe(false);
  });

  test('IBKR_* environment variables map to the config', async () => {
    expect(
      ibkrConfigFromEnv({
        IBKR_HOST: ' 10.0.0.5 ',
        IBKR_PORT: '4001',
        IBKR_CLIENT_ID: '7',
        IBKR_ACCOUNT_ID: 'U1234567',
        IBKR_READONLY: 'true',
        IBKR_PAPER_PASSWORD: 'never-read',
        IBKR_TOTP_SECRET: 'never-read',
      }),
    ).toEqual({ host: '10.0.0.5', port: 4001, clientId: 7, accountId: 'U1234567', readonly: true });
    expect(ibkrConfigFromEnv({ IBKR_PORT: '' })).toEqual({});
    const registry = new BrokerRegistry().register(plugin);
    expect(await configFromEnv({ registry, env: { IBKR_PORT: '4002', IBKR_READONLY: '0' } })).toEqual({
      broker: 'ibkr',
      port: 4002,
      readonly: false,
    });
  });

  test('readonly in the config refuses order-changing calls before anything is sent', async () => {
    const registry = new BrokerRegistry().register(plugin);
    const broker = await createBroker({ broker: 'ibkr', readonly: true, port: 1 }, { registry });
    expect(broker).toBeInstanceOf(IbkrBroker);
    const error = await broker
      .placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 1, orderType: 'MARKET' })
      .catch((e: unknown) => e);
    expect(NotSupportedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/readonly/);
    await expect(broker.cancelOrder('1')).rejects.toThrow(/readonly/);
    await expect(broker.modifyOrder('1', { limitPrice: 1 })).rejects.toThrow(/readonly/);
  });

  test('printing a broker shows no config', async () => {
    const registry = new BrokerRegistry().register(plugin);
    const broker = await createBroker({ broker: 'ibkr', accountId: 'DU123456' }, { registry });
    expect(JSON.stringify(broker)).toBe('{"broker":"ibkr","state":"disconnected"}');
  });
});
