import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrokerPlugin, BrokerRegistry, isBrokerPlugin, PluginNotInstalledError } from '@brokerkit/core';
import { CliError } from '../cli-error.js';

/**
 * Where the CLI itself is installed (its `dist` folder). Plugins installed next to a global
 * `brokerkit` are found by looking upwards from here.
 */
export const CLI_INSTALL_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * Finds broker plugins for the CLI. The mock ships with the CLI and is always registered; other
 * brokers (`ibkr`, `zerodha`, third-party ids) are resolved by core's registry, first from the
 * user's project (cwd) and then from the CLI's install location. When neither has the plugin,
 * core's PluginNotInstalledError says which package to install.
 */
export class PluginResolver {
  readonly registry = new BrokerRegistry();
  readonly cwd: string;
  readonly cliDir: string;
  #builtInsLoaded: Promise<void> | undefined;

  constructor(cwd: string, cliDir: string = CLI_INSTALL_DIR) {
    this.cwd = cwd;
    this.cliDir = cliDir;
  }

  /** The directories optional packages are looked up from, in order. */
  get searchDirs(): string[] {
    return this.cwd === this.cliDir ? [this.cwd] : [this.cwd, this.cliDir];
  }

  /** The plugin for a broker name (id or alias, any case). */
  async resolve(name: string): Promise<BrokerPlugin> {
    await this.#loadBuiltIns();
    let notInstalled: unknown;
    for (const dir of this.searchDirs) {
      try {
        return await this.registry.resolve(name, { cwd: dir });
      } catch (error) {
        if (!PluginNotInstalledError.isInstance(error)) throw error;
        notInstalled ??= error;
      }
    }
    throw notInstalled;
  }

  #loadBuiltIns(): Promise<void> {
    this.#builtInsLoaded ??= (async () => {
      const module = (await import('@brokerkit/broker-mock')) as Record<string, unknown>;
      const plugin = [module.default, module.plugin].find(isBrokerPlugin);
      if (plugin === undefined) {
        throw new CliError('PACKAGE_INCOMPATIBLE', {
          message: '@brokerkit/broker-mock does not export a brokerkit plugin',
          hint: 'reinstall @brokerkit/cli',
        });
      }
      this.registry.register(plugin);
    })();
    return this.#builtInsLoaded;
  }
}
