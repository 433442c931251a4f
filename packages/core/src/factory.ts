import { z } from 'zod';
import type { BrokerOptions } from './abstract-broker.js';
import type { Broker } from './broker.js';
import { InvalidConfigError } from './errors/invalid-config-error.js';
import { type BrokerRegistry, defaultRegistry } from './registry.js';
import { toInputIssues } from './validation.js';

/** `{ broker: 'IBKR', host: '127.0.0.1', port: 4002, ... }`: the broker name plus its plugin's config. */
export type BrokerConfig = { broker: string } & Record<string, unknown>;

/** Options of `createBroker` and `BrokerFactory.fromEnv`. */
export interface CreateBrokerOptions extends BrokerOptions {
  /** Registry to resolve plugins from. Default: the shared `defaultRegistry`. */
  registry?: BrokerRegistry;
  /** The application's directory, where installed plugin packages are looked up. Default: cwd. */
  cwd?: string;
}

/** Environment options of `BrokerFactory.fromEnv`. */
export interface FromEnvOptions extends CreateBrokerOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Force a broker instead of reading BROKERKIT_BROKER / USE_MOCK_BROKER. */
  broker?: string;
}

/**
 * Creates an unconnected broker from a config: resolves `config.broker` (case-insensitive id or
 * alias, registered or installed), validates the rest with the plugin's schema and calls its
 * `create`. Unknown keys, wrong types and missing values give one InvalidConfigError listing each.
 *
 * @example
 * const broker = await createBroker({ broker: 'Mock' });
 * await broker.connect();
 * const ack = await broker.placeOrder({ symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' });
 */
export async function createBroker(config: BrokerConfig, options: CreateBrokerOptions = {}): Promise<Broker> {
  if (typeof config !== 'object' || config === null || typeof config.broker !== 'string') {
    throw new InvalidConfigError({
      issues: [{ path: 'broker', message: 'is required: the broker name, e.g. "mock", "ibkr" or "zerodha"' }],
    });
  }
  const { registry = defaultRegistry, cwd, ...brokerOptions } = options;
  const plugin = await registry.resolve(config.broker, cwd === undefined ? {} : { cwd });
  const { broker: _name, ...pluginConfig } = config;
  const parsed = plugin.configSchema.safeParse(pluginConfig);
  if (!parsed.success) {
    const known = plugin.configSchema instanceof z.ZodObject ? Object.keys(plugin.configSchema.shape) : [];
    throw new InvalidConfigError({
      message: undefined,
      issues: toInputIssues(parsed.error, known),
      broker: plugin.id,
    });
  }
  return plugin.create(parsed.data, brokerOptions);
}

const TRUE_VALUES = new Set(['1', 'true', 'yes', 'on']);

/**
 * Reads a broker config from the environment. The broker is `USE_MOCK_BROKER=true` (the mock),
 * else `BROKERKIT_BROKER`, else the one registered plugin whose variables (`IBKR_*`,
 * `ZERODHA_*`) are set. The plugin maps its own variables to its config.
 */
export async function configFromEnv(options: FromEnvOptions = {}): Promise<BrokerConfig> {
  const env = options.env ?? process.env;
  const registry = options.registry ?? defaultRegistry;
  let name = options.broker;
  if (name === undefined && TRUE_VALUES.has((env.USE_MOCK_BROKER ?? '').toLowerCase())) name = 'mock';
  name ??= env.BROKERKIT_BROKER || undefined;
  if (name === undefined) {
    const present = registry
      .list()
      .filter(
        (plugin) =>
          plugin.envPrefix !== undefined && Object.keys(env).some((key) => key.startsWith(plugin.envPrefix!)),
      );
    if (present.length !== 1) {
      throw new InvalidConfigError({
        issues: [
          {
            path: 'BROKERKIT_BROKER',
            message:
              present.length === 0
                ? 'set BROKERKIT_BROKER (e.g. ibkr, zerodha) or USE_MOCK_BROKER=true'
                : `variables for several brokers are set (${present.map((plugin) => plugin.id).join(', ')}); set BROKERKIT_BROKER to choose`,
          },
        ],
      });
    }
    name = present[0]!.id;
  }
  const plugin = await registry.resolve(name, options.cwd === undefined ? {} : { cwd: options.cwd });
  return { broker: plugin.id, ...plugin.configFromEnv?.(env) };
}

/** The spec's factory, as an object: `BrokerFactory.createBroker(config)`. */
export const BrokerFactory = Object.freeze({
  createBroker,
  /** `createBroker(await configFromEnv(options), options)`. */
  async fromEnv(options: FromEnvOptions = {}): Promise<Broker> {
    const { env: _env, broker: _broker, ...createOptions } = options;
    return createBroker(await configFromEnv(options), createOptions);
  },
});
