import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface PluginIncompatibleErrorOptions extends BrokerErrorOptions {
  pluginId: string;
  /** The contract version the plugin was built for. */
  pluginContractVersion: unknown;
  /** The contract version this core implements. */
  coreContractVersion: number;
}

/** A plugin was built for another version of the brokerkit contract, or is not a plugin at all. */
export class PluginIncompatibleError extends BrokerError {
  readonly code = 'PLUGIN_INCOMPATIBLE' as const;
  readonly retryable = false;
  readonly pluginId: string;
  readonly pluginContractVersion: unknown;
  readonly coreContractVersion: number;

  constructor(options: PluginIncompatibleErrorOptions) {
    super(options);
    this.pluginId = options.pluginId;
    this.pluginContractVersion = options.pluginContractVersion;
    this.coreContractVersion = options.coreContractVersion;
  }

  static isInstance(value: unknown): value is PluginIncompatibleError {
    return BrokerError.hasCode(value, 'PLUGIN_INCOMPATIBLE');
  }
}
