import type { z } from 'zod';
import type { BrokerOptions } from './abstract-broker.js';
import type { Broker } from './broker.js';
import { type BrokerCapabilities, defineCapabilities } from './capabilities.js';
import { CONTRACT_VERSION } from './contract-version.js';
import { PluginIncompatibleError } from './errors/plugin-incompatible-error.js';

const pluginMarker = Symbol.for('brokerkit.plugin');

/**
 * What a broker plugin package exports (as its default export, or as `plugin`). Build it with
 * `defineBrokerPlugin`, which checks the shape and freezes the capabilities.
 */
export interface BrokerPlugin<TConfig = unknown> {
  /** Lower-case id used in `config.broker` and package names: `ibkr` -> `@brokerkit/broker-ibkr`. */
  readonly id: string;
  /** Human name: `Interactive Brokers`. */
  readonly displayName: string;
  /** Other names `config.broker` may use, matched case-insensitively: `IBKR`, `Zerodha`, `Mock`. */
  readonly aliases: readonly string[];
  /** The contract version the plugin implements; the registry refuses any other. */
  readonly contractVersion: number;
  /** Validates the broker's config (the factory's config minus `broker`). Strict: unknown keys fail. */
  readonly configSchema: z.ZodType<TConfig>;
  readonly capabilities: BrokerCapabilities;
  /**
   * Reads this broker's config from environment variables (`IBKR_HOST`, `ZERODHA_API_KEY`, ...).
   * `envPrefix` says which variables belong to it.
   */
  readonly envPrefix?: string;
  configFromEnv?(env: Readonly<Record<string, string | undefined>>): Record<string, unknown>;
  /** Creates an unconnected broker from a validated config. */
  create(config: TConfig, options: BrokerOptions): Broker;
}

/** The fields `defineBrokerPlugin` takes (everything but the marker). */
export type BrokerPluginDefinition<TConfig> = Omit<BrokerPlugin<TConfig>, 'contractVersion'> & {
  contractVersion?: number;
};

/**
 * Declares a broker plugin. Checks its id, aliases and capabilities, stamps the contract version
 * and freezes it, so what it declares cannot change after creation.
 *
 * @example
 * export const plugin = defineBrokerPlugin({
 *   id: 'acme',
 *   displayName: 'Acme Securities',
 *   aliases: ['Acme'],
 *   configSchema: z.strictObject({ apiKey: secretSchema }),
 *   capabilities: { ... },
 *   create: (config, options) => new AcmeBroker(config, options),
 * });
 * export default plugin;
 */
export function defineBrokerPlugin<TConfig>(
  definition: BrokerPluginDefinition<TConfig>,
): BrokerPlugin<TConfig> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.id)) {
    throw new PluginIncompatibleError({
      message: `plugin id "${definition.id}" must be lower-case letters, digits and dashes`,
      pluginId: definition.id,
      pluginContractVersion: definition.contractVersion,
      coreContractVersion: CONTRACT_VERSION,
    });
  }
  let capabilities: BrokerCapabilities;
  try {
    capabilities = defineCapabilities(definition.capabilities);
  } catch (error) {
    throw new PluginIncompatibleError({
      message: `plugin "${definition.id}" declares ${(error as Error).message}`,
      pluginId: definition.id,
      pluginContractVersion: definition.contractVersion,
      coreContractVersion: CONTRACT_VERSION,
    });
  }
  const plugin = {
    ...definition,
    aliases: Object.freeze([...definition.aliases]),
    contractVersion: definition.contractVersion ?? CONTRACT_VERSION,
    capabilities,
    [pluginMarker]: true,
  };
  return Object.freeze(plugin);
}

/** True for an object made by `defineBrokerPlugin` in any copy of core. */
export function isBrokerPlugin(value: unknown): value is BrokerPlugin {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[pluginMarker] === true
  );
}
