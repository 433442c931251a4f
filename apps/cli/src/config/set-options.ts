import { usageError } from '../cli-error.js';

const KEY_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z0-9_$-]+)*$/;

/**
 * Turns `--set key=value` flags into plugin config. A value that is valid JSON is taken as JSON
 * (`port=4002` is a number, `readonly=true` a boolean, `prices={"AAPL":190}` an object); anything
 * else is a string (`host=127.0.0.1`). Quote JSON strings to keep digits a string:
 * `accountId='"12345"'`. Dotted keys set nested values: `prices.AAPL=190`.
 *
 * Error messages name the key but never repeat a value, which may be a secret.
 */
export function parseSetOptions(entries: readonly string[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    if (separator <= 0) {
      throw usageError(
        '--set expects key=value (an argument had no "=" or no key)',
        'e.g. --set host=127.0.0.1 --set port=4002',
      );
    }
    const key = entry.slice(0, separator).trim();
    if (!KEY_PATTERN.test(key)) {
      throw usageError(
        `--set: "${key}" is not a config key`,
        'keys are camelCase names such as port or clientId',
      );
    }
    const path = key.split('.');
    let target = config;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[path[path.length - 1]!] = parseValue(entry.slice(separator + 1));
  }
  return config;
}

function parseValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}
