import { isSecretKey, Secret } from '@brokerkit/core';

const REDACTED = '[redacted]';
/** Shorter values are too likely to occur by chance ("1", "on") to be replaced in text. */
const MIN_SECRET_LENGTH = 4;

/**
 * The last line of defence against printing a credential: it knows every secret value the command
 * was given (environment variables, .env, config file, --set) and replaces any occurrence in text
 * about to be written. Core already keeps secrets out of messages; this catches what a plugin or
 * a third-party library might still echo.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  readonly #allowed = new Set<string>();

  /** Adds the values of secret-looking keys (`ZERODHA_ACCESS_TOKEN`, `apiSecret`, ...), at any depth. */
  addFromRecord(record: unknown, depth = 0): void {
    if (record === null || typeof record !== 'object' || depth > 8) return;
    for (const [key, value] of Object.entries(record)) {
      if (isSecretKey(key)) this.addValue(value);
      else if (typeof value === 'object') this.addFromRecord(value, depth + 1);
    }
  }

  /** Adds one secret value (a string or a core `Secret`). */
  addValue(value: unknown): void {
    const text = Secret.isSecret(value) ? value.reveal() : typeof value === 'string' ? value : undefined;
    if (text !== undefined && text.length >= MIN_SECRET_LENGTH && !this.#allowed.has(text))
      this.#secrets.add(text);
  }

  /**
   * Lets a value be printed although its key looks secret. Only for values that are public by
   * design, such as Kite's API key, which sits in the login page's address bar.
   */
  allow(value: string): void {
    this.#allowed.add(value);
    this.#secrets.delete(value);
  }

  /** `text` with every known secret replaced by `[redacted]`. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }
}
