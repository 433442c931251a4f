import {
  type Broker,
  type BrokerConfig,
  type BrokerOperation,
  type BrokerPlugin,
  createBroker,
  DEFAULT_TIMEOUTS,
} from '@brokerkit/core';
import { usageError } from './cli-error.js';
import {
  type BrokerSelection,
  buildBrokerConfig,
  type ConfigSources,
  loadConfigSources,
  selectBroker,
} from './config/load-config.js';
import type { ErrorContext } from './output/error-report.js';
import type { Output } from './output/output.js';
import { PluginResolver } from './plugins/plugin-resolver.js';
import { addCleanup } from './shutdown.js';

/** The options every command accepts (defined on the root program). */
export interface GlobalOptions {
  broker?: string;
  config?: string;
  set?: string[];
  json?: boolean;
  verbose?: boolean;
  /** `false` with `--no-color`. */
  color?: boolean;
  /** `--timeout <seconds>` for every broker call. */
  timeout?: string;
}

/** The process the CLI runs in; tests and embedders can pass their own. */
export interface CliEnvironment {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** A connected broker plus what it was made from. */
export interface BrokerSession {
  broker: Broker;
  plugin: BrokerPlugin;
  selection: BrokerSelection;
}

/** The selected broker's plugin and the config it will be created from. */
export interface ResolvedBrokerConfig {
  plugin: BrokerPlugin;
  config: BrokerConfig;
  selection: BrokerSelection;
}

/** Options of `CommandContext.withBroker`. */
export interface WithBrokerOptions {
  /** Refuse order-changing calls: read-only commands can never place, modify or cancel. */
  readonly: boolean;
}

/**
 * What a command runs with: the global options, the output, the configuration sources and the
 * plugin resolver. Commands ask it for a connected broker and never read the environment
 * themselves.
 */
export class CommandContext {
  readonly io: CliEnvironment;
  readonly globals: GlobalOptions;
  readonly output: Output;
  readonly resolver: PluginResolver;
  /** Filled in as the command learns which broker it uses, for better error hints. */
  readonly errorContext: ErrorContext = {};
  #sources: Promise<ConfigSources> | undefined;
  #brokerConfig: Promise<ResolvedBrokerConfig> | undefined;

  constructor(io: CliEnvironment, globals: GlobalOptions, output: Output) {
    this.io = io;
    this.globals = globals;
    this.output = output;
    this.resolver = new PluginResolver(io.cwd);
  }

  /** Config file, `.env` and `--set`, read once. Every secret found is registered for redaction. */
  sources(): Promise<ConfigSources> {
    this.#sources ??= loadConfigSources({
      cwd: this.io.cwd,
      processEnv: this.io.env,
      configPath: this.globals.config,
      set: this.globals.set,
    }).then((sources) => {
      const { redactor } = this.output;
      redactor.addFromRecord(sources.env);
      redactor.addFromRecord(sources.configFile.content?.sections);
      redactor.addFromRecord(sources.flags);
      return sources;
    });
    return this.#sources;
  }

  /** Per-call timeouts from `--timeout <seconds>`, or core's defaults. */
  timeouts(): Partial<Record<BrokerOperation, number>> {
    const text = this.globals.timeout;
    if (text === undefined) return {};
    const seconds = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) {
      throw usageError(`--timeout must be a positive number of seconds, got "${text}"`);
    }
    const ms = Math.round(seconds * 1000);
    return Object.fromEntries(Object.keys(DEFAULT_TIMEOUTS).map((operation) => [operation, ms]));
  }

  /** Resolves the broker's plugin and builds its config (once), without creating or connecting it. */
  brokerConfig(): Promise<ResolvedBrokerConfig> {
    this.#brokerConfig ??= this.#resolveBrokerConfig();
    return this.#brokerConfig;
  }

  async #resolveBrokerConfig(): Promise<ResolvedBrokerConfig> {
    const sources = await this.sources();
    const selection = selectBroker(sources, this.globals.broker);
    const plugin = await this.resolver.resolve(selection.name);
    this.errorContext.brokerId = plugin.id;
    const config = await buildBrokerConfig(sources, plugin, this.resolver.registry);
    this.output.redactor.addFromRecord(config);
    return { plugin, config, selection };
  }

  /**
   * Creates the selected broker, connects it (with a spinner) and runs `task`; always disconnects
   * afterwards, also on Ctrl+C (even during the connect).
   *
   * @example
   * await context.withBroker({ readonly: true }, ({ broker }) => broker.getAccountBalance());
   */
  async withBroker<T>(options: WithBrokerOptions, task: (session: BrokerSession) => Promise<T>): Promise<T> {
    const { plugin, config, selection } = await this.brokerConfig();
    const broker = await createBroker(config, {
      registry: this.resolver.registry,
      cwd: this.io.cwd,
      readonly: options.readonly,
      timeouts: this.timeouts(),
    });
    const removeCleanup = addCleanup(() => broker.disconnect());
    try {
      await this.output.withSpinner(`connecting to ${plugin.displayName}`, () => broker.connect());
      return await task({ broker, plugin, selection });
    } finally {
      removeCleanup();
      await broker.disconnect().catch(() => {});
    }
  }

  /** Runs `task` with a spinner when stderr is a terminal. */
  waitFor<T>(text: string, task: () => Promise<T>): Promise<T> {
    return this.output.withSpinner(text, task);
  }
}
