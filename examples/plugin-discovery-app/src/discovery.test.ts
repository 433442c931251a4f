import { fileURLToPath } from 'node:url';
import { BrokerRegistry, createBroker, InvalidConfigError, PluginNotInstalledError } from '@brokerkit/core';
import { describe, expect, test } from 'vitest';

// The application's own directory: where its node_modules (and so its plugins) live.
const appDir = fileURLToPath(new URL('..', import.meta.url));

describe('a third-party plugin installed by the application', () => {
  test('is found by the brokerkit-broker-<id> convention, by id or alias, and trades', async () => {
    const registry = new BrokerRegistry();
    const broker = await createBroker({ broker: 'Paper', cash: 50_000 }, { registry, cwd: appDir });
    expect(broker.id).toBe('in-memory');
    expect(registry.list().map((plugin) => plugin.id)).toEqual(['paper']);
    expect((await registry.resolve('paperbroker')).id).toBe('paper');
    await broker.connect();
    expect((await broker.getAccountBalance()).cash).toBe(50_000);
    const ack = await broker.placeOrder({
      symbol: 'PAPER',
      side: 'BUY',
      quantity: 5,
      orderType: 'LIMIT',
      limitPrice: 90,
    });
    expect(ack.status).toBe('SUBMITTED');
    await broker.disconnect();
  });

  test('its config schema is applied: unknown keys are listed', async () => {
    const error = await createBroker(
      { broker: 'paper', balance: 5 },
      { registry: new BrokerRegistry(), cwd: appDir },
    ).catch((e: unknown) => e);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect((error as InvalidConfigError).issues).toEqual([
      { path: 'balance', message: 'unknown field; remove it' },
    ]);
  });

  test('a plugin the application did not install is named in the error', async () => {
    const error = await createBroker(
      { broker: 'zerodha' },
      { registry: new BrokerRegistry(), cwd: appDir },
    ).catch((e: unknown) => e);
    expect(PluginNotInstalledError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('No broker plugin "zerodha" is installed');
    expect((error as PluginNotInstalledError).hint).toContain('@brokerkit/broker-zerodha');
  });
});
