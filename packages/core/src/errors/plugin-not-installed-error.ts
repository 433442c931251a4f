import { BrokerError, type BrokerErrorOptions } from './broker-error.js';

export interface PluginNotInstalledErrorOptions extends Omit<BrokerErrorOptions, 'message'> {
  /** The broker name that was asked for. */
  requested: string;
  /** Package names that were tried, in order. */
  triedPackages: string[];
  message?: string;
}

/** No registered plugin or installed package provides the requested broker. */
export class PluginNotInstalledError extends BrokerError {
  readonly code = 'PLUGIN_NOT_INSTALLED' as const;
  readonly retryable = false;
  readonly requested: string;
  readonly triedPackages: string[];

  constructor(options: PluginNotInstalledErrorOptions) {
    const first = options.triedPackages[0] ?? `@brokerkit/broker-${options.requested.toLowerCase()}`;
    super({
      ...options,
      message: options.message ?? `No broker plugin "${options.requested}" is installed`,
      hint: options.hint ?? `install ${first} (npm install ${first}) or register the plugin yourself`,
    });
    this.requested = options.requested;
    this.triedPackages = options.triedPackages;
  }

  static isInstance(value: unknown): value is PluginNotInstalledError {
    return BrokerError.hasCode(value, 'PLUGIN_NOT_INSTALLED');
  }
}
