import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { inMemoryBrokerCapabilities } from './conformance/reference/in-memory-broker.js';
import { CONTRACT_VERSION } from './contract-version.js';
import { InvalidConfigError } from './errors/invalid-config-error.js';
import { PluginIncompatibleError } from './errors/plugin-incompatible-error.js';
import { PluginNotInstalledError } from './errors/plugin-not-installed-error.js';
import { configFromEnv, createBroker } from './factory.js';
import { type BrokerPlugin, defineBrokerPlugin } from './plugin.js';
import { BrokerRegistry } from './registry.js';
import { Secret } from './secret.js';
import { secretSchema } from './secret-schema.js';

const created: unknown[] = [];
const acme = defineBrokerPlugin({
  id: 'acme',
  displayName: 'Acme Securities',
  aliases: ['ACME', 'AcmeBroker'],
  configSchema: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int(),
    apiSecret: secretSchema.optional(),
  }),
  capabilities: inMemoryBrokerCapabilities,
  envPrefix: 'ACME_',
  configFromEnv: (env) => ({
    port: Number(env.ACME_PORT),
    ...(env.ACME_API_SECRET ? { apiSecret: env.ACME_API_SECRET } : {}),
  }),
  create(config) {
    created.push(config);
    return { id: 'acme', config } as unknown as ReturnType<BrokerPlugin['create']>;
  },
});

/** A plugin object as a separately installed copy of core would make it: same marker, different module. */
const pluginSource = (id: string, contractVersion: number) => `
export default {
  [Symbol.for('brokerkit.plugin')]: true,
  id: '${id}', displayName: '${id}', aliases: [], contractVersion: ${contractVersion},
  configSchema: { safeParse: (value) => ({ success: true, data: value }) },
  capabilities: {},
  create: (config) => ({ id: '${id}', config }),
};`;

let appDir: string;

async function installPackage(name: string, source: string, manifest: Record<string, unknown> = {}) {
  const dir = join(appDir, 'node_modules', ...name.split('/'));
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name, type: 'module', exports: { '.': { import: './index.js' } }, ...manifest }),
  );
  await writeFile(join(dir, 'index.js'), source);
}

beforeAll(async () => {
  appDir = await mkdtemp(join(tmpdir(), 'brokerkit-registry-'));
  await installPackage('@brokerkit/broker-scoped', pluginSource('scoped', CONTRACT_VERSION));
  await installPackage('brokerkit-broker-community', pluginSource('community', CONTRACT_VERSION));
  await installPackage('brokerkit-broker-ancient', pluginSource('ancient', 0));
  await installPackage('brokerkit-broker-notaplugin', 'export default { hello: 1 };');
  await installPackage('brokerkit-broker-broken', 'throw new Error("boom at import");');
});

afterAll(async () => {
  await rm(appDir, { recursive: true, force: true });
});

describe('BrokerRegistry', () => {
  test('resolves registered plugins by id or alias, case-insensitively', async () => {
    const registry = new BrokerRegistry().register(acme);
    for (const name of ['acme', 'ACME', 'AcmeBroker', ' acmebroker ']) {
      expect(await registry.resolve(name)).toBe(acme);
    }
  });

  test('finds installed packages by convention from the application directory, scoped first', async () => {
    const registry = new BrokerRegistry();
    const scoped = await registry.resolve('Scoped', { cwd: join(appDir, 'src', 'deep') });
    expect(scoped.id).toBe('scoped');
    const community = await registry.resolve('community', { cwd: appDir });
    expect(community.id).toBe('community');
    expect(registry.list().map((plugin) => plugin.id)).toEqual(['scoped', 'community']);
  });

  test('a missing plugin names the packages to install', async () => {
    const error = await new BrokerRegistry()
      .resolve('ibkr', { cwd: appDir })
      .catch((caught: unknown) => caught);
    expect(PluginNotInstalledError.isInstance(error)).toBe(true);
    expect((error as PluginNotInstalledError).triedPackages).toEqual([
      '@brokerkit/broker-ibkr',
      'brokerkit-broker-ibkr',
    ]);
    expect((error as PluginNotInstalledError).hint).toContain('npm install @brokerkit/broker-ibkr');
  });

  test('refuses a plugin built for another contract version, a non-plugin, and a package that fails to load', async () => {
    const registry = new BrokerRegistry();
    for (const [name, pattern] of [
      ['ancient', /contract version 0.*implements version 1/],
      ['notaplugin', /does not export a brokerkit plugin/],
      ['broken', /failed to load: boom at import/],
    ] as const) {
      const error = await registry.resolve(name, { cwd: appDir }).catch((caught: unknown) => caught);
      expect(PluginIncompatibleError.isInstance(error), name).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });

  test('refuses a name that another plugin already uses', () => {
    const impostor = defineBrokerPlugin({ ...acme, id: 'other', aliases: ['acme'] });
    expect(() => new BrokerRegistry().register(acme).register(impostor)).toThrow(
      /already used by the plugin "acme"/,
    );
  });

  test('refuses broker names that are not names', async () => {
    await expect(new BrokerRegistry().resolve('../../etc')).rejects.toSatisfy(InvalidConfigError.isInstance);
  });
});

describe('createBroker', () => {
  const registry = new BrokerRegistry().register(acme);

  test('validates the config with the plugin schema and passes it to create', async () => {
    const broker = await createBroker({ broker: 'Acme', port: 4002, apiSecret: 'x-secret' }, { registry });
    expect(broker.id).toBe('acme');
    const config = created.at(-1) as { host: string; port: number; apiSecret: Secret };
    expect(config.host).toBe('127.0.0.1');
    expect(Secret.isSecret(config.apiSecret)).toBe(true);
    expect(JSON.stringify(config)).not.toContain('x-secret');
  });

  test('lists every config problem at once, suggesting camelCase for snake_case keys', async () => {
    const error = await createBroker(
      { broker: 'acme', port: 'abc', client_id: 1, host: 7 },
      { registry },
    ).catch((e) => e);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    const paths = (error as InvalidConfigError).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['client_id', 'host', 'port']);
    expect((error as Error).message).toMatch(/^Invalid broker config: /);
  });

  test('config problems never echo secret values', async () => {
    const error = await createBroker(
      { broker: 'acme', port: 1, apiSecret: '', api_secret: 'leaky-value' },
      { registry },
    ).catch((e) => e);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect(JSON.stringify(error)).not.toContain('leaky-value');
    expect((error as Error).message).not.toContain('leaky-value');
  });

  test('a config without a broker name is InvalidConfigError', async () => {
    await expect(createBroker({} as never, { registry })).rejects.toSatisfy(InvalidConfigError.isInstance);
  });
});

describe('configFromEnv', () => {
  const registry = new BrokerRegistry().register(acme);

  test('USE_MOCK_BROKER=true selects the mock whatever else is set', async () => {
    const mock = defineBrokerPlugin({
      ...acme,
      id: 'mock',
      aliases: [],
      envPrefix: 'MOCK_',
      configFromEnv: () => ({}),
    });
    const withMock = new BrokerRegistry().register(acme).register(mock);
    expect(
      await configFromEnv({ env: { USE_MOCK_BROKER: 'true', BROKERKIT_BROKER: 'acme' }, registry: withMock }),
    ).toEqual({
      broker: 'mock',
    });
  });

  test('BROKERKIT_BROKER names the broker and the plugin reads its own variables', async () => {
    expect(await configFromEnv({ env: { BROKERKIT_BROKER: 'ACME', ACME_PORT: '4002' }, registry })).toEqual({
      broker: 'acme',
      port: 4002,
    });
  });

  test('the one plugin whose variables are set is chosen; none is an error that says what to set', async () => {
    expect(await configFromEnv({ env: { ACME_PORT: '1' }, registry })).toMatchObject({ broker: 'acme' });
    const error = await configFromEnv({ env: {}, registry }).catch((e) => e);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('BROKERKIT_BROKER');
  });
});
