import { InvalidConfigError, Secret } from '@brokerkit/core';

/** The environment variable the token store's key is read from by default. */
export const TOKEN_KEY_VARIABLE = 'BROKERKIT_TOKEN_KEY';

const HOW_TO_MAKE_ONE = `generate one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('hex'))"`;

/**
 * The 32-byte AES-256 key of the token store, from 64 hex characters or base64 / base64url. Throws
 * InvalidConfigError naming `variable` when the key is missing or malformed; the message never
 * contains the value.
 */
export function parseTokenKey(
  value: Secret | string | Uint8Array | undefined,
  variable = TOKEN_KEY_VARIABLE,
): Buffer {
  if (value instanceof Uint8Array) {
    if (value.length === 32) return Buffer.from(value);
    throw invalid(variable, `must be 32 bytes, got ${value.length}`);
  }
  const text = (Secret.isSecret(value) ? value.reveal() : (value ?? '')).trim();
  if (text === '')
    throw invalid(
      variable,
      `is not set: the login helper encrypts the stored token with it; ${HOW_TO_MAKE_ONE}`,
    );
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(text)) {
    const bytes = Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw invalid(
    variable,
    `must be 32 bytes written as 64 hex characters or base64 (it has ${text.length} characters); ${HOW_TO_MAKE_ONE}`,
  );
}

function invalid(variable: string, message: string): InvalidConfigError {
  return new InvalidConfigError({ issues: [{ path: variable, message }], broker: 'zerodha' });
}
