import { z } from 'zod';
import { Secret } from './secret.js';

/**
 * Zod schema for a credential in a plugin's config: accepts a non-empty string or a `Secret` and
 * yields a `Secret`, so the value is redacted everywhere from then on.
 */
export const secretSchema = z
  .union([z.string().min(1, 'must not be empty'), z.custom<Secret>((value) => Secret.isSecret(value))])
  .transform((value) => (typeof value === 'string' ? new Secret(value) : value));
