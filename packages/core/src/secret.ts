import { inspect } from 'node:util';

const REDACTED = '[redacted]';
const secretMarker = Symbol.for('brokerkit.secret');

/**
 * A credential (API secret, access token, password, TOTP seed) wrapped so that it cannot leak by
 * accident: `String(secret)`, `JSON.stringify`, `util.inspect` and template literals all print
 * `[redacted]`. Only `reveal()` returns the value, and only plugins call it, at the moment
 * they hand it to the broker's client.
 *
 * @example
 * const token = new Secret(process.env.ZERODHA_ACCESS_TOKEN!);
 * console.log({ token }); // { token: Secret([redacted]) }
 * kite.setAccessToken(token.reveal());
 */
export class Secret {
  readonly #value: string;
  readonly [secretMarker] = true;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret value. Pass it straight to the broker's client; never log it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  /** True for a Secret from any copy of this package. */
  static isSecret(value: unknown): value is Secret {
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[secretMarker] === true
    );
  }
}

/** Returns the value of a `Secret`, or the string itself; `undefined` stays `undefined`. */
export function revealSecret(value: Secret | string | undefined): string | undefined {
  return Secret.isSecret(value) ? value.reveal() : value;
}

/** Key names whose values are treated as secrets wherever they appear in a raw payload. */
const SECRET_KEY_PATTERN =
  /(secret|password|passwd|totp|api_?key|checksum|authorization|private_?key|(access|request|refresh|public|enc)_?token|^token$|^otp$)/i;

/** True if a key name looks like it holds a credential. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/**
 * A copy of `value` with every secret-looking key's value replaced by `[redacted]` and every
 * `Secret` printed as `[redacted]`. Used on raw broker payloads before they are printed.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (Secret.isSecret(value)) return REDACTED;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactDeep(item, depth + 1);
  }
  return out;
}
