import { CONTRACT_VERSION } from './contract-version.js';
import { InvalidConfigError } from './errors/invalid-config-error.js';
import { PluginIncompatibleError } from './errors/plugin-incompatible-error.js';
import { PluginNotInstalledError } from './errors/plugin-not-installed-error.js';
import { importInstalledPackage } from './package-loader.js';
import { type BrokerPlugin, isBrokerPlugin } from './plugin.js';

/** Where `resolve` looks for installed plugin packages. */
export interface ResolvePluginOptions {
  /** The application's directory; packages are resolved from here. Default: `process.cwd()`. */
  cwd?: string;
}

/** Package names tried for a broker name, in order: `@brokerkit/broker-<id>`, `brokerkit-broker-<id>`. */
export function pluginPackageNames(name: string): string[] {
  const id = name.trim().toLowerCase();
  return [`@brokerkit/broker-${id}`, `brokerkit-broker-${id}`];
}

/**
 * The plugins a factory can create brokers from. Plugins registered by hand come first; a name
 * that matches none is looked up as an installed package by convention and imported lazily.
 */
export class BrokerRegistry {
  readonly #plugins = new Map<string, BrokerPlugin>();

  /** Adds a plugin; refuses other contract versions and names that another plugin already uses. */
  register(plugin: BrokerPlugin): this {
    assertCompatible(plugin, 'register()');
    for (const name of [plugin.id, ...plugin.aliases]) {
      const owner = this.find(name);
      if (owner !== undefined && owner.id !== plugin.id) {
        throw new InvalidConfigError({
          issues: [{ path: 'broker', message: `"${name}" is already used by the plugin "${owner.id}"` }],
        });
      }
    }
    this.#plugins.set(plugin.id, plugin);
    return this;
  }

  unregister(id: string): boolean {
    return this.#plugins.delete(id.toLowerCase());
  }

  list(): BrokerPlugin[] {
    return [...this.#plugins.values()];
  }

  /** A registered plugin whose id or alias matches `name` case-insensitively. */
  find(name: string): BrokerPlugin | undefined {
    const wanted = name.trim().toLowerCase();
    for (const plugin of this.#plugins.values()) {
      if (plugin.id === wanted || plugin.aliases.some((alias) => alias.toLowerCase() === wanted))
        return plugin;
    }
    return undefined;
  }

  /**
   * The plugin for `name`: a registered one, else the installed package `@brokerkit/broker-<name>`
   * or `brokerkit-broker-<name>` resolved from the application's directory (then registered).
   */
  async resolve(name: string, options: ResolvePluginOptions = {}): Promise<BrokerPlugin> {
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name.trim())) {
      throw new InvalidConfigError({
        issues: [{ path: 'broker', message: 'must be a broker name such as "mock", "ibkr" or "zerodha"' }],
      });
    }
    const registered = this.find(name);
    if (registered !== undefined) return registered;
    const packages = pluginPackageNames(name);
    for (const packageName of packages) {
      let loaded: Record<string, unknown> | undefined;
      try {
        loaded = await importInstalledPackage(packageName, options.cwd ?? process.cwd());
      } catch (error) {
        throw new PluginIncompatibleError({
          message: `${packageName} is installed but failed to load: ${error instanceof Error ? error.message : String(error)}`,
          pluginId: name,
          pluginContractVersion: undefined,
          coreContractVersion: CONTRACT_VERSION,
          cause: error,
        });
      }
      if (loaded === undefined) continue;
      const plugin = pluginExport(loaded);
      if (plugin === undefined) {
        throw new PluginIncompatibleError({
          message: `${packageName} does not export a brokerkit plugin (expected a default or "plugin" export made by defineBrokerPlugin)`,
          pluginId: name,
          pluginContractVersion: undefined,
          coreContractVersion: CONTRACT_VERSION,
        });
      }
      assertCompatible(plugin, packageName);
      this.register(plugin);
      return plugin;
    }
    throw new PluginNotInstalledError({ requested: name, triedPackages: packages });
  }
}

function pluginExport(module: Record<string, unknown>): BrokerPlugin | undefined {
  const candidates = [
    module.default,
    module.plugin,
    (module.default as Record<string, unknown> | undefined)?.default,
  ];
  return candidates.find(isBrokerPlugin);
}

function assertCompatible(plugin: BrokerPlugin, source: string): void {
  if (!isBrokerPlugin(plugin)) {
    throw new PluginIncompatibleError({
      message: `${source}: not a brokerkit plugin (make it with defineBrokerPlugin)`,
      pluginId: String((plugin as { id?: unknown } | undefined)?.id ?? 'unknown'),
      pluginContractVersion: undefined,
      coreContractVersion: CONTRACT_VERSION,
    });
  }
  if (plugin.contractVersion !== CONTRACT_VERSION) {
    throw new PluginIncompatibleError({
      message: `${source}: plugin "${plugin.id}" implements contract version ${String(plugin.contractVersion)}, but this @brokerkit/core implements version ${CONTRACT_VERSION}`,
      hint: 'install versions of the plugin and @brokerkit/core that share a contract version',
      pluginId: plugin.id,
      pluginContractVersion: plugin.contractVersion,
      coreContractVersion: CONTRACT_VERSION,
    });
  }
}

/** The registry `createBroker` uses unless given another. */
export const defaultRegistry = new BrokerRegistry();
