import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import {
  type BrokerConfig,
  type BrokerPlugin,
  type BrokerRegistry,
  configFromEnv,
  InvalidConfigError,
  isSecretKey,
} from '@brokerkit/core';
import { parse as parseDotenv } from 'dotenv';
import { usageError } from '../cli-error.js';
import { parseSetOptions } from './set-options.js';

/** The default config file, looked up in the working directory. */
export const DEFAULT_CONFIG_FILE = 'brokerkit.config.json';
/** The dotenv file, looked up in the working directory. */
export const ENV_FILE = '.env';

/**
 * The spec's environment variables that name a broker by their prefix. When no broker is chosen
 * any other way and exactly one of these sets is present, that broker is used (as core's
 * `configFromEnv` does for registered plugins).
 */
export const BROKER_ENV_PREFIXES: readonly { prefix: string; broker: string }[] = [
  { prefix: 'IBKR_', broker: 'ibkr' },
  { prefix: 'ZERODHA_', broker: 'zerodha' },
];

const TRUE_VALUES = new Set(['1', 'true', 'yes', 'on']);

/** `brokerkit.config.json`: a default broker plus one section of plugin config per broker. */
export interface ConfigFile {
  broker?: string;
  /** Plugin config by broker id or alias (`ibkr`, `zerodha`, `mock`, ...). */
  sections: Record<string, Record<string, unknown>>;
}

/** Everything the configuration was read from, before a broker is chosen. */
export interface ConfigSources {
  cwd: string;
  configFile: { path: string; explicit: boolean; found: boolean; content?: ConfigFile };
  /** `.env` in the working directory: whether it exists and its variable names (never values). */
  envFile: { path: string; found: boolean; values: Record<string, string> };
  /** The process environment. */
  processEnv: Readonly<Record<string, string | undefined>>;
  /**
   * The environment brokers are configured from: `.env` values under the process environment. A
   * variable already set in the environment wins over `.env`, as with dotenv itself, so a
   * one-off `IBKR_PORT=4001 brokerkit ...` does what it says.
   */
  env: Readonly<Record<string, string | undefined>>;
  /** Plugin config given with `--set key=value` (highest precedence). */
  flags: Record<string, unknown>;
}

/** How the broker was chosen, for `doctor` and error messages. */
export interface BrokerSelection {
  name: string;
  source: string;
}

/** Options of `loadConfigSources`: the global flags that affect configuration. */
export interface LoadConfigOptions {
  cwd: string;
  processEnv: Readonly<Record<string, string | undefined>>;
  /** `--config <path>`; when absent, `brokerkit.config.json` in `cwd` is read if it exists. */
  configPath?: string | undefined;
  /** `--set key=value`, repeated. */
  set?: readonly string[] | undefined;
}

/** Reads the config file, `.env` and `--set` flags. Nothing here talks to a broker. */
export async function loadConfigSources(options: LoadConfigOptions): Promise<ConfigSources> {
  const { cwd, processEnv } = options;
  const explicit = options.configPath !== undefined;
  const configPath = resolvePath(cwd, options.configPath ?? DEFAULT_CONFIG_FILE);
  const configText = await readOptionalFile(configPath, explicit ? '--config' : DEFAULT_CONFIG_FILE);
  if (explicit && configText === undefined) {
    throw usageError(`config file not found: ${configPath}`, 'check the path given to --config');
  }
  const configFile: ConfigSources['configFile'] = {
    path: configPath,
    explicit,
    found: configText !== undefined,
  };
  if (configText !== undefined) configFile.content = parseConfigFile(configText, configPath);

  const envPath = join(cwd, ENV_FILE);
  const envText = await readOptionalFile(envPath, ENV_FILE);
  const envValues = envText === undefined ? {} : parseDotenv(envText);
  const env = { ...envValues, ...processEnv };

  return {
    cwd,
    configFile,
    envFile: { path: envPath, found: envText !== undefined, values: envValues },
    processEnv,
    env,
    flags: parseSetOptions(options.set ?? []),
  };
}

/**
 * Chooses the broker: `--broker`, else the config file's `broker`, else `USE_MOCK_BROKER=true`,
 * else `BROKERKIT_BROKER`, else the one broker whose spec variables (`IBKR_*`, `ZERODHA_*`) are set,
 * else the mock.
 */
export function selectBroker(sources: ConfigSources, flag: string | undefined): BrokerSelection {
  if (flag !== undefined && flag.trim() !== '') return { name: flag.trim(), source: '--broker' };
  const fromFile = sources.configFile.content?.broker;
  if (fromFile !== undefined) return { name: fromFile, source: sources.configFile.path };
  const { env } = sources;
  if (TRUE_VALUES.has((env.USE_MOCK_BROKER ?? '').trim().toLowerCase())) {
    return { name: 'mock', source: 'USE_MOCK_BROKER' };
  }
  const named = env.BROKERKIT_BROKER?.trim();
  if (named) return { name: named, source: 'BROKERKIT_BROKER' };
  const present = BROKER_ENV_PREFIXES.filter(({ prefix }) =>
    Object.entries(env).some(([key, value]) => key.startsWith(prefix) && value !== undefined && value !== ''),
  );
  if (present.length > 1) {
    throw usageError(
      `variables for several brokers are set (${present.map(({ prefix }) => `${prefix}*`).join(', ')}), so the broker is ambiguous`,
      'choose one with --broker <name> or BROKERKIT_BROKER',
    );
  }
  const only = present[0];
  if (only !== undefined) return { name: only.broker, source: `${only.prefix}* variables` };
  return { name: 'mock', source: 'default' };
}

/**
 * The factory config for `plugin`, merged from lowest to highest precedence: the environment (via
 * the plugin's own mapping of its variables, through core's `configFromEnv`), the config file's
 * section for the broker, then `--set` flags.
 */
export async function buildBrokerConfig(
  sources: ConfigSources,
  plugin: BrokerPlugin,
  registry: BrokerRegistry,
): Promise<BrokerConfig> {
  const fromEnv = await configFromEnv({ env: sources.env, broker: plugin.id, registry, cwd: sources.cwd });
  const fromFile = configFileSection(sources.configFile.content, plugin) ?? {};
  const merged = deepMerge(deepMerge(fromEnv, fromFile), sources.flags);
  return { ...merged, broker: plugin.id };
}

/** The config file's section for a plugin, matched by id or alias, case-insensitively. */
export function configFileSection(
  content: ConfigFile | undefined,
  plugin: Pick<BrokerPlugin, 'id' | 'aliases'>,
): Record<string, unknown> | undefined {
  if (content === undefined) return undefined;
  const names = new Set([plugin.id, ...plugin.aliases].map((name) => name.toLowerCase()));
  for (const [key, section] of Object.entries(content.sections)) {
    if (names.has(key.toLowerCase())) return section;
  }
  return undefined;
}

/** Names of keys in the config file that hold secrets (for doctor's advice), as `section.key`. */
export function secretKeysInConfigFile(content: ConfigFile | undefined): string[] {
  if (content === undefined) return [];
  return Object.entries(content.sections).flatMap(([section, values]) =>
    Object.keys(values)
      .filter(isSecretKey)
      .map((key) => `${section}.${key}`),
  );
}

function parseConfigFile(text: string, path: string): ConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the problem, which may be a secret: report the position only.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new InvalidConfigError({
      message: `${path} is not valid JSON${position === undefined ? '' : ` (at character ${position})`}`,
      issues: [{ path: '', message: 'not valid JSON' }],
      hint: 'the file is one JSON object: { "broker": "ibkr", "ibkr": { "host": "127.0.0.1", "port": 4002 } }',
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidConfigError({
      message: `${path} must hold a JSON object`,
      issues: [{ path: '', message: 'must be an object' }],
      hint: 'e.g. { "broker": "ibkr", "ibkr": { "host": "127.0.0.1", "port": 4002 } }',
    });
  }
  const content: ConfigFile = { sections: {} };
  const issues: { path: string; message: string }[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (key === '$schema') continue;
    if (key === 'broker') {
      if (typeof value === 'string' && value.trim() !== '') content.broker = value.trim();
      else
        issues.push({ path: 'broker', message: 'must be a broker name such as "mock", "ibkr" or "zerodha"' });
      continue;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      content.sections[key] = value as Record<string, unknown>;
    } else {
      issues.push({ path: key, message: 'must be an object of config for the broker of that name' });
    }
  }
  if (issues.length > 0) {
    throw new InvalidConfigError({
      message: `${path}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
      hint: 'top-level keys are "broker" (the default broker) and one object per broker id',
    });
  }
  return content;
}

async function readOptionalFile(path: string, label: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw usageError(
      `cannot read ${label} (${path}): ${code ?? 'unknown error'}`,
      'check the file permissions',
    );
  }
}

function resolvePath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Merges plain objects key by key (so `--set prices.MSFT=400` adds to the file's `prices`). */
export function deepMerge(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return result;
}
